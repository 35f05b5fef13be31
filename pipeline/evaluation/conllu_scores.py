"""CoNLL-U gold: tagging, morphology, lemmas and parsing, scored with spaCy's own ``Scorer``.

The pipeline runs on Docs built from the gold words (so tokens align one-to-one and only the
annotation is compared). Multiword tokens are split into their syntactic words, as in the gold.
Dependency scores follow spaCy's convention: punctuation (``punct``) is not counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.training.converters import conllu_to_docs


def read_conllu_docs(path: str | Path) -> list[Doc]:
    """Gold Docs, one per sentence, with POS, morph, lemma, heads and dependencies."""
    text = Path(path).read_text(encoding="utf-8")
    return list(conllu_to_docs(text, n_sents=1, no_print=True))


def score_conllu(nlp: Language, paths: list[Path], batch_size: int = 64) -> dict[str, Any]:
    """UPOS, morph, lemma accuracy, UAS, LAS and sentence F of ``nlp`` on CoNLL-U files."""
    gold_docs = [d for p in paths for d in read_conllu_docs(p)]
    # Documents of a few sentences each keep sentence-boundary scoring meaningful.
    grouped = [Doc.from_docs(gold_docs[i:i + 10]) for i in range(0, len(gold_docs), 10)]
    inputs = [Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g])
              for g in grouped]
    predicted = list(nlp.pipe(inputs, batch_size=batch_size))
    examples = [Example(p, g) for p, g in zip(predicted, grouped, strict=True)]
    return conllu_metrics(examples) | {"n_sentences": len(gold_docs),
                                       "n_tokens": sum(len(d) for d in gold_docs)}


def conllu_metrics(examples: list[Example]) -> dict[str, Any]:
    """The metrics from already-predicted examples (separate so tests need no model)."""
    out: dict[str, Any] = {}
    out.update(Scorer.score_token_attr(examples, "pos"))
    out.update(Scorer.score_token_attr(examples, "morph"))
    out.update(Scorer.score_token_attr(examples, "lemma"))
    deps = Scorer.score_deps(examples, "dep", head_attr="head", ignore_labels=("p", "punct"))
    out.update({k: deps[k] for k in ("dep_uas", "dep_las")})
    sents = Scorer.score_spans(examples, "sents", has_annotation=lambda d: d.has_annotation(
        "SENT_START"))
    out.update({k: sents[k] for k in ("sents_p", "sents_r", "sents_f")})
    return {k: v for k, v in out.items() if not k.endswith("_per_feat")}

"""``anais_entities``: turn the base model's NER output into clean PER/LOC/ORG mentions.

Base pipelines disagree on labels (``PER`` vs ``PESSOA``, ``MISC``) and sometimes take an
article or a trailing punctuation mark into a name. This component maps labels
(``data/entity_labels.tsv``), trims edges (``data/entity_trim.tsv``), and drops mentions that
the temporal tagger already claims (a month name tagged LOC is a date, not a place). It sets
``doc._.entities`` to a list of ``Mention``; ``doc.ents`` is left as the model made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

import pipeline.extensions  # noqa: F401

_DATA = Path(__file__).parent / "data"
_EDGE_PUNCT = "\"'«»“”‘’()[]{}.,;:!?-–—"


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # character offsets into doc.text
    end: int
    text: str
    label: str


@cache
def label_map() -> dict[str, str]:
    rows = (line.split("\t") for line in (_DATA / "entity_labels.tsv").read_text("utf-8").splitlines()
            if line and not line.startswith("#"))
    return {model_label: ours for model_label, ours in rows}


@cache
def _trim_words() -> dict[str, frozenset[str]]:
    rows = (line.split("\t") for line in (_DATA / "entity_trim.tsv").read_text("utf-8").splitlines()
            if line and not line.startswith("#"))
    return {position: frozenset(words.split()) for position, words in rows}


def clean_span(span: Span) -> tuple[int, int] | None:
    """Token bounds of ``span`` without edge articles, prepositions and punctuation."""
    trim = _trim_words()
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in trim["start"] or
                           all(ch in _EDGE_PUNCT for ch in doc[start].text)):
        start += 1
    while end > start and (doc[end - 1].lower_ in trim["end"] or
                           all(ch in _EDGE_PUNCT for ch in doc[end - 1].text)):
        end -= 1
    if start == end or not any(ch.isalpha() for ch in doc[start:end].text):
        return None
    return start, end


def mentions(doc: Doc) -> list[Mention]:
    """The cleaned PER/LOC/ORG mentions of ``doc`` in text order."""
    labels = label_map()
    timex_spans = [(t.start, t.end) for t in (doc._.timexes or [])]
    out: list[Mention] = []
    for ent in doc.ents:
        label = labels.get(ent.label_.upper())
        if label is None:
            continue
        bounds = clean_span(ent)
        if bounds is None:
            continue
        span = doc[bounds[0] : bounds[1]]
        start, end = span.start_char, span.end_char
        if any(s <= start and end <= e for s, e in timex_spans):
            continue
        out.append(Mention(start, end, span.text, label))
    return out


class EntityCleaner:
    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = mentions(doc)
        return doc


@Language.factory(
    "anais_entities",
    assigns=["doc._.entities"],
    requires=["doc.ents"],
)
def make_entities_component(nlp: Language, name: str) -> EntityCleaner:
    return EntityCleaner()

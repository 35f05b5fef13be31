"""The ``anais_timex`` spaCy component: fills ``doc._.timexes`` from ``doc._.dct``.

It reads ``doc._.dct`` (ISO date or None) and ``doc._.doc_type`` (``news``/``narrative``/None;
None = the component's ``doc_type`` config, where ``auto`` means news when a DCT is given).
When the base pipeline gives sentences and morphology, they are used for anchoring (verb tense
of ``em março`` in news); a blank ``spacy.blank("pt")`` pipeline works too.
"""

from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc

import pipeline.extensions  # noqa: F401  (registers doc._.dct, doc._.timexes, ...)
from pipeline.extensions import doc_text
from pipeline.fail_soft import SoftComponent

from .tagger import tag_text
from .tense import guess_tense

_TENSE = {"Past": -1, "Pqp": -1, "Imp": -1, "Fut": 1}


class TimexComponent(SoftComponent):
    output = "timexes"

    def __init__(self, nlp: Language, name: str, doc_type: str = "auto"):
        super().__init__(name)
        self.doc_type = doc_type

    def fill(self, doc: Doc) -> None:
        doc_type = doc._.doc_type or self.doc_type
        sentences = None
        tense = None
        parsed = [(s.start_char, s.end_char) for s in doc.sents] \
            if doc.has_annotation("SENT_START") else None
        if parsed is not None:
            sentences = _split_at_newlines(doc_text(doc), parsed)
        if doc.has_annotation("MORPH"):
            tense = _morph_tense(doc, parsed)
        doc._.timexes = tag_text(doc_text(doc), dct=doc._.dct, doc_type=doc_type,
                                 sentences=sentences, tense=tense)


def _split_at_newlines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A line break ends a sentence (a title without a full stop is not part of the next one)."""
    out = []
    for start, end in spans:
        k = start
        i = text.find("\n", start, end)
        while i != -1:  # the line breaks of the span, found by str.find, not char by char
            if i > k:
                out.append((k, i))
                k = i + 1
            i = text.find("\n", i + 1, end)
        if k < end:
            out.append((k, end))
    return out


def _morph_tense(doc: Doc, sentences: list[tuple[int, int]] | None):
    """(start, end) -> -1/0/+1 from the tense of the closest tensed verb in the same sentence,
    falling back to the verb-ending heuristic when the morphology has none. ``sentences``:
    the doc's sentence spans (None without sentences: the whole text is one); a character's
    sentence is found by bisection, so each question costs O(log n) in a long document."""
    text = doc_text(doc)
    spans = sentences or [(0, len(text))]
    starts = [s for s, _ in spans]

    def sentence_at(char: int) -> tuple[int, int]:
        return spans[max(bisect.bisect_right(starts, char) - 1, 0)]

    verbs: list[tuple[int, int, int]] = []
    verb_starts: list[int] = []
    read = False

    def read_verbs() -> None:
        # on the first question only: most documents have few time expressions, many none
        for t in doc:
            if t.pos_ in ("VERB", "AUX"):
                tense = t.morph.get("Tense")
                if tense and tense[0] in _TENSE:
                    verbs.append((t.idx, _TENSE[tense[0]], sentence_at(t.idx)[0]))
        verb_starts.extend(v[0] for v in verbs)

    def tense(start: int, end: int) -> int:
        nonlocal read
        if not read:
            read_verbs()
            read = True
        k = bisect.bisect_left(verb_starts, start)
        sent_start = sentence_at(start)[0] if sentences is not None else None
        best, dist = 0, None
        for j in (k - 1, k):
            if 0 <= j < len(verbs):
                pos, val, s0 = verbs[j]
                d = abs(pos - start)
                if (sent_start is None or s0 == sent_start) and (dist is None or d < dist):
                    best, dist = val, d
        if best == 0:
            s, e = sentence_at(start)[0], sentence_at(max(end - 1, start))[1]
            return guess_tense(text, s, e, start, end)
        return best

    return tense


@Language.factory("anais_timex", default_config={"doc_type": "auto"})
def make_timex_component(nlp: Language, name: str, doc_type: str = "auto") -> TimexComponent:
    return TimexComponent(nlp, name, doc_type)

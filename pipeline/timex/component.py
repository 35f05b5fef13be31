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

from .tagger import tag_text

_TENSE = {"Past": -1, "Pqp": -1, "Imp": -1, "Fut": 1}


class TimexComponent:
    def __init__(self, nlp: Language, name: str, doc_type: str = "auto"):
        self.name = name
        self.doc_type = doc_type

    def __call__(self, doc: Doc) -> Doc:
        doc_type = doc._.doc_type or self.doc_type
        sentences = None
        tense = None
        if doc.has_annotation("SENT_START"):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
        if doc.has_annotation("MORPH"):
            tense = _morph_tense(doc)
        doc._.timexes = tag_text(doc.text, dct=doc._.dct, doc_type=doc_type,
                                 sentences=sentences, tense=tense)
        return doc


def _morph_tense(doc: Doc):
    """(start, end) -> -1/0/+1 from the tense of the closest verb in the same sentence."""
    verbs = [(t.idx, _TENSE.get(t.morph.get("Tense")[0], 0) if t.morph.get("Tense") else 0,
              t.sent.start_char if doc.has_annotation("SENT_START") else 0)
             for t in doc if t.pos_ in ("VERB", "AUX")]
    verbs = [v for v in verbs if v[1]]
    starts = [v[0] for v in verbs]

    def tense(start: int, end: int) -> int:
        k = bisect.bisect_left(starts, start)
        best, dist = 0, None
        for j in (k - 1, k):
            if 0 <= j < len(verbs):
                pos, val, _ = verbs[j]
                d = abs(pos - start)
                if d < 200 and (dist is None or d < dist):
                    best, dist = val, d
        return best

    return tense


@Language.factory("anais_timex", default_config={"doc_type": "auto"})
def make_timex_component(nlp: Language, name: str, doc_type: str = "auto") -> TimexComponent:
    return TimexComponent(nlp, name, doc_type)

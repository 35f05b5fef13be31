"""Which language a document is in, and whether it is Portuguese enough to process.

A character n-gram classifier (py3langid, whose model ships inside its wheel: no download)
scores the beginning of the text against the languages of ``data/language_names.tsv``; its
normalized probability is the confidence recorded per document. Measured by
``benchmarks/language_id.py``.

Quoted passages (between "…", “…” or «…») are left out of the sample when enough words
remain without them: song and film titles and quotations are often in another language than
the text that quotes them. A document is rejected only when another language wins with high
confidence, so short or mixed texts keep the benefit of the doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_NAMES_FILE = Path(__file__).parent / "data" / "language_names.tsv"
_WORD = re.compile(r"[^\W\d_]{2,}")
#: a quoted passage of one line, at most 200 characters
_QUOTED = re.compile(r'"[^"\n]{1,200}"|“[^”\n]{1,200}”|«[^»\n]{1,200}»')
#: Characters looked at: the beginning of a text is enough to know its language, and keeps
#: the check at a fraction of a millisecond for a document of any length.
SAMPLE_CHARS = 4000
#: Below this many words nothing is concluded (no language recorded, never rejected).
MIN_WORDS = 3
#: A document is rejected when a language other than Portuguese has at least this confidence.
#: No Portuguese sentence of the UD Bosque and GSD dev sets (2,376, down to one word) reaches
#: it; see benchmarks/language_id.py for the figures.
REJECT_CONFIDENCE = 0.9


@cache
def language_names() -> dict[str, str]:
    """Code → English name of every language the check tells apart."""
    names = {}
    for line in _NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name = line.split("\t")
            names[code] = name
    return names


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(language_names()))
    return identifier


@dataclass(frozen=True, slots=True)
class LanguageVerdict:
    #: ISO 639-1 code of the most likely language; None when the text has too few words
    language: str | None
    #: its probability (0–1) among the languages considered; None with no language
    confidence: float | None
    n_words: int

    @property
    def is_portuguese(self) -> bool:
        """False only when another language is clearly more likely."""
        return (self.language in (None, "pt") or self.confidence is None
                or self.confidence < REJECT_CONFIDENCE)

    def explain(self) -> str:
        name = language_names().get(self.language or "", self.language)
        return (f"it looks {name} ({self.language}, confidence {self.confidence:.2f} over its "
                f"first {self.n_words} words)")


def guess_language(text: str) -> LanguageVerdict:
    """The most likely language of ``text`` and the confidence in it."""
    sample = text[:SAMPLE_CHARS]
    unquoted = _QUOTED.sub(" ", sample)
    if len(_WORD.findall(unquoted)) >= MIN_WORDS:
        sample = unquoted
    n_words = len(_WORD.findall(sample))
    if n_words < MIN_WORDS:
        return LanguageVerdict(None, None, n_words)
    language, confidence = _identifier().classify(sample)
    return LanguageVerdict(str(language), round(float(confidence), 4), n_words)

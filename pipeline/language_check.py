"""A cheap guard against non-Portuguese documents, from function-word counts.

Function words are the most frequent words of any text and differ between languages, so
counting them tells Portuguese from English, Spanish, French, Italian or German on a few
dozen words, with no model. The word lists live in ``data/language_markers.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_MARKERS = Path(__file__).parent / "data" / "language_markers.tsv"
_WORD = re.compile(r"[^\W\d_]+")
_NAMES = {"pt": "Portuguese", "es": "Spanish", "en": "English", "fr": "French",
          "it": "Italian", "de": "German"}
#: Below this many words the counts say too little: such texts are accepted.
MIN_WORDS = 25
#: Words looked at; the beginning of a text is enough to know its language.
MAX_WORDS = 2000


@cache
def _markers() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in _MARKERS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, words = line.split("\t")
            table[lang] = frozenset(words.split())
    return table


@dataclass(frozen=True, slots=True)
class LanguageVerdict:
    is_portuguese: bool
    best: str
    counts: dict[str, int]
    n_words: int

    def explain(self) -> str:
        best = _NAMES.get(self.best, self.best)
        return (f"{self.counts.get(self.best, 0)} {best} function words vs "
                f"{self.counts.get('pt', 0)} Portuguese in its first {self.n_words} words; "
                f"it looks {best}")


def guess_language(text: str) -> LanguageVerdict:
    """Judge whether ``text`` is Portuguese.

    A text is rejected only when another language's function words clearly outnumber the
    Portuguese ones (twice as many, and at least 8 of them) or when a long text has almost no
    Portuguese function word at all: mixed or short texts get the benefit of the doubt.
    """
    words = [w.lower() for _, w in zip(range(MAX_WORDS), _WORD.findall(text), strict=False)]
    counts = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _markers().items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == "pt"))
    if len(words) < MIN_WORDS:
        return LanguageVerdict(True, best, counts, len(words))
    pt = counts["pt"]
    foreign = best != "pt" and counts[best] >= max(8, 2 * pt)
    no_portuguese = pt < len(words) * 0.02 and counts[best] >= 8
    return LanguageVerdict(not (foreign or no_portuguese), best, counts, len(words))

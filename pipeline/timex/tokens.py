"""Splits a text into tokens and turns lexicon words and phrases into typed items.

This is the bottom layer of the grammar: everything above it works on :class:`Item` lists.
One precompiled regex finds the tokens; numeric shapes that are already temporal (ISO dates,
``07/09/1822``, clock times like ``15h30``) come out as their own token kinds so no later rule
has to re-spell them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import lexicon

_TOKEN_RE = re.compile(
    r"""
    (?P<isodate>(?<![\w/.-])\d{4}-\d{1,2}-\d{1,2}(?![\w/-]))
  | (?P<numdate>(?<![\w/.,-])\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})(?![\w/-]|[.,]\d))
  | (?P<clock>(?<![\w.,:])\d{1,2}(?:[hH](?:\d{2})?(?:min|m)?|:\d{2}(?:h)?)(?!\w))
  | (?P<num>\d+(?:[.,]\d+)*)(?P<ord>[ºª°](?!\w)|\.[ºª])?
  | (?P<word>[\w\u0300-\u036f]+(?:-[^\W\d][\w\u0300-\u036f]*)*)
  | (?P<punct>\S)
    """,
    re.X,
)


@dataclass(slots=True)
class Item:
    """A token or a recognized constituent.

    ``kind`` is ``w`` (word), ``p`` (punctuation) or a typed kind (NUM, MONTH, DATE, ...);
    ``text`` is the lowercased surface; ``val`` the typed payload; ``alts`` other readings of an
    ambiguous word (kind -> payload); ``tok`` the index of its first token.
    """

    kind: str
    start: int
    end: int
    text: str
    val: Any = None
    alts: dict[str, Any] | None = None
    tok: int = 0
    cap: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


_LIST_PART = re.compile(r"\d+(?:\.\d+)*|,")


def _number(digits: str, start: int, end: int, text: str, tok: int, ordinal: bool) -> Item:
    """A NUM item for ``digits`` (at most one decimal comma) spanning ``text[start:end]``."""
    plain = digits.isdigit()
    # 1.500 -> 1500 (thousands dot), 1,5 -> 1.5 (decimal comma)
    val = int(digits) if plain else float(digits.replace(".", "").replace(",", "."))
    return Item("NUM", start, end, text[start:end].lower(), val=val, tok=tok,
                extra={"digits": digits if plain else None, "ord": ordinal,
                       "written": "digits", "sep": not plain})


def tokenize(text: str) -> list[Item]:
    """Raw tokens of ``text`` with character offsets."""
    out: list[Item] = []
    for k, m in enumerate(_TOKEN_RE.finditer(text)):
        kind = m.lastgroup
        s = m.group(0)
        if kind == "word":
            low = s.lower()
            if not low.isascii():  # "março" typed with a combining cedilla matches the lexicon
                low = unicodedata.normalize("NFC", low)
            out.append(Item("w", m.start(), m.end(), low, tok=k, cap=s[0].isupper()))
        elif kind == "punct":
            out.append(Item("p", m.start(), m.end(), s, tok=k))
        elif kind in ("num", "ord"):
            digits = m.group("num")
            ordinal = m.group("ord") is not None
            if digits.count(",") > 1:
                # `"5,6,7,8"`: a list of numbers, not one number with many decimal commas
                parts = list(_LIST_PART.finditer(digits))
                for n, part in enumerate(parts):
                    at = m.start() + part.start()
                    if part.group() == ",":
                        out.append(Item("p", at, at + 1, ",", tok=k))
                    else:
                        last = n == len(parts) - 1
                        out.append(_number(part.group(), at, m.end() if last else
                                           at + len(part.group()), text, k, ordinal and last))
                continue
            out.append(_number(digits, m.start(), m.end(), text, k, ordinal))
        elif kind == "sep":
            continue
        else:  # isodate, numdate, clock
            out.append(Item(kind.upper(), m.start(), m.end(), s.lower(), val=s, tok=k))
    return out


@cache
def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], str, Any]]]:
    """first token -> [(token tuple, kind, payload)], longest phrases first."""
    entries: list[tuple[str, str, Any]] = []
    for word, month in lexicon.mapping("months").items():
        entries.append((word, "MONTH", int(month)))
    for word, wd in lexicon.mapping("weekdays").items():
        entries.append((word, "WEEKDAY", (int(wd), word.endswith("s"))))
    for word, code in lexicon.mapping("seasons").items():
        entries.append((word, "SEASON", code))
    for word, code in lexicon.mapping("parts_of_day").items():
        entries.append((word, "POD", code))
    for word, (grain, plural) in lexicon.units().items():
        entries.append((word, "UNIT", (grain, plural)))
    for word, (mod, in_span, applies) in lexicon.modifiers().items():
        entries.append((word, "MOD", (mod, in_span, applies)))
    for row in lexicon.read_tsv("references"):
        # "no [passado]": the bracketed part is the span, the rest only context
        phrase = row[0]
        skip = len(tokenize(phrase.split("[")[0])) if "[" in phrase else 0
        entries.append((phrase.replace("[", "").replace("]", ""), "REF", (row[1], row[2], skip)))
    for word, when in lexicon.mapping("holidays").items():
        entries.append((word, "HOLIDAY", when))
    for word, era in lexicon.mapping("eras").items():
        entries.append((word, "ERA", era))
    for word, off in lexicon.mapping("deictic_days").items():
        entries.append((word, "DAYREF", int(off)))
    for word, value in lexicon.mapping("sets").items():
        entries.append((word, "SETW", value))
    for word, (value, nkind) in lexicon.numbers().items():
        entries.append((word, "NUMW", (value, nkind)))
    for word, _classes in lexicon.word_classes("signals").items():
        if " " in word:
            entries.append((word, "w", None))
    for word, _classes in lexicon.word_classes("context").items():
        if " " in word:
            entries.append((word, "w", None))
    table: dict[str, list[tuple[tuple[str, ...], str, Any]]] = {}
    for phrase, kind, payload in entries:
        toks = tuple(t.text for t in tokenize(phrase))
        table.setdefault(toks[0], []).append((toks, kind, payload))
    for lst in table.values():
        lst.sort(key=lambda e: -len(e[0]))
    return table


# Words with a second reading: short weekday names (na sexta) and ordinals used as weekdays.
_SHORT_WEEKDAYS = {"segunda": 1, "terça": 2, "terca": 2, "quarta": 3, "quinta": 4, "sexta": 5}


def lexicalize(tokens: list[Item]) -> list[Item]:
    """Replace lexicon words and phrases by typed items (longest phrase wins)."""
    table = _phrase_table()
    out: list[Item] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        cands = table.get(t.text) if t.kind == "w" or t.kind == "p" else None
        if cands:
            hit = None
            for toks, kind, payload in cands:
                L = len(toks)
                if i + L <= n and all(tokens[i + k].text == toks[k] for k in range(1, L)):
                    hit = (toks, kind, payload)
                    break
            if hit is not None:
                toks, kind, payload = hit
                L = len(toks)
                start = t.start
                if kind == "REF" and payload[2]:
                    start = tokens[i + payload[2]].start
                if kind == "HOLIDAY" and not t.cap and not (
                        t.text == "dia" and L > 2 and tokens[i + 2].cap):
                    out.append(t)  # "cidade natal" is not Christmas
                    i += 1
                    continue
                item = Item(kind, start, tokens[i + L - 1].end, " ".join(toks), payload,
                            tok=t.tok, cap=t.cap)
                if kind == "NUMW" and t.text in _SHORT_WEEKDAYS:
                    item.alts = {"WDSHORT": _SHORT_WEEKDAYS[t.text]}
                out.append(item)
                i += L
                continue
        out.append(t)
        i += 1
    return out

"""Numbers layer: number words (``vinte e cinco``, ``dois mil``, ``terceiro``) become NUM items.

Digit tokens are NUM items already (see ``tokens.py``); this layer composes words, then marks
which four-digit numbers can be read as years, looking at the words around them.
"""

from __future__ import annotations

import re

from . import lexicon
from .tense import looks_like_verb
from .tokens import Item


def _num_item(parts: list[Item], value: float, ordinal: bool) -> Item:
    first, last = parts[0], parts[-1]
    item = Item("NUM", first.start, last.end, " ".join(p.text for p in parts), value,
                tok=first.tok, cap=first.cap,
                extra={"digits": None, "ord": ordinal, "written": "words", "sep": False})
    if first.alts:
        item.alts = dict(first.alts)
    return item


def _join_digit_groups(items: list[Item]) -> list[Item]:
    """``10 000``, ``600 000``: digit groups separated by a space are one number (a quantity)."""
    out: list[Item] = []
    for it in items:
        prev = out[-1] if out else None
        d = it.extra.get("digits") if it.kind == "NUM" else None
        if prev is not None and d is not None and len(d) == 3 and not it.extra.get("ord") and \
                prev.kind == "NUM" and it.start - prev.end == 1 and not prev.extra.get("ord") and \
                (prev.extra.get("group") or 1 <= len(prev.extra.get("digits") or "") <= 3):
            out[-1] = Item("NUM", prev.start, it.end, f"{prev.text} {it.text}",
                           val=int(prev.val) * 1000 + int(d), tok=prev.tok,
                           extra={"digits": None, "ord": False, "written": "digits",
                                  "sep": True, "group": True})
            continue
        out.append(it)
    return out


def compose_numbers(items: list[Item]) -> list[Item]:
    """``vinte e cinco`` -> NUM 25; ``dois mil e quinhentos`` -> 2500; ``quarto`` -> ordinal 4."""
    items = _join_digit_groups(items)
    out: list[Item] = []
    i, n = 0, len(items)
    while i < n:
        it = items[i]
        if it.kind != "NUMW":
            out.append(it)
            i += 1
            continue
        value, nkind = it.val
        if nkind in ("ord", "frac"):
            out.append(_num_item([it], value, nkind == "ord"))
            if nkind == "frac":
                out[-1].extra["frac"] = True
            i += 1
            continue
        # cardinal sequence: card/mult words, optionally joined by "e"
        parts = [it]
        total, current = 0, 0
        j = i
        while True:
            v, k = items[j].val
            if k == "mult":
                current = (current or 1) * v
                total += current
                current = 0
            else:
                current += v
            nxt = j + 1
            if (nxt + 1 < n and items[nxt].text == "e" and items[nxt + 1].kind == "NUMW"
                    and items[nxt + 1].val[1] == "card"
                    and (v >= 1000 or v >= 20 and items[nxt + 1].val[0] < v and
                         len(str(int(items[nxt + 1].val[0]))) < len(str(int(v))))):
                # vinte e cinco, cento e vinte, mil e quinhentos; not "dois e seis"
                j = nxt + 1
                parts += [items[nxt], items[j]]
                continue
            if nxt < n and items[nxt].kind == "NUMW" and items[nxt].val[1] in ("card", "mult"):
                # "dois mil", "mil novecentos"
                if items[nxt].val[1] == "mult" or k == "mult":
                    j = nxt
                    parts.append(items[j])
                    continue
            break
        out.append(_num_item(parts, total + current, False))
        i = j + 1
    return out


_CONTEXT = lexicon.word_classes("context")
# Words after a number that show a quantity, not a year (1500 soldados): plural nouns, units.
_FUNCTION_WORDS = frozenset(
    "e ou a o as os à às ao aos de do da dos das em no na nos nas para por pelo pela pelos "
    "pelas com sem que se foi era é será seria houve há até desde entre sobre após depois "
    "antes apenas mais menos pois através jamais".split()
)
_SHORT_YEAR_CUES = frozenset("em desde até".split())
# letters then digits: a catalogue code after a number ("1998 XO53")
_CODE = re.compile(r"[^\W\d_]{1,4}\d+[^\W_]*")
# the earliest year a name written just before it ("Euro 2004") is taken to carry
_NAMED_YEARS_FROM = 1900
# after these a four-digit number is a year whatever follows ("em 1990 lucros recorde")
_YEAR_CUES = frozenset("em desde até ano anos verão inverno outono primavera".split())


def year_like(items: list[Item], i: int) -> bool:
    """Can the four-digit NUM at ``i`` be a year? Not after page/address words, currency
    signs or other numbers, and not before a plural noun or a unit (``1500 soldados``)."""
    it = items[i]
    v = it.val
    d = it.extra.get("digits")
    if not d or it.extra.get("ord"):
        return False
    if len(d) == 3 and 100 <= v and i > 0 and items[i - 1].text in _SHORT_YEAR_CUES:
        # "em 711, os muçulmanos": a three-digit year after em/desde/até, then punctuation
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt is not None and nxt.text == "e" and i + 2 < len(items) and \
                looks_like_verb(items[i + 2].text):
            return True  # "legalizou o cristianismo em 313 e fundou ..."
        return nxt is None or nxt.kind == "ERA" or nxt.text in (",", ".", ";", ")", ":")
    elif len(d) != 4 or not (1000 <= v <= 2199):
        return False
    if i > 0:
        prev = items[i - 1]
        k = i - 1
        while k > 0 and items[k].text in (".", ":"):
            k -= 1
        pw = items[k]
        cls = _CONTEXT.get(pw.text)
        if cls and ("page" in cls or "currency" in cls or "address" in cls) and \
                not life_date_mark(items, k):
            return False
        if prev.text in ("-", "–", "/") and i > 1 and items[i - 2].kind == "NUM" and \
                not items[i - 2].extra.get("year"):
            return False  # the end of a page range "p. 1822-1830"
        if prev.kind == "NUM" or (prev.text == "," and i > 1 and items[i - 2].kind == "w"
                                  and items[i - 2].cap and i > 2
                                  and items[i - 3].text in _ADDRESS_WORDS):
            return False
        if prev.kind == "w" and prev.cap and prev.end + 1 == it.start and v < _NAMED_YEARS_FROM \
                and prev.text not in _FUNCTION_WORDS and prev.text not in _YEAR_CUES:
            # "Masters 1000", "Fiat 1100": a number that names a category or a model; a name
            # that carries its year is a modern event ("Euro 2004", "Rio 2016")
            return False
    if i + 1 < len(items):
        nxt = items[i + 1]
        if nxt.start == it.end and nxt.kind == "w":
            return False  # "1426EST", "1980s"-like glued tokens
        if nxt.kind == "w" and nxt.start == it.end + 1 and _CODE.fullmatch(nxt.text):
            return False  # "1998 XO53", "2004 MN4": a designation (an asteroid), not a year
        if nxt.text == "-" and i + 2 < len(items) and items[i + 2].kind == "NUM" and \
                len(items[i + 2].extra.get("digits") or "") == 3:
            return False  # a postal code, "1000-001 Lisboa"
        cls = _CONTEXT.get(nxt.text)
        if cls and ("unit" in cls or "currency" in cls):
            return False
        if (nxt.kind == "w" and not nxt.cap and nxt.text not in _FUNCTION_WORDS
                and nxt.text.endswith("s") and len(nxt.text) > 2
                and not (len(d) == 4 and i > 0 and items[i - 1].text in _YEAR_CUES)):
            return False
    return True


def life_date_mark(items: list[Item], k: int) -> bool:
    """``(n. 1524)``, ``(m. 1900)``: born / died, not "número", right after a parenthesis."""
    return items[k].text in ("n", "m") and k > 0 and items[k - 1].text == "(" and \
        k + 1 < len(items) and items[k + 1].text == "."


_ADDRESS_WORDS = frozenset(w for w, c in _CONTEXT.items() if "address" in c)


def mark_years(items: list[Item]) -> None:
    """Set ``extra['year']`` on NUM items that can be read as a year."""
    for i, it in enumerate(items):
        if it.kind == "NUM" and it.extra.get("digits"):
            it.extra["year"] = year_like(items, i)

"""Layer 4, intervals: ranges over two already-recognized points.

entre 1961 e 1974, de abril a junho de 1975, 1914-1918, entre 5 e 10 de maio.
"""

from __future__ import annotations

import copy
from typing import Any

from .predicates import roman_value
from .rulebook import ival, mk, rule
from .tokens import Item
from .values import Tv


def _interval(a: Item, b: Item, parts: list[Any]) -> Item | None:
    ta, tb = copy.deepcopy(a.val), copy.deepcopy(b.val)
    if ta.value or tb.value or ta.type not in ("DATE", "TIME") or tb.type not in ("DATE", "TIME"):
        return None
    # the begin point inherits what only the end point states: de abril a junho de 1975
    if ta.shift is None and tb.shift is None:
        for key in ("y", "m"):
            if key in tb.f and key not in ta.f and (key == "y" or "d" in ta.f):
                if key == "y" and ("dec" in ta.f or "cent" in ta.f or "dec2" in ta.f):
                    continue
                ta.f[key] = tb.f[key]
                if key == "y" and "m" in ta.f and "m" in tb.f and ta.f["m"] > tb.f["m"]:
                    ta.f["y"] -= 1
        if "dec2" in ta.f and "dec" in tb.f:
            ta.f = {"dec": tb.f["dec"] // 10 * 10 + ta.f["dec2"]}
    a2 = Item(a.kind, a.start, a.end, "", ta)
    b2 = Item(b.kind, b.start, b.end, "", tb)
    tv = Tv("INTERVAL", begin=a2, end=b2)
    return mk(tv, parts)


@rule("intervals", "entre <date> e <date>", "entre <DATE|TIME> e <DATE|TIME>",
      ("entre 1961 e 1974", "1961/1974"),
      ("entre 9h e 17h", "2000-06-15T09:00/2000-06-15T17:00"))
def between(m, ctx):
    return _interval(m[1], m[3], m)


@rule("intervals", "entre as 7h e as 9h", "entre as|os <TIME> e as|os <TIME>",
      ("entre as 7h e as 9h", "2000-06-15T07:00/2000-06-15T09:00"))
def between_clock_times(m, ctx):
    return _interval(m[2], m[5], m)


@rule("intervals", "os dias 2, 3 e 4 de junho", "<NUM:day> , <NUM:day> e <DATE:day_of_month>",
      ("nos dias 2, 3 e 4 de junho", "2000-06-02/2000-06-04"))
def day_list(m, ctx):
    """A list of days of one month: the range from the first to the last."""
    if not ival(m[0]) < ival(m[2]) < m[4].val.f["d"]:
        return None
    return day_range([None, m[0], None, m[4]], ctx)


@rule("intervals", "de <date> a <date>",
      "de|desde|do|da|dos|das <DATE|TIME> a|até|ao|à|aos|às|as <DATE|TIME>",
      ("de 1961 a 1974", "1961/1974"), ("de abril a junho de 1975", "1975-04/1975-06"),
      ("dos anos 20 aos anos 30", "192/193"))
def from_to(m, ctx):
    return _interval(m[1], m[3], m)


@rule("intervals", "<year>-<year>", "<DATE:plainyear> -|–|—|/ <DATE:plainyear>",
      ("1807-1808", "1807/1808"), ("1914–1918", "1914/1918"))
def year_range(m, ctx):
    a, b = m[0].val.f["y"], m[2].val.f["y"]
    if not a < b or m[1].text == "/" and b != a + 1:
        return None
    return _interval(m[0], m[2], m)


@rule("intervals", "<date> – <date>", "<DATE:point> -|–|— <DATE:point>",
      ("10 de junho de 1524 – 10 de junho de 1580", "1524-06-10/1580-06-10"),
      ("c. 1524 – 10 de junho de 1580", "1524/1580-06-10"))
def dated_range(m, ctx):
    """Life spans and periods written with a dash between two dates that have their year."""
    a, b = m[0].val, m[2].val
    if a.shift is not None or b.shift is not None or "y" not in a.f or "y" not in b.f:
        return None
    if (a.f["y"], a.f.get("m", 0), a.f.get("d", 0)) >= (b.f["y"], b.f.get("m", 13),
                                                          b.f.get("d", 32)):
        return None
    return _interval(m[0], m[2], m)


@rule("intervals", "entre 264 e 146 a.C.", "entre|de <NUM> e|a <DATE:plainyear>",
      ("entre 264 e 146 a.C.", "BC0264/BC0146"), ("de 58 a 50 a.C.", "BC0058/BC0050"))
def between_bc(m, ctx):
    """The era written once, after the second year, holds for both (years count down)."""
    end = m[3].val.f["y"]
    if end >= 0 or m[1].extra.get("ord") or not m[1].extra.get("digits"):
        return None
    a = ival(m[1])
    if not -end < a <= 9999:
        return None
    begin = Item("DATE", m[1].start, m[1].end, "", Tv("DATE", {"y": -a}))
    return _interval(begin, m[3], m)


_TEMPORAL_CONTEXT = frozenset("ano anos século séculos década décadas era reinado".split())


@rule("intervals", "entre 235 e 284 (three-digit years)", "entre|de <NUM> e|a <NUM>",
      ("em cinquenta anos, entre 235 e 284,", "0235/0284"))
def between_short_years(m, ctx):
    """Years of the first millennium in a range: only in a temporal context (a unit or century
    word just before) and closed by punctuation, so "entre 200 e 300 soldados" stays out."""
    a, b = m[1], m[3]
    if not all(len(x.extra.get("digits") or "") == 3 and not x.extra.get("ord") for x in (a, b)):
        return None
    nxt = ctx.next()
    if nxt is None or nxt.text not in (",", ".", ";", ")") or not ival(a) < ival(b):
        return None
    back = ctx.items[max(0, ctx.i - 6):ctx.i]
    if not any(it.kind in ("UNIT", "DURATION", "DATE") or it.text in _TEMPORAL_CONTEXT
               for it in back):
        return None
    ia = Item("DATE", a.start, a.end, "", Tv("DATE", {"y": ival(a)}))
    ib = Item("DATE", b.start, b.end, "", Tv("DATE", {"y": ival(b)}))
    return _interval(ia, ib, m)


@rule("intervals", "entre os anos de <year> e <year>",
      "entre os anos de? <DATE:plainyear> e|a <DATE:plainyear>",
      ("entre os anos de 1950 e 1960", "1950/1960"))
def between_years(m, ctx):
    return _interval(m[4], m[6], m)


@rule("intervals", "do século XVIII ao XX", "de|do|desde <DATE> a|ao|até <w:roman>",
      ("do século XVIII ao XX", "17/19"))
def century_to_roman(m, ctx):
    a = m[1].val
    if set(a.f) - {"bc"} != {"cent"} or a.mod:
        return None
    n = roman_value(m[3].text.upper())
    if not 1 <= n <= 22 or n - 1 <= a.f["cent"]:
        return None
    end = Item("DATE", m[3].start, m[3].end, "", Tv("DATE", {"cent": n - 1, "bc": a.f.get("bc")}))
    return _interval(m[1], end, m)


@rule("intervals", "<year>-<yy>", "<DATE:plainyear> -|–|/ <NUM:twodigits>",
      ("1914-18", "1914/1918"), ("2010/11", "2010/2011"))
def year_range_short(m, ctx):
    a = m[0].val.f["y"]
    b = a // 100 * 100 + ival(m[2])
    if b <= a:
        return None
    end = Item("DATE", m[2].start, m[2].end, "", Tv("DATE", {"y": b}))
    return _interval(m[0], end, m)


@rule("intervals", "anos <decade> e <decade>", "<DATE> e|a|ao <NUM:decade>",
      ("anos 60 e 70", "196/197"))
def decades_pair(m, ctx):
    a = m[0].val
    v = ival(m[2])
    if set(a.f) == {"dec2"} and v < 100:
        f = {"dec2": v // 10}
    elif set(a.f) == {"dec"} and v >= 1000:
        f = {"dec": v // 10}
    else:
        return None
    end = Item("DATE", m[2].start, m[2].end, "", Tv("DATE", f))
    return _interval(m[0], end, m)


@rule("intervals", "anos 1960 e 1970", "<DATE> e|a|ao <DATE:plainyear>",
      ("nos anos 1960 e 1970", "196/197"), ("das décadas de 1920 a 1930", "192/193"))
def decades_pair_years(m, ctx):
    """The second decade of a pair is written as a round year: it is a decade too."""
    a, y = m[0].val, m[2].val.f["y"]
    if set(a.f) != {"dec"} or a.mod or y % 10 or not a.f["dec"] < y // 10:
        return None
    end = Item("DATE", m[2].start, m[2].end, "", Tv("DATE", {"dec": y // 10}))
    return _interval(m[0], end, m)


@rule("intervals", "30 e 31 de outubro", "<NUM:day> e <DATE:day_of_month>",
      ("marcada para 30 e 31 de outubro", "2000-10-30/2000-10-31"))
def day_pair(m, ctx):
    """Two days of the same month: a range (the first takes the month of the second)."""
    if m[0].extra.get("digits") is None or not ival(m[0]) < m[2].val.f["d"]:
        return None
    return day_range([None, m[0], m[1], m[2]], ctx)


@rule("intervals", "entre <day> e <date>",
      "entre|de|desde|dias <NUM:day> e|a|até|ao <DATE:day_of_month>",
      ("entre 5 e 10 de maio", "2000-05-05/2000-05-10"),
      ("nos dias 20 e 21 de setembro", "2000-09-20/2000-09-21"))
def day_range(m, ctx):
    b = m[3].val
    if "m" not in b.f and not (b.shift is not None and b.shift[0] == "month"):
        return None
    f = {k: v for k, v in b.f.items() if k in ("y", "m")}
    f["d"] = ival(m[1])
    if f["d"] >= b.f["d"]:
        return None
    begin = Item("DATE", m[1].start, m[1].end, "", Tv("DATE", f, shift=b.shift))
    return _interval(begin, m[3], m[1:] if m[0] is None or m[0].text == "dias" else m)

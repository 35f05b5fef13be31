"""Named checks over items, used in rule patterns as ``<KIND:name>``."""

from __future__ import annotations

import re

from .grammar import predicate
from .tokens import Item

_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = vals[a]
        total += -v if b != " " and vals[b] > v else v
    return total


def _int(it: Item) -> int | None:
    v = it.val
    if isinstance(v, float):
        return int(v) if v.is_integer() and not it.extra.get("frac") else None
    return v if isinstance(v, int) else None


@predicate("day")
def is_day(it: Item) -> bool:
    """1-31, written in digits or words; ordinals only for the first (1º, primeiro)."""
    v = _int(it)
    if v is None or it.extra.get("sep") or not 1 <= v <= 31:
        return False
    if it.extra.get("ord"):
        return v == 1
    d = it.extra.get("digits")
    return d is None or len(d) <= 2


@predicate("year")
def is_year(it: Item) -> bool:
    """A four-digit number the context lets be a year (see numbers.year_like)."""
    return bool(it.extra.get("year"))


@predicate("year4")
def is_year_after_month(it: Item) -> bool:
    """Any plain number up to 4 digits: after a month name ("maio de 711") it is a year."""
    d = it.extra.get("digits")
    return bool(d) and not it.extra.get("ord") and 1 <= len(d) <= 4 and int(d) > 0


@predicate("card")
def is_cardinal(it: Item) -> bool:
    return not it.extra.get("ord") and not it.extra.get("frac") and it.val is not None \
        and it.val > 0


@predicate("qty")
def is_quantity(it: Item) -> bool:
    """A cardinal or a fraction word (meia hora), not a year-looking number."""
    return not it.extra.get("ord") and it.val is not None and it.val > 0 and not (
        it.extra.get("year") and it.val > 999)


@predicate("ord")
def is_ordinal(it: Item) -> bool:
    return bool(it.extra.get("ord"))


@predicate("ord4")
def is_ordinal_quarter(it: Item) -> bool:
    return bool(it.extra.get("ord")) and 1 <= (_int(it) or 0) <= 4


@predicate("ord2")
def is_ordinal_half(it: Item) -> bool:
    return bool(it.extra.get("ord")) and 1 <= (_int(it) or 0) <= 2


@predicate("hour")
def is_hour(it: Item) -> bool:
    v = _int(it)
    return v is not None and 0 <= v <= 24 and not it.extra.get("ord")


@predicate("decade")
def is_decade(it: Item) -> bool:
    """anos 30, anos trinta, anos 1930, década de 1930."""
    v = _int(it)
    if v is None or it.extra.get("ord") or v % 10:
        return False
    return 10 <= v <= 90 or 1000 <= v <= 2090


@predicate("roman")
def is_roman(it: Item) -> bool:
    return it.cap and bool(_ROMAN.fullmatch(it.text.upper())) and len(it.text) <= 6


@predicate("century")
def is_century_number(it: Item) -> bool:
    v = _int(it)
    return v is not None and 1 <= v <= 22 and not it.extra.get("sep")


@predicate("sing")
def is_singular(it: Item) -> bool:
    return not it.val[1]


@predicate("pl")
def is_plural(it: Item) -> bool:
    return bool(it.val[1])


@predicate("pos")
def is_position_mod(it: Item) -> bool:
    return it.val[1] and it.val[0] != "APPROX"


@predicate("circa")
def is_circa(it: Item) -> bool:
    return it.val[1] and it.val[0] == "APPROX"


@predicate("bound")
def is_bound_mod(it: Item) -> bool:
    return not it.val[1]


@predicate("approx")
def is_approx_mod(it: Item) -> bool:
    return not it.val[1] and it.val[2] == "any"


@predicate("clockpod")
def is_clock_pod(it: Item) -> bool:
    return ":" in it.val


@predicate("pod")
def is_pod(it: Item) -> bool:
    return ":" not in it.val


def _tv(it: Item):
    return it.val


@predicate("year_only")
def is_year_level(it: Item) -> bool:
    """A DATE at year level: 1988, ano passado, este ano."""
    tv = it.val
    if tv.shift is not None:
        return tv.shift[0] == "year" and set(tv.f) <= {"y"}
    return set(tv.f) == {"y"}


@predicate("subyear")
def is_sub_year_partial(it: Item) -> bool:
    """A DATE without a year that a year can complete: junho, 5 de outubro, terceiro trimestre."""
    tv = it.val
    return tv.shift is None and tv.value is None and "y" not in tv.f and bool(
        set(tv.f) & {"m", "q", "h", "s"}) and not tv.mod


@predicate("subyear_mod")
def is_sub_year_partial_mod(it: Item) -> bool:
    """Like ``subyear``, also with a position modifier: início de janeiro (do ano seguinte)."""
    tv = it.val
    return tv.shift is None and tv.value is None and "y" not in tv.f and bool(
        set(tv.f) & {"m", "q", "h", "s"})


@predicate("day_of_month")
def is_day_of_month(it: Item) -> bool:
    """A day with its month, written (5 de maio) or relative (5 do próximo mês)."""
    tv = it.val
    return "d" in tv.f and ("m" in tv.f or tv.shift is not None and tv.shift[0] == "month")


@predicate("daymonth")
def is_day_month(it: Item) -> bool:
    tv = it.val
    return "d" in tv.f and "m" in tv.f


@predicate("month_only")
def is_month_only(it: Item) -> bool:
    tv = it.val
    return set(tv.f) == {"m"} and tv.shift is None


@predicate("named")
def is_named_partial(it: Item) -> bool:
    """A weekday, month or season without a year: can take passado/próximo."""
    tv = it.val
    return tv.shift is None and tv.value is None and "y" not in tv.f and (
        set(tv.f) in ({"m"}, {"wd"}, {"s"}, {"m", "d"}))


@predicate("point")
def is_point(it: Item) -> bool:
    tv = it.val
    return tv.type in ("DATE", "TIME") and (tv.value is None or not tv.value.endswith("_REF"))


@predicate("day_level")
def is_day_level(it: Item) -> bool:
    tv = it.val
    if tv.shift is not None:
        return tv.shift[0] == "day"
    return ("d" in tv.f or "wd" in tv.f) and "hour" not in tv.f and "pod" not in tv.f


@predicate("plainyear")
def is_plain_year(it: Item) -> bool:
    tv = it.val
    return set(tv.f) == {"y"} and tv.shift is None and not tv.mod


@predicate("twodigits")
def is_two_digits(it: Item) -> bool:
    d = it.extra.get("digits")
    return bool(d) and len(d) == 2

"""Typed temporal values built by the rules, before and after anchoring.

A :class:`Tv` keeps calendar fields (``y``, ``m``, ``d``, ``q``, ``dec`` ...) instead of a
string, so rules can combine values (``de abril a junho de 1975`` gives April the year of June)
and the anchoring step can fill what the text left unsaid (the year of ``5 de outubro``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import lexicon

# Field names: y year, m month, d day, q quarter, h half, s season code, w ISO week,
# we weekend flag, wd ISO weekday, dec decade (193 = 1930s), dec2 decade without century
# (anos 30 -> 3), cent century (19 = 1900s), bc before Christ, hour, minute, pod part of day,
# yy a year written with two digits (em 22), easter days from Easter Sunday.


@dataclass(slots=True)
class Tv:
    type: str
    f: dict[str, Any] = field(default_factory=dict)
    value: str | None = None          # a literal value (PRESENT_REF, P1Y, durations)
    dur: dict[str, float | None] | None = None  # grain -> amount, None = unspecified (PXY)
    shift: tuple[str, int, str] | None = None  # (grain, n, base) base: dct | ref
    direction: int = 0                # partial dates: -1 past, +1 future, 0 from verb tense
    mod: str | None = None
    same_period: bool = False         # "há um ano": the period in focus, a year earlier
    today: bool = False               # "hoje": PRESENT_REF when there is no DCT
    ends_at_next: bool = False        # "trimestre findo em 30 de setembro": the quarter of that day
    needs_focus: bool = False         # "nesse período": a timex only if a quarter/half is in focus
    lean: int = 0                     # side to take when no verb tense says ("até quarta-feira")
    begin: Any = None                 # INTERVAL endpoints (Items)
    end: Any = None
    rule: str = ""


def fmt_year(y: int) -> str:
    return f"BC{-y:04d}" if y < 0 else f"{y:04d}"


def fmt_point(f: dict[str, Any]) -> str:
    """TIMEX3 value of calendar fields; unknown parts become X placeholders."""
    if "cent" in f:
        c = f["cent"]
        return ("BC" if f.get("bc") else "") + (f"{c:02d}" if isinstance(c, int) else c)
    if "dec" in f:
        return f"{f['dec']:03d}"
    if "dec2" in f:
        return f"XX{f['dec2']}"
    y = f.get("y")
    ys = "XXXX" if y is None else fmt_year(y)
    if "yy" in f and y is None:
        return f"XX{f['yy']:02d}"
    if "q" in f:
        return f"{ys}-Q{f['q']}"
    if "h" in f:
        return f"{ys}-H{f['h']}"
    if "s" in f:
        return f"{ys}-{f['s']}"
    if "w" in f:
        w = f["w"]
        out = f"{ys}-W{w:02d}" if isinstance(w, int) else f"{ys}-W{w}"
        return out + ("-WE" if f.get("we") else "")
    if "wd" in f and "d" not in f:
        out = f"{ys}-WXX-{f['wd']}"
        return out + _fmt_time(f)
    out = ys
    if "easter" in f:
        return out + "-XX-XX"
    if "m" in f:
        out += f"-{f['m']:02d}" if isinstance(f["m"], int) else f"-{f['m']}"
        if "d" in f:
            out += f"-{f['d']:02d}"
    elif "d" in f:
        out += f"-XX-{f['d']:02d}"
    elif "hour" in f or "pod" in f:
        out += "-XX-XX"
    return out + _fmt_time(f)


def _fmt_time(f: dict[str, Any]) -> str:
    if "hour" in f:
        return f"T{f['hour']:02d}:{f.get('minute', 0):02d}"
    if "pod" in f:
        return f"T{f['pod']}"
    return ""


def fmt_duration(dur: dict[str, float | None]) -> str:
    """``{'year': 2.5}`` -> ``P2Y6M``; ``{'hour': 0.5}`` -> ``PT30M``; ``{'year': None}`` -> PXY."""
    grains = lexicon.grains()
    date_part: list[tuple[str, str]] = []
    time_part: list[tuple[str, str]] = []
    amounts: dict[str, float | None] = {}
    for grain, n in dur.items():
        # spell fractions with the next finer grain: 0.5 year = 6 months
        if n is not None and n != int(n):
            whole = int(n)
            _, count, finer = grains[grain]
            if whole:
                amounts[grain] = amounts.get(grain, 0) + whole
            if finer and count:
                amounts[finer] = (amounts.get(finer) or 0) + round((n - whole) * count)
        elif n is not None and grain == "half":
            amounts["month"] = (amounts.get("month") or 0) + 6 * int(n)
        elif n is not None and grain == "fortnight":
            amounts["week"] = (amounts.get("week") or 0) + 2 * int(n)
        else:
            amounts[grain] = n if n is None else (amounts.get(grain) or 0) + int(n)
    order = ["millennium", "century", "decade", "year", "half", "quarter", "month", "fortnight",
             "week", "weekend", "day", "hour", "minute", "second"]
    for grain in order:
        if grain not in amounts:
            continue
        n = amounts[grain]
        desig = grains[grain][0]
        num = "X" if n is None else str(int(n))
        if grain == "half":
            desig, num = "M", ("X" if n is None else str(int(n) * 6))
        if grain == "fortnight":
            desig, num = "W", ("X" if n is None else str(int(n) * 2))
        if desig.startswith("T"):
            time_part.append((num, desig[1:]))
        else:
            date_part.append((num, desig))
    out = "P" + "".join(a + b for a, b in date_part)
    if time_part:
        out += "T" + "".join(a + b for a, b in time_part)
    return out


# -- calendar arithmetic -------------------------------------------------------------------

def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def is_leap(y: int) -> bool:
    """Leap year of the proleptic Gregorian calendar; BC years counted astronomically (1 a.C.
    is year 0, so 1, 5, 9 a.C. are leap years)."""
    a = y + 1 if y < 0 else y
    return a % 4 == 0 and (a % 100 != 0 or a % 400 == 0)


def days_in_month(m: int, y: int | None = None) -> int:
    """Days of month ``m`` of year ``y``; February has 29 when the year is not known."""
    if m == 2:
        return 29 if y is None or is_leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def to_date(f: dict[str, Any]) -> dt.date | None:
    try:
        return dt.date(f["y"], f["m"], f["d"])
    except (KeyError, TypeError, ValueError):
        return None


def date_fields(d: dt.date) -> dict[str, Any]:
    return {"y": d.year, "m": d.month, "d": d.day}


def shift_fields(base: dict[str, Any], grain: str, n: int) -> dict[str, Any] | None:
    """The ``grain``-sized period ``n`` steps from ``base`` (None if base is too coarse)."""
    y = base.get("y")
    d = to_date(base)
    if grain in ("hour", "minute"):
        if d is None or not isinstance(base.get("hour"), int):
            return None
        # added, not passed as fields: "meia-noite" is T24:00, the end of its day
        t = dt.datetime(d.year, d.month, d.day) + dt.timedelta(
            hours=base["hour"], minutes=base.get("minute") or 0)
        t += dt.timedelta(hours=n) if grain == "hour" else dt.timedelta(minutes=n)
        return {**date_fields(t.date()), "hour": t.hour, "minute": t.minute}
    if grain in ("day", "second"):
        if d is None:
            return None
        return date_fields(d + dt.timedelta(days=n if grain == "day" else 0))
    if grain in ("week", "weekend", "fortnight"):
        if d is None:
            if "w" in base and isinstance(base.get("w"), int) and y is not None:
                d = dt.date.fromisocalendar(y, base["w"], 1)
            else:
                return None
        d2 = d + dt.timedelta(days=7 * n * (2 if grain == "fortnight" else 1))
        iy, iw, _ = d2.isocalendar()
        out: dict[str, Any] = {"y": iy, "w": iw}
        if grain == "weekend":
            out["we"] = True
        return out
    if grain == "decade":
        dec = base.get("dec", y // 10 if y is not None else None)
        return None if dec is None else {"dec": dec + n}
    if grain == "century":
        c = base.get("cent", y // 100 if y is not None else None)
        if c is None and isinstance(base.get("dec"), int):
            c = base["dec"] // 10  # "nas décadas de 1830 e 1840 ... no último quartel do século"
        return None if c is None else {"cent": c + n}
    if y is None:
        return None
    if grain == "year":
        return {"y": y + n}
    if grain == "month":
        if not isinstance(base.get("m"), int):
            return None
        yy, mm = add_months(y, base["m"], n)
        return {"y": yy, "m": mm}
    if grain == "quarter":
        q = base.get("q") if isinstance(base.get("q"), int) else (
            (base["m"] - 1) // 3 + 1 if isinstance(base.get("m"), int) else None)
        if q is None:
            return None
        k = y * 4 + q - 1 + n
        return {"y": k // 4, "q": k % 4 + 1}
    if grain == "half":
        h = base.get("h") if isinstance(base.get("h"), int) else (
            (base["m"] - 1) // 6 + 1 if isinstance(base.get("m"), int) else None)
        if h is None:
            return None
        k = y * 2 + h - 1 + n
        return {"y": k // 2, "h": k % 2 + 1}
    return None


GRAIN_FIELDS = {
    "year": ("y",), "month": ("y", "m"), "day": ("y", "m", "d"), "week": ("y", "w"),
    "quarter": ("y", "q"), "half": ("y", "h"), "decade": ("dec",), "century": ("cent",),
}


def placeholder(grain: str) -> str:
    return {
        "year": "XXXX", "month": "XXXX-XX", "day": "XXXX-XX-XX", "week": "XXXX-WXX",
        "weekend": "XXXX-WXX-WE", "quarter": "XXXX-QX", "half": "XXXX-HX", "decade": "XXX",
        "century": "XX", "hour": "XXXX-XX-XX", "minute": "XXXX-XX-XX", "second": "XXXX-XX-XX",
        "fortnight": "XXXX-WXX",
    }.get(grain, "XXXX")


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)

"""Where a TIMEX3 value sits on a time axis: the span of days it covers, or None.

Values name a span, not an instant: ``1975`` is the whole year, ``188`` the 1880s, ``17`` the
1700s, ``1975-03`` a month, ``1910-10-05`` (with or without a time of day) a day. Days are
counted from 1970-01-01 in the proleptic Gregorian calendar with astronomical years
(``BC0044`` is year -43), so dates before year 1 place too. Values that name no fixed span —
``PRESENT_REF``, durations (``P3Y``), sets, ``XXXX-07-01`` — return None and are listed apart.
"""

from __future__ import annotations

import re

_DATE = re.compile(
    r"^(?P<bc>BC)?(?P<year>\d{2,4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|W(?P<week>\d{2})|(?P<part>Q[1-4]|H[12]|SP|SU|FA|WI)))?"
    r"(?:-WE)?(?:T.*)?$")
# first month and number of months of each part of a year (seasons of the northern calendar,
# as TIMEX3 defines them: spring from March, and so on)
_PARTS = {"Q1": (1, 3), "Q2": (4, 3), "Q3": (7, 3), "Q4": (10, 3), "H1": (1, 6), "H2": (7, 6),
          "SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}
MS_PER_DAY = 86_400_000


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (astronomical year, may be < 1)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _month_start(year: int, month: int) -> int:
    year += (month - 1) // 12
    return days_from_civil(year, (month - 1) % 12 + 1, 1)


def day_span(value: str | None) -> tuple[int, int] | None:
    """``(first_day, last_day + 1)`` of a TIMEX3 value, or None when it does not place."""
    if not value:
        return None
    m = _DATE.match(value)
    if m is None:
        return None
    digits = m["year"]
    if len(digits) == 3 and (m["month"] or m["week"] or m["part"]):
        return None
    scale = 10 ** (4 - len(digits))  # 1 for a year, 10 for a decade, 100 for a century
    year = int(digits) * scale
    if m["bc"]:
        if scale != 1:
            return None  # BC decades and centuries are not produced by the tagger
        year = 1 - year
    if scale != 1:
        return days_from_civil(year, 1, 1), days_from_civil(year + scale, 1, 1)
    if m["week"]:
        week = int(m["week"])
        if not 1 <= week <= 53:
            return None
        jan4 = days_from_civil(year, 1, 4)
        monday = jan4 - (jan4 + 3) % 7  # 1970-01-01 was a Thursday
        start = monday + 7 * (week - 1)
        return start, start + 7
    if m["part"]:
        first, months = _PARTS[m["part"]]
        return _month_start(year, first), _month_start(year, first + months)
    if not m["month"]:
        return days_from_civil(year, 1, 1), days_from_civil(year + 1, 1, 1)
    month = int(m["month"])
    if not 1 <= month <= 12:
        return None
    if not m["day"]:
        return _month_start(year, month), _month_start(year, month + 1)
    day = int(m["day"])
    start = days_from_civil(year, month, day)
    if not 1 <= day <= 31 or start >= _month_start(year, month + 1):
        return None
    return start, start + 1


def interval_span(begin: str | None, end: str | None) -> tuple[int, int] | None:
    """The days from the start of ``begin`` to the end of ``end``, when both place."""
    first, last = day_span(begin), day_span(end)
    if first is None or last is None or last[1] <= first[0]:
        return None
    return first[0], last[1]


def unplaced_kind(value: str | None) -> str:
    """Why a value does not place, for the list of what the timeline leaves out."""
    if not value:
        return "no value"
    if value.endswith("_REF"):
        return value
    if value.startswith("P"):
        return "duration"
    if "X" in value:
        return "underspecified date"
    return "other"

"""Anchoring: turns the typed values the rules built into TIMEX3 value strings.

News (a DCT is given): deictic expressions (ontem, ano passado, há dois anos) count from the
DCT; underspecified dates (em março, sexta-feira) take the DCT's year, moved to the past or
future by the verb tense. Narrative (no DCT): the reference time is the most recent resolved
date before the expression (``5 de outubro`` after ``outubro de 1910`` -> 1910-10-05); what
cannot be resolved keeps TimeML placeholders (``XXXX-10-05``). The ``anchor`` of each value
says what it was computed from: ``DCT`` or ``t<id>`` of the anchoring timex.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .values import (
    Tv,
    add_months,
    date_fields,
    days_in_month,
    easter,
    fmt_duration,
    fmt_point,
    fmt_year,
    placeholder,
    shift_fields,
    to_date,
)

TenseFn = Callable[[int, int], int]


def parse_dct(dct: str | dt.date | None) -> dt.date | None:
    if dct is None or dct == "":
        return None
    if isinstance(dct, dt.date):
        return dct
    s = str(dct).strip()
    for candidate in (s[:10], s[:8]):  # 1998-01-08[T10:00], 19980108
        try:
            return dt.date.fromisoformat(candidate)
        except ValueError:
            pass
    m = _DMY.match(s)  # 08/01/1998 (day first, as written in Portuguese)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _quarter_of(f: dict[str, Any]) -> int | None:
    if isinstance(f.get("q"), int):
        return f["q"]
    if isinstance(f.get("m"), int):
        return (f["m"] - 1) // 3 + 1
    return None


class Anchorer:
    """Resolves values in document order, remembering the reference time and focus."""

    def __init__(self, dct: dt.date | None, news: bool, tense: TenseFn | None = None):
        self.dct = dct
        self.dct_f = date_fields(dct) if dct else None
        self.news = news
        self.tense = tense
        self.ref: dict[str, Any] | None = None
        self.ref_id: int | None = None
        self.ref_explicit = False
        self.ref_sent = -10
        # the last decade or century mentioned ("na década de 1960"), if later than ref: what
        # "em meados da década", "na década seguinte", "no final do século" count from
        self.coarse: tuple[dict[str, Any], int] | None = None
        # the last date with a month: what "no dia 18" counts from when the reference is a bare
        # year ("Honecker, no poder desde 1971, foi afastado no dia 18")
        self.month_ref: tuple[dict[str, Any], int] | None = None
        # the weekday the reference was read from ("na terça-feira"): said again, it is that day
        self.ref_weekday: int | None = None
        self.focus: dict[str, Any] | None = None  # last quarter/half mentioned
        self.focus_sent = -10
        self.focus_id = -1

    # -- bases ---------------------------------------------------------------------------
    def _base(self, kind: str) -> tuple[dict[str, Any] | None, str | None]:
        if kind == "dct":
            if self.dct_f is not None:
                return self.dct_f, "DCT"
            if self.ref is not None:
                return self.ref, f"t{self.ref_id}"
            return None, None
        # anaphoric (no ano seguinte, dois anos depois): in news only a date written with its
        # year is a reference; otherwise "o ano anterior" is the year before the DCT's
        if self.ref is not None:
            return self.ref, f"t{self.ref_id}"
        if self.dct_f is not None:
            return self.dct_f, "DCT"
        return None, None

    def set_reference(self, fields: dict[str, Any], idx: int, sent: int) -> None:
        """Make ``fields`` the reference time (a year known without a timex: an age)."""
        self.ref, self.ref_id, self.ref_sent = fields, idx, sent
        self.ref_explicit = True
        self.ref_weekday = None

    @staticmethod
    def _day(f: dict[str, Any]) -> tuple[Any, Any, Any]:
        return f.get("y"), f.get("m"), f.get("d")

    def has_focus(self, sent: int) -> bool:
        """Is a quarter or half of the year in focus (mentioned in the last 8 sentences)?"""
        return self.focus is not None and self.focus_sent >= sent - 8

    def resolve(self, tv: Tv, idx: int, sent: int, start: int, end: int,
                appositive: bool = False) -> tuple[str | None, str | None]:
        """(value, anchor) of ``tv``; updates the reference time.

        ``appositive``: ``tv`` restates the date just before it ("em 1668, vinte e oito anos
        depois"): an anaphoric shift then takes that date's value at the shift's grain, and a
        weekday names a day of that date's week ("3/6/2011, sexta-feira" -> 2011-06-03)."""
        if appositive and _bare_weekday(tv) and self.ref is not None and \
                self.ref_id == idx - 1 and to_date(self.ref) is not None:
            day = to_date(self.ref)
            day += dt.timedelta(days=tv.f["wd"] - day.isoweekday())
            f = {**date_fields(day), **{k: v for k, v in tv.f.items() if k != "wd"}}
            if day == to_date(self.ref):
                self.ref_weekday = tv.f["wd"]  # the text said which weekday the date was
            return fmt_point(f), f"t{self.ref_id}"
        if appositive and tv.shift is not None and tv.shift[2] == "ref" and \
                self.ref is not None and tv.shift[0] not in ("hour", "minute"):
            # it names the date it follows ("em 2005, duzentos e cinquenta anos depois"): that
            # date at the shift's grain; the date stays the reference
            restated = copy.copy(tv)
            restated.shift = (tv.shift[0], 0, "ref")
            value, anchor, _ = existing_day(tv, *self._resolve(restated, sent, start, end))
            return value, anchor
        value, anchor, fields = existing_day(tv, *self._resolve(tv, sent, start, end))
        if tv.same_period:
            return value, anchor  # "há um ano" re-reads the focus; it does not move it
        if fields is not None and tv.type == "DATE" and "y" not in fields and (
                isinstance(fields.get("dec"), int) or isinstance(fields.get("cent"), int)):
            self.coarse = fields, idx
        if fields is not None and isinstance(fields.get("y"), int) and tv.type in ("DATE", "TIME"):
            self.ref, self.ref_id, self.ref_sent = fields, idx, sent
            self.ref_weekday = tv.f["wd"] if _bare_weekday(tv) else None
            if isinstance(fields.get("m"), int):
                self.month_ref = fields, idx
            self.ref_explicit = "y" in tv.f and tv.shift is None
            if "q" in fields or "h" in fields:
                self.focus, self.focus_sent, self.focus_id = fields, sent, idx
        return value, anchor

    def _resolve(self, tv: Tv, sent: int, start: int, end: int
                 ) -> tuple[str | None, str | None, dict[str, Any] | None]:
        if tv.type == "DURATION" or (tv.type == "SET" and tv.dur is not None):
            return fmt_duration(tv.dur or {}), None, None
        if tv.value is not None:
            return tv.value, None, None
        if tv.today and self.dct_f is None:
            return "PRESENT_REF", None, None
        extra = {k: v for k, v in tv.f.items() if k != "focus"}
        if tv.shift is not None:
            grain, n, base_kind = tv.shift
            base, anchor = self._base(base_kind)
            if grain in ("decade", "century", "millennium") and self.coarse is not None and \
                    anchor != "DCT" and (self.ref_id is None or self.coarse[1] > self.ref_id):
                base, anchor = self.coarse[0], f"t{self.coarse[1]}"
            if base is None:
                return _placeholder_with(grain, extra), None, None
            plain_year_ref = grain == "year" and anchor not in (None, "DCT") and \
                self.ref_id is not None and self.ref_id > self.focus_id and set(base) <= {"y"}
            if tv.same_period and self.focus is not None and self.focus_sent >= sent - 8 and \
                    not plain_year_ref:  # "Em 2023 ... no ano anterior": years, not quarters
                fy = self.focus.get("y")
                if grain == "year" and isinstance(fy, int) and isinstance(base.get("y"), int):
                    f = {k: v for k, v in self.focus.items() if k in ("q", "h")}
                    f["y"] = base["y"] + n
                    return fmt_point(f), anchor, f
                if grain == "quarter":
                    f = {k: v for k, v in self.focus.items() if k in ("y", "q", "h")}
                    return fmt_point(f), anchor, f
            if grain == "quarter" and tv.same_period:
                # "o trimestre" with nothing in focus: the quarter is unknown
                y = base.get("y")
                f = {"y": y, "q": "X"}
                return fmt_point(f), anchor, None
            f = shift_fields(base, grain, n)
            if f is None:
                return _placeholder_with(grain, extra, base), anchor if base else None, None
            f.update(extra)
            if "m" in extra and ("w" in f or "q" in f):
                f.pop("w", None)
                f.pop("q", None)
            return fmt_point(f), anchor, f
        f = extra
        if (tv.same_period and set(f) == {"y"} and self.focus is not None
                and self.focus_sent >= sent - 8):
            # "o período homólogo de 1988": the quarter in focus, in 1988
            f = {"y": f["y"], **{k: v for k, v in self.focus.items() if k in ("q", "h")}}
            return fmt_point(f), None, f
        if "y" in f or "dec" in f or "cent" in f:
            return fmt_point(f), None, f
        # underspecified: take what is missing from the DCT or the reference time
        base, anchor = self._partial_base(sent, weekday="wd" in f or "we" in f,
                                          clock=set(f) <= {"hour", "minute", "pod"})
        if anchor not in (None, "DCT") and self.news and self.dct_f is not None and \
                self.tense is not None and isinstance(base.get("y"), int) and \
                base["y"] < self.dct_f["y"] and "m" in f and self.tense(start, end) > 0:
            # "os dividendos de 2023 serão pagos a partir de 5 de junho": a future verb is not
            # in the past year written in its sentence
            base, anchor = self.dct_f, "DCT"
        if set(f) == {"d"} and base is not None and not isinstance(base.get("m"), int) and \
                anchor != "DCT" and self.month_ref is not None:
            base, anchor = self.month_ref[0], f"t{self.month_ref[1]}"
        if base is None:
            if "dec2" in f:  # "anos 30" with nothing to go by: the 20th century
                out = {"dec": 190 + f["dec2"]}
                return fmt_point(out), None, out
            return fmt_point(f), None, None
        if "dec2" in f:
            by = base.get("y")
            if not isinstance(by, int):
                return fmt_point(f), None, None
            dec = by // 100 * 10 + f["dec2"]
            if dec * 10 > by + 10:  # "anos 90" written in 1989 is still the coming decade
                dec -= 10
            out = {"dec": dec}
            return fmt_point(out), anchor, out
        if "wd" in f and "d" not in f and tv.direction == 0 and anchor != "DCT" and \
                self.ref_weekday == f["wd"] and base is self.ref:
            # "Na terça-feira houve greve. Na terça-feira houve outra.": the same Tuesday; only
            # "seguinte", "próxima" (a direction) move on to the next one
            same = {**{k: v for k, v in f.items() if k not in ("wd", "thisweek")},
                    **{k: base[k] for k in ("y", "m", "d")}}
            return fmt_point(same), anchor, same
        direction = tv.direction
        if direction == 0:
            if anchor == "DCT" and self.tense is not None:
                direction = self.tense(start, end)
                if direction == 0 and "wd" in f:
                    direction = tv.lean or -1  # news mostly report what happened
            elif anchor != "DCT":
                direction = 1 if "wd" in f else 0
        # against a date of the text (narrative), a month without a year is in that year:
        # "Em janeiro de 1793 ...; em outubro, ..." -> 1793-10
        same_year = anchor != "DCT" and tv.direction == 0
        filled = fill(f, base, direction, strict=tv.direction != 0, same_year=same_year)
        if filled is None:
            return fmt_point(f), None, None
        return fmt_point(filled), anchor, filled

    def _partial_base(self, sent: int, weekday: bool = False, clock: bool = False
                      ) -> tuple[dict[str, Any] | None, str | None]:
        if clock and self.ref is not None and self.ref_sent >= sent - 1 and \
                isinstance(self.ref.get("d"), int) and (
                    "hour" not in self.ref and "pod" not in self.ref or
                    self.dct_f is not None and self._day(self.ref) != self._day(self.dct_f)):
            # "disse ontem ..., por volta das 19h30": the day named in this sentence or the one
            # before ("votam neste domingo. As seções abrem às 8h")
            return self.ref, f"t{self.ref_id}"
        if self.dct_f is not None and self.news:
            # an explicit year in the same sentence beats the DCT ("Em 1995, em março, ...");
            # weekdays in news always count from the DCT
            if (not weekday and self.ref is not None and self.ref_explicit
                    and self.ref_sent == sent):
                return self.ref, f"t{self.ref_id}"
            return self.dct_f, "DCT"
        if self.ref is not None:
            return self.ref, f"t{self.ref_id}"
        if self.dct_f is not None:
            return self.dct_f, "DCT"
        return None, None


_DAY_VALUE = re.compile(r"^(BC)?(\d{4}|XXXX)-(\d{2})-(\d{2})(T.*)?$")


def existing_day(tv: Tv, value: str | None, anchor: str | None,
                 fields: dict[str, Any] | None
                 ) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """``(value, anchor, fields)`` of ``tv`` with no day its month does not have.

    ``29 de fevereiro de 2001``, ``31/04/2020``: the text wrote a day that never was, so only
    its month is known (``2001-02``; a time keeps its place: ``2020-04-XXT15:00``). When the
    anchoring chose the year (``29 de fevereiro`` after 2001) or the month (``no dia 31`` after
    April), it is the guess that is wrong: the value keeps only what the text said
    (``XXXX-02-29``, ``XXXX-XX-31``) and anchors on nothing.
    """
    m = _DAY_VALUE.match(value or "")
    if m is None:
        return value, anchor, fields
    y = None if m.group(2) == "XXXX" else int(m.group(2)) * (-1 if m.group(1) else 1)
    month, day, time = int(m.group(3)), int(m.group(4)), m.group(5) or ""
    if 1 <= month <= 12 and 1 <= day <= days_in_month(month, y):
        return value, anchor, fields
    said = tv.f
    if "m" not in said and "d" in said:
        return f"XXXX-XX-{day:02d}{time}", None, None
    if "y" not in said and 1 <= month <= 12 and day <= days_in_month(month):
        return f"XXXX-{month:02d}-{day:02d}{time}", None, None
    coarse = {k: v for k, v in (fields or {}).items() if k not in ("d", "hour", "minute", "pod")}
    shown = value[:m.end(3)]
    return (shown + "-XX" + time if time else shown), anchor, coarse or None


def _bare_weekday(tv: Tv) -> bool:
    """A weekday without a day or a shift ("sexta-feira", "na terça à noite")."""
    return "wd" in tv.f and "d" not in tv.f and "m" not in tv.f and tv.shift is None


def _placeholder_with(grain: str, extra: dict[str, Any], base: dict[str, Any] | None = None
                      ) -> str:
    clock = {k: v for k, v in extra.items() if k in ("pod", "hour", "minute")}
    time = fmt_point(clock)[10:] if clock else ""  # "TNI", "T15:00"
    if not time and grain in ("hour", "minute"):
        time = "TXX:XX"  # "30 horas depois" with no time before it: a TIME, clock unknown
    if base is not None and isinstance(base.get("y"), int) and grain in ("month", "day"):
        # "esta noite" after "em 1285": the year is known, the day not; a TIME keeps its time
        year = fmt_year(base["y"])
        return f"{year}-XX" if grain == "month" else f"{year}-XX-XX{time}"
    if extra and not (set(extra) <= {"pod", "hour", "minute"}):
        return fmt_point(extra)
    return placeholder(grain) + time


_SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
# how far (months) the verb tense may push a date away from the closest reading
_TENSE_REACH = 8


def _closest_year(by: int, m: int, d: int | None, base: dict[str, Any], direction: int,
                  strict: bool) -> int:
    """Year for month ``m`` (day ``d``) near ``base``: the closest occurrence, unless the
    text (passado/próximo: ``strict``) or the verb tense points to the other side."""
    bm = base.get("m")
    if not isinstance(bm, int):
        return by
    bd = base.get("d") or 15
    here = bm * 31 + bd
    cands = []
    # two years either way: a winter's middle month is 13 (January after), and an early-January
    # base then has all of by-1..by+1 after it; each side must hold a candidate
    for y in range(by - 2, by + 3):
        k = (y - by) * 372 + m * 31 + (d or 15) - here
        cands.append((abs(k), k, y))
    if strict and direction:
        side = [c for c in cands if (c[1] < 0 if direction < 0 else c[1] > 0)]
        return min(side)[2]
    best = min(cands)
    if direction and (best[1] > 0 if direction < 0 else best[1] < 0):
        side = [c for c in cands if (c[1] <= 0 if direction < 0 else c[1] >= 0)]
        alt = min(side)
        if alt[0] <= _TENSE_REACH * 31:
            return alt[2]
    return best[2]


def fill(f: dict[str, Any], base: dict[str, Any], direction: int, strict: bool = False,
         same_year: bool = False) -> dict[str, Any] | None:
    """Complete partial fields ``f`` from ``base``; direction -1 past, +1 future, 0 same year.

    ``strict``: the text said passado/próximo, so the base period itself is excluded
    (``segunda-feira passada`` written on a Monday is a week earlier).
    """
    out = dict(f)
    by = base.get("y")
    if "wd" in f and "d" in f and "m" not in f:
        # "nesta terça (12)": the day numbered 12 of a month near the base that is a Tuesday
        bd = to_date(base)
        if bd is not None:
            found = []
            for dm in (-1, 0, 1):
                yy, mm = add_months(bd.year, bd.month, dm)
                try:
                    day = dt.date(yy, mm, f["d"])
                except ValueError:
                    continue
                if day.isoweekday() == f["wd"]:
                    found.append((abs((day - bd).days), day))
            if found:
                return date_fields(min(found)[1])
        out.pop("d")
        f = {k: v for k, v in f.items() if k != "d"}
    if "wd" in f and "d" not in f:
        bd = to_date(base)
        if bd is None:
            return None
        if out.pop("thisweek", False):
            out.pop("wd")
            out.update(date_fields(bd + dt.timedelta(days=f["wd"] - bd.isoweekday())))
            return out
        if direction > 0:
            delta = (f["wd"] - bd.isoweekday()) % 7 or 7
        else:
            delta = -((bd.isoweekday() - f["wd"]) % 7)
            if strict and delta == 0:
                delta = -7
        out.pop("wd")
        out.update(date_fields(bd + dt.timedelta(days=delta)))
        return out
    if f.get("we") and "w" not in f:
        bd = to_date(base)
        if bd is None:
            return None
        if direction > 0:
            d = bd + dt.timedelta(days=(6 - bd.isoweekday()) % 7)
        else:  # the last weekend that has begun
            d = bd - dt.timedelta(days=(bd.isoweekday() - 6) % 7)
        iy, iw, _ = d.isocalendar()
        return {"y": iy, "w": iw, "we": True}
    if not isinstance(by, int):
        return None
    if "yy" in f:
        # "em 22": after the DCT, the latest such year not after it (10 years of slack); after a
        # date of the text (narrative moves forward), the first one not before it
        y = by // 100 * 100 + out.pop("yy")
        if same_year and y < by - 10:
            y += 100
        elif not same_year and y > by + 10:
            y -= 100
        out["y"] = y
        return out
    if "easter" in f:  # a movable feast in the base's year
        offset = out.pop("easter")
        try:
            day = easter(by) + dt.timedelta(days=offset)
        except (ValueError, OverflowError):  # a base year no calendar date has (30 a.C.)
            out["y"] = by
            return out
        out.update(date_fields(day))
        return out
    if "m" in f:
        out["y"] = by if same_year else _closest_year(by, f["m"], f.get("d"), base, direction,
                                                       strict)
        return out
    if "d" in f:
        if not isinstance(base.get("m"), int):
            return None
        out["y"], out["m"] = by, base["m"]
        bd = base.get("d")
        if strict and isinstance(bd, int) and (direction < 0 and f["d"] >= bd or
                                               direction > 0 and f["d"] <= bd):
            # "no passado dia 20" written on the 13th: last month's
            out["y"], out["m"] = add_months(by, base["m"], -1 if direction < 0 else 1)
        return out
    if "q" in f or "h" in f or "s" in f:
        y = by
        bq = _quarter_of(base)
        # quarters are reported after they end: a past reading moves a later quarter back a
        # year; with no tense, so does the quarter just before the DCT's ("os lucros do quarto
        # trimestre" written in January). In narrative (same_year) it is the reference's year.
        last_reported = direction == 0 and not same_year and bq is not None and \
            "q" in f and (bq - f["q"]) % 4 == 1
        if (direction < 0 or last_reported) and bq is not None and "q" in f and f["q"] > bq:
            y -= 1
        if "s" in f and f["s"] in _SEASON_INDEX and not same_year:
            # a season is placed like its middle month (SP April, SU July, ...)
            y = _closest_year(by, 3 * _SEASON_INDEX[f["s"]] + 4, None, base, direction, strict)
        out["y"] = y
        return out
    if "hour" in f or "pod" in f:
        d = to_date(base)
        if d is None:
            return None
        if set(f) == {"pod"} and f["pod"] == "NI" and direction < 0 and not same_year:
            # news: "obrigou durante a noite à retirada" (a past verb) is last night
            d -= dt.timedelta(days=1)
        out.update(date_fields(d))
        return out
    return None

"""Calendar arithmetic and TIMEX3 value formatting (pipeline.timex.values / anchoring)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timex.anchoring import existing_day, fill, parse_dct
from pipeline.timex.values import (
    Tv,
    days_in_month,
    easter,
    fmt_duration,
    fmt_point,
    is_leap,
    shift_fields,
)

D = {"y": 1998, "m": 2, "d": 12}  # a Thursday


@pytest.mark.parametrize("dur,value", [
    ({"year": 7}, "P7Y"), ({"month": 7}, "P7M"), ({"week": 2}, "P2W"), ({"hour": 0.5}, "PT30M"),
    ({"year": 2.5}, "P2Y6M"), ({"minute": 1.5}, "PT1M30S"), ({"year": None}, "PXY"),
    ({"minute": None}, "PTXM"), ({"decade": 1}, "P1E"), ({"century": 0.5}, "P50Y"),
    ({"quarter": 3}, "P3Q"), ({"half": 1}, "P6M"), ({"year": 2, "month": 3}, "P2Y3M"),
    ({"day": 1, "hour": 2}, "P1DT2H"),
])
def test_durations(dur, value):
    assert fmt_duration(dur) == value


@pytest.mark.parametrize("fields,value", [
    ({"y": 1822, "m": 9, "d": 7}, "1822-09-07"), ({"y": 1822}, "1822"), ({"m": 10, "d": 5},
                                                                       "XXXX-10-05"),
    ({"dec": 193}, "193"), ({"cent": 19}, "19"), ({"cent": 2, "bc": True}, "BC02"),
    ({"y": -44}, "BC0044"), ({"y": 1989, "q": 3}, "1989-Q3"), ({"y": 1990, "h": 1}, "1990-H1"),
    ({"y": 1917, "s": "SU"}, "1917-SU"), ({"y": 1998, "w": 6}, "1998-W06"),
    ({"y": 1998, "w": 6, "we": True}, "1998-W06-WE"), ({"wd": 5}, "XXXX-WXX-5"),
    ({"hour": 15, "minute": 30}, "XXXX-XX-XXT15:30"), ({"y": 1998, "m": 2, "d": 12, "pod": "MO"},
                                                        "1998-02-12TMO"),
    ({"yy": 22}, "XX22"),
])
def test_points(fields, value):
    assert fmt_point(fields) == value


@pytest.mark.parametrize("grain,n,fields", [
    ("day", -1, {"y": 1998, "m": 2, "d": 11}), ("year", -2, {"y": 1996}),
    ("month", 1, {"y": 1998, "m": 3}), ("month", -2, {"y": 1997, "m": 12}),
    ("week", -1, {"y": 1998, "w": 6}), ("quarter", -1, {"y": 1997, "q": 4}),
    ("half", 1, {"y": 1998, "h": 2}), ("decade", -1, {"dec": 198}), ("century", 0, {"cent": 19}),
    ("weekend", 0, {"y": 1998, "w": 7, "we": True}),
])
def test_shifts(grain, n, fields):
    assert shift_fields(D, grain, n) == fields


def test_shift_needs_a_fine_enough_base():
    assert shift_fields({"y": 1910}, "day", 1) is None
    assert shift_fields({"y": 1910}, "month", 1) is None


@pytest.mark.parametrize("partial,direction,strict,value", [
    ({"m": 12}, 0, False, {"y": 1997, "m": 12}),          # closest December
    ({"m": 9}, 0, False, {"y": 1997, "m": 9}),            # 5 months back beats 7 ahead
    ({"m": 9}, 1, False, {"y": 1998, "m": 9}),            # a future verb, within reach
    ({"m": 2}, -1, True, {"y": 1997, "m": 2}),            # "fevereiro passado"
    ({"wd": 5}, -1, False, {"y": 1998, "m": 2, "d": 6}),  # last Friday
    ({"wd": 4}, -1, False, {"y": 1998, "m": 2, "d": 12}),  # a Thursday written on Thursday
    ({"wd": 4}, -1, True, {"y": 1998, "m": 2, "d": 5}),   # "quinta-feira passada"
    ({"wd": 5}, 1, False, {"y": 1998, "m": 2, "d": 13}),  # next Friday
    ({"q": 3}, -1, False, {"y": 1997, "q": 3}),           # a past third quarter
    ({"d": 5}, 0, False, {"y": 1998, "m": 2, "d": 5}),    # "dia 5"
])
def test_fill_against_a_dct(partial, direction, strict, value):
    assert fill(partial, D, direction, strict=strict) == value


def test_fill_in_narrative_keeps_the_reference_year():
    assert fill({"m": 10}, {"y": 1793, "m": 1}, 0, same_year=True) == {"y": 1793, "m": 10}
    assert fill({"yy": 85}, {"y": 1920}, 0, same_year=True) == {"y": 1985}
    assert fill({"m": 10}, {"y": 1910}, 0) == {"y": 1910, "m": 10}


def test_easter():
    assert easter(2024) == dt.date(2024, 3, 31)
    assert easter(1998) == dt.date(1998, 4, 12)


@pytest.mark.parametrize("raw,date", [
    ("1998-01-08", dt.date(1998, 1, 8)), ("1998-01-08T10:00:00", dt.date(1998, 1, 8)),
    ("19980108", dt.date(1998, 1, 8)), ("08/01/1998", dt.date(1998, 1, 8)), ("", None),
    (None, None), ("não é uma data", None),
])
def test_parse_dct(raw, date):
    assert parse_dct(raw) == date


@pytest.mark.parametrize("year,leap", [
    (2000, True), (1900, False), (2001, False), (2024, True), (-1, True), (-45, True),
    (-44, False),  # 1 a.C. is astronomical year 0, so 45 a.C. (-44) is leap and 44 a.C. not
])
def test_leap_years(year, leap):
    assert is_leap(year) is leap


def test_days_in_month():
    assert [days_in_month(m, 2001) for m in range(1, 13)] == [
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert days_in_month(2, 2000) == 29 and days_in_month(2) == 29  # year unknown: may be 29


@pytest.mark.parametrize("said,value,anchor,fields,want", [
    # the text wrote a day its month never has: the month stands
    ({"y": 2001, "m": 2, "d": 29}, "2001-02-29", None, {"y": 2001, "m": 2, "d": 29},
     ("2001-02", None, {"y": 2001, "m": 2})),
    ({"y": 2020, "m": 4, "d": 31, "hour": 15}, "2020-04-31T15:00", None,
     {"y": 2020, "m": 4, "d": 31, "hour": 15, "minute": 0}, ("2020-04-XXT15:00", None,
                                                            {"y": 2020, "m": 4})),
    # the anchoring chose a year without 29 February: the year was the wrong guess
    ({"m": 2, "d": 29}, "2001-02-29", "t0", {"y": 2001, "m": 2, "d": 29},
     ("XXXX-02-29", None, None)),
    # the month came from the reference ("no dia 31" after April)
    ({"d": 31}, "2020-04-31", "t0", {"y": 2020, "m": 4, "d": 31}, ("XXXX-XX-31", None, None)),
    # no year at all and a day no year has
    ({"m": 4, "d": 31}, "XXXX-04-31", None, None, ("XXXX-04", None, None)),
    # real days pass untouched
    ({"y": 2000, "m": 2, "d": 29}, "2000-02-29", None, {"y": 2000, "m": 2, "d": 29},
     ("2000-02-29", None, {"y": 2000, "m": 2, "d": 29})),
    ({"y": -45, "m": 2, "d": 29}, "BC0045-02-29", None, {"y": -45, "m": 2, "d": 29},
     ("BC0045-02-29", None, {"y": -45, "m": 2, "d": 29})),
])
def test_days_that_do_not_exist_are_never_emitted(said, value, anchor, fields, want):
    assert existing_day(Tv("DATE", dict(said)), value, anchor, fields) == want

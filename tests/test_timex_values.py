"""Calendar arithmetic and TIMEX3 value formatting (pipeline.timex.values / anchoring)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timex.anchoring import fill, parse_dct
from pipeline.timex.values import easter, fmt_duration, fmt_point, shift_fields

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

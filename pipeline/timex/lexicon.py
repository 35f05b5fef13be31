"""Loads the lexicons in ``data/``: plain TSV files a linguist can edit without touching code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of ``data/<name>.tsv``, without comments and blank lines."""
    rows = []
    with open(DATA_DIR / f"{name}.tsv", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


@cache
def word_classes(name: str) -> dict[str, frozenset[str]]:
    """word -> classes, for two-column files where a word may belong to several classes."""
    out: dict[str, set[str]] = {}
    for row in read_tsv(name):
        out.setdefault(row[0], set()).add(row[1])
    return {k: frozenset(v) for k, v in out.items()}


@cache
def mapping(name: str, column: int = 1) -> dict[str, str]:
    """word -> the value in ``column``."""
    return {row[0]: row[column] for row in read_tsv(name)}


@cache
def numbers() -> dict[str, tuple[float, str]]:
    """number word -> (value, kind) with kind in card/ord/mult/frac."""
    out = {}
    for word, value, kind in read_tsv("numbers"):
        v = float(value)
        out[word] = (int(v) if v.is_integer() else v, kind)
    return out


@cache
def units() -> dict[str, tuple[str, bool]]:
    """unit word -> (grain, is_plural)."""
    return {row[0]: (row[1], row[2] == "1") for row in read_tsv("units")}


@cache
def grains() -> dict[str, tuple[str, int | None, str | None]]:
    """grain -> (duration designator, count of the finer grain, finer grain)."""
    out = {}
    for row in read_tsv("grains"):
        row = row + [""] * (4 - len(row))
        out[row[0]] = (row[1], int(row[2]) if row[2] else None, row[3] or None)
    return out


@cache
def modifiers() -> dict[str, tuple[str, bool, str]]:
    """modifier phrase -> (mod, in_span, applies_to)."""
    return {row[0]: (row[1], row[2] == "in", row[3]) for row in read_tsv("modifiers")}


@cache
def relative_words() -> dict[tuple[str, str], tuple[str, int, bool]]:
    """(word, position) -> (base, steps, contracted); see data/relative_words.tsv."""
    out = {}
    for row in read_tsv("relative_words"):
        row = row + [""] * (5 - len(row))
        out[(row[0], row[1])] = (row[2], int(row[3]), row[4] == "yes")
    return out

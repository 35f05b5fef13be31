"""The event layer's lexicons (``data/*.tsv``): plain files a linguist edits without code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of ``data/<name>.tsv``, without comments and blank lines."""
    rows = []
    for line in (DATA_DIR / f"{name}.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def words(name: str) -> frozenset[str]:
    """The first column of a one-word-per-line lexicon."""
    return frozenset(row[0] for row in read_tsv(name))


@cache
def mapping(name: str) -> dict[str, str]:
    """first column -> second column."""
    return {row[0]: row[1] for row in read_tsv(name)}

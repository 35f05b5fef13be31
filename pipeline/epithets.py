"""A ruler's epithet joins the name: `Pedro, o Grande`, `Tarquínio, o Soberbo`.

A model reads the name and leaves the epithet out, or reads the capitalized epithet as a name
of its own (`Soberbo` as a place). When a person mention is followed by a comma, `o` or `a`
and a word of ``data/epithets.txt``, the mention is extended over them, and any mention inside
the epithet is dropped. Only the listed words count: `Guttmann, o Benfica` is two names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.entities import Mention

_DATA = Path(__file__).parent / "data" / "epithets.txt"
_AFTER_NAME = re.compile(r", (?:o|a) ([^\W\d_]+)\b")


@cache
def epithets() -> frozenset[str]:
    lines = _DATA.read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def attach_epithets(text: str, found: list[Mention], whole: list[bool]
                    ) -> tuple[list[Mention], list[bool]]:
    """``found`` (in text order) with each person's epithet in its name; ``whole`` follows:
    an extended mention is no longer the model's span."""
    words = epithets()
    out: list[Mention] = []
    out_whole: list[bool] = []
    reach = -1  # the end of the last extended person: mentions before it are dropped
    for m, was_whole in zip(found, whole, strict=True):
        if m.start < reach:
            continue
        match = _AFTER_NAME.match(text, m.end) if m.label == "PER" else None
        if match and match.group(1) in words:
            m, was_whole = replace(m, end=match.end(), text=text[m.start:match.end()]), False
            reach = match.end()
        out.append(m)
        out_whole.append(was_whole)
    return out, out_whole

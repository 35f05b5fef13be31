"""What every rule module shares: the rule registry and small builders of temporal items."""

from __future__ import annotations

from typing import Any

from . import predicates  # noqa: F401  (registers the <KIND:pred> predicates)
from .grammar import Rule
from .tokens import Item
from .values import Tv


def _span(parts: list[Any]) -> tuple[int, int]:
    ps = [p for p in parts if p is not None]
    return ps[0].start, ps[-1].end


def mk(tv: Tv, parts: list[Any]) -> Item:
    """A temporal item spanning ``parts`` (None entries, i.e. skipped optionals, ignored)."""
    s, e = _span(parts)
    return Item(tv.type, s, e, "", tv)


def num(it: Item) -> float:
    return it.val


def ival(it: Item) -> int:
    return int(it.val)


RULES: dict[str, list[Rule]] = {"dates": [], "relative": [], "compose": [], "intervals": []}


def rule(layer: str, name: str, pattern: str, *examples: tuple[str, str]):
    """Decorator registering ``fn(m, ctx) -> Item | None`` as a rule of ``layer``."""
    def deco(fn):
        RULES[layer].append(Rule(name, pattern, fn, tuple(examples)))
        return fn
    return deco


def is_bc(era: Item | None) -> bool:
    return era is not None and era.val == "BC"


def year_value(it: Item, era: Item | None = None) -> int:
    y = ival(it)
    return -y if is_bc(era) else y

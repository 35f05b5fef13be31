"""A small compositional grammar engine, in the spirit of Duckling's rules.

A :class:`Rule` has a readable name, a pattern, a production and the examples it covers.
Patterns are sequences of space-separated elements:

- ``<KIND>`` or ``<KIND:pred>``: an item of a kind built by an earlier layer (NUM, MONTH,
  DATE, ...), optionally checked by a named predicate (``<NUM:day>``);
- ``@class``: a word of a closed class from ``data/signals.tsv`` (``@de`` = de|do|da|dos|das);
- ``w1|w2``: literal words (lowercased surface); ``em_curso`` is the multiword item
  ``em curso`` (phrases listed in the lexicons are single items);
- a trailing ``?`` makes an element optional.

Rules are grouped in layers applied in order (numbers -> grains -> dates -> modifiers ->
intervals); a rule only sees what earlier rules built, so ``entre <date> e <date>`` is one rule
over two dates, whatever their shape. Rules are indexed by what their first element can match,
so each token costs one dict lookup when no rule starts with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import lexicon
from .tokens import Item

SIGNALS = lexicon.word_classes("signals")
_CLASS_WORDS: dict[str, set[str]] = {}
for _w, _cs in SIGNALS.items():
    for _c in _cs:
        _CLASS_WORDS.setdefault(_c, set()).add(_w)

# word classes from data/relative_words.tsv: @rel_before (este, próximo) and @rel_after
# (passado, seguinte)
for (_w, _pos) in lexicon.relative_words():
    _CLASS_WORDS.setdefault("rel_" + _pos, set()).add(_w)

#: named predicates usable as ``<KIND:pred>``
PREDICATES: dict[str, Callable[[Item], bool]] = {}


def predicate(name: str) -> Callable[[Callable[[Item], bool]], Callable[[Item], bool]]:
    def deco(fn: Callable[[Item], bool]) -> Callable[[Item], bool]:
        PREDICATES[name] = fn
        return fn
    return deco


@dataclass(slots=True)
class Element:
    kind: frozenset[str] | None = None   # typed item kinds (<DATE|TIME>)
    pred: Callable[[Item], bool] | None = None
    words: frozenset[str] | None = None  # literal words or word class
    optional: bool = False

    def test(self, it: Item) -> bool:
        if self.words is not None:
            return it.text in self.words and it.kind not in _BUILT
        if it.kind in self.kind:
            return self.pred is None or self.pred(it)
        if it.alts and not self.kind.isdisjoint(it.alts):
            return self.pred is None or self.pred(it)
        return False

    def keys(self) -> Iterable[str]:
        if self.words is not None:
            return self.words
        return tuple("<" + k + ">" for k in self.kind)


_PLAIN = frozenset({"w", "p"})

# Kinds built by rules: a literal word never matches them (a DATE is not the word "ano").
_BUILT = frozenset({"DATE", "TIME", "DURATION", "SET", "INTERVAL"})


def parse_pattern(pattern: str) -> list[Element]:
    elems = []
    for raw in pattern.split():
        optional = raw.endswith("?") and len(raw) > 1
        tok = raw[:-1] if optional else raw
        if tok.startswith("<") and tok.endswith(">"):
            kind, _, pred = tok[1:-1].partition(":")
            elems.append(Element(kind=frozenset(kind.split("|")),
                                 pred=PREDICATES[pred] if pred else None,
                                 optional=optional))
        elif tok.startswith("@"):
            elems.append(Element(words=frozenset(_CLASS_WORDS[tok[1:]]), optional=optional))
        else:
            # "_" joins the words of a lexicon phrase that is one item ("em_curso")
            words = frozenset(w.replace("_", " ") for w in tok.split("|"))
            elems.append(Element(words=words, optional=optional))
    if elems and elems[0].optional:
        raise ValueError(f"pattern may not start with an optional element: {pattern}")
    return elems


@dataclass(slots=True)
class Ctx:
    """What a production may look at besides its matched items."""

    items: list[Item]
    i: int   # index of the first matched item
    j: int   # index after the last matched item

    def prev(self, k: int = 1) -> Item | None:
        return self.items[self.i - k] if self.i - k >= 0 else None

    def next(self, k: int = 0) -> Item | None:
        return self.items[self.j + k] if self.j + k < len(self.items) else None


Production = Callable[[list[Any], Ctx], Item | None]


@dataclass(slots=True)
class Rule:
    """``name``: what it reads; ``examples``: (text, expected value) pairs it covers."""

    name: str
    pattern: str
    produce: Production
    examples: tuple[tuple[str, str], ...] = ()
    elems: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.elems = parse_pattern(self.pattern)


def _match(elems: list[Element], k: int, items: list[Item], i: int,
           out: list[Any]) -> int | None:
    if k == len(elems):
        return i
    e = elems[k]
    if i < len(items) and e.test(items[i]):
        out.append(items[i])
        r = _match(elems, k + 1, items, i + 1, out)
        if r is not None:
            return r
        out.pop()
    if e.optional:
        out.append(None)
        r = _match(elems, k + 1, items, i, out)
        if r is not None:
            return r
        out.pop()
    return None


class Layer:
    """A group of rules applied left to right, longest match first."""

    def __init__(self, name: str, rules: list[Rule]):
        self.name = name
        self.rules = rules
        self.index: dict[str, list[Rule]] = {}
        # rules made only of literal words: tried even far from any typed item
        self.literal_index: dict[str, list[Rule]] = {}
        # how many literal words a pattern may have before its first typed element
        self.reach = 0
        for r in rules:
            # "literal": nothing in the pattern needs a typed item (<w:roman> is a word)
            # (an optional typed element does not count: "séc. XVI <ERA>?" matches words only)
            literal = all(e.words is not None or e.kind <= _PLAIN or e.optional
                          for e in r.elems)
            if not literal:
                first_typed = next(k for k, e in enumerate(r.elems)
                                   if e.words is None and not e.kind <= _PLAIN)
                self.reach = max(self.reach, first_typed)
            for key in r.elems[0].keys():
                self.index.setdefault(key, []).append(r)
                if literal:
                    self.literal_index.setdefault(key, []).append(r)

    def _candidates(self, it: Item) -> list[Rule]:
        idx = self.index
        a = idx.get(it.text) if it.kind not in _BUILT else None
        b = idx.get("<" + it.kind + ">")
        cands = (a or []) + (b or [])
        if it.alts:
            for k in it.alts:
                cands += idx.get("<" + k + ">", [])
        return cands

    def apply(self, items: list[Item]) -> tuple[list[Item], bool]:
        items = list(items)
        n = len(items)
        # position of the next typed (non-word, non-punctuation) item: a word starts a match
        # only if one is near, since every rule with a typed element has it within a few items
        next_typed = [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            next_typed[k] = k if items[k].kind not in _PLAIN else next_typed[k + 1]
        out: list[Item] = []
        changed = False
        i = 0
        retries = 0
        literal_index = self.literal_index
        while i < n:
            it = items[i]
            best: tuple[int, Item] | None = None
            if it.kind in _PLAIN and next_typed[i] - i > self.reach:
                cands = literal_index.get(it.text, ())
            else:
                cands = self._candidates(it)
            for rule in cands:
                m: list[Any] = []
                j = _match(rule.elems, 0, items, i, m)
                if j is None or (best is not None and j <= best[0]):
                    continue
                new = rule.produce(m, Ctx(items, i, j))
                if new is None:
                    continue
                if hasattr(new.val, "rule"):
                    new.val.rule = rule.name  # the outermost rule names the expression
                best = (j, new)
            if best is not None and retries < 4:
                j, new = best
                new.tok = it.tok
                items[j - 1] = new
                # keep the consumed (not in span) items out; continue from the new item
                i = j - 1
                retries += 1
                changed = True
                continue
            retries = 0
            out.append(it)
            i += 1
        return out, changed


def run_layers(layers: list[Layer], items: list[Item]) -> list[Item]:
    for layer in layers:
        items, changed = layer.apply(items)
        if changed:
            items, _ = layer.apply(items)
    return items

"""Span alignment between gold and predicted items.

Matching is one-to-one: a gold item matched by two predictions counts once (the second
prediction is spurious), and a prediction can only take one gold item. ``strict`` pairs identical
spans; ``relaxed`` pairs overlapping spans, finding as many pairs as possible (maximum bipartite
matching) and, among candidates, trying exact and larger overlaps first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Span = tuple[int, int]
Mode = Literal["strict", "relaxed"]


@dataclass(frozen=True, slots=True)
class Alignment:
    #: (gold index, pred index) pairs.
    pairs: list[tuple[int, int]]
    missed: list[int]
    spurious: list[int]


def overlap(a: Span, b: Span) -> int:
    """Number of characters two spans share (0 when disjoint)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _overlaps(a: Span, b: Span) -> bool:
    # An empty span overlaps nothing, except the identical empty span.
    return overlap(a, b) > 0 or a == b


def align(
    gold: Sequence[Span],
    pred: Sequence[Span],
    mode: Mode = "relaxed",
    compatible: Callable[[int, int], bool] | None = None,
) -> Alignment:
    """Pair gold and predicted spans one-to-one.

    ``compatible(gi, pi)`` can forbid pairs (e.g. different entity labels).
    """
    if mode not in ("strict", "relaxed"):
        raise ValueError(f"unknown matching mode {mode!r}")
    candidates: list[list[int]] = []
    # Index predictions so each gold item only looks at nearby ones (long CoNLL documents hold
    # thousands of mentions): exact spans by value, overlaps by start within the longest span.
    by_span: dict[Span, list[int]] = {}
    for pi, p in enumerate(pred):
        by_span.setdefault(p, []).append(pi)
    order = sorted(range(len(pred)), key=lambda pi: pred[pi])
    starts = [pred[pi][0] for pi in order]
    longest = max((e - s for s, e in pred), default=0)
    for gi, g in enumerate(gold):
        if mode == "strict":
            cands = list(by_span.get(g, ()))
        else:
            lo = bisect_left(starts, g[0] - longest)
            hi = bisect_right(starts, max(g[1], g[0]))
            cands = [pi for pi in order[lo:hi] if _overlaps(g, pred[pi])]
            # Prefer the exact span, then the largest overlap, then the closest start.
            cands.sort(key=lambda pi: (pred[pi] != g, -overlap(g, pred[pi]),
                                       abs(pred[pi][0] - g[0]), pi))
        if compatible is not None:
            cands = [pi for pi in cands if compatible(gi, pi)]
        candidates.append(cands)

    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        # Kuhn's augmenting path: take a free candidate, or move its owner elsewhere.
        for pi in candidates[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    # First give every gold its first free choice, so the preference order wins when it costs
    # nothing; augmenting paths then only rearrange what is needed to maximise the pair count.
    for gi, cands in enumerate(candidates):
        for pi in cands:
            if pi not in owner:
                owner[pi] = gi
                break
    matched_gold = set(owner.values())
    for gi in range(len(gold)):
        if gi not in matched_gold and candidates[gi]:
            augment(gi, set())
    pairs = sorted((gi, pi) for pi, gi in owner.items())
    got_gold = {gi for gi, _ in pairs}
    got_pred = {pi for _, pi in pairs}
    return Alignment(
        pairs=pairs,
        missed=[gi for gi in range(len(gold)) if gi not in got_gold],
        spurious=[pi for pi in range(len(pred)) if pi not in got_pred],
    )

"""Span matching invariants, checked against brute force on small random cases."""

from __future__ import annotations

from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluation.matching import align, overlap

spans = st.lists(
    st.tuples(st.integers(0, 12), st.integers(1, 5)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=5,
)


def brute_force_max(gold, pred) -> int:
    """Largest one-to-one set of overlapping pairs, by trying every assignment."""
    best = 0
    n = max(len(gold), len(pred))
    padded = list(range(len(pred))) + [None] * (n - len(pred))
    for perm in permutations(padded, len(gold)):
        best = max(best, sum(1 for gi, pi in enumerate(perm)
                             if pi is not None and overlap(gold[gi], pred[pi]) > 0))
    return best


@settings(max_examples=150, deadline=None)
@given(spans, spans)
def test_relaxed_is_one_to_one_and_maximal(gold, pred):
    al = align(gold, pred, "relaxed")
    gs = [g for g, _ in al.pairs]
    ps = [p for _, p in al.pairs]
    assert len(set(gs)) == len(gs) and len(set(ps)) == len(ps)
    assert all(overlap(gold[g], pred[p]) > 0 for g, p in al.pairs)
    assert len(al.pairs) + len(al.missed) == len(gold)
    assert len(al.pairs) + len(al.spurious) == len(pred)
    assert len(al.pairs) == brute_force_max(gold, pred)


@settings(max_examples=150, deadline=None)
@given(spans, spans)
def test_strict_pairs_are_identical_and_fewer(gold, pred):
    strict = align(gold, pred, "strict")
    assert all(gold[g] == pred[p] for g, p in strict.pairs)
    assert len(strict.pairs) <= len(align(gold, pred, "relaxed").pairs)


def test_relaxed_prefers_the_exact_span():
    # Both predictions overlap gold [0, 10); the exact one is paired, the other is spurious.
    al = align([(0, 10)], [(2, 12), (0, 10)], "relaxed")
    assert al.pairs == [(0, 1)] and al.spurious == [0]

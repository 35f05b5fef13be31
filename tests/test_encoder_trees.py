"""The spanning-tree decoder of the accurate pipeline's parser (pipeline/encoder/trees.py)."""

from __future__ import annotations

import itertools

import numpy as np

from pipeline.encoder.trees import best_tree


def _all_trees(n: int):
    """Every head assignment of words 1..n with one root child and no cycle."""
    for heads in itertools.product(range(n + 1), repeat=n):
        h = (0, *heads)
        if heads.count(0) != 1 or any(h[d] == d for d in range(1, n + 1)):
            continue
        ok = True
        for d in range(1, n + 1):
            seen, x = set(), d
            while x and ok:
                ok = x not in seen
                seen.add(x)
                x = h[x]
        if ok:
            yield h


def _score(scores: np.ndarray, heads) -> float:
    return float(sum(scores[d, heads[d]] for d in range(1, len(heads))))


def test_best_tree_is_the_best_of_all_trees():
    rng = np.random.default_rng(7)
    for _ in range(250):
        n = int(rng.integers(1, 6))
        scores = rng.normal(size=(n + 1, n + 1)) * 3
        tree = best_tree(scores)
        assert tree[0] == 0
        best = max(_all_trees(n), key=lambda h: _score(scores, h))
        assert abs(_score(scores, tree) - _score(scores, best)) < 1e-9


def test_cycles_and_several_roots_are_resolved():
    # greedy choice: 1 <- 2, 2 <- 1 (a cycle) and 3 <- root, 4 <- root (two root children)
    scores = np.full((5, 5), -5.0)
    scores[1, 2] = scores[2, 1] = 0.0
    scores[3, 0] = scores[4, 0] = 0.0
    scores[1, 3] = -1.0
    scores[4, 3] = -0.5
    tree = best_tree(scores)
    assert list(tree[1:]).count(0) == 1
    for d in range(1, 5):        # every word reaches the root
        seen, x = set(), d
        while x:
            assert x not in seen
            seen.add(x)
            x = tree[x]
    assert tree.tolist() == [0, 3, 1, 0, 3]

"""The best dependency tree of a sentence from arc scores (maximum spanning arborescence).

``scores[d, h]`` is the score of word ``h`` heading word ``d``; index 0 is the artificial
root, words are 1..n. The tree is found by contracting cycles of the greedy choice until none
is left (the Chu-Liu/Edmonds method), then the root is kept to a single child: each word the
unconstrained tree hangs from the root is tried as the only one, and the best tree wins.
Sentences are short, so the plain recursive form is fast enough.
"""

from __future__ import annotations

import numpy as np

NEG = -1e30


def _cycle(heads: np.ndarray) -> list[int]:
    """Nodes of one cycle of the head choice (root excluded), or []."""
    n = len(heads)
    state = np.zeros(n, dtype=np.int8)   # 0 unseen, 1 on the current path, 2 done
    state[0] = 2
    for start in range(1, n):
        path = []
        node = start
        while state[node] == 0:
            state[node] = 1
            path.append(node)
            node = heads[node]
        if state[node] == 1:
            return path[path.index(node):]
        for p in path:
            state[p] = 2
    return []


def _arborescence(scores: np.ndarray) -> np.ndarray:
    n = len(scores)
    heads = scores.argmax(axis=1)
    heads[0] = 0
    cycle = _cycle(heads)
    if not cycle:
        return heads
    in_cycle = np.zeros(n, dtype=bool)
    in_cycle[cycle] = True
    rest = np.flatnonzero(~in_cycle)              # includes the root, at position 0
    m = len(rest)
    cyc = np.asarray(cycle)
    sub = np.full((m + 1, m + 1), NEG)
    sub[:m, :m] = scores[np.ix_(rest, rest)]
    # a word outside the cycle headed by the cycle: by its best member
    out_scores = scores[np.ix_(rest, cyc)]
    best_member = cyc[out_scores.argmax(axis=1)]
    sub[:m, m] = out_scores.max(axis=1)
    # the cycle headed from outside: the member whose broken arc costs least
    gain = scores[np.ix_(cyc, rest)] - scores[cyc, heads[cyc]][:, None]
    entering = cyc[gain.argmax(axis=0)]
    sub[m, :m] = gain.max(axis=0)
    sub[0, :] = NEG
    sub[np.arange(m + 1), np.arange(m + 1)] = NEG
    sub_heads = _arborescence(sub)
    out = heads.copy()
    for k, node in enumerate(rest[1:], 1):
        h = sub_heads[k]
        out[node] = best_member[k] if h == m else rest[h]
    h = sub_heads[m]
    out[entering[h]] = rest[h]
    out[0] = 0
    return out


def best_tree(scores: np.ndarray) -> np.ndarray:
    """Heads (0 = the root) of words 1..n given ``scores`` of shape (n + 1, n + 1); the
    returned array has the root's own entry at 0 (set to 0)."""
    scores = np.array(scores, dtype=np.float64)
    n = len(scores)
    scores[np.arange(n), np.arange(n)] = NEG
    scores[0, :] = NEG
    heads = _arborescence(scores)
    children = np.flatnonzero(heads[1:] == 0) + 1
    if len(children) <= 1:
        return heads
    best, best_score = heads, NEG
    for child in children:
        only = scores.copy()
        only[:, 0] = NEG
        only[child, 0] = scores[child, 0]
        tree = _arborescence(only)
        total = only[np.arange(1, n), tree[1:]].sum()
        if total > best_score:
            best, best_score = tree, total
    return best

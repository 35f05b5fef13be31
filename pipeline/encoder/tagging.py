"""BIO tags of the encoder's entity head and their constrained decoding."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LABELS = ("PER", "LOC", "ORG")
TAGS = ["O"] + [f"{p}-{label}" for label in LABELS for p in ("B", "I")]


def allowed_transitions() -> np.ndarray:
    """(previous, next) → allowed; ``I-X`` only after ``B-X`` or ``I-X``. Row ``len(TAGS)``
    is the sentence start."""
    n = len(TAGS)
    allowed = np.ones((n + 1, n), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i in range(n + 1):
                prev = TAGS[i] if i < n else "O"
                allowed[i, j] = prev[2:] == tag[2:] and prev != "O"
    return allowed


def viterbi(log_probs: np.ndarray, allowed: np.ndarray) -> list[int]:
    """Best tag sequence under the BIO constraints (log-probabilities per token)."""
    n, k = log_probs.shape
    if n == 0:
        return []
    penalty = np.where(allowed, 0.0, -1e9)
    score = log_probs[0] + penalty[k]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + penalty[:k]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def bio_spans(tags: Sequence[int], positions: Sequence[int] | None = None
              ) -> list[tuple[int, int, str]]:
    """(start, end, label) of each entity in a BIO tag sequence. ``positions[k]`` is where
    the k-th tag stands (default: k); an entity also ends where positions jump (a skipped
    whitespace token), and an ``I-`` that continues nothing starts an entity."""
    positions = range(len(tags)) if positions is None else positions
    out: list[tuple[int, int, str]] = []
    start = label = last = None
    for pos, tag in zip([*positions, None], [*tags, 0], strict=True):
        name = TAGS[tag]
        inside = (name.startswith("I-") and label == name[2:] and pos is not None
                  and pos == last + 1)
        if not inside and label is not None:
            out.append((start, last + 1, label))
            start = label = None
        if not inside and name != "O":
            start, label = pos, name[2:]
        last = pos
    return out

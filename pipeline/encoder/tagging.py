"""BIO tags of the encoder's entity head and their constrained decoding."""

from __future__ import annotations

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

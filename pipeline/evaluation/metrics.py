"""Precision, recall and F1 from counts, with one convention for empty denominators.

When there is nothing to find and nothing was found, the score is 1.0 (perfect); when only one
side is empty, the undefined ratio is 0.0. Documents where both sides are empty are left out of
macro averages, so they neither help nor hurt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class PRF:
    tp: int = 0
    n_gold: int = 0
    n_pred: int = 0

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        return self

    @property
    def empty(self) -> bool:
        return self.n_gold == 0 and self.n_pred == 0

    @property
    def precision(self) -> float:
        if self.n_pred == 0:
            return 1.0 if self.n_gold == 0 else 0.0
        return self.tp / self.n_pred

    @property
    def recall(self) -> float:
        if self.n_gold == 0:
            return 1.0 if self.n_pred == 0 else 0.0
        return self.tp / self.n_gold

    @property
    def f1(self) -> float:
        if self.empty:
            return 1.0
        # 2TP / (gold + pred) equals the harmonic mean of P and R, and is defined everywhere.
        return 2 * self.tp / (self.n_gold + self.n_pred)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
        }


@dataclass(slots=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    def __iadd__(self, other: Accuracy) -> Accuracy:
        self.correct += other.correct
        self.total += other.total
        return self

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {"accuracy": self.value, "correct": self.correct, "total": self.total}


def macro(scores: Iterable[PRF]) -> dict[str, float | int | None]:
    """Unweighted mean of P, R, F1 over the non-empty items (documents or labels)."""
    kept = [s for s in scores if not s.empty]
    if not kept:
        return {"precision": None, "recall": None, "f1": None, "n": 0}
    n = len(kept)
    return {
        "precision": sum(s.precision for s in kept) / n,
        "recall": sum(s.recall for s in kept) / n,
        "f1": sum(s.f1 for s in kept) / n,
        "n": n,
    }

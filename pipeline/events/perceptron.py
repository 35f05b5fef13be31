"""A small averaged perceptron over sparse string features: the trigger model.

Chosen over a neural tagger because event triggers are single words decided mostly by their
lemma, part of speech and place in the parse; it trains in seconds, runs at parser speed, and
its weights are a plain JSON file (``data/trigger_model.json``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


class Perceptron:
    def __init__(self, classes: Sequence[str], weights: dict[str, list[float]] | None = None):
        self.classes = list(classes)
        self.weights: dict[str, list[float]] = weights or {}

    def scores(self, features: Iterable[str]) -> list[float]:
        totals = [0.0] * len(self.classes)
        for f in features:
            w = self.weights.get(f)
            if w is not None:
                for k, v in enumerate(w):
                    totals[k] += v
        return totals

    def predict(self, features: Iterable[str]) -> str:
        totals = self.scores(features)
        # ties go to the first class (index order), so predictions are deterministic
        best = max(range(len(totals)), key=lambda k: (totals[k], -k))
        return self.classes[best]

    @classmethod
    def train(cls, data: Sequence[tuple[list[str], str]], classes: Sequence[str],
              epochs: int = 8, seed: int = 0) -> Perceptron:
        """Averaged perceptron; ``data`` is (features, gold class) pairs."""
        import random

        model = cls(classes)
        index = {c: k for k, c in enumerate(classes)}
        weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(classes))
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(classes))
        stamps: dict[str, list[int]] = defaultdict(lambda: [0] * len(classes))
        step = 0
        order = list(range(len(data)))
        rng = random.Random(seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for i in order:
                feats, gold = data[i]
                step += 1
                model.weights = weights
                guess = model.predict(feats)
                if guess == gold:
                    continue
                for f in feats:
                    for k, delta in ((index[gold], 1.0), (index[guess], -1.0)):
                        totals[f][k] += (step - stamps[f][k]) * weights[f][k]
                        stamps[f][k] = step
                        weights[f][k] += delta
        averaged = {}
        for f, w in weights.items():
            avg = [(totals[f][k] + (step - stamps[f][k]) * w[k]) / step for k in range(len(w))]
            if any(abs(v) > 1e-3 for v in avg):
                averaged[f] = [round(v, 4) for v in avg]
        return cls(classes, averaged)


    @classmethod
    def average(cls, models: Sequence[Perceptron]) -> Perceptron:
        """The mean of models trained on other shuffles of the same data (less variance)."""
        classes = models[0].classes
        total: dict[str, list[float]] = {}
        for m in models:
            for f, w in m.weights.items():
                acc = total.setdefault(f, [0.0] * len(classes))
                for k, v in enumerate(w):
                    acc[k] += v / len(models)
        return cls(classes, {f: [round(v, 4) for v in w] for f, w in total.items()})


def save_models(path: Path, meta: dict[str, object], **models: Perceptron) -> None:
    """Named models and their meta in one JSON file."""
    data = {"meta": meta, "models": {
        name: {"classes": m.classes, "weights": dict(sorted(m.weights.items()))}
        for name, m in models.items()}}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")


class FrozenPerceptron(Perceptron):
    """A trained model that no longer changes, scored from one weight matrix: the rows of a
    token's features are summed by numpy, in feature order as ``Perceptron.scores`` adds them
    (a reduction over the rows is sequential), so the scores are the same floats, about five
    times faster. Training keeps ``Perceptron``, whose weights change under it."""

    def __init__(self, classes: Sequence[str], weights: dict[str, list[float]]):
        super().__init__(classes, weights)
        self._rows = {f: i for i, f in enumerate(weights)}
        # a last row of zeros stands for every unknown feature (adding 0.0 changes no sum)
        self._unknown = len(weights)
        self._matrix = np.zeros((len(weights) + 1, len(self.classes)), dtype=np.float64)
        if weights:
            self._matrix[:-1] = np.array(list(weights.values()), dtype=np.float64)

    def scores(self, features: Iterable[str]) -> list[float]:
        get, unknown = self._rows.get, self._unknown
        rows = [get(f, unknown) for f in features]
        if not rows:
            return [0.0] * len(self.classes)
        return self._matrix.take(rows, axis=0).sum(axis=0).tolist()


def load_models(path: Path) -> tuple[dict[str, Perceptron], dict[str, object]]:
    """The named models of a file written by ``save_models`` (frozen: for tagging)."""
    data = json.loads(path.read_text("utf-8"))
    models: dict[str, Perceptron] = {
        name: FrozenPerceptron(m["classes"], m["weights"]) for name, m in data["models"].items()}
    return models, data.get("meta", {})

"""The trigger model's fast paths give what the plain ones give: the frozen perceptron's
scores are the same floats as ``Perceptron.scores`` (a different summation order would move
close decisions), and vector features looked up in one batch per document are those of one
lookup per lemma."""

from __future__ import annotations

import random

import pytest

from pipeline.events import features as F
from pipeline.events.perceptron import FrozenPerceptron, Perceptron
from pipeline.events.triggers import decide, trigger_model


def _feature_lists(model: Perceptron, n: int) -> list[list[str]]:
    """Lists like a token's: dozens of known features, some twice, some unknown."""
    rng = random.Random(7)
    known = sorted(model.weights)
    lists = []
    for _ in range(n):
        feats = rng.sample(known, rng.randint(1, 70))
        feats += rng.sample(feats, min(len(feats), rng.randint(0, 3))) + ["never-seen", "bias"]
        rng.shuffle(feats)
        lists.append(feats)
    return lists


@pytest.mark.parametrize("which", [0, 1])
def test_frozen_scores_are_the_same_floats(which: int) -> None:
    frozen = trigger_model()[which]
    assert isinstance(frozen, FrozenPerceptron)
    plain = Perceptron(frozen.classes, frozen.weights)
    for feats in _feature_lists(plain, 3000):
        assert frozen.scores(feats) == plain.scores(feats)
    assert frozen.scores([]) == plain.scores([]) == [0.0] * len(plain.classes)


def test_frozen_decisions_match_with_the_event_bias() -> None:
    frozen, _, bias = trigger_model()
    plain = Perceptron(frozen.classes, frozen.weights)
    lists = _feature_lists(plain, 2000)
    for b in (bias, 0.0, -bias):
        assert [decide(frozen, b, f) for f in lists] == [decide(plain, b, f) for f in lists]


def test_batched_vector_features_equal_single_lookups(shipped_nlp) -> None:
    vocab = shipped_nlp.vocab
    if vocab.vectors.mode != "floret":
        pytest.skip("the shipped vectors are not floret: nothing is batched")
    token = shipped_nlp.make_doc("x")[0]
    lemmas = ["revolta", "levante", "demitir", "ação", "combatê-la", "X", "zzqqxw", "governo",
              "eleição", "2018", "pôr", "ç"]
    F._VECTOR_CACHE.clear()
    single = {w: F.vector_features(token, w) for w in lemmas}
    F._VECTOR_CACHE.clear()
    F.prefetch_vector_features(vocab, [*lemmas, lemmas[0], ""])
    assert {(id(vocab.vectors), w) for w in lemmas} <= set(F._VECTOR_CACHE)
    assert {w: F.vector_features(token, w) for w in lemmas} == single
    assert any(single.values())
    F._VECTOR_CACHE.clear()

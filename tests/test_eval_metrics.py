"""P/R/F1 conventions, including empty denominators."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.evaluation.metrics import PRF, Accuracy, macro


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_f1_is_the_harmonic_mean(tp, extra_gold, extra_pred):
    s = PRF(tp, tp + extra_gold, tp + extra_pred)
    p, r = s.precision, s.recall
    if s.empty:
        assert (p, r, s.f1) == (1.0, 1.0, 1.0)
    elif p + r == 0:
        assert s.f1 == 0.0
    else:
        assert s.f1 == pytest.approx(2 * p * r / (p + r))


def test_empty_conventions():
    assert (PRF(0, 3, 0).precision, PRF(0, 3, 0).recall, PRF(0, 3, 0).f1) == (0.0, 0.0, 0.0)
    assert (PRF(0, 0, 2).precision, PRF(0, 0, 2).recall, PRF(0, 0, 2).f1) == (0.0, 0.0, 0.0)
    assert Accuracy().value is None and Accuracy(1, 4).value == 0.25


def test_sum_and_macro():
    a, b = PRF(1, 2, 1), PRF(3, 4, 6)
    total = PRF()
    total += a
    total += b
    assert (total.tp, total.n_gold, total.n_pred) == (4, 6, 7)
    m = macro([a, b, PRF()])  # the empty one is left out
    assert m["n"] == 2 and m["f1"] == pytest.approx((a.f1 + b.f1) / 2)
    assert macro([PRF()])["f1"] is None

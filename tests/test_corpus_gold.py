"""The sample corpus against its gold: a regression floor for the temporal tagger end to end.

The corpus gold (corpus/gold) is small and written by us, so these floors are set a little
below what the tagger measured when they were written; a drop below them is a regression to
look at, not noise.
"""

from __future__ import annotations

from conftest import CORPUS

from pipeline.evaluation import evaluate_gold


def test_timexes_of_the_sample_corpus(blank_nlp) -> None:
    result = evaluate_gold(CORPUS / "gold", nlp=blank_nlp)
    timex = result.scores["timex"]
    assert timex["relaxed"]["f1"] >= 0.95, timex
    assert timex["strict"]["f1"] >= 0.90, timex
    assert timex["value"]["accuracy"] >= 0.92, timex
    assert result.scores["missing_docs"] == []

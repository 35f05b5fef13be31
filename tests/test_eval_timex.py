"""Timex scorer: expected numbers computed by hand on small cases."""

from __future__ import annotations

import pytest

from pipeline.evaluation.gold import GoldDocument, GoldTimex
from pipeline.evaluation.timex_scores import score_timexes


def gdoc(timexes, fmt="json", doc_id="d", text=None):
    text = text if text is not None else "x" * 200
    return GoldDocument(doc_id=doc_id, text=text, format=fmt, timexes=timexes)


def g(start, end, type="DATE", value="2020", mod=None, **kw):
    return GoldTimex(start=start, end=end, text="", type=type, value=value, mod=mod, **kw)


def p(start, end, type="DATE", value="2020", mod=None, **kw):
    row = {"start": start, "end": end, "text": "", "type": type, "value": value, "mod": mod}
    row.update(kw)
    return row


def summary(gold, pred, mode=None):
    return score_timexes([gdoc(gold)], {"d": pred}, mode=mode).summary()


def test_perfect():
    s = summary([g(0, 4), g(10, 20, "DURATION", "P1D")], [p(0, 4), p(10, 20, "DURATION", "P1D")])
    for k in ("strict", "relaxed", "all_correct"):
        assert (s[k]["precision"], s[k]["recall"], s[k]["f1"]) == (1.0, 1.0, 1.0)
    assert s["type"]["accuracy"] == s["value"]["accuracy"] == s["mod"]["accuracy"] == 1.0


def test_empty_prediction():
    s = summary([g(0, 4), g(10, 14)], [])
    assert (s["strict"]["precision"], s["strict"]["recall"], s["strict"]["f1"]) == (0, 0, 0)
    assert s["relaxed"]["n_gold"] == 2 and s["relaxed"]["n_pred"] == 0
    assert s["value"]["accuracy"] is None  # no matches: accuracy undefined


def test_empty_gold():
    s = summary([], [p(0, 4)])
    assert (s["relaxed"]["precision"], s["relaxed"]["recall"], s["relaxed"]["f1"]) == (0, 0, 0)
    both_empty = summary([], [])
    assert both_empty["relaxed"]["f1"] == 1.0
    assert both_empty["macro_docs"]["relaxed"]["f1"] is None  # left out of macro averages


def test_overlapping_spans():
    # gold [0,10) [20,30) [40,50); pred [0,10) exact, [22,35) overlaps, [60,70) spurious.
    s = summary([g(0, 10), g(20, 30), g(40, 50)], [p(0, 10), p(22, 35), p(60, 70)])
    assert s["strict"]["tp"] == 1
    assert s["strict"]["precision"] == pytest.approx(1 / 3)
    assert s["strict"]["recall"] == pytest.approx(1 / 3)
    assert s["relaxed"]["tp"] == 2
    assert s["relaxed"]["precision"] == pytest.approx(2 / 3)
    assert s["relaxed"]["recall"] == pytest.approx(2 / 3)
    assert s["relaxed"]["f1"] == pytest.approx(2 / 3)
    assert s["all_correct"]["tp"] == 1  # the overlapping one has the wrong span


def test_one_gold_matched_by_two_predictions():
    # Both predictions overlap the single gold: it counts once, the other prediction is spurious.
    ev = score_timexes([gdoc([g(0, 20)])], {"d": [p(0, 8), p(10, 20)]})
    s = ev.summary()
    assert s["relaxed"]["tp"] == 1
    assert s["relaxed"]["precision"] == 0.5 and s["relaxed"]["recall"] == 1.0
    assert s["relaxed"]["f1"] == pytest.approx(2 / 3)
    assert s["strict"]["tp"] == 0
    assert sorted(r.status for r in ev.items) == ["spurious", "wrong"]


def test_two_gold_one_prediction_covering_both():
    s = summary([g(0, 5), g(6, 10)], [p(0, 10)])
    assert s["relaxed"]["tp"] == 1 and s["relaxed"]["recall"] == 0.5


def test_matching_maximises_pairs():
    # Greedy by overlap would give pred [3,12) to gold [0,10) and leave gold [11,20) unmatched;
    # the one-to-one matching finds two pairs.
    s = summary([g(0, 10), g(11, 20)], [p(3, 12), p(0, 4)])
    assert s["relaxed"]["tp"] == 2


def test_value_type_mod_errors():
    gold = [g(0, 10, "DATE", "1975", "START"), g(20, 30, "DATE", "1910-10"),
            g(40, 50, "DURATION", "P2Y")]
    pred = [p(0, 10, "DATE", "1975", None),  # mod wrong
            p(20, 30, "DATE", "1910"),  # value wrong
            p(40, 50, "DATE", "P2Y")]  # type wrong
    ev = score_timexes([gdoc(gold)], {"d": pred})
    s = ev.summary()
    assert s["strict"]["f1"] == 1.0
    assert s["type"]["accuracy"] == pytest.approx(2 / 3)
    assert s["value"]["accuracy"] == pytest.approx(2 / 3)
    assert s["mod"]["accuracy"] == pytest.approx(2 / 3)
    assert s["all_correct"]["tp"] == 0 and s["all_correct"]["f1"] == 0.0
    assert s["value"]["f1"] == pytest.approx(2 * 2 / 6)
    assert [r.errors for r in ev.errors] == ["mod", "value", "type"]


def test_value_comparison_ignores_case_and_null_mod():
    s = summary([g(0, 4, "DATE", "present_ref")], [p(0, 4, "DATE", "PRESENT_REF", "")])
    assert s["all_correct"]["f1"] == 1.0


INTERVAL_PRED = [
    p(0, 9, "INTERVAL", None, begin_value="1807", end_value="1808", timex_id=0),
    p(0, 4, "DATE", "1807", timex_id=1, parent_id=0, role="begin"),
    p(5, 9, "DATE", "1808", timex_id=2, parent_id=0, role="end"),
]


def test_interval_against_anais_gold():
    gold = [g(0, 9, "INTERVAL", None, begin="1807", end_value="1808")]
    s = summary(gold, INTERVAL_PRED, mode="anais")
    assert s["all_correct"]["f1"] == 1.0 and s["relaxed"]["n_pred"] == 1


def test_interval_wrong_end_value():
    gold = [g(0, 9, "INTERVAL", None, begin="1807", end_value="1809")]
    ev = score_timexes([gdoc(gold)], {"d": INTERVAL_PRED}, mode="anais")
    assert ev.summary()["value"]["accuracy"] == 0.0
    assert ev.errors[0].gold_value == "1807/1809" and ev.errors[0].pred_value == "1807/1808"


def test_endpoints_against_timeml_gold():
    gold = [g(0, 4, "DATE", "1807"), g(5, 9, "DATE", "1808")]
    s = summary(gold, INTERVAL_PRED, mode="timeml")
    assert s["strict"]["n_pred"] == 2
    assert s["all_correct"]["f1"] == 1.0


def test_timeml_mode_is_the_default_for_timeml_gold():
    doc = gdoc([g(0, 4, "DATE", "1807"), g(5, 9, "DATE", "1808")], fmt="timeml")
    s = score_timexes([doc], {"d": INTERVAL_PRED}).summary()
    assert s["all_correct"]["f1"] == 1.0


def test_micro_and_macro_over_documents():
    d1 = gdoc([g(0, 4)], doc_id="a")
    d2 = gdoc([g(0, 4), g(10, 14), g(20, 24)], doc_id="b")
    ev = score_timexes([d1, d2], {"a": [p(0, 4)], "b": [p(0, 4)]})
    s = ev.summary()
    # micro: tp 2 / gold 4 / pred 2; macro: mean of F1 1.0 and 0.5.
    assert s["strict"]["recall"] == 0.5 and s["strict"]["precision"] == 1.0
    assert s["macro_docs"]["strict"]["f1"] == pytest.approx((1.0 + 0.5) / 2)
    assert s["n_docs"] == 2


def test_ignored_dct_region_is_not_spurious():
    doc = gdoc([], fmt="timeml")
    doc.ignore_spans.append((3, 11))
    s = score_timexes([doc], {"d": [p(3, 11, "DATE", "1998-01-08")]}).summary()
    assert s["relaxed"]["n_pred"] == 0


def test_records_from_the_schema_are_accepted():
    from pipeline.schema import TimexRecord

    rec = TimexRecord(doc_id="d", timex_id=0, sent_id=0, start=0, end=4, text="1998",
                      type="DATE", value="1998")
    s = score_timexes([gdoc([g(0, 4, value="1998")])], {"d": [rec]}).summary()
    assert s["all_correct"]["f1"] == 1.0


def test_predictions_outside_scored_regions_are_ignored():
    doc = gdoc([g(20, 24)], fmt="timeml")
    doc.scored_spans = [(10, 40)]  # e.g. the <s> sentences of a TimeML file
    s = score_timexes([doc], {"d": [p(0, 4), p(20, 24), p(38, 45)]}).summary()
    # [0,4) is in a header outside every sentence: not scored; [38,45) overlaps one: spurious.
    assert (s["strict"]["tp"], s["strict"]["n_pred"]) == (1, 2)

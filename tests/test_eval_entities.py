"""Entity scorer: span P/R/F per label and micro/macro, surface sets; hand-computed."""

from __future__ import annotations

import pytest

from pipeline.evaluation.entity_scores import score_entities
from pipeline.evaluation.gold import GoldDocument, GoldEntity
from pipeline.evaluation.matching import align

TEXT = "Eça de Queirós viveu em Paris e Lisboa com o Banco de Portugal."


def ent(surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(surface, start + 1)
    return start, start + len(surface), label


def gdoc(ents=None, surfaces=None, doc_id="d"):
    gold = None if ents is None else [GoldEntity(s, e, lab, TEXT[s:e]) for s, e, lab in ents]
    return GoldDocument(doc_id=doc_id, text=TEXT, entities=gold, entity_surfaces=surfaces)


def pred(*ents):
    return [{"start": s, "end": e, "label": lab, "text": TEXT[s:e]} for s, e, lab in ents]


GOLD = [ent("Eça de Queirós", "PER"), ent("Paris", "LOC"), ent("Lisboa", "LOC"),
        ent("Banco de Portugal", "ORG")]


def test_perfect_spans():
    s = score_entities([gdoc(GOLD)], {"d": pred(*GOLD)}).summary()["spans"]
    assert s["strict"]["micro"]["f1"] == 1.0
    assert s["strict"]["per_label"]["LOC"]["tp"] == 2
    assert s["strict"]["macro_labels"]["f1"] == 1.0


def test_wrong_label_partial_span_and_spurious():
    p = pred(ent("Eça de Queirós", "PER"),
             ent("Paris", "ORG"),  # wrong label
             ent("Lisboa", "LOC"),
             (TEXT.index("Banco"), TEXT.index("Banco") + 5, "ORG"),  # partial span
             ent("viveu", "PER"))  # spurious
    ev = score_entities([gdoc(GOLD)], {"d": p})
    s = ev.summary()["spans"]
    strict, relaxed = s["strict"], s["relaxed"]
    # strict: PER 1/1 of gold 1, pred 2; LOC tp 1 gold 2 pred 1; ORG tp 0 gold 1 pred 2.
    assert strict["micro"]["tp"] == 2 and strict["micro"]["n_pred"] == 5
    assert strict["micro"]["precision"] == pytest.approx(2 / 5)
    assert strict["micro"]["recall"] == pytest.approx(2 / 4)
    assert strict["per_label"]["PER"]["precision"] == 0.5
    assert strict["per_label"]["LOC"]["recall"] == 0.5
    assert relaxed["per_label"]["ORG"]["tp"] == 1  # the partial Banco
    assert relaxed["micro"]["tp"] == 3
    # macro over labels: strict F1 per label PER 2/3, LOC 2/3, ORG 0.
    assert strict["macro_labels"]["f1"] == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    kinds = sorted((r.status, r.errors) for r in ev.items)
    assert kinds == [("correct", None), ("correct", None), ("spurious", None),
                     ("wrong", "label"), ("wrong", "span")]
    wrong_label = next(r for r in ev.items if r.errors == "label")
    assert wrong_label.context.startswith("Eça de Queirós viveu em [[Paris]]")


def test_empty_prediction_and_empty_gold():
    s = score_entities([gdoc(GOLD)], {}).summary()["spans"]["strict"]["micro"]
    assert (s["precision"], s["recall"], s["f1"]) == (0.0, 0.0, 0.0)
    s = score_entities([gdoc([])], {"d": pred(ent("Paris", "LOC"))}).summary()
    assert s["spans"]["strict"]["micro"]["f1"] == 0.0
    assert s["spans"]["strict"]["macro_docs"]["f1"] == 0.0


def test_one_gold_two_predictions_counts_once():
    gold = [ent("Banco de Portugal", "ORG")]
    i = TEXT.index("Banco")
    p = pred((i, i + 5, "ORG"), (i + 9, i + 17, "ORG"))
    s = score_entities([gdoc(gold)], {"d": p}).summary()["spans"]["relaxed"]["micro"]
    assert (s["tp"], s["n_gold"], s["n_pred"]) == (1, 1, 2)
    assert s["f1"] == pytest.approx(2 / 3)


def test_other_labels_are_ignored():
    s = score_entities([gdoc(GOLD)], {"d": pred(*GOLD, ent("viveu", "MISC"))}).summary()
    assert s["spans"]["strict"]["micro"]["f1"] == 1.0


def test_surface_sets():
    surfaces = {"PER": ["Eça de Queirós"], "LOC": ["Paris", "Lisboa", "Sintra"], "ORG": []}
    p = pred(ent("Eça de Queirós", "PER"), ent("Paris", "LOC"), ent("Paris", "LOC"),
             ent("Banco de Portugal", "LOC"))
    ev = score_entities([gdoc(None, surfaces)], {"d": p})
    s = ev.summary()
    assert "spans" not in s
    su = s["surfaces"]
    # PER 1/1/1; LOC gold {Paris, Lisboa, Sintra} pred {Paris, Banco de Portugal}: tp 1.
    assert su["per_label"]["LOC"] == {"precision": 0.5, "recall": pytest.approx(1 / 3),
                                      "f1": pytest.approx(0.4), "tp": 1, "n_gold": 3,
                                      "n_pred": 2}
    assert su["micro"]["tp"] == 2 and su["micro"]["n_gold"] == 4 and su["micro"]["n_pred"] == 3
    missed = sorted(r.gold_text for r in ev.items if r.status == "missed")
    assert missed == ["Lisboa", "Sintra"]


def test_macro_over_documents():
    d1 = gdoc([ent("Paris", "LOC")], doc_id="a")
    d2 = gdoc([ent("Paris", "LOC"), ent("Lisboa", "LOC")], doc_id="b")
    ev = score_entities([d1, d2], {"a": pred(ent("Paris", "LOC")), "b": []})
    s = ev.summary()["spans"]["strict"]
    assert s["micro"]["recall"] == pytest.approx(1 / 3)
    assert s["macro_docs"]["f1"] == pytest.approx(0.5)


def test_align_strict_duplicates_and_compatible():
    al = align([(0, 5), (0, 5)], [(0, 5)], "strict")
    assert al.pairs == [(0, 0)] and al.missed == [1]
    al = align([(0, 5)], [(0, 5), (1, 4)], "relaxed", compatible=lambda g, p: p == 1)
    assert al.pairs == [(0, 1)] and al.spurious == [0]
    with pytest.raises(ValueError):
        align([], [], "fuzzy")  # type: ignore[arg-type]

"""Put the scorers together: gold + predictions → one ``EvalResult`` (scores, items, per doc)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluation.entity_scores import score_entities
from pipeline.evaluation.event_scores import score_events
from pipeline.evaluation.gold import GoldDocument
from pipeline.evaluation.items import CORRECT, ItemRow
from pipeline.evaluation.metrics import PRF
from pipeline.evaluation.predictions import Predictions, fill_context
from pipeline.evaluation.timex_scores import score_timexes

#: Bumped when scores.json changes shape, so ``--compare`` can tell.
RESULT_VERSION = 1


@dataclass(slots=True)
class EvalResult:
    scores: dict[str, Any]
    items: list[ItemRow] = field(default_factory=list)
    per_doc: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[ItemRow]:
        return [r for r in self.items if r.status != CORRECT]


def _doc_row(doc_id: str, metric: str, prf: PRF) -> dict[str, Any]:
    return {"doc_id": doc_id, "metric": metric, **prf.as_dict()}


def evaluate(
    gold: list[GoldDocument],
    preds: Predictions,
    *,
    gold_path: str = "",
    gold_format: str = "",
    warnings: list[str] | None = None,
) -> EvalResult:
    """Score timexes, entities and events, whichever the gold has."""
    fill_context(gold, preds)
    scores: dict[str, Any] = {
        "version": RESULT_VERSION,
        "gold": {"path": gold_path, "format": gold_format, "n_docs": len(gold)},
        "predictions": preds.info,
    }
    result = EvalResult(scores)
    if any(d.timexes is not None for d in gold):
        tev = score_timexes(gold, preds.timexes)
        scores["timex"] = tev.summary()
        result.items += tev.items
        for doc_id, c in tev.per_doc.items():
            for metric in ("strict", "relaxed", "all_correct"):
                result.per_doc.append(_doc_row(doc_id, f"timex_{metric}", getattr(c, metric)))
    if any(d.entities is not None or d.entity_surfaces is not None for d in gold):
        eev = score_entities(gold, preds.entities)
        scores["entities"] = eev.summary()
        result.items += eev.items
        for doc_id, c in eev.spans_per_doc.items():
            for metric in ("strict", "relaxed"):
                result.per_doc.append(_doc_row(doc_id, f"entity_{metric}", c.micro(metric)))
        for doc_id, c in eev.surfaces_per_doc.items():
            result.per_doc.append(_doc_row(doc_id, "entity_surface", c.micro("strict")))
    if any(d.events is not None for d in gold):
        vev = score_events(gold, preds.events, preds.event_args, preds.timexes, preds.entities)
        scores["events"] = vev.summary()
        result.items += vev.items
        for doc_id, c in vev.per_doc.items():
            result.per_doc.append(_doc_row(doc_id, "event_overlap", c.relaxed))
    scores["per_doc"] = result.per_doc
    scores["missing_docs"] = preds.missing
    scores["pipeline_errors"] = len(preds.errors)
    scores["warnings"] = list(warnings or [])
    scores["n_items"] = len(result.items)
    scores["n_errors"] = len(result.errors)
    return result


def evaluate_gold(
    gold_path: str | Path,
    *,
    nlp: Any = None,
    pred: str | Path | None = None,
    gold_format: str | None = None,
    corpus: str | Path | None = None,
    dct: str | None = None,
    batch_size: int = 16,
) -> EvalResult:
    """Read gold (not CoNLL-U) and score ``pred`` tables, or ``nlp`` run on the gold's text.

        from pipeline.evaluation.evaluate import evaluate_gold
        res = evaluate_gold("../shared/data/timebankpt/train", nlp=pipeline.load())
        res.scores["timex"]["relaxed"]["f1"], res.errors
    """
    from pipeline.evaluation.gold_reader import read_gold
    from pipeline.evaluation.predictions import by_running, from_tables

    if (nlp is None) == (pred is None):
        raise ValueError("give either nlp (run the pipeline) or pred (an anais run folder)")
    warnings: list[str] = []
    fmt, gold = read_gold(gold_path, gold_format, corpus, warnings)
    if fmt == "conllu":
        raise ValueError("CoNLL-U gold is scored by conllu_scores.score_conllu")
    preds = from_tables(gold, pred) if pred is not None else by_running(
        gold, nlp, dct, batch_size=batch_size)
    return evaluate(gold, preds, gold_path=str(gold_path), gold_format=fmt, warnings=warnings)

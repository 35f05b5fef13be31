"""Temporal expression scores: strict/relaxed span P/R/F1, attribute accuracy, all-correct F1.

- strict: identical spans; relaxed: overlapping spans (one-to-one, see ``matching``).
- type / value / mod accuracy are computed over the relaxed matches (TempEval style), and the
  matching attribute F1 (correct attribute over all gold and all predictions) is given too.
- all-correct: strict span and type, value and mod all right.

Which predicted rows are scored depends on the gold's conventions (``mode``):
- ``timeml``: TimeML tags the two ends of a range as separate DATEs, so our interval endpoints
  (rows with a ``parent_id``) are scored in place of the INTERVAL row;
- ``anais``: anais JSON gold has INTERVAL items (``begin``/``end_value``), so INTERVAL rows are
  scored and their endpoint rows dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.evaluation.context import context
from pipeline.evaluation.gold import GoldDocument, GoldTimex
from pipeline.evaluation.items import CORRECT, MISSED, SPURIOUS, WRONG, ItemRow
from pipeline.evaluation.matching import align, overlap
from pipeline.evaluation.metrics import PRF, Accuracy, macro
from pipeline.evaluation.rows import get_field

TimexMode = Literal["timeml", "anais"]


@dataclass(frozen=True, slots=True)
class PredTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    mod: str | None = None
    begin_value: str | None = None
    end_value: str | None = None
    timex_id: int | None = None
    parent_id: int | None = None


@dataclass(slots=True)
class TimexCounts:
    strict: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    all_correct: PRF = field(default_factory=PRF)
    type: Accuracy = field(default_factory=Accuracy)
    value: Accuracy = field(default_factory=Accuracy)
    mod: Accuracy = field(default_factory=Accuracy)

    def __iadd__(self, other: TimexCounts) -> TimexCounts:
        for name in ("strict", "relaxed", "all_correct", "type", "value", "mod"):
            acc = getattr(self, name)
            acc += getattr(other, name)
        return self

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "strict": self.strict.as_dict(),
            "relaxed": self.relaxed.as_dict(),
            "all_correct": self.all_correct.as_dict(),
        }
        n = self.relaxed.n_gold + self.relaxed.n_pred
        for name in ("type", "value", "mod"):
            acc: Accuracy = getattr(self, name)
            d = acc.as_dict()
            # TempEval-3 attribute F1: right attribute over everything in gold and prediction.
            d["f1"] = 2 * acc.correct / n if n else 1.0
            out[name] = d
        return out


@dataclass(slots=True)
class TimexEvaluation:
    micro: TimexCounts
    per_doc: dict[str, TimexCounts]
    items: list[ItemRow]

    def summary(self) -> dict[str, Any]:
        out = self.micro.as_dict()
        out["macro_docs"] = {
            "strict": macro(c.strict for c in self.per_doc.values()),
            "relaxed": macro(c.relaxed for c in self.per_doc.values()),
            "all_correct": macro(c.all_correct for c in self.per_doc.values()),
        }
        out["n_docs"] = len(self.per_doc)
        return out

    @property
    def errors(self) -> list[ItemRow]:
        return [r for r in self.items if r.status != CORRECT]


def _opt_str(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _opt_int(v: Any) -> int | None:
    return None if v is None else int(v)


def to_pred_timex(row: Any) -> PredTimex:
    """A ``TimexRecord``, a dict or a table row as a ``PredTimex``."""
    return PredTimex(
        start=int(get_field(row, "start")),
        end=int(get_field(row, "end")),
        text=str(get_field(row, "text") or ""),
        type=str(get_field(row, "type") or "").upper(),
        value=_opt_str(get_field(row, "value")),
        mod=_opt_str(get_field(row, "mod")),
        begin_value=_opt_str(get_field(row, "begin_value")),
        end_value=_opt_str(get_field(row, "end_value")),
        timex_id=_opt_int(get_field(row, "timex_id")),
        parent_id=_opt_int(get_field(row, "parent_id")),
    )


def select_predictions(preds: Iterable[PredTimex], mode: TimexMode) -> list[PredTimex]:
    """Keep the rows the gold's conventions score (see the module docstring)."""
    preds = list(preds)
    if mode == "anais":
        return [p for p in preds if p.parent_id is None]
    if mode == "timeml":
        parents = {p.parent_id for p in preds if p.parent_id is not None}
        return [p for p in preds if not (p.type == "INTERVAL" and p.timex_id in parents)]
    raise ValueError(f"unknown timex mode {mode!r}")


def _is_interval(t: GoldTimex | PredTimex) -> bool:
    return t.type == "INTERVAL"


def _value_of(t: GoldTimex | PredTimex) -> str | None:
    """The value as one string; for intervals ``begin/end`` (how error tables show it)."""
    if _is_interval(t):
        b = t.begin if isinstance(t, GoldTimex) else t.begin_value
        if b is None and t.end_value is None:
            return t.value
        return f"{b or '?'}/{t.end_value or '?'}"
    return t.value


def same_value(g: GoldTimex, p: PredTimex) -> bool:
    """Values agree; an INTERVAL's value is its begin and end point values."""
    if _is_interval(g):
        if not _is_interval(p):
            return False
        return (g.begin, g.end_value) == (p.begin_value, p.end_value)
    if _is_interval(p):
        return False
    return (g.value or "").upper() == (p.value or "").upper()


def _same_mod(g: GoldTimex, p: PredTimex) -> bool:
    return (g.mod or None) == (p.mod or None)


def _ignored(p: PredTimex, gold: GoldDocument) -> bool:
    span = (p.start, p.end)
    if any(overlap(span, s) > 0 for s in gold.ignore_spans):
        return True
    return gold.scored_spans is not None and not any(
        overlap(span, s) > 0 for s in gold.scored_spans)


def score_document(
    gold: GoldDocument, preds: Iterable[Any], mode: TimexMode | None = None
) -> tuple[TimexCounts, list[ItemRow]]:
    """Scores and item rows for one document."""
    mode = mode or ("timeml" if gold.format == "timeml" else "anais")
    chosen = select_predictions((to_pred_timex(r) for r in preds), mode)
    pred = [p for p in chosen if not _ignored(p, gold)]
    pred.sort(key=lambda p: (p.start, p.end))
    gold_t = sorted(gold.timexes or [], key=lambda g: (g.start, g.end))
    gspans = [(g.start, g.end) for g in gold_t]
    pspans = [(p.start, p.end) for p in pred]

    c = TimexCounts()
    for prf in (c.strict, c.relaxed, c.all_correct):
        prf.n_gold, prf.n_pred = len(gold_t), len(pred)
    c.strict.tp = len(align(gspans, pspans, "strict").pairs)
    relaxed = align(gspans, pspans, "relaxed")
    c.relaxed.tp = len(relaxed.pairs)

    rows: list[ItemRow] = []

    def ctx(start: int, end: int) -> str:
        return context(gold.text, start, end, gold.sentences)

    for gi, pi in relaxed.pairs:
        g, p = gold_t[gi], pred[pi]
        wrong = []
        if (g.start, g.end) != (p.start, p.end):
            wrong.append("span")
        for name, ok in (("type", g.type == p.type), ("value", same_value(g, p)),
                         ("mod", _same_mod(g, p))):
            acc: Accuracy = getattr(c, name)
            acc.total += 1
            acc.correct += ok
            if not ok:
                wrong.append(name)
        c.all_correct.tp += not wrong
        rows.append(_row(gold.doc_id, WRONG if wrong else CORRECT, ",".join(wrong) or None,
                         g, p, ctx(min(g.start, p.start), max(g.end, p.end))))
    for gi in relaxed.missed:
        g = gold_t[gi]
        rows.append(_row(gold.doc_id, MISSED, None, g, None, ctx(g.start, g.end)))
    for pi in relaxed.spurious:
        p = pred[pi]
        rows.append(_row(gold.doc_id, SPURIOUS, None, None, p, ctx(p.start, p.end)))
    rows.sort(key=lambda r: (r.gold_start if r.gold_start is not None else r.pred_start or 0))
    return c, rows


def _row(doc_id: str, status: str, errors: str | None, g: GoldTimex | None,
         p: PredTimex | None, ctx: str) -> ItemRow:
    row = ItemRow(task="timex", doc_id=doc_id, status=status, errors=errors, context=ctx)
    if g is not None:
        row.gold_start, row.gold_end, row.gold_text = g.start, g.end, g.text
        row.gold_type, row.gold_value, row.gold_mod = g.type, _value_of(g), g.mod
    if p is not None:
        row.pred_start, row.pred_end, row.pred_text = p.start, p.end, p.text
        row.pred_type, row.pred_value, row.pred_mod = p.type, _value_of(p), p.mod
    return row


def score_timexes(
    gold_docs: Iterable[GoldDocument],
    pred_by_doc: Mapping[str, Iterable[Any]],
    mode: TimexMode | None = None,
) -> TimexEvaluation:
    """Score predicted timexes against gold, per document and over the set (micro).

    ``pred_by_doc`` maps a gold ``doc_id`` to its predicted rows: ``TimexRecord`` objects, dicts
    or table rows with the ``timexes`` table columns. A gold document without predictions
    counts as all missed. ``mode`` is ``"timeml"`` or ``"anais"``; None picks it from each
    document's gold format. Gold documents that say nothing about timexes are skipped.
    """
    micro = TimexCounts()
    per_doc: dict[str, TimexCounts] = {}
    items: list[ItemRow] = []
    for doc in gold_docs:
        if doc.timexes is None:
            continue
        counts, rows = score_document(doc, pred_by_doc.get(doc.doc_id, ()), mode)
        per_doc[doc.doc_id] = counts
        micro += counts
        items.extend(rows)
    return TimexEvaluation(micro=micro, per_doc=per_doc, items=items)

"""Named-entity scores: mention spans (when gold has them) and surface sets.

- spans: per label (PER/LOC/ORG) strict and relaxed P/R/F1, a prediction counting only for
  a gold mention of its own label (one-to-one, see ``matching``); micro over labels, macro over
  labels and over documents.
- surfaces: per document and label, the set of distinct predicted surface strings against the
  gold ``entity_surfaces`` (whitespace normalised); micro and macro the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluation.context import context
from pipeline.evaluation.gold import GoldDocument, GoldEntity
from pipeline.evaluation.items import CORRECT, MISSED, SPURIOUS, WRONG, ItemRow
from pipeline.evaluation.labels import LABELS, normalise_label
from pipeline.evaluation.matching import align
from pipeline.evaluation.metrics import PRF, macro
from pipeline.evaluation.rows import get_field


@dataclass(frozen=True, slots=True)
class PredEntity:
    start: int
    end: int
    label: str
    text: str = ""


def to_pred_entity(row: Any) -> PredEntity | None:
    """An ``EntityRecord``, dict or table row as a ``PredEntity`` (None for other labels)."""
    label = normalise_label(str(get_field(row, "label") or ""))
    if label is None:
        return None
    return PredEntity(int(get_field(row, "start")), int(get_field(row, "end")), label,
                      str(get_field(row, "text") or ""))


def _by_label() -> dict[str, PRF]:
    return {label: PRF() for label in LABELS}


@dataclass(slots=True)
class LabelCounts:
    """PRF per label, for one document or the whole set."""

    strict: dict[str, PRF] = field(default_factory=_by_label)
    relaxed: dict[str, PRF] = field(default_factory=_by_label)

    def __iadd__(self, other: LabelCounts) -> LabelCounts:
        for mine, theirs in ((self.strict, other.strict), (self.relaxed, other.relaxed)):
            for label, prf in theirs.items():
                mine.setdefault(label, PRF())
                mine[label] += prf
        return self

    def micro(self, kind: str) -> PRF:
        total = PRF()
        for prf in getattr(self, kind).values():
            total += prf
        return total

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind in ("strict", "relaxed"):
            per = getattr(self, kind)
            out[kind] = {
                "micro": self.micro(kind).as_dict(),
                "macro_labels": macro(per.values()),
                "per_label": {label: prf.as_dict() for label, prf in per.items()},
            }
        return out


@dataclass(slots=True)
class EntityEvaluation:
    spans: LabelCounts | None
    spans_per_doc: dict[str, LabelCounts]
    surfaces: LabelCounts | None
    surfaces_per_doc: dict[str, LabelCounts]
    items: list[ItemRow]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.spans is not None:
            out["spans"] = self.spans.as_dict()
            for kind in ("strict", "relaxed"):
                out["spans"][kind]["macro_docs"] = macro(
                    c.micro(kind) for c in self.spans_per_doc.values())
            out["spans"]["n_docs"] = len(self.spans_per_doc)
        if self.surfaces is not None:
            # Surfaces have no offsets: only the exact-string ("strict") view is meaningful.
            d = self.surfaces.as_dict()["strict"]
            d["macro_docs"] = macro(c.micro("strict") for c in self.surfaces_per_doc.values())
            d["n_docs"] = len(self.surfaces_per_doc)
            out["surfaces"] = d
        return out

    @property
    def errors(self) -> list[ItemRow]:
        return [r for r in self.items if r.status != CORRECT]


def _span_scores(doc: GoldDocument, preds: list[PredEntity]) -> tuple[LabelCounts, list[ItemRow]]:
    gold = sorted(doc.entities or [], key=lambda e: (e.start, e.end))
    preds = sorted(preds, key=lambda e: (e.start, e.end))
    gspans = [(g.start, g.end) for g in gold]
    pspans = [(p.start, p.end) for p in preds]
    counts = LabelCounts()
    for label in LABELS:
        ng = sum(g.label == label for g in gold)
        np_ = sum(p.label == label for p in preds)
        for kind in ("strict", "relaxed"):
            same = [g.label == label for g in gold], [p.label == label for p in preds]
            al = align(gspans, pspans, kind,  # type: ignore[arg-type]
                       compatible=lambda gi, pi, s=same: s[0][gi] and s[1][pi])
            getattr(counts, kind)[label] = PRF(len(al.pairs), ng, np_)
    # Error rows come from a label-blind alignment, so a wrong label shows as one row.
    al = align(gspans, pspans, "relaxed")
    rows = []
    for gi, pi in al.pairs:
        g, p = gold[gi], preds[pi]
        wrong = [n for n, bad in (("span", (g.start, g.end) != (p.start, p.end)),
                                  ("label", g.label != p.label)) if bad]
        rows.append(_row(doc, WRONG if wrong else CORRECT, ",".join(wrong) or None, g, p))
    rows += [_row(doc, MISSED, None, gold[gi], None) for gi in al.missed]
    rows += [_row(doc, SPURIOUS, None, None, preds[pi]) for pi in al.spurious]
    rows.sort(key=lambda r: r.gold_start if r.gold_start is not None else r.pred_start or 0)
    return counts, rows


def _row(doc: GoldDocument, status: str, errors: str | None, g: GoldEntity | None,
         p: PredEntity | None) -> ItemRow:
    row = ItemRow(task="entity", doc_id=doc.doc_id, status=status, errors=errors)
    spans = []
    if g is not None:
        row.gold_start, row.gold_end, row.gold_type = g.start, g.end, g.label
        row.gold_text = g.text or (doc.text or "")[g.start:g.end]
        spans.append((g.start, g.end))
    if p is not None:
        row.pred_start, row.pred_end, row.pred_type = p.start, p.end, p.label
        row.pred_text = p.text or (doc.text or "")[p.start:p.end]
        spans.append((p.start, p.end))
    row.context = context(doc.text, min(s for s, _ in spans), max(e for _, e in spans),
                          doc.sentences)
    return row


def normalise_surface(s: str) -> str:
    return " ".join(s.split())


def _surface_scores(doc: GoldDocument, preds: list[PredEntity]
                    ) -> tuple[LabelCounts, list[ItemRow]]:
    counts = LabelCounts()
    rows: list[ItemRow] = []
    gold_sets = {label: {normalise_surface(s) for s in names if s.strip()}
                 for label, names in (doc.entity_surfaces or {}).items()}
    pred_sets: dict[str, set[str]] = {}
    first_at: dict[tuple[str, str], tuple[int, int]] = {}
    for p in sorted(preds, key=lambda e: e.start):
        surface = normalise_surface(p.text or (doc.text or "")[p.start:p.end])
        if surface:
            pred_sets.setdefault(p.label, set()).add(surface)
            first_at.setdefault((p.label, surface), (p.start, p.end))
    for label in sorted(set(LABELS) | set(gold_sets) | set(pred_sets)):
        g, p = gold_sets.get(label, set()), pred_sets.get(label, set())
        counts.strict[label] = PRF(len(g & p), len(g), len(p))
        for surface in sorted(g | p):
            status = CORRECT if surface in g and surface in p else (
                MISSED if surface in g else SPURIOUS)
            row = ItemRow(task="entity_surface", doc_id=doc.doc_id, status=status)
            if surface in g:
                row.gold_text, row.gold_type = surface, label
            if surface in p:
                row.pred_text, row.pred_type = surface, label
                s, e = first_at[(label, surface)]
                row.context = context(doc.text, s, e, doc.sentences)
            elif doc.text and (i := doc.text.find(surface)) >= 0:
                row.context = context(doc.text, i, i + len(surface), doc.sentences)
            rows.append(row)
    return counts, rows


def score_entities(
    gold_docs: Iterable[GoldDocument], pred_by_doc: Mapping[str, Iterable[Any]]
) -> EntityEvaluation:
    """Score predicted entity mentions against gold spans and/or gold surface sets."""
    spans: LabelCounts | None = None
    surfaces: LabelCounts | None = None
    spans_per_doc: dict[str, LabelCounts] = {}
    surfaces_per_doc: dict[str, LabelCounts] = {}
    items: list[ItemRow] = []
    for doc in gold_docs:
        if doc.entities is None and doc.entity_surfaces is None:
            continue
        preds = [e for r in pred_by_doc.get(doc.doc_id, ()) if (e := to_pred_entity(r))]
        if doc.entities is not None:
            counts, rows = _span_scores(doc, preds)
            spans_per_doc[doc.doc_id] = counts
            spans = spans or LabelCounts()
            spans += counts
            items += rows
        if doc.entity_surfaces is not None:
            counts, rows = _surface_scores(doc, preds)
            surfaces_per_doc[doc.doc_id] = counts
            surfaces = surfaces or LabelCounts()
            surfaces += counts
            items += rows
    return EntityEvaluation(spans, spans_per_doc, surfaces, surfaces_per_doc, items)

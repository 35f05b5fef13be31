"""Event scores, for TimeML gold (EVENT + TLINK) and anais JSON gold (main events with their
time and participants).

TimeML (TimeBankPT): trigger P/R/F1 with strict spans and with overlap; class, pos, tense,
aspect and polarity accuracy on overlap-matched events; task A, for each matched event with
event-time TLINKs: is it attached to one of its gold times (``time_id`` → a predicted timex
overlapping the gold one), and, when it is, is the relation right on TempEval's coarse set
(BEFORE / AFTER / OVERLAP); task B: ``dct_relation`` against the event-DCT TLINK. Gold links
with a fuzzy relation (BEFORE-OR-OVERLAP, OVERLAP-OR-AFTER, VAGUE) count for attachment only.

anais JSON: the gold lists a document's main events, so only recall is scored for triggers
(overlap); on matched events, time accuracy (the predicted TIMEX3 value, ``begin/end`` for an
interval, equals the gold time; both unknown counts as right; a duration places nothing,
so it counts as unknown), participants P/R/F1 (named participants by surface: a predicted
participant is the surface of its entity mention, or of any mention of its entity's
cluster) and role accuracy on matched participants.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluation.context import context
from pipeline.evaluation.gold import GoldDocument, GoldEvent
from pipeline.evaluation.items import CORRECT, MISSED, SPURIOUS, WRONG, ItemRow
from pipeline.evaluation.matching import align, overlap
from pipeline.evaluation.metrics import PRF
from pipeline.evaluation.rows import get_field

_COARSE = {"BEFORE": "BEFORE", "IBEFORE": "BEFORE", "AFTER": "AFTER", "IAFTER": "AFTER"}
_FUZZY = frozenset({"BEFORE-OR-OVERLAP", "OVERLAP-OR-AFTER", "VAGUE"})
ATTRIBUTES = ("event_class", "pos", "tense", "aspect", "polarity")


def coarse(relation: str | None) -> str | None:
    """TempEval's coarse relation of a TimeML relType (inclusions are OVERLAP)."""
    if not relation:
        return None
    if relation in _FUZZY:
        return relation
    return _COARSE.get(relation, "OVERLAP")


@dataclass(slots=True)
class Ratio:
    ok: int = 0
    n: int = 0

    def add(self, good: bool) -> None:
        self.ok += bool(good)
        self.n += 1

    def as_dict(self) -> dict[str, float | int]:
        return {"accuracy": self.ok / self.n if self.n else 0.0, "correct": self.ok, "n": self.n}


@dataclass(slots=True)
class EventCounts:
    strict: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    attributes: dict[str, Ratio] = field(default_factory=lambda: {a: Ratio() for a in ATTRIBUTES})
    task_a_attached: Ratio = field(default_factory=Ratio)
    task_a_relation: Ratio = field(default_factory=Ratio)
    task_b: Ratio = field(default_factory=Ratio)
    time: Ratio = field(default_factory=Ratio)
    time_known: Ratio = field(default_factory=Ratio)
    participants: PRF = field(default_factory=PRF)
    roles: Ratio = field(default_factory=Ratio)
    timeml: bool = False

    def add(self, other: EventCounts) -> None:
        self.strict += other.strict
        self.relaxed += other.relaxed
        for name in ATTRIBUTES:
            self.attributes[name].ok += other.attributes[name].ok
            self.attributes[name].n += other.attributes[name].n
        for name in ("task_a_attached", "task_a_relation", "task_b", "time", "time_known",
                     "roles"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine.ok += theirs.ok
            mine.n += theirs.n
        self.participants += other.participants
        self.timeml = self.timeml or other.timeml

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"trigger_strict": self.strict.as_dict(),
                               "trigger_overlap": self.relaxed.as_dict()}
        if self.timeml:
            out.update({f"{a}_accuracy": r.as_dict() for a, r in self.attributes.items()})
            out["task_a_attachment"] = self.task_a_attached.as_dict()
            out["task_a_relation"] = self.task_a_relation.as_dict()
            out["task_b_relation"] = self.task_b.as_dict()
        else:
            out["main_event_recall"] = self.relaxed.recall
            out["time_accuracy"] = self.time.as_dict()
            out["time_accuracy_when_gold_known"] = self.time_known.as_dict()
            out["participants"] = self.participants.as_dict()
            out["role_accuracy"] = self.roles.as_dict()
        return out


@dataclass(slots=True)
class EventEvaluation:
    total: EventCounts
    per_doc: dict[str, EventCounts]
    items: list[ItemRow]

    def summary(self) -> dict[str, Any]:
        return self.total.as_dict()


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    return " ".join(s.split())


def _scored(start: int, end: int, gold: GoldDocument) -> bool:
    span = (start, end)
    if any(overlap(span, s) > 0 for s in gold.ignore_spans):
        return False
    return gold.scored_spans is None or any(overlap(span, s) > 0 for s in gold.scored_spans)


def _time_of(ev: Any) -> str | None:
    """Where the event sits on a timeline: its time's value, ``begin/end`` for an interval;
    a duration (`durante três anos`, value ``P3Y``) measures the event but places it nowhere,
    so it counts as unknown."""
    begin, end = get_field(ev, "time_begin"), get_field(ev, "time_end")
    if begin is not None or end is not None:
        return f"{begin}/{end}"
    value = get_field(ev, "time_value")
    if value is not None and str(value).startswith("P") and not str(value).endswith("_REF"):
        return None
    return value


def score_document(gold: GoldDocument, events: list[Any], args: list[Any], timexes: list[Any],
                   entities: list[Any]) -> tuple[EventCounts, list[ItemRow]]:
    timeml = gold.format == "timeml"
    c = EventCounts(timeml=timeml)
    pred = sorted((e for e in events if _scored(int(get_field(e, "start")),
                                                 int(get_field(e, "end")), gold)),
                  key=lambda e: (int(get_field(e, "start")), int(get_field(e, "end"))))
    gold_e = sorted(gold.events or [], key=lambda g: (g.start, g.end))
    gspans = [(g.start, g.end) for g in gold_e]
    pspans = [(int(get_field(p, "start")), int(get_field(p, "end"))) for p in pred]
    for prf in (c.strict, c.relaxed):
        prf.n_gold, prf.n_pred = len(gold_e), len(pred) if timeml else 0
    c.strict.tp = len(align(gspans, pspans, "strict").pairs)
    relaxed = align(gspans, pspans, "relaxed")
    c.relaxed.tp = len(relaxed.pairs)
    if not timeml:  # the gold lists main events only: precision is not defined
        c.strict.n_pred = c.strict.tp
        c.relaxed.n_pred = c.relaxed.tp
    rows: list[ItemRow] = []

    def ctx(start: int, end: int) -> str:
        return context(gold.text, start, end, gold.sentences)

    matched = {gi: pred[pi] for gi, pi in relaxed.pairs}
    matched_span = {gi: pspans[pi] for gi, pi in relaxed.pairs}
    timex_by_id = {int(get_field(t, "timex_id")): t for t in timexes
                   if get_field(t, "timex_id") is not None}
    mentions = {int(get_field(m, "ent_id")): m for m in entities}
    # every surface of each entity cluster of the document, once
    clusters: dict[Any, set[str]] = {}
    for m in entities:
        clusters.setdefault(get_field(m, "cluster_id"), set()).add(_norm(str(get_field(m,
                                                                                      "text"))))
    args_of: dict[int, list[Any]] = {}
    for a in args:
        args_of.setdefault(int(get_field(a, "event_id")), []).append(a)
    if timeml:
        _score_timeml(gold, gold_e, matched, timex_by_id, c)
    for gi, g in enumerate(gold_e):
        p = matched.get(gi)
        if p is None:
            rows.append(_row(gold.doc_id, MISSED, None, g, None, ctx(g.start, g.end), timeml))
            continue
        wrong = []
        if (g.start, g.end) != matched_span[gi]:
            wrong.append("span")
        if timeml:
            for name in ATTRIBUTES:
                gv = getattr(g, name)
                if gv is None:
                    continue
                ok = gv == get_field(p, name)
                c.attributes[name].add(ok)
                if not ok and name in ("event_class", "tense", "polarity"):
                    wrong.append(name)
        else:
            ok = _norm(str(g.time)) == _norm(str(_time_of(p))) if g.time is not None else \
                _time_of(p) is None
            c.time.add(ok)
            if g.time is not None:
                c.time_known.add(ok)
            if not ok:
                wrong.append("time")
            if g.roles is not None:
                if not _score_roles(g, args_of.get(int(get_field(p, "event_id")), []),
                                    mentions, clusters, c):
                    wrong.append("participants")
        rows.append(_row(gold.doc_id, WRONG if wrong else CORRECT, ",".join(wrong) or None, g,
                         p, ctx(g.start, g.end), timeml))
    if timeml:
        for pi in relaxed.spurious:
            p = pred[pi]
            s, e = pspans[pi]
            rows.append(_row(gold.doc_id, SPURIOUS, None, None, p, ctx(s, e), timeml))
    return c, rows


def _score_timeml(gold: GoldDocument, gold_e: list[GoldEvent], matched: Mapping[int, Any],
                  timex_by_id: Mapping[int, Any], c: EventCounts) -> None:
    by_eid = {g.gold_id: gi for gi, g in enumerate(gold_e) if g.gold_id}
    gold_times = {t.gold_id: t for t in gold.timexes or [] if t.gold_id}
    task_a: dict[int, list[tuple[Any, str | None]]] = {}
    for link in gold.tlinks:
        gi = by_eid.get(link.event_id)
        if gi is None or gi not in matched:
            continue
        p = matched[gi]
        rel = coarse(link.rel_type)
        if link.task == "B" or link.time_id == gold.dct_id:
            if rel in ("BEFORE", "AFTER", "OVERLAP"):
                c.task_b.add(get_field(p, "dct_relation") == rel)
            continue
        gt = gold_times.get(link.time_id)
        if link.task == "A" and gt is not None:
            task_a.setdefault(gi, []).append((gt, rel))
    # An event may be linked to several times of its sentence: being attached to one of
    # them is right, and the relation is scored against that link.
    for gi, links in task_a.items():
        p = matched[gi]
        tid = get_field(p, "time_id")
        t = timex_by_id.get(int(tid)) if tid is not None else None
        hit = None
        if t is not None:
            span = (int(get_field(t, "start")), int(get_field(t, "end")))
            hit = next(((gt, rel) for gt, rel in links
                        if overlap((gt.start, gt.end), span) > 0), None)
        c.task_a_attached.add(hit is not None)
        if hit is not None and hit[1] in ("BEFORE", "AFTER", "OVERLAP"):
            c.task_a_relation.add(coarse(get_field(p, "time_relation")) == hit[1])


def _score_roles(g: GoldEvent, args: list[Any], mentions: Mapping[int, Any],
                 clusters: Mapping[Any, set[str]], c: EventCounts) -> bool:
    """Participants P/R/F1 and role accuracy of one matched event; True when all right."""
    assert g.roles is not None
    gold_roles = {_norm(s): role for role, names in g.roles.items() for s in names}
    preds: list[tuple[set[str], str]] = []
    for a in args:
        ent = get_field(a, "ent_id")
        if ent is None or get_field(a, "role") == "time":
            continue
        m = mentions.get(int(ent))
        names = {_norm(str(get_field(a, "text")))}
        if m is not None:
            names.add(_norm(str(get_field(m, "text"))))
            names |= clusters.get(get_field(m, "cluster_id"), set())
        if not any(names & p[0] for p in preds):
            preds.append((names, str(get_field(a, "role"))))
    prf = PRF(n_gold=len(gold_roles), n_pred=len(preds))
    all_right = True
    used: set[int] = set()
    for surface, role in gold_roles.items():
        k = next((k for k, (names, _) in enumerate(preds) if k not in used and surface in names),
                 None)
        if k is None:
            all_right = False
            continue
        used.add(k)
        prf.tp += 1
        ok = preds[k][1] == role
        c.roles.add(ok)
        all_right = all_right and ok
    c.participants += prf
    return all_right and prf.n_pred == prf.tp


def _row(doc_id: str, status: str, errors: str | None, g: GoldEvent | None, p: Any,
         ctx: str, timeml: bool) -> ItemRow:
    def roles_text(ev: GoldEvent) -> str | None:
        if ev.roles is None:
            return None
        return "; ".join(f"{r}: {', '.join(v)}" for r, v in ev.roles.items() if v) or None

    return ItemRow(
        task="event", doc_id=doc_id, status=status, errors=errors,
        gold_start=g.start if g else None, gold_end=g.end if g else None,
        gold_text=g.text if g else None, gold_type=g.event_class if g else None,
        gold_value=(g.time if not timeml else g.tense) if g else None,
        gold_mod=roles_text(g) if g else None,
        pred_start=int(get_field(p, "start")) if p is not None else None,
        pred_end=int(get_field(p, "end")) if p is not None else None,
        pred_text=get_field(p, "trigger") if p is not None else None,
        pred_type=get_field(p, "event_class") if p is not None else None,
        pred_value=(_time_of(p) if not timeml else get_field(p, "tense"))
        if p is not None else None,
        context=ctx,
    )


def score_events(gold: list[GoldDocument], events: Mapping[str, list[Any]],
                 args: Mapping[str, list[Any]], timexes: Mapping[str, list[Any]],
                 entities: Mapping[str, list[Any]]) -> EventEvaluation:
    total = EventCounts()
    per_doc: dict[str, EventCounts] = {}
    items: list[ItemRow] = []
    for d in gold:
        if d.events is None or d.doc_id not in events:
            continue
        c, rows = score_document(d, events.get(d.doc_id, []), args.get(d.doc_id, []),
                                 timexes.get(d.doc_id, []), entities.get(d.doc_id, []))
        per_doc[d.doc_id] = c
        total.add(c)
        items += rows
    return EventEvaluation(total, per_doc, items)

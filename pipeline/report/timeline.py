"""The timeline: one mark per dated expression and per event attached to a time that places.

The chart is the Vega-Lite spec in ``templates/timeline.vl.json``; this module computes its
data: each mark's day span (``timex_dates``), its document, the anchor of its span in the
document view, and the entities (across documents: label + canonical surface) of the events it
belongs to, so the page can filter by document and by entity.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.report.run_data import RunData, entity_key
from pipeline.report.timex_dates import day_span, interval_span, unplaced_kind

SPEC = Path(__file__).parent / "templates" / "timeline.vl.json"
DATE, EVENT = 0, 1  # the lanes of the chart


@dataclass
class Timeline:
    marks: list[dict[str, Any]] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity keys, indexed by marks' "c"
    unplaced: Counter = field(default_factory=Counter)  # why values were left off, how many
    unplaced_events: int = 0  # events attached to such a time
    untimed_events: int = 0  # events attached to no time at all

    def count(self, kind: int) -> int:
        return sum(1 for m in self.marks if m["k"] == kind)


def _span(value: Any, begin: Any, end: Any) -> tuple[tuple[int, int] | None, str]:
    """The day span of a value or of an interval's endpoints, and the value as shown."""
    if not pd.isna(value):
        return day_span(value), str(value)
    if pd.isna(begin) and pd.isna(end):
        return None, ""
    begin = None if pd.isna(begin) else str(begin)
    end = None if pd.isna(end) else str(end)
    return interval_span(begin, end), f"{begin or '?'} / {end or '?'}"


def _jitter(doc: int, item: str) -> float:
    """A fixed offset within the lane, so marks on the same date do not hide each other and the
    chart is the same on every run."""
    return (zlib.crc32(f"{doc}/{item}".encode()) % 1000) / 1000 * 0.7 - 0.35


def build_timeline(run: RunData, doc_index: dict[str, int]) -> Timeline:
    """The marks of the documents in ``doc_index`` (doc_id -> position in the report)."""
    tl = Timeline()
    keys: dict[str, int] = {}

    def shown(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["doc_id"].isin(doc_index.keys())]

    ents = shown(run.table("entities"))
    cluster_key = {(d, int(c)): entity_key(lab, can) for d, c, lab, can in
                   ents[["doc_id", "cluster_id", "label", "canonical"]]
                   .drop_duplicates(["doc_id", "cluster_id"]).itertuples(index=False)}
    args = shown(run.table("event_args"))
    args = args[args["cluster_id"].notna()]
    event_keys: dict[tuple[str, int], set[str]] = {}
    for d, e, c in args[["doc_id", "event_id", "cluster_id"]].itertuples(index=False):
        key = cluster_key.get((d, int(c)))
        if key is not None:
            event_keys.setdefault((d, int(e)), set()).add(key)
    events = shown(run.table("events"))
    # a time carries the entities of the events attached to it
    time_keys: dict[tuple[str, int], set[str]] = {}
    for d, e, t in events[["doc_id", "event_id", "time_id"]].itertuples(index=False):
        if not pd.isna(t) and (d, int(e)) in event_keys:
            time_keys.setdefault((d, int(t)), set()).update(event_keys[(d, int(e))])

    def key_ids(found: set[str] | None) -> list[int]:
        return sorted(keys.setdefault(k, len(keys)) for k in sorted(found or ()))

    def add(kind: int, doc: str, item: str, text: str, shown_value: str,
            span: tuple[int, int], found: set[str] | None) -> None:
        d = doc_index[doc]
        tl.marks.append({"k": kind, "d": d, "i": item, "t": text, "v": shown_value,
                         "s": span[0], "e": span[1], "y": round(kind + _jitter(d, item), 3),
                         "c": key_ids(found)})

    timexes = shown(run.table("timexes"))
    timexes = timexes[timexes["parent_id"].isna()]  # an interval is one bar, not its endpoints
    for row in timexes[["doc_id", "timex_id", "text", "type", "value", "begin_value",
                        "end_value"]].itertuples(index=False):
        span, shown_value = _span(row.value, row.begin_value, row.end_value)
        if span is None:
            tl.unplaced[_why(row.type, row.value)] += 1
            continue
        add(DATE, row.doc_id, f"t{row.timex_id}", row.text, shown_value, span,
            time_keys.get((row.doc_id, int(row.timex_id))))
    timed = events[events["time_id"].notna()]
    tl.untimed_events = len(events) - len(timed)
    for row in timed[["doc_id", "event_id", "trigger", "time_value", "time_begin",
                      "time_end"]].itertuples(index=False):
        span, shown_value = _span(row.time_value, row.time_begin, row.time_end)
        if span is None:
            tl.unplaced_events += 1
            continue
        add(EVENT, row.doc_id, f"v{row.event_id}", row.trigger, shown_value, span,
            event_keys.get((row.doc_id, int(row.event_id))))
    tl.entities = list(keys)
    return tl


def _why(kind: Any, value: Any) -> str:
    if kind in ("DURATION", "SET"):
        return kind.lower()
    if kind == "INTERVAL":
        return "interval with an endpoint that does not place"
    return unplaced_kind(None if pd.isna(value) else str(value))


def timeline_spec() -> dict[str, Any]:
    """The Vega-Lite spec of the chart; its data (``marks``) is filled in by the page."""
    return json.loads(SPEC.read_text("utf-8"))

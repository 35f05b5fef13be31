"""Each document's text with its entities, temporal expressions and event triggers marked.

The tables do not keep the full text, so it is rebuilt from the sentences table: each
sentence's text sits at ``sentence.start`` in the original, and every span offset is shifted by
that start. What lay between sentences is not stored: sentences are joined by a space, and a gap
of two characters or more (most often a blank line) starts a new paragraph.

A view is a tree of nodes for the template: ``{"text": str}`` or ``{"span": {...}, "children":
[...]}``. Spans nest (an event trigger inside an entity, interval endpoints inside the
interval); a span crossing the end of the one it starts in is cut at that end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.report.run_data import RunData, entity_key

# which span is outside when two cover the same characters
_NESTING = {"ent": 0, "timex": 1, "event": 2}
_PARAGRAPH_GAP = 2


@dataclass
class DocumentView:
    index: int
    doc_id: str
    status: str
    dct: str | None
    paragraphs: list[list[list[dict[str, Any]]]] = field(default_factory=list)  # of sentences
    counts: dict[str, int] = field(default_factory=dict)


def _spans(doc_index: int, ents: pd.DataFrame, timexes: pd.DataFrame,
           events: pd.DataFrame) -> list[dict[str, Any]]:
    spans = []
    for r in ents.itertuples(index=False):
        spans.append({"kind": "ent", "start": int(r.start), "end": int(r.end),
                      "id": f"d{doc_index}-e{r.ent_id}", "label": r.label,
                      "key": entity_key(r.label, r.canonical),
                      "title": f"{r.label}: {r.canonical} (cluster {r.cluster_id})"})
    for r in timexes.itertuples(index=False):
        if pd.isna(r.value):
            value = f"{_text(r.begin_value)} / {_text(r.end_value)}"
        else:
            value = str(r.value)
        mod = "" if pd.isna(r.mod) else f" {r.mod}"
        spans.append({"kind": "timex", "start": int(r.start), "end": int(r.end),
                      "id": f"d{doc_index}-t{r.timex_id}", "label": r.type,
                      "value": value, "title": f"{r.type} {value}{mod}"})
    for r in events.itertuples(index=False):
        if pd.isna(r.time_value) and pd.isna(r.time_begin):
            when = ""
        elif pd.isna(r.time_value):
            when = f", at {_text(r.time_begin)} / {_text(r.time_end)}"
        else:
            when = f", at {r.time_value}"
        spans.append({"kind": "event", "start": int(r.start), "end": int(r.end),
                      "id": f"d{doc_index}-v{r.event_id}", "label": r.event_class,
                      "title": f"event {r.event_class}, {r.tense}{when}"})
    spans.sort(key=lambda s: (s["start"], -s["end"], _NESTING[s["kind"]]))
    return spans


def _text(value: Any) -> str:
    return "?" if pd.isna(value) else str(value)


def sentence_nodes(text: str, offset: int, spans: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """The node tree of one sentence (``text`` starts at ``offset`` in the document); ``spans``
    sorted by start, longest first."""
    end_of_text = offset + len(text)
    root: dict[str, Any] = {"children": [], "end": end_of_text}
    stack = [root]
    pos = offset

    def emit(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            stack[-1]["children"].append({"text": text[pos - offset:upto - offset]})
            pos = upto

    def close() -> None:
        emit(stack[-1]["end"])
        stack.pop()

    for span in spans:
        start, end = max(span["start"], offset), min(span["end"], end_of_text)
        while len(stack) > 1 and stack[-1]["end"] <= start:
            close()
        end = min(end, stack[-1]["end"])
        if end <= start or start < pos:
            continue
        emit(start)
        node = {"span": span, "children": [], "end": end}
        stack[-1]["children"].append(node)
        stack.append(node)
    while len(stack) > 1:
        close()
    emit(end_of_text)
    return root["children"]


def document_views(run: RunData, doc_ids: list[str]) -> list[DocumentView]:
    """The views of ``doc_ids``, in that order (their position is their index)."""
    wanted = set(doc_ids)

    def grouped(name: str) -> dict[str, pd.DataFrame]:
        frame = run.table(name)
        frame = frame[frame["doc_id"].isin(wanted)]
        return {d: g for d, g in frame.groupby("doc_id", sort=False)}

    sentences, ents = grouped("sentences"), grouped("entities")
    timexes, events = grouped("timexes"), grouped("events")
    docs = run.table("documents").set_index("doc_id")
    empty = {name: run.table(name).iloc[0:0] for name in ("entities", "timexes", "events")}
    views = []
    for index, doc_id in enumerate(doc_ids):
        row = docs.loc[doc_id]
        e = ents.get(doc_id, empty["entities"])
        t = timexes.get(doc_id, empty["timexes"])
        v = events.get(doc_id, empty["events"])
        view = DocumentView(index, doc_id, str(row["status"]),
                            None if pd.isna(row["dct"]) else str(row["dct"]),
                            counts={"entities": len(e), "timexes": len(t), "events": len(v)})
        spans = _spans(index, e, t, v)
        sents = sentences.get(doc_id)
        previous_end = None
        cursor = 0
        if sents is not None:
            for s in sents.sort_values("start").itertuples(index=False):
                start, end = int(s.start), int(s.end)
                while cursor < len(spans) and spans[cursor]["end"] <= start:
                    cursor += 1
                mine = [sp for sp in spans[cursor:] if sp["start"] < end]
                if previous_end is None or start - previous_end >= _PARAGRAPH_GAP:
                    view.paragraphs.append([])
                view.paragraphs[-1].append(sentence_nodes(s.text, start, mine))
                previous_end = end
        views.append(view)
    return views

"""TimeML (``.tml``): the document text with inline TIMEX3 and EVENT, and TLINKs.

Layout (no whitespace outside ``<TEXT>``, so the XML's text content is exactly the document
text and every offset of the run holds in it)::

    <?xml version="1.0" encoding="UTF-8"?>
    <TimeML><DCT><TIMEX3 tid="t0" … functionInDocument="CREATION_TIME"/></DCT><TEXT><s>…</s>
    …</TEXT><TLINK …/>…</TimeML>

- Each timex is a TIMEX3 ``t<timex_id + 1>`` (``t0`` is the DCT, non-consuming, so it adds no
  text). An INTERVAL is written as TimeML writes ranges: its two ends are the DATE/TIME TIMEX3s
  of the text, and the interval is a non-consuming DURATION TIMEX3 with ``beginPoint`` and
  ``endPoint`` naming them (placed where the interval starts). An INTERVAL without endpoint
  rows becomes a consuming DURATION with two non-consuming endpoint TIMEX3s.
- Each event is an EVENT ``e<event_id + 1>`` carrying class, stem, tense, aspect, polarity, pos
  (and modality) itself, as TimeBankPT does (no MAKEINSTANCE).
- TLINKs: the event's time (``time_id``, ``time_relation``; ``task="A"`` when the time is in the
  event's sentence) and its relation to the DCT (``dct_relation``, ``task="B"``).
- Nesting: sentences are ``<s>``; an element whose span lies inside another is written inside
  it (an EVENT within a TIMEX3); one that crosses another (overlaps it without being inside)
  is written as an empty element where it starts, and one that crosses a sentence boundary
  makes the document's ``<s>`` tags left out. The result is always well-formed XML.
- ``\\r`` is written ``&#13;`` (an XML parser would turn a raw CRLF into LF). A text holding
  characters XML 1.0 cannot represent (most control characters) is not exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.exports.bundles import DocumentRows

SUFFIX = ".tml"
#: characters XML 1.0 forbids, even as character references
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_POS = {"ADJ": "ADJECTIVE"}
#: which of two elements starting and ending at the same place goes outside
_PRIORITY = {"s": 0, "TIMEX3": 1, "EVENT": 2}


class NotExportable(ValueError):
    """The document cannot be written in this format (the reason is the message)."""


def escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace("\r", "&#13;")


def escape_attr(s: str) -> str:
    return escape_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _attrs(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f' {k}="{escape_attr(str(v))}"' for k, v in pairs if v is not None)


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    tag: str
    attrs: list[tuple[str, Any]] = field(default_factory=list)
    empty: bool = False

    def open(self) -> str:
        return f"<{self.tag}{_attrs(self.attrs)}{'/' if self.empty else ''}>"


def tid(timex_id: Any) -> str:
    return f"t{int(timex_id) + 1}"


def eid(event_id: Any) -> str:
    return f"e{int(event_id) + 1}"


def _unit(value: str | None) -> str:
    """The unspecified duration of a range by the granularity of its begin value."""
    v = value or ""
    if re.fullmatch(r"\d{2}", v):
        return "PXCE"
    if re.fullmatch(r"\d{3}", v):
        return "PXDE"
    if re.fullmatch(r"\d{4}", v):
        return "PXY"
    if re.fullmatch(r"\d{4}-\d{2}", v):
        return "PXM"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return "PXD"
    return "PX" if "T" not in v else "PTXH"


def _timex_marks(timexes: list[dict[str, Any]]) -> tuple[list[Mark], int]:
    """Marks of the timexes; the number of extra non-consuming TIMEX3 ids used."""
    ends: dict[int, dict[str, str]] = {}
    for t in timexes:
        if t.get("parent_id") is not None and t.get("role") in ("begin", "end"):
            ends.setdefault(int(t["parent_id"]), {})[t["role"]] = tid(t["timex_id"])
    marks: list[Mark] = []
    extra = max((int(t["timex_id"]) for t in timexes), default=-1) + 2
    for t in timexes:
        start, end = int(t["start"]), int(t["end"])
        anchor = t.get("anchor")
        anchor_id = "t0" if anchor == "DCT" else (
            tid(anchor[1:]) if anchor and re.fullmatch(r"t\d+", anchor) else None)
        base = [("tid", tid(t["timex_id"]))]
        common = [("temporalFunction", "true" if anchor else "false"),
                  ("functionInDocument", "NONE"), ("anchorTimeID", anchor_id)]
        if t["type"] != "INTERVAL":
            marks.append(Mark(start, end, "TIMEX3", base + [
                ("type", t["type"]), ("value", t.get("value") or ""), ("mod", t.get("mod")),
            ] + common))
            continue
        points = ends.get(int(t["timex_id"]), {})
        duration = [("type", "DURATION"), ("value", _unit(t.get("begin_value"))),
                    ("mod", t.get("mod"))]
        if points:
            marks.append(Mark(start, start, "TIMEX3", base + duration + common + [
                ("beginPoint", points.get("begin")), ("endPoint", points.get("end"))],
                empty=True))
            continue
        begin, finish = f"t{extra}", f"t{extra + 1}"
        extra += 2
        for point, value in ((begin, t.get("begin_value")), (finish, t.get("end_value"))):
            marks.append(Mark(start, start, "TIMEX3", [
                ("tid", point), ("type", "DATE"), ("value", value or ""),
                ("functionInDocument", "NONE")], empty=True))
        marks.append(Mark(start, end, "TIMEX3", base + duration + common + [
            ("beginPoint", begin), ("endPoint", finish)]))
    return marks, extra


def _event_marks(events: list[dict[str, Any]]) -> list[Mark]:
    return [Mark(int(e["start"]), int(e["end"]), "EVENT", [
        ("eid", eid(e["event_id"])), ("class", e["event_class"]), ("stem", e.get("lemma")),
        ("aspect", e.get("aspect")), ("tense", e.get("tense")),
        ("polarity", e.get("polarity")), ("pos", _POS.get(e["pos"], e["pos"])),
        ("modality", e.get("modality")),
    ]) for e in events]


def _crosses_sentence(items: list[Mark], sentences: list[Mark]) -> bool:
    """Whether an item is not inside one sentence (across a boundary, or between two)."""
    if not sentences:
        return False
    for m in items:
        if m.start == m.end:
            continue
        inside = any(s.start <= m.start and m.end <= s.end for s in sentences)
        if not inside:
            return True
    return False


def render(text: str, marks: list[Mark]) -> tuple[str, int]:
    """``text`` with ``marks`` inline (see the module docstring for the nesting rule); the
    number of marks written empty because they crossed another."""
    out: list[str] = []
    pos = 0
    stack: list[Mark] = []
    crossed = 0

    def close_to(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1].end <= limit:
            top = stack.pop()
            out.append(escape_text(text[pos:top.end]))
            pos = top.end
            out.append(f"</{top.tag}>")

    for m in sorted(marks, key=lambda m: (m.start, -m.end, _PRIORITY[m.tag])):
        close_to(m.start)
        out.append(escape_text(text[pos:m.start]))
        pos = m.start
        if not m.empty and stack and stack[-1].end < m.end:
            m.empty = True  # it crosses the element it starts in
            crossed += 1
        out.append(m.open())
        if not m.empty:
            if m.start == m.end:
                out.append(f"</{m.tag}>")
            else:
                stack.append(m)
    close_to(len(text) + 1)
    out.append(escape_text(text[pos:]))
    return "".join(out), crossed


def _tlinks(doc: DocumentRows, has_dct: bool) -> list[str]:
    sent_of = {int(t["timex_id"]): t["sent_id"] for t in doc.of("timexes")}
    links = []
    for e in doc.of("events"):
        time, rel = e.get("time_id"), e.get("time_relation")
        if time is not None and rel and int(time) in sent_of:
            task = "A" if sent_of[int(time)] == e["sent_id"] else None
            links.append((rel, eid(e["event_id"]), tid(time), task))
        if has_dct and e.get("dct_relation"):
            links.append((e["dct_relation"], eid(e["event_id"]), "t0", "B"))
    out = []
    for i, (rel, ev, t, task) in enumerate(links, 1):
        attrs = [("lid", f"l{i}"), ("relType", rel), ("eventID", ev), ("relatedToTime", t),
                 ("task", task)]
        out.append(f"<TLINK{_attrs(attrs)}/>")
    return out


def to_timeml(doc: DocumentRows, text: str) -> tuple[str, dict[str, int]]:
    """The ``.tml`` file of one document, and counts worth reporting (``crossing``: elements
    written empty because they crossed another)."""
    bad = _NOT_XML.search(text)
    if bad:
        raise NotExportable(f"its text holds U+{ord(bad.group()):04X} at {bad.start()}, a "
                            "character XML 1.0 cannot represent")
    timex_marks, _ = _timex_marks(doc.of("timexes"))
    items = timex_marks + _event_marks(doc.of("events"))
    sentences = [Mark(int(s["start"]), int(s["end"]), "s") for s in doc.of("sentences")]
    counts = {"sentence_tags_dropped": 0}
    if _crosses_sentence(items, sentences):
        sentences = []
        counts["sentence_tags_dropped"] = 1
    body, crossed = render(text, sentences + items)
    counts["crossing"] = crossed
    dct = doc.document.get("dct")
    head = "<DCT>" + (Mark(0, 0, "TIMEX3", [
        ("tid", "t0"), ("type", "DATE"), ("value", dct), ("temporalFunction", "false"),
        ("functionInDocument", "CREATION_TIME")], empty=True).open() if dct else "") + "</DCT>"
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>' + head + "<TEXT>" + body
           + "</TEXT>" + "".join(_tlinks(doc, bool(dct))) + "</TimeML>\n")
    return xml, counts

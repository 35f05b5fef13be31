"""brat standoff: ``<doc>.txt`` (the exact text) and ``<doc>.ann`` per document, and the
folder's ``annotation.conf`` and ``visual.conf`` (``data/``), so it opens in brat and imports
into INCEpTION.

``.ann`` lines, in this order:

- ``T`` entities: ``PER``/``LOC``/``ORG``;
- ``T`` temporal expressions, typed DATE, TIME, DURATION, SET or INTERVAL; the TIMEX3 value is
  the annotator note (``#  AnnotatorNotes T7  1910-10-05``; ``begin/end`` for an INTERVAL),
  ``mod`` an attribute (``A  Mod T7 APPROX``); an interval's endpoints are T lines of their own,
  linked by ``Begin``/``End`` relations (``R  Begin Arg1:T6 Arg2:T7``);
- events: the trigger as a ``T`` typed by its TimeML class and an ``E`` line whose arguments are
  the participants by role (``Agent:T1 Patient:T12 Time:T7``; a second one of a role is
  ``Agent2``): a named entity's or a time's T line, else a ``Participant`` T line; tense,
  aspect, polarity and the time and DCT relations as attributes of the E line.

Offsets are the run's: Python string indices, i.e. Unicode code points, as brat counts them
(an emoji is one character; a tool counting UTF-16 units would count two). brat forbids a
line break inside a fragment, so a span across lines is written as fragments ``s e;s e``
around its line breaks (the line-break characters are left out).
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from pipeline.exports.bundles import DocumentRows

TEXT_SUFFIX, ANN_SUFFIX = ".txt", ".ann"
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET", "INTERVAL")
ENTITY_TYPES = ("PER", "LOC", "ORG")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")


def conf_files() -> dict[str, str]:
    """The brat configuration files of every export folder, by name."""
    data = resources.files("pipeline.exports") / "data"
    return {name: (data / name).read_text("utf-8") for name in ("annotation.conf",
                                                                  "visual.conf")}


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of a span without its line breaks (one piece for most)."""
    out = []
    pos = start
    for m in _LINE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


class _Ann:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.counters = {"T": 0, "E": 0, "A": 0, "R": 0, "#": 0}

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{kind}{self.counters[kind]}"

    def span(self, kind: str, start: int, end: int) -> str:
        ident = self.next_id("T")
        frags = fragments(self.text, start, end)
        where = ";".join(f"{s} {e}" for s, e in frags)
        surface = " ".join(self.text[s:e] for s, e in frags)
        self.lines.append(f"{ident}\t{kind} {where}\t{surface}")
        return ident

    def note(self, target: str, note: str) -> None:
        note = " ".join(note.split())  # one line
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{note}")

    def attribute(self, name: str, target: str, value: Any) -> None:
        if value:
            self.lines.append(f"{self.next_id('A')}\t{name} {target} {value}")

    def relation(self, name: str, arg1: str, arg2: str) -> None:
        self.lines.append(f"{self.next_id('R')}\t{name} Arg1:{arg1} Arg2:{arg2}")


def timex_note(t: dict[str, Any]) -> str:
    """The note that carries a timex's value: its value, ``begin/end`` for an INTERVAL."""
    if t["type"] == "INTERVAL":
        return f"{t.get('begin_value') or '?'}/{t.get('end_value') or '?'}"
    return t.get("value") or "?"


def to_ann(doc: DocumentRows, text: str) -> str:
    """The ``.ann`` file of one document."""
    ann = _Ann(text)
    entity_t: dict[int, str] = {}
    for e in doc.of("entities"):
        entity_t[int(e["ent_id"])] = ann.span(e["label"], int(e["start"]), int(e["end"]))
    timex_t: dict[int, str] = {}
    for t in doc.of("timexes"):
        ident = ann.span(t["type"], int(t["start"]), int(t["end"]))
        timex_t[int(t["timex_id"])] = ident
        ann.note(ident, timex_note(t))
        ann.attribute("Mod", ident, t.get("mod"))
    for t in doc.of("timexes"):
        parent = t.get("parent_id")
        if parent is not None and int(parent) in timex_t and t.get("role") in ("begin", "end"):
            ann.relation(t["role"].capitalize(), timex_t[int(parent)],
                         timex_t[int(t["timex_id"])])
    args_of: dict[int, list[dict[str, Any]]] = {}
    for a in doc.of("event_args"):
        args_of.setdefault(int(a["event_id"]), []).append(a)
    participants: dict[tuple[int, int], str] = {}
    for ev in doc.of("events"):
        trigger = ann.span(ev["event_class"], int(ev["start"]), int(ev["end"]))
        roles: list[str] = []
        used: dict[str, int] = {}
        args = args_of.get(int(ev["event_id"]), [])
        if ev.get("time_id") is not None and not any(
                a.get("timex_id") == ev["time_id"] for a in args):
            args = args + [{"role": "time", "timex_id": ev["time_id"], "ent_id": None}]
        for a in args:
            if a.get("ent_id") is not None and int(a["ent_id"]) in entity_t:
                target = entity_t[int(a["ent_id"])]
            elif a.get("timex_id") is not None and int(a["timex_id"]) in timex_t:
                target = timex_t[int(a["timex_id"])]
            elif a.get("start") is not None:
                key = (int(a["start"]), int(a["end"]))
                if key not in participants:
                    participants[key] = ann.span("Participant", *key)
                target = participants[key]
            else:
                continue
            role = str(a["role"]).capitalize()
            used[role] = used.get(role, 0) + 1
            roles.append(f"{role}{used[role] if used[role] > 1 else ''}:{target}")
        event = ann.next_id("E")
        ann.lines.append(f"{event}\t{ev['event_class']}:{trigger}"
                         + "".join(f" {r}" for r in roles))
        for name, column in (("Tense", "tense"), ("Aspect", "aspect"),
                             ("Polarity", "polarity"), ("TimeRelation", "time_relation"),
                             ("DCTRelation", "dct_relation")):
            ann.attribute(name, event, ev.get(column))
    return "".join(line + "\n" for line in ann.lines)

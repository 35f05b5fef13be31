"""The records the event layer produces: one ``Event`` per event mention, with its ``Argument``s.

Offsets are character offsets into ``doc.text``; ``text[start:end]`` is the record's surface.
Ids are positions: an event's id is its index in ``doc._.events``, an argument's its index in
``Event.arguments``; ``ent_id``/``timex_id`` point into ``doc._.entities``/``doc._.timexes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVENT_CLASSES = ("OCCURRENCE", "STATE", "REPORTING", "I_ACTION", "I_STATE", "ASPECTUAL",
                 "PERCEPTION")
ROLES = ("agent", "patient", "recipient", "place", "source", "destination", "time", "other")


@dataclass(slots=True)
class Argument:
    role: str
    start: int
    end: int
    text: str
    ent_id: int | None = None
    timex_id: int | None = None
    #: ``syntax`` (read off the parse), ``shared`` (carried from a coordinated or controlling
    #: verb) or ``coreference`` (a dropped or pronoun subject resolved to an earlier name).
    source: str = "syntax"


@dataclass(slots=True)
class Event:
    start: int
    end: int
    trigger: str
    lemma: str | None
    pos: str
    event_class: str
    tense: str
    aspect: str
    polarity: str
    modality: str | None = None
    #: token index of the trigger's head word in the Doc
    token: int = 0
    arguments: list[Argument] = field(default_factory=list)
    time_id: int | None = None
    time_relation: str | None = None
    #: ``sentence``, ``narrative`` or None (unknown)
    time_source: str | None = None
    dct_relation: str | None = None

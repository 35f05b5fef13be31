"""Gold annotations, whatever file they came from, as one in-memory shape.

Every reader (``gold_json``, ``gold_timeml``, ``gold_conll``) returns ``GoldDocument`` objects so
the scorers never care about formats. Offsets are character offsets into ``GoldDocument.text``
(end exclusive), the same convention as the output tables (see ``pipeline/schema.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    mod: str | None = None
    #: INTERVAL gold only: the values of the begin and end points.
    begin: str | None = None
    end_value: str | None = None
    #: The id the gold file gave it (TimeML ``tid``), for error tables.
    gold_id: str | None = None


@dataclass(frozen=True, slots=True)
class GoldEntity:
    start: int
    end: int
    label: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """An event mention. TimeML gives class/pos/tense/aspect/polarity; anais JSON gives the
    time it happened and its participants by role."""

    start: int
    end: int
    text: str
    lemma: str | None = None
    event_class: str | None = None
    pos: str | None = None
    #: TimeML tense (PAST, PRESENT, FUTURE, INFINITIVE, PRESPART, PASTPART, NONE), mapped from
    #: the corpus' own tense labels when they differ (TimeBankPT's ``PPI`` → PAST).
    tense: str | None = None
    aspect: str | None = None
    polarity: str | None = None
    #: anais JSON: the TIMEX3 value of when it happened (``begin/end`` for an interval); None =
    #: the text does not say.
    time: str | None = None
    #: anais JSON: role -> participant surfaces (None = participants not annotated).
    roles: dict[str, tuple[str, ...]] | None = None
    gold_id: str | None = None


@dataclass(frozen=True, slots=True)
class GoldTlink:
    """A TimeML TLINK between an event and a time (``task`` A: a time of its sentence; B: the
    document creation time)."""

    event_id: str
    time_id: str
    rel_type: str
    task: str


@dataclass(slots=True)
class GoldDocument:
    doc_id: str
    #: The document text the offsets point into (None when the gold file only names a document
    #: whose text could not be found: surface-set scoring still works then).
    text: str | None
    source: str = ""
    #: ``json``, ``timeml``, ``conll`` or ``conllu``.
    format: str = "json"
    dct: str | None = None
    #: None = the gold says nothing about timexes (not scored); [] = there are none.
    timexes: list[GoldTimex] | None = None
    entities: list[GoldEntity] | None = None
    #: label -> distinct surface strings (anais JSON ``entity_surfaces``).
    entity_surfaces: dict[str, list[str]] | None = None
    #: None = the gold says nothing about events (not scored).
    events: list[GoldEvent] | None = None
    tlinks: list[GoldTlink] = field(default_factory=list)
    #: The TimeML id of the DCT's TIMEX3 (task B TLINKs point at it).
    dct_id: str | None = None
    #: (start, end) of gold sentences when the format has them, for error context.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    #: Character ranges where predictions are not scored (e.g. the TimeML DCT header).
    ignore_spans: list[tuple[int, int]] = field(default_factory=list)
    #: When set, only predictions overlapping one of these ranges are scored (TimeML annotates
    #: inside <s> only, so a date in a wire header outside them is not an error).
    scored_spans: list[tuple[int, int]] | None = None

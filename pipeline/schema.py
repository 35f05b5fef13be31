"""The output contract: every table anais writes, its columns, their types and meaning.

This is the only place where tables are defined. Each table is a frozen dataclass (one row =
one instance); each field carries its Arrow type and a one-line description in its metadata.
Writers, readers, the README table and the tests all derive from these definitions, so a column
can never change silently in one place only.

Conventions shared by all tables:
- ``doc_id`` joins every table to ``documents``; item ids (``sent_id``, ``tok_id``, ``ent_id``,
  ``timex_id``, ``event_id``) are 0-based positions inside their document, so
  ``(doc_id, item_id)`` is a key (``(doc_id, event_id, arg_id)`` for ``event_args``).
- ``start``/``end`` are character offsets into the original document text (Python ``str``
  indices, end exclusive): ``text[start:end]`` equals the ``text`` column, always.
- Optional values are nulls, never empty strings or sentinel numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = "1.3"
# 1.1: events filled, event_args added
# 1.2: documents.encoding, language, language_confidence and text_sha256; status `partial`,
#      errors of one component
# 1.3: the optional texts table (`--texts`, or a run that also exports), read by the exports


def _col(arrow_type: pa.DataType, doc: str, nullable: bool = False, default: Any = None,
         required: bool = False) -> Any:
    """A column; a nullable one defaults to None unless ``required`` (a dataclass cannot put a
    field without a default after one with a default)."""
    meta = {"arrow": arrow_type, "doc": doc, "nullable": nullable}
    if nullable and not required:
        return field(default=default, metadata=meta)
    return field(metadata=meta)


_STR = pa.string()
_INT = pa.int32()
_BIG = pa.int64()


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One row per input document, including those that failed."""

    doc_id: str = _col(_STR, "Document id: JSONL `id`, or the file path relative to the input root")
    source: str = _col(_STR, "Where the document came from: file path, `path:line` for JSONL, `-`")
    n_chars: int = _col(_BIG, "Length of the text in characters (0 when it could not be read)")
    n_tokens: int = _col(_BIG, "Number of tokens")
    n_sentences: int = _col(_INT, "Number of sentences")
    status: str = _col(_STR, "`ok`; `partial` when one of our components failed on it (its "
                             "layer is empty, the others are kept; see `errors`); `error`")
    dct: str | None = _col(_STR, "Document creation time (ISO date) used for anchoring", True)
    error: str | None = _col(
        _STR, "Why the document failed (`error`), or which layers failed (`partial`)", True)
    metadata: str | None = _col(_STR, "Extra JSONL fields, as a JSON object string", True)
    encoding: str | None = _col(
        _STR, "Encoding the text was decoded from (`utf-8`, `cp1252`, `utf-16-le`, …; null when "
              "it came as text, e.g. from Parquet)", True)
    language: str | None = _col(
        _STR, "Language found in the text (ISO 639-1: `pt`, `es`, `gl`, …; null when it is too "
              "short to tell)", True)
    language_confidence: float | None = _col(
        pa.float64(), "Probability of that language (0–1) among those the check tells apart",
        True)
    text_sha256: str | None = _col(
        _STR, "SHA-256 of the document text (UTF-8), to check that a score compares the same "
              "text", True)


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    doc_id: str = _col(_STR, "Document id")
    sent_id: int = _col(_INT, "Sentence index in the document (0-based)")
    start: int = _col(_BIG, "Start character offset")
    end: int = _col(_BIG, "End character offset (exclusive)")
    text: str = _col(_STR, "Sentence text, equal to text[start:end]")


@dataclass(frozen=True, slots=True)
class TokenRecord:
    doc_id: str = _col(_STR, "Document id")
    sent_id: int = _col(_INT, "Sentence index")
    tok_id: int = _col(_INT, "Token index in the document (0-based)")
    start: int = _col(_BIG, "Start character offset")
    end: int = _col(_BIG, "End character offset (exclusive)")
    text: str = _col(_STR, "Token text")
    lemma: str | None = _col(_STR, "Lemma (null when the base model has no lemmatizer)", True)
    pos: str | None = _col(_STR, "Universal POS tag (null without a tagger)", True)
    morph: str | None = _col(_STR, "Universal morphological features, `Feat=Val|…`", True)
    head: int | None = _col(_INT, "tok_id of the syntactic head (itself for the root)", True)
    dep: str | None = _col(_STR, "Dependency relation (null without a parser)", True)


@dataclass(frozen=True, slots=True)
class EntityRecord:
    doc_id: str = _col(_STR, "Document id")
    ent_id: int = _col(_INT, "Entity mention index in the document (0-based)")
    sent_id: int = _col(_INT, "Sentence index")
    start: int = _col(_BIG, "Start character offset")
    end: int = _col(_BIG, "End character offset (exclusive)")
    text: str = _col(_STR, "Mention surface, equal to text[start:end]")
    label: str = _col(_STR, "PER, LOC or ORG")
    cluster_id: int = _col(_INT, "Mentions of one entity in the document share it (0-based)")
    canonical: str = _col(_STR, "The cluster's fullest surface (`Marcelo Caetano` for `Caetano`)")


@dataclass(frozen=True, slots=True)
class TimexRecord:
    doc_id: str = _col(_STR, "Document id")
    timex_id: int = _col(_INT, "Temporal expression index in the document (0-based)")
    sent_id: int = _col(_INT, "Sentence index")
    start: int = _col(_BIG, "Start character offset")
    end: int = _col(_BIG, "End character offset (exclusive)")
    text: str = _col(_STR, "Surface, equal to text[start:end]")
    type: str = _col(_STR, "DATE, TIME, DURATION, SET or INTERVAL")
    value: str | None = _col(_STR, "TIMEX3 value (null for INTERVAL rows)", True)
    begin_value: str | None = _col(_STR, "INTERVAL: value of the begin point", True)
    end_value: str | None = _col(_STR, "INTERVAL: value of the end point", True)
    mod: str | None = _col(_STR, "TIMEX3 mod: START, MID, END, APPROX, LESS_THAN, …", True)
    parent_id: int | None = _col(_INT, "timex_id of the INTERVAL this endpoint belongs to", True)
    role: str | None = _col(_STR, "`begin` or `end` for interval endpoints", True)
    anchor: str | None = _col(
        _STR, "What a relative value was resolved from: `DCT` or `t<timex_id>`", True
    )


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One row per event mention; participants in flat columns (the first of each role)."""

    doc_id: str = _col(_STR, "Document id")
    event_id: int = _col(_INT, "Event index in the document (0-based)")
    sent_id: int = _col(_INT, "Sentence index")
    start: int = _col(_BIG, "Start character offset of the trigger")
    end: int = _col(_BIG, "End character offset of the trigger (exclusive)")
    trigger: str = _col(_STR, "Trigger: the event's head word, equal to text[start:end]")
    lemma: str | None = _col(_STR, "Trigger lemma", True, required=True)
    pos: str = _col(_STR, "VERB, NOUN, ADJ or OTHER")
    event_class: str = _col(
        _STR, "TimeML class: OCCURRENCE, STATE, REPORTING, I_ACTION, I_STATE, ASPECTUAL, "
              "PERCEPTION")
    tense: str = _col(
        _STR, "TimeML tense: PAST, PRESENT, FUTURE, INFINITIVE, PRESPART, PASTPART, NONE")
    aspect: str = _col(_STR, "TimeML aspect: PROGRESSIVE, PERFECTIVE, PERFECTIVE_PROGRESSIVE, "
                             "NONE")
    polarity: str = _col(_STR, "`POS`, or `NEG` under não/nunca/jamais/nem")
    modality: str | None = _col(_STR, "Lemma of the modal verb (`poder`, `dever`, …)", True)
    agent: str | None = _col(_STR, "First agent's surface (see `event_args`)", True)
    agent_ent_id: int | None = _col(_INT, "ent_id of the agent when it is a named entity", True)
    patient: str | None = _col(_STR, "First patient's surface", True)
    patient_ent_id: int | None = _col(_INT, "ent_id of the patient when it is a named entity",
                                      True)
    place: str | None = _col(_STR, "First place's surface", True)
    place_ent_id: int | None = _col(_INT, "ent_id of the place when it is a named entity", True)
    time_id: int | None = _col(_INT, "timex_id of the time the event is attached to", True)
    time_value: str | None = _col(_STR, "That time's TIMEX3 value (null for an INTERVAL)", True)
    time_begin: str | None = _col(_STR, "INTERVAL: value of its begin point", True)
    time_end: str | None = _col(_STR, "INTERVAL: value of its end point", True)
    time_relation: str | None = _col(
        _STR, "TimeML relation of the event to that time: IS_INCLUDED, BEFORE, AFTER, BEGINS, "
              "ENDS, DURING", True)
    time_source: str | None = _col(
        _STR, "`sentence` (a time of its own sentence), `narrative` (the time the narrative "
              "carries forward), null (unknown)", True)
    dct_relation: str | None = _col(
        _STR, "BEFORE, AFTER or OVERLAP against the document creation time (null without one)",
        True)


@dataclass(frozen=True, slots=True)
class EventArgRecord:
    """One row per participant of an event: the table to join on."""

    doc_id: str = _col(_STR, "Document id")
    event_id: int = _col(_INT, "The event (events.event_id)")
    arg_id: int = _col(_INT, "Participant index within the event (0-based)")
    role: str = _col(_STR, "agent, patient, recipient, place, source, destination, time, other")
    start: int = _col(_BIG, "Start character offset of the participant")
    end: int = _col(_BIG, "End character offset (exclusive)")
    text: str = _col(_STR, "Participant surface, equal to text[start:end]")
    ent_id: int | None = _col(_INT, "entities.ent_id when the participant is a named entity",
                              True, required=True)
    cluster_id: int | None = _col(_INT, "entities.cluster_id of that entity", True,
                                  required=True)
    timex_id: int | None = _col(_INT, "timexes.timex_id when the participant is a time", True,
                                required=True)
    source: str = _col(
        _STR, "`syntax` (read off the parse), `shared` (from a coordinated or controlling "
              "verb), `coreference` (a dropped or pronoun subject resolved to a name)")


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    doc_id: str = _col(_STR, "Document id (or the path when no id could be given)")
    source: str = _col(_STR, "Where the document came from")
    stage: str = _col(_STR, "`read`, `decode`, `parse`, `nlp`, `write`, or the component that "
                            "failed (`anais_timex`, `anais_entities`, `anais_events`)")
    error_type: str = _col(_STR, "Short machine-readable kind, e.g. `undecodable`, `empty`")
    message: str = _col(_STR, "What went wrong, for a person")


@dataclass(frozen=True, slots=True)
class TextRecord:
    """One row per document that was read: its exact text, for exports made later."""

    doc_id: str = _col(_STR, "Document id")
    text: str = _col(_STR, "The document text as read (the offsets of every table point into "
                           "it; its SHA-256 is documents.text_sha256)")


#: table name -> row type, in the order tables are written and documented.
TABLES: dict[str, type] = {
    "documents": DocumentRecord,
    "sentences": SentenceRecord,
    "tokens": TokenRecord,
    "entities": EntityRecord,
    "timexes": TimexRecord,
    "events": EventRecord,
    "event_args": EventArgRecord,
    "errors": ErrorRecord,
    "texts": TextRecord,
}


def columns(table: str) -> list[str]:
    """Column names of ``table`` in their fixed order."""
    return [f.name for f in dataclasses.fields(TABLES[table])]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table`` (what Parquet files carry)."""
    return pa.schema(
        [
            pa.field(f.name, f.metadata["arrow"], nullable=f.metadata["nullable"],
                     metadata={"doc": f.metadata["doc"]})
            for f in dataclasses.fields(TABLES[table])
        ]
    )


def describe(table: str) -> list[tuple[str, str, str]]:
    """(column, type, description) rows, used to document the schema."""
    out = []
    for f in dataclasses.fields(TABLES[table]):
        kind = str(f.metadata["arrow"]) + (" (nullable)" if f.metadata["nullable"] else "")
        out.append((f.name, kind, f.metadata["doc"]))
    return out


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document: the rows it contributes to each table."""

    document: DocumentRecord
    sentences: list[SentenceRecord] = field(default_factory=list)
    tokens: list[TokenRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    timexes: list[TimexRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    event_args: list[EventArgRecord] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    texts: list[TextRecord] = field(default_factory=list)

    def rows(self) -> dict[str, list[Any]]:
        """Rows per table name."""
        return {
            "documents": [self.document],
            "sentences": self.sentences,
            "tokens": self.tokens,
            "entities": self.entities,
            "timexes": self.timexes,
            "events": self.events,
            "event_args": self.event_args,
            "errors": self.errors,
            "texts": self.texts,
        }


def markdown() -> str:
    """The schema as Markdown tables, as pasted into the README (``python -m pipeline.schema``)."""
    parts = []
    for table in TABLES:
        parts.append(f"#### `{table}`\n\n| column | type | meaning |\n|---|---|---|")
        parts.extend(f"| `{c}` | {k} | {d} |" for c, k, d in describe(table))
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown())

"""The rows of one document from every table of a run folder, read part by part.

A run writes each table as parts that cover the same documents (``part-00003`` of every table
holds the same documents), so an export reads one part of each table at a time and memory
stays bounded by the part size, whatever the run's size. A folder holding only merged single
files (``entities.parquet``) is read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.tables import FORMATS, part_files, read_file, read_tables

#: the tables an export may read (``errors`` and ``documents`` are read for every document)
ROW_TABLES = ("sentences", "tokens", "entities", "timexes", "events", "event_args", "texts")


@dataclass(slots=True)
class DocumentRows:
    """One document: its ``documents`` row and its rows of the other tables (dicts, nulls as
    None), each list in table order."""

    document: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: tables the run wrote at all (``tokens`` only with ``--tokens``, ``texts`` with
    #: ``--texts``): an empty list then means "none", a missing table "not known"
    present: frozenset[str] = frozenset()

    @property
    def doc_id(self) -> str:
        return str(self.document["doc_id"])

    def of(self, table: str) -> list[dict[str, Any]]:
        return self.rows.get(table, [])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def _group(frames: dict[str, pd.DataFrame]) -> Iterator[DocumentRows]:
    present = frozenset(frames)
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table, frame in frames.items():
        if table == "documents":
            continue
        by_doc = grouped.setdefault(table, {})
        for rec in _records(frame):
            by_doc.setdefault(str(rec["doc_id"]), []).append(rec)
    for doc in _records(frames["documents"]):
        did = str(doc["doc_id"])
        yield DocumentRows(doc, {t: grouped[t].get(did, []) for t in grouped}, present)


def has_table(run_dir: str | Path, table: str) -> bool:
    """Whether the run in ``run_dir`` wrote ``table`` (parts or a merged file)."""
    folder = Path(run_dir)
    return any(part_files(folder, table, fmt) or (folder / f"{table}.{fmt}").is_file()
               for fmt in FORMATS)


def iter_documents(run_dir: str | Path, tables: tuple[str, ...] = ROW_TABLES
                   ) -> Iterator[DocumentRows]:
    """Every document of the run in ``run_dir``, in the run's order, with its rows of
    ``tables`` (those the run wrote)."""
    folder = Path(run_dir)
    wanted = ("documents", *tables)
    for fmt in FORMATS:
        parts = part_files(folder, "documents", fmt)
        if not parts:
            continue
        by_table = {t: {p.name: p for p in part_files(folder, t, fmt)} for t in wanted}
        for part in parts:
            frames = {t: read_file(files[part.name], fmt, t)
                      for t, files in by_table.items() if part.name in files}
            yield from _group(frames)
        return
    frames = read_tables(folder, wanted)
    if "documents" not in frames:
        raise FileNotFoundError(f"{folder}: no documents table: not an anais run folder")
    yield from _group(frames)

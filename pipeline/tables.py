"""Write the tables of ``pipeline.schema`` to disk, and read them back.

Rows are buffered per table and flushed in row groups, so writing streams in bounded memory.
How a run lays its tables out in parts, and resumes, is ``pipeline.partitions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.schema import TABLES, arrow_schema, columns

FORMATS = ("parquet", "csv", "jsonl")
#: Files a person may keep in an output folder (outputs/README.md in the repo): they do not
#: stop a new run from writing there (and anais never deletes a file it did not write).
KEPT_FILES = ("README.md", ".gitkeep")
_SUFFIX = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
FLUSH_ROWS = 20_000


def suffixed(stem: Path, fmt: str) -> Path:
    """``stem`` + the file suffix of ``fmt`` (``part-00000`` → ``part-00000.parquet``)."""
    return stem.with_name(stem.name + _SUFFIX[fmt])


def dataset_dir(folder: Path, table: str, fmt: str) -> Path:
    """Where the parts of one table live: ``<table>/`` for Parquet, ``<fmt>/<table>/`` for the
    other formats, so that a Parquet reader pointed at ``<table>/`` sees Parquet only."""
    return folder / table if fmt == "parquet" else folder / fmt / table


class TableWriter:
    """Streams rows of one table into one file per requested format: ``paths[fmt]``, by
    default ``folder/<table>.<suffix>``."""

    def __init__(self, folder: Path, table: str, formats: Sequence[str],
                 paths: dict[str, Path] | None = None) -> None:
        self.table = table
        self.schema = arrow_schema(table)
        self.names = columns(table)
        self.rows: list[Any] = []
        self.count = 0
        self.paths = paths or {fmt: suffixed(folder / table, fmt) for fmt in formats}
        self._parquet = self._csv = self._jsonl = None
        if "parquet" in formats:
            self._parquet = pq.ParquetWriter(self.paths["parquet"], self.schema)
        if "csv" in formats:
            self._csv = pacsv.CSVWriter(self.paths["csv"], self.schema)
        if "jsonl" in formats:
            self._jsonl = self.paths["jsonl"].open("w", encoding="utf-8")

    def add(self, rows: Iterable[Any]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        data = {name: [getattr(row, name) for row in self.rows] for name in self.names}
        batch = pa.Table.from_pydict(data, schema=self.schema)
        if self._parquet is not None:
            self._parquet.write_table(batch)
        if self._csv is not None:
            self._csv.write_table(batch)
        if self._jsonl is not None:
            for i in range(len(self.rows)):
                record = {name: data[name][i] for name in self.names}
                self._jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += len(self.rows)
        self.rows.clear()

    def close(self) -> None:
        self.flush()
        for handle in (self._parquet, self._csv, self._jsonl):
            if handle is not None:
                handle.close()


def _pandas_dtype(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return "Int64"
    return "Float64" if pa.types.is_floating(arrow_type) else "string"


def _read_file(path: Path, fmt: str, schema: pa.Schema) -> pd.DataFrame:
    if fmt == "parquet":
        frame = pq.read_table(path, schema=schema).to_pandas()
    elif fmt == "csv":
        opts = pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True)
        # values may hold line breaks (newline tokens, multi-line sentences): without this the
        # reader cuts big files into blocks inside quoted values and fails to parse them
        parse = pacsv.ParseOptions(newlines_in_values=True)
        frame = pacsv.read_csv(path, convert_options=opts, parse_options=parse).to_pandas()
    else:
        frame = pd.read_json(path, lines=True, dtype=False)
        if frame.empty:
            frame = pd.DataFrame(columns=schema.names)
    return frame.astype({f.name: _pandas_dtype(f.type) for f in schema})[schema.names]


def read_file(path: Path, fmt: str, table: str) -> pd.DataFrame:
    """One file (a part or a merged table) of ``table`` in format ``fmt``."""
    return _read_file(path, fmt, arrow_schema(table))


def part_files(folder: Path, table: str, fmt: str) -> list[Path]:
    """The finished parts of one table's dataset in format ``fmt``, in order."""
    return sorted(dataset_dir(folder, table, fmt).glob(f"part-*{_SUFFIX[fmt]}"))


def read_table(folder: str | Path, table: str) -> pd.DataFrame:
    """Read one table written by ``anais run``: its dataset of parts (``<table>/part-*``),
    else a single file; Parquet, else CSV, else JSONL."""
    folder = Path(folder)
    schema = arrow_schema(table)
    for fmt in FORMATS:
        parts = part_files(folder, table, fmt)
        if parts:
            frames = [_read_file(p, fmt, schema) for p in parts]
            return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for fmt in FORMATS:
        path = folder / f"{table}{_SUFFIX[fmt]}"
        if path.is_file():
            return _read_file(path, fmt, schema)
    raise FileNotFoundError(f"no {table} table (.parquet, .csv or .jsonl) in {folder}")


def read_tables(folder: str | Path, tables: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
    """The tables (default: every one) present in an ``anais run`` output folder, by name."""
    out = {}
    for table in tables:
        try:
            out[table] = read_table(folder, table)
        except FileNotFoundError:
            continue
    return out

"""Write the tables of ``pipeline.schema`` to disk, and read them back.

Rows are buffered per table and flushed in row groups, so writing streams in bounded memory.
An output folder is written in a hidden sibling folder and renamed into place only when the
run is complete: a crash or Ctrl-C never leaves half-written tables where the last good ones
were.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.schema import TABLES, arrow_schema, columns

FORMATS = ("parquet", "csv", "jsonl")
#: Files a person may keep in an output folder (outputs/README.md in the repo): they do not
#: stop a folder from being replaced, and they are carried over into the new one.
KEPT_FILES = ("README.md", ".gitkeep")
_SUFFIX = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
_FLUSH_ROWS = 20_000


class TableWriter:
    """Streams rows of one table into one file per requested format."""

    def __init__(self, folder: Path, table: str, formats: Sequence[str]) -> None:
        self.table = table
        self.schema = arrow_schema(table)
        self.names = columns(table)
        self.rows: list[Any] = []
        self.count = 0
        self._parquet = self._csv = self._jsonl = None
        if "parquet" in formats:
            self._parquet = pq.ParquetWriter(folder / f"{table}.parquet", self.schema)
        if "csv" in formats:
            self._csv = pacsv.CSVWriter(folder / f"{table}.csv", self.schema)
        if "jsonl" in formats:
            self._jsonl = (folder / f"{table}.jsonl").open("w", encoding="utf-8")

    def add(self, rows: Iterable[Any]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= _FLUSH_ROWS:
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


class OutputFolder:
    """A folder of tables that replaces ``target`` atomically when closed without error."""

    def __init__(self, target: Path, formats: Sequence[str], tables: Sequence[str]) -> None:
        self.target = target
        self.formats = list(dict.fromkeys(formats))
        self.tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
        self.tables = list(tables)
        self.writers: dict[str, TableWriter] = {}

    def __enter__(self) -> OutputFolder:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir()
        self.writers = {t: TableWriter(self.tmp, t, self.formats) for t in self.tables}
        return self

    def add(self, table: str, rows: Iterable[Any]) -> None:
        if table in self.writers:
            self.writers[table].add(rows)

    def counts(self) -> dict[str, int]:
        return {t: w.count + len(w.rows) for t, w in self.writers.items()}

    def write_json(self, name: str, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        (self.tmp / name).write_text(text, encoding="utf-8")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:
                if exc_type is None:
                    raise
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        for name in KEPT_FILES:
            if (self.target / name).is_file():
                shutil.copy2(self.target / name, self.tmp / name)
        if self.target.exists():
            self.target.rename(old)
        self.tmp.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)


def replaceable(target: Path) -> bool:
    """Whether ``target`` may be replaced: absent, empty, or an earlier anais output."""
    if not target.exists():
        return True
    if not target.is_dir():
        return False
    return (target / "manifest.json").is_file() or all(
        p.name in KEPT_FILES for p in target.iterdir())


def _pandas_dtype(arrow_type: pa.DataType) -> str:
    return "Int64" if pa.types.is_integer(arrow_type) else "string"


def read_table(folder: str | Path, table: str) -> pd.DataFrame:
    """Read one table written by ``anais run`` (Parquet, else CSV, else JSONL)."""
    folder = Path(folder)
    schema = arrow_schema(table)
    for fmt in FORMATS:
        path = folder / f"{table}{_SUFFIX[fmt]}"
        if not path.is_file():
            continue
        if fmt == "parquet":
            frame = pq.read_table(path, schema=schema).to_pandas()
        elif fmt == "csv":
            opts = pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True)
            frame = pacsv.read_csv(path, convert_options=opts).to_pandas()
        else:
            frame = pd.read_json(path, lines=True, dtype=False)
            if frame.empty:
                frame = pd.DataFrame(columns=schema.names)
        return frame.astype({f.name: _pandas_dtype(f.type) for f in schema})[schema.names]
    raise FileNotFoundError(f"no {table} table (.parquet, .csv or .jsonl) in {folder}")


def read_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Every table present in an ``anais run`` output folder, by name."""
    out = {}
    for table in TABLES:
        try:
            out[table] = read_table(folder, table)
        except FileNotFoundError:
            continue
    return out

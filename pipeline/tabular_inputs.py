"""Documents from data teams' tables: Parquet and CSV files (CSV maybe gzip-compressed), one
document per row, read in batches so a table of any size streams.

The text, id and DCT columns are ``--text-column``/``--id-column``/``--dct-column`` (``text``,
``id``, ``dct`` by default); the other columns are kept as the document's metadata. A row
without an id is named ``<file stem>:<row number>`` (1-based, the header not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.reading import DocumentInput, ReadOptions, failed_input, record_document

_BATCH_ROWS = 1024


def _batches(path: Path, kind: str, opts: ReadOptions) -> Iterator[list[dict[str, Any]]]:
    if kind == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
            yield batch.to_pylist()
        return
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # every column as text: an id of digits stays `0042`, a DCT stays what was written
    header = pacsv.open_csv(path).schema.names  # (a .gz path is decompressed on the fly)
    types = {name: pa.string() for name in header}
    reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(column_types=types),
                            read_options=pacsv.ReadOptions(block_size=1 << 20))
    for batch in reader:
        yield batch.to_pylist()


def read_table_file(path: Path, kind: str, opts: ReadOptions) -> Iterator[DocumentInput]:
    """The documents of one Parquet or CSV file; an unreadable file is one error row."""
    stem = path.name.split(".")[0]
    row = 0
    try:
        for records in _batches(path, kind, opts):
            for record in records:
                row += 1
                record = {k: _plain(v) for k, v in record.items()}
                yield record_document(record, f"{path}:{row}", f"{stem}:{row}", opts,
                                      encoding="utf-8" if kind == "csv" else None)
    except Exception as exc:  # noqa: BLE001  (pyarrow raises many kinds for a broken file)
        yield failed_input(f"{stem}:{row + 1}", str(path), "parse", f"bad_{kind}",
                      f"cannot read the {kind.upper()} file after row {row}: {exc}")


def _plain(value: Any) -> Any:
    """A value JSON can hold in metadata (dates as ISO text)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value

"""Turn command-line inputs (text files, folders, JSONL, Parquet and CSV tables, gzip-
compressed files, glob patterns, stdin) into a stream of documents.

Every input yields either a readable document or a ``DocumentInput`` carrying an
``ErrorRecord``: bad input never stops the stream, it becomes a row a person can read.
Files are read one at a time, so a corpus of any size streams in constant memory.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pipeline.language_check import LanguageVerdict, guess_language
from pipeline.schema import ErrorRecord

#: Bytes looked at to decide whether a file is binary.
_SNIFF_BYTES = 8192


@dataclass(slots=True)
class DocumentInput:
    """A document to process, or the reason it cannot be."""

    doc_id: str
    source: str
    text: str | None
    dct: str | None = None
    metadata: dict[str, Any] | None = None
    error: ErrorRecord | None = None


@dataclass(frozen=True, slots=True)
class ReadOptions:
    encoding: str = "utf-8"
    default_dct: str | None = None
    max_chars: int = 2_000_000
    check_language: bool = True
    input_format: str = "auto"  # auto | txt | jsonl
    #: fields (JSONL) or columns (Parquet, CSV) holding the text, the id and the DCT
    text_column: str = "text"
    id_column: str = "id"
    dct_column: str = "dct"


def failed_input(doc_id: str, source: str, stage: str, kind: str, message: str) -> DocumentInput:
    error = ErrorRecord(doc_id, source, stage, kind, message)
    return DocumentInput(doc_id, source, None, error=error)


def normalize_dct(value: Any) -> str:
    """Return the ISO date (YYYY-MM-DD) of a DCT: an ISO date or date-time
    (`2024-03-14T10:00:00Z`), a date object, or a date as people write it, read day first as
    Portuguese does (`14/03/2024`, `14 de março de 2024`).

    Raises ValueError with a readable message for anything else.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        iso = text[:-1] + "+00:00" if text.endswith("Z") else text
        for parse in (dt.date.fromisoformat, lambda t: dt.datetime.fromisoformat(t).date()):
            try:
                return parse(iso).isoformat()
            except ValueError:
                pass
        # a broken ISO date (`2024-13-01`) is an error, not a date to guess another way
        parsed = None if text[:4].isdigit() and text[4:5] == "-" else _parse_written_date(text)
        if parsed is not None:
            return parsed.isoformat()
    raise ValueError(f"dct must be a date such as 2024-05-17, 14/03/2024 or 14 de março de "
                     f"2024, got {value!r}")


def _parse_written_date(text: str) -> dt.date | None:
    """A full date (day, month and year) in a format people write, or None."""
    import dateparser  # slower to import: only for dates that are not ISO

    parsed = dateparser.parse(text, languages=["pt", "en"], settings={
        "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
        # absolute dates only: `ontem` is relative to a now that a DCT must not depend on
        "PARSERS": ["absolute-time"]})
    return parsed.date() if parsed is not None else None


def _check_text(doc: DocumentInput, opts: ReadOptions) -> DocumentInput:
    """Apply the checks that every source shares: empty, too large, not Portuguese."""
    text = doc.text or ""
    if not text.strip():
        return failed_input(doc.doc_id, doc.source, "read", "empty",
                            "the document is empty (no text)")
    if len(text) > opts.max_chars:
        return failed_input(
            doc.doc_id, doc.source, "read", "too_large",
            f"the document has {len(text):,} characters, over the limit of {opts.max_chars:,}; "
            "split it, or raise the limit with --max-chars",
        )
    if opts.check_language:
        verdict: LanguageVerdict = guess_language(text)
        if not verdict.is_portuguese:
            return failed_input(
                doc.doc_id, doc.source, "read", "not_portuguese",
                f"the text does not look Portuguese ({verdict.explain()}); "
                "use --no-language-check to process it anyway",
            )
    return doc


def decode_bytes(data: bytes, encoding: str) -> tuple[str | None, str | None, str | None]:
    """Decode ``data``; return (text, error_type, message)."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head and not encoding.lower().startswith(("utf-16", "utf-32")):
        return None, "binary", "the file is binary (it contains NUL bytes), not text"
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        return None, "undecodable", (
            f"byte 0x{bad} at offset {exc.start} is not valid {encoding}; if the file is "
            "Latin-1 or Windows-1252, pass --encoding cp1252"
        )
    except LookupError:
        return None, "bad_encoding", f"unknown encoding {encoding!r}"
    controls = sum(1 for ch in text[:_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:_SNIFF_BYTES]) // 20):
        return None, "binary", "the file looks binary (many control characters), not text"
    return text, None, None


def _read_text_file(path: Path, doc_id: str, opts: ReadOptions) -> DocumentInput:
    source = str(path)
    try:
        size = path.stat().st_size
        # A cheap bound before reading: UTF-8 needs at most 4 bytes per character.
        if size > 4 * opts.max_chars:
            return failed_input(
                doc_id, source, "read", "too_large",
                f"the file has {size:,} bytes, over the limit of {opts.max_chars:,} characters; "
                "split it, or raise the limit with --max-chars",
            )
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
    except (gzip.BadGzipFile, EOFError) as exc:
        return failed_input(doc_id, source, "decode", "bad_gzip",
                            f"not a readable gzip file: {exc}")
    except PermissionError:
        return failed_input(doc_id, source, "read", "unreadable",
                            "permission denied: cannot read it")
    except OSError as exc:
        return failed_input(doc_id, source, "read", "unreadable", f"cannot read it: {exc.strerror}")
    text, kind, message = decode_bytes(data, opts.encoding)
    if text is None:
        return failed_input(doc_id, source, "decode", kind or "undecodable", message or "")
    return _check_text(DocumentInput(doc_id, source, text, dct=opts.default_dct), opts)


def _jsonl_record(line: str, source: str, fallback_id: str, opts: ReadOptions) -> DocumentInput:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return failed_input(fallback_id, source, "parse", "bad_json", f"not valid JSON: {exc.msg} "
                       f"(column {exc.colno})")
    if not isinstance(obj, dict):
        return failed_input(fallback_id, source, "parse", "bad_json",
                       "the line is JSON but not an object")
    return record_document(obj, source, fallback_id, opts)


def record_document(obj: dict[str, Any], source: str, fallback_id: str,
                    opts: ReadOptions) -> DocumentInput:
    """A document from one record (a JSONL object, a Parquet or CSV row): its text, id and
    DCT fields by ``opts``' names; the other fields are kept as metadata."""
    doc_id = obj.get(opts.id_column, fallback_id)
    doc_id = str(doc_id) if doc_id is not None else fallback_id
    text = obj.get(opts.text_column)
    if not isinstance(text, str):
        return failed_input(doc_id, source, "parse", "no_text",
                       f"the record has no string `{opts.text_column}` field")
    dct = obj.get(opts.dct_column)
    if dct is None or dct == "":  # an empty CSV cell is no DCT
        dct = opts.default_dct
    if dct is not None:
        try:
            dct = normalize_dct(dct)
        except ValueError as exc:
            return failed_input(doc_id, source, "parse", "bad_dct", str(exc))
    named = (opts.id_column, opts.text_column, opts.dct_column)
    metadata = {k: v for k, v in obj.items() if k not in named} or None
    return _check_text(DocumentInput(doc_id, source, text, dct, metadata), opts)


def _read_jsonl_lines(
    lines: Iterable[bytes], name: str, opts: ReadOptions
) -> Iterator[DocumentInput]:
    stem = Path(name).stem if name != "-" else "stdin"
    for lineno, raw in enumerate(lines, start=1):
        source = f"{name}:{lineno}"
        fallback_id = f"{stem}:{lineno}"
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield failed_input(fallback_id, source, "decode", "undecodable",
                          f"byte at column {exc.start + 1} is not valid UTF-8")
            continue
        if not line.strip():
            continue
        yield _jsonl_record(line, source, fallback_id, opts)


def _read_jsonl_file(path: Path, opts: ReadOptions) -> Iterator[DocumentInput]:
    try:
        handle = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")
    except OSError as exc:
        yield failed_input(str(path), str(path), "read", "unreadable",
                           f"cannot read it: {exc.strerror}")
        return
    with handle:
        yield from _read_jsonl_lines(handle, str(path), opts)


def _read_stdin(stream: IO[bytes], opts: ReadOptions) -> Iterator[DocumentInput]:
    if opts.input_format == "jsonl":
        yield from _read_jsonl_lines(stream, "-", opts)
        return
    text, kind, message = decode_bytes(stream.read(), opts.encoding)
    if text is None:
        yield failed_input("stdin", "-", "decode", kind or "undecodable", message or "")
        return
    yield _check_text(DocumentInput("stdin", "-", text, dct=opts.default_dct), opts)


def input_kind(path: Path, opts: ReadOptions) -> str:
    """``txt``, ``jsonl``, ``parquet`` or ``csv``: ``--input-format``, else the extension
    (a ``.gz`` ending aside)."""
    if opts.input_format != "auto":
        return opts.input_format
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
            ".csv": "csv"}.get(last, "txt")


_TEXT_FILES = ("*.txt", "*.txt.gz")
_GLOB_CHARS = frozenset("*?[")


def iter_documents(
    inputs: Iterable[str], opts: ReadOptions | None = None, stdin: IO[bytes] | None = None
) -> Iterator[DocumentInput]:
    """Yield the documents of every input: a file (text, JSONL, Parquet or CSV, each maybe
    gzip-compressed), a folder (recursive ``*.txt`` and ``*.txt.gz``), a glob pattern
    (``data/**/*.jsonl.gz``, in sorted order), or ``-``.

    ``doc_id`` is the record's id field, or the file's path relative to the folder given (its
    name for a single file), so ids are stable across machines.
    """
    opts = opts or ReadOptions()
    for item in inputs:
        if item == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, opts)
            continue
        path = Path(item)
        if not path.exists() and _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield failed_input(item, item, "read", "missing", "no file matches the pattern")
            yield from iter_documents(matches, opts, stdin)
            continue
        if path.is_dir():
            files = sorted({p for pattern in _TEXT_FILES for p in path.rglob(pattern)
                            if p.is_file()})
            if not files:
                yield failed_input(item, item, "read", "no_documents",
                              "the folder holds no .txt or .txt.gz files")
            for file in files:
                yield _read_text_file(file, file.relative_to(path).as_posix(), opts)
        elif path.is_file():
            kind = input_kind(path, opts)
            if kind == "jsonl":
                yield from _read_jsonl_file(path, opts)
            elif kind in ("parquet", "csv"):
                from pipeline.tabular_inputs import read_table_file

                yield from read_table_file(path, kind, opts)
            else:
                yield _read_text_file(path, path.name, opts)
        elif path.exists():
            yield failed_input(item, item, "read", "unreadable", "not a regular file or folder")
        else:
            yield failed_input(item, item, "read", "missing", "no such file or folder")

"""Turn command-line inputs (text files, folders, JSONL, Parquet and CSV tables, gzip-
compressed files, glob patterns, stdin) into a stream of documents.

Every input yields either a readable document or a ``DocumentInput`` carrying an
``ErrorRecord``: bad input never stops the stream, it becomes a row a person can read.
Files are read one at a time, so a corpus of any size streams in constant memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import gzip
import hashlib
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.decoding import AUTO, Decoded, decode_bytes
from pipeline.language_check import guess_language
from pipeline.schema import ErrorRecord

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DocumentInput:
    """A document to process, or the reason it cannot be."""

    doc_id: str
    source: str
    text: str | None
    dct: str | None = None
    metadata: dict[str, Any] | None = None
    error: ErrorRecord | None = None
    #: the encoding the text was decoded from (None: it came as text, e.g. from Parquet)
    encoding: str | None = None
    #: the language found (ISO 639-1) and the confidence in it (None: too little text)
    language: str | None = None
    language_confidence: float | None = None

    def provenance(self) -> dict[str, Any]:
        """The ``documents`` columns that describe the input itself: encoding, language and
        the text's hash (how ``anais eval --pred`` checks it scores the text it was given)."""
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest() \
            if self.text is not None else None
        return {"encoding": self.encoding, "language": self.language,
                "language_confidence": self.language_confidence, "text_sha256": digest}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    #: ``auto`` detects each file's encoding (byte-order mark, UTF-8, then charset-normalizer)
    encoding: str = AUTO
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
    """Apply the checks that every source shares: empty, too large, not Portuguese; record
    the language found."""
    text = doc.text or ""
    if not text.strip():
        return _failed_like(doc, "read", "empty", "the document is empty (no text)")
    if len(text) > opts.max_chars:
        return _failed_like(
            doc, "read", "too_large",
            f"the document has {len(text):,} characters, over the limit of {opts.max_chars:,}; "
            "split it, or raise the limit with --max-chars",
        )
    verdict = guess_language(text)
    doc.language, doc.language_confidence = verdict.language, verdict.confidence
    if opts.check_language and not verdict.is_portuguese:
        return _failed_like(doc, "read", "not_portuguese",
                            f"the text does not look Portuguese: {verdict.explain()}; "
                            "use --no-language-check to process it anyway")
    return doc


def _failed_like(doc: DocumentInput, stage: str, kind: str, message: str) -> DocumentInput:
    """``doc`` as a failed input, keeping what was learnt about it (encoding, language)."""
    failed = failed_input(doc.doc_id, doc.source, stage, kind, message)
    failed.dct, failed.metadata, failed.encoding = doc.dct, doc.metadata, doc.encoding
    failed.language, failed.language_confidence = doc.language, doc.language_confidence
    return failed


def _decoded_document(decoded: Decoded, doc_id: str, source: str,
                      opts: ReadOptions) -> DocumentInput:
    if decoded.text is None:
        return failed_input(doc_id, source, "decode", decoded.error_type or "undecodable",
                            decoded.message or "")
    doc = DocumentInput(doc_id, source, decoded.text, dct=opts.default_dct,
                        encoding=decoded.encoding)
    return _check_text(doc, opts)


def _read_bytes(path: Path, doc_id: str, opts: ReadOptions) -> bytes | DocumentInput:
    """The file's bytes (gunzipped), or a failed input saying why they cannot be had."""
    source = str(path)
    try:
        size = path.stat().st_size
        # A cheap bound before reading: no encoding needs more than 4 bytes per character.
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
    return data


def _read_text_file(path: Path, doc_id: str, opts: ReadOptions) -> DocumentInput:
    data = _read_bytes(path, doc_id, opts)
    if isinstance(data, DocumentInput):
        return data
    return _decoded_document(decode_bytes(data, opts.encoding), doc_id, str(path), opts)


def _jsonl_record(line: str, source: str, fallback_id: str, opts: ReadOptions) -> DocumentInput:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return failed_input(fallback_id, source, "parse", "bad_json", f"not valid JSON: {exc.msg} "
                       f"(column {exc.colno})")
    if not isinstance(obj, dict):
        return failed_input(fallback_id, source, "parse", "bad_json",
                       "the line is JSON but not an object")
    return record_document(obj, source, fallback_id, opts, encoding="utf-8")


def record_document(obj: dict[str, Any], source: str, fallback_id: str,
                    opts: ReadOptions, encoding: str | None = None) -> DocumentInput:
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
    return _check_text(DocumentInput(doc_id, source, text, dct, metadata, encoding=encoding),
                       opts)


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


def _read_json_file(path: Path, opts: ReadOptions) -> Iterator[DocumentInput]:
    """A ``.json`` file: one object (one document) or a list of objects (one each)."""
    stem = path.name.split(".")[0]
    data = _read_bytes(path, path.name, opts)
    if isinstance(data, DocumentInput):
        yield data
        return
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield failed_input(path.name, str(path), "parse", "bad_json",
                           f"not a valid UTF-8 JSON file: {exc}; a .json input holds one "
                           "document object or a list of them (.jsonl: one object a line)")
        return
    if isinstance(value, dict):
        yield record_document(value, str(path), path.name, opts, encoding="utf-8")
        return
    if not isinstance(value, list):
        yield failed_input(path.name, str(path), "parse", "bad_json",
                           "a .json input holds one document object or a list of them")
        return
    for i, obj in enumerate(value, start=1):
        source, fallback_id = f"{path}:{i}", f"{stem}:{i}"
        if isinstance(obj, dict):
            yield record_document(obj, source, fallback_id, opts, encoding="utf-8")
        else:
            yield failed_input(fallback_id, source, "parse", "bad_json",
                               f"item {i} of the list is not an object")


def _looks_like_jsonl(data: bytes) -> bool:
    """Whether standard input's first non-blank line is a JSON object."""
    first = next((line for line in data.splitlines() if line.strip()), b"")
    try:
        return isinstance(json.loads(first.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def _read_stdin(stream: IO[bytes], opts: ReadOptions) -> Iterator[DocumentInput]:
    if opts.input_format == "jsonl":
        yield from _read_jsonl_lines(stream, "-", opts)
        return
    data = stream.read()
    if opts.input_format == "auto" and _looks_like_jsonl(data):
        log.info("standard input starts with a JSON object: read as JSONL")
        yield from _read_jsonl_lines(data.splitlines(keepends=True), "-", opts)
        return
    yield _decoded_document(decode_bytes(data, opts.encoding), "stdin", "-", opts)


def input_kind(path: Path, opts: ReadOptions) -> str:
    """``txt``, ``jsonl``, ``json``, ``parquet`` or ``csv``: ``--input-format``, else the
    extension, in any case (a ``.gz`` ending aside)."""
    if opts.input_format != "auto":
        return opts.input_format
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet",
            ".csv": "csv"}.get(last, "txt")


_GLOB_CHARS = frozenset("*?[")
#: renamed ids shown one by one; the rest are counted in the run's summary
_WARN_RENAMED = 5


@dataclass(slots=True)
class InputReport:
    """What reading the inputs met besides documents, for the run's summary and manifest."""

    #: inputs (paths, patterns) that do not exist
    missing: int = 0
    #: files inside input folders that are not read (not .txt or .txt.gz), by suffix
    skipped: Counter = field(default_factory=Counter)
    #: documents whose id was already taken, renamed ``<id>#2``, ``#3``, …
    renamed_ids: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"missing_inputs": self.missing, "skipped_files": dict(sorted(self.skipped.items())),
                "renamed_ids": self.renamed_ids}


def _is_text_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".txt", ".txt.gz"))


def _folder_files(folder: Path, report: InputReport) -> list[Path]:
    """Every ``*.txt`` and ``*.txt.gz`` below ``folder`` (any case), through symlinked folders
    too (each real folder once, so a link loop ends); other files are counted as skipped and
    reported."""
    found: list[Path] = []
    skipped: Counter = Counter()
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in files:
            path = Path(root) / name
            if not path.is_file():
                continue  # a broken link, a socket
            if _is_text_file(path):
                found.append(path)
            else:
                skipped["".join(path.suffixes[-2:]).lower() or name] += 1
    if skipped:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(skipped.items()))
        log.warning("%s: skipped %d files that are not .txt or .txt.gz (%s); give them as "
                    "inputs of their own to read them", folder, sum(skipped.values()), kinds)
        report.skipped.update(skipped)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def iter_documents(
    inputs: Iterable[str], opts: ReadOptions | None = None, stdin: IO[bytes] | None = None,
    report: InputReport | None = None,
) -> Iterator[DocumentInput]:
    """Yield the documents of every input: a file (text, JSONL, JSON, Parquet or CSV, each
    maybe gzip-compressed), a folder (recursive ``*.txt`` and ``*.txt.gz``), a glob pattern
    (``data/**/*.jsonl.gz``, in sorted order), or ``-``.

    ``doc_id`` is the record's id field, or the file's path relative to the folder given (its
    name for a single file), so ids are stable across machines; an id met again is made
    unique (``42``, ``42#2``, …; see ``unique_ids``). ``report`` collects what was skipped or
    missing.
    """
    opts = opts or ReadOptions()
    report = report if report is not None else InputReport()
    yield from unique_ids(_documents(inputs, opts, stdin, report, set()), report)


def _documents(inputs: Iterable[str], opts: ReadOptions, stdin: IO[bytes] | None,
               report: InputReport, state: set[str]) -> Iterator[DocumentInput]:
    for item in inputs:
        if item == "-":
            if "stdin" in state:
                yield failed_input("stdin", "-", "read", "repeated_stdin",
                                   "`-` is given more than once: standard input is read once, "
                                   "by the first")
                continue
            state.add("stdin")
            yield from _read_stdin(stdin or sys.stdin.buffer, opts)
            continue
        path = Path(item)
        if not path.exists() and _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                report.missing += 1
                log.warning("%s: no file matches the pattern", item)
                yield failed_input(item, item, "read", "missing", "no file matches the pattern")
            yield from _documents(matches, opts, stdin, report, state)
            continue
        if path.is_dir():
            files = _folder_files(path, report)
            if not files:
                yield failed_input(item, item, "read", "no_documents",
                              "the folder holds no .txt or .txt.gz files")
            for file in files:
                yield _read_text_file(file, file.relative_to(path).as_posix(), opts)
        elif path.is_file():
            kind = input_kind(path, opts)
            if kind == "jsonl":
                yield from _read_jsonl_file(path, opts)
            elif kind == "json":
                yield from _read_json_file(path, opts)
            elif kind in ("parquet", "csv"):
                from pipeline.tabular_inputs import read_table_file

                yield from read_table_file(path, kind, opts)
            else:
                yield _read_text_file(path, path.name, opts)
        elif path.exists():
            yield failed_input(item, item, "read", "unreadable", "not a regular file or folder")
        else:
            report.missing += 1
            log.warning("%s: no such file or folder", item)
            yield failed_input(item, item, "read", "missing", "no such file or folder")


def unique_ids(docs: Iterable[DocumentInput],
               report: InputReport | None = None) -> Iterator[DocumentInput]:
    """``docs`` with every ``doc_id`` unique: an id met before becomes ``<id>#2`` (``#3``, …,
    the first number not taken), so ``(doc_id, …)`` stays a key. Deterministic: it depends on
    the order of the documents only. The id the input gave is kept in the metadata as
    ``given_id``."""
    seen: set[str] = set()
    renamed = 0
    for doc in docs:
        if doc.doc_id in seen:
            given, n = doc.doc_id, 2
            while f"{given}#{n}" in seen:
                n += 1
            doc.doc_id = f"{given}#{n}"
            doc.metadata = {**(doc.metadata or {}), "given_id": given}
            if doc.error is not None:
                doc.error = dataclasses.replace(doc.error, doc_id=doc.doc_id)
            renamed += 1
            if report is not None:
                report.renamed_ids += 1
            if renamed <= _WARN_RENAMED:
                log.warning("%s: id %r was given before: named %r%s", doc.source, given,
                            doc.doc_id, " (further renames are counted, not shown)"
                            if renamed == _WARN_RENAMED else "")
        seen.add(doc.doc_id)
        yield doc


#: What ``pipeline.extract_documents`` takes for a document besides a ``DocumentInput``.
_API_OPTIONS = ReadOptions(check_language=False, max_chars=sys.maxsize)


def as_document_inputs(items: Iterable[DocumentInput | str | dict[str, Any]],
                       opts: ReadOptions = _API_OPTIONS) -> Iterator[DocumentInput]:
    """``DocumentInput``s from what a Python caller has: ``DocumentInput``s as they are, plain
    strings (named ``doc0``, ``doc1``, … by position) and dicts (``{"id", "text", "dct"}`` and
    any other keys, kept as metadata; the id defaults as for strings). Ids are made unique
    (``unique_ids``); a dict without a text, or with a DCT that is not a date, is an error
    row. Languages are recorded but nothing is rejected for its language or length."""
    def inputs() -> Iterator[DocumentInput]:
        for i, item in enumerate(items):
            if isinstance(item, DocumentInput):
                yield item
            elif isinstance(item, str):
                doc = DocumentInput(f"doc{i}", "<string>", item)
                yield _check_text(doc, opts)
            elif isinstance(item, dict):
                yield record_document(item, f"<dict {i}>", f"doc{i}", opts)
            else:
                raise TypeError(f"document {i}: expected a str, a dict with 'text' (and 'id', "
                                f"'dct') or a DocumentInput, got {type(item).__name__}")

    yield from unique_ids(inputs())

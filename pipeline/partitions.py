"""Partitioned, resumable output: each table is a dataset of parts, written as the run goes.

    OUT/
      documents/part-00000.parquet, part-00001.parquet, …   (one folder per table)
      entities/part-00000.parquet, …
      csv/entities/part-00000.csv, …   jsonl/…   (the other formats, one folder each)
      _journal.jsonl     one line per finished part: documents, rows per table
      _run.json          what the run was started with (resume checks it)
      manifest.json      written when the run is complete
      entities.parquet … single files, merged from the parts (``--merge``; by default when
                         the run made one part, so a small run gives files to open directly)

A part covers a fixed run of input documents (``part_docs``); it is written under a hidden
name and renamed into place (``PartWriter``, also what the workers of ``--workers N`` and
of Dask run; a part made in pieces by several workers is joined by ``join_pieces`` into the
same bytes), then recorded in the journal: a crash (kill -9, out of memory, power loss)
loses at most the part in progress, and ``resume`` skips the journal's documents and writes
the rest. Ids are positions inside a document, so the tables of a resumed run equal an
uninterrupted one's.

A lock (``.anais.lock``, held with ``flock``) makes a second run into a folder in use fail at
once. Starting a new run into an earlier output removes only the files anais writes; anything
else a person put in the folder stays.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.remote_output import Remote, drop_staging, is_url, staging_folder
from pipeline.schema import TABLES, Extraction, arrow_schema
from pipeline.tables import (
    FLUSH_ROWS,
    FORMATS,
    KEPT_FILES,
    TableWriter,
    dataset_dir,
    part_files,
)

JOURNAL = "_journal.jsonl"
RUN_FILE = "_run.json"
MANIFEST = "manifest.json"
LOCK = ".anais.lock"
#: documents per part: a few minutes of work at the pipeline's usual speed
DEFAULT_PART_DOCS = 2000
_SUFFIXES = tuple(f".{fmt}" for fmt in FORMATS)
#: a part file, hidden or finished (``.upload``: being published to a URL), or a hidden piece
#: of a part that workers make apart (``.part-00003-002.tmp.csv``, see ``join_pieces``)
_PART = re.compile(r"^\.?part-\d{5}(-\d{3,})?(\.tmp)?\.(parquet|csv|jsonl)(\.upload)?$")


class OutputBusyError(RuntimeError):
    """Another run is writing into the folder."""


class ResumeError(ValueError):
    """The folder cannot be resumed with these arguments."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_anais_output(folder: Path) -> bool:
    return any((folder / name).is_file() for name in (MANIFEST, JOURNAL, RUN_FILE))


def replaceable(target: Path) -> bool:
    """Whether a new run may write into ``target``: absent, empty (but for files a person
    keeps there), or an earlier anais output (whose files it replaces; others stay)."""
    if not target.exists():
        return True
    if not target.is_dir():
        return False
    return is_anais_output(target) or all(p.name in KEPT_FILES for p in target.iterdir())


def _part_files_on_disk(folder: Path) -> Iterator[Path]:
    """Every part file (finished or hidden) of every table's datasets in ``folder``."""
    for table in TABLES:
        for fmt in FORMATS:
            data = dataset_dir(folder, table, fmt)
            if data.is_dir():
                yield from (f for f in data.iterdir() if f.is_file() and _PART.match(f.name))


def remove_anais_files(folder: Path) -> None:
    """Delete what an earlier run wrote into ``folder``, and nothing else."""
    for path in list(_part_files_on_disk(folder)):
        path.unlink()
    for table in TABLES:
        for fmt in FORMATS:
            single = folder / f"{table}.{fmt}"
            if single.is_file():
                single.unlink()
            data = dataset_dir(folder, table, fmt)
            if data.is_dir() and not any(data.iterdir()):
                data.rmdir()
    for fmt in FORMATS:
        if fmt != "parquet" and (folder / fmt).is_dir() and not any((folder / fmt).iterdir()):
            (folder / fmt).rmdir()
    for name in (MANIFEST, JOURNAL, RUN_FILE, f".{MANIFEST}.tmp"):
        if (folder / name).is_file():
            (folder / name).unlink()
    from pipeline.exports import EXPORT_FORMATS
    from pipeline.exports.files import remove_export

    for fmt in EXPORT_FORMATS:  # what `--format timeml|brat|conllu` wrote into OUTDIR/<fmt>/
        if (folder / fmt).is_dir():
            remove_export(folder / fmt)
            if not any((folder / fmt).iterdir()):
                (folder / fmt).rmdir()


def is_anais_file(rel: str) -> bool:
    """Whether a path relative to an output location is one anais writes there."""
    names = rel.split("/")
    if len(names) == 1:
        name = names[0].removeprefix(".").removesuffix(".upload").removesuffix(".tmp")
        return name in (MANIFEST, JOURNAL, RUN_FILE) or any(
            name == f"{t}.{f}" for t in TABLES for f in FORMATS)
    return _PART.match(names[-1]) is not None and (
        (len(names) == 2 and names[0] in TABLES)
        or (len(names) == 3 and names[0] in FORMATS and names[1] in TABLES))


def remote_replaceable(remote: Remote) -> bool:
    """``replaceable`` for a URL."""
    files = remote.files()
    return any(f in (MANIFEST, JOURNAL, RUN_FILE) for f in files) or all(
        f in KEPT_FILES for f in files)


def read_journal(folder: Path | str) -> list[dict[str, Any]]:
    """Finished parts, in order; a torn last line (a crash while appending) is ignored."""
    if is_url(folder):
        text = Remote(str(folder)).read_text(JOURNAL) or ""
    else:
        path = Path(folder) / JOURNAL
        if not path.is_file():
            return []
        text = path.read_text("utf-8")
    parts = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            break
        if entry.get("part") != len(parts):
            break
        parts.append(entry)
    return parts


class _Lock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # no flock (Windows): run without the guard
            return
        self.handle = self.path.open("a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.handle.close()
            self.handle = None
            raise OutputBusyError(
                f"{self.path.parent} is in use by another anais run; wait for it to finish or "
                "choose another -o") from exc

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing the file releases the lock
            self.handle = None


def part_path(target: Path, table: str, fmt: str, part: int, hidden: bool = False,
              piece: int | None = None) -> Path:
    if piece is not None:  # a piece is always hidden: only its whole part is published
        name = f".part-{part:05d}-{piece:03d}.tmp.{fmt}"
    else:
        name = f".part-{part:05d}.tmp.{fmt}" if hidden else f"part-{part:05d}.{fmt}"
    return dataset_dir(target, table, fmt) / name


class PartWriter:
    """One part of every table: streamed into hidden files, renamed into place by
    ``commit``. Writing the same part twice (a retried task) gives the same files.

    With ``piece``, one piece of a part that workers make apart: its files stay hidden, and
    ``join_pieces`` makes the part from its pieces once all are written."""

    def __init__(self, target: Path, part: int, formats: Sequence[str],
                 tables: Sequence[str], piece: int | None = None) -> None:
        self.target, self.part, self.piece = target, part, piece
        self.formats, self.tables = list(formats), list(tables)
        self.stats: dict[str, Any] = {"part": part, "documents": 0, "failed": 0, "words": 0}
        #: a piece's rows per document of each table: where one writer of the whole part
        #: would have cut its Parquet row groups (``join_pieces``)
        self.doc_rows: dict[str, list[int]] = {t: [] for t in self.tables}
        self.writers: dict[str, TableWriter] = {}
        for table in self.tables:
            paths = {fmt: part_path(target, table, fmt, part, hidden=True, piece=piece)
                     for fmt in formats}
            for path in paths.values():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[table] = TableWriter(target, table, self.formats, paths=paths)

    def add(self, extraction: Extraction) -> None:
        for table, rows in extraction.rows().items():
            if table in self.writers:
                self.writers[table].add(rows)
                if self.piece is not None:
                    self.doc_rows[table].append(len(rows))
        self.stats["documents"] += 1
        self.stats["failed"] += int(extraction.document.status == "error")
        self.stats["words"] += extraction.document.n_tokens

    def commit(self) -> dict[str, Any]:
        """Close and rename the files; the part's documents, failures, words and rows (a
        piece's files keep their hidden names, and its counts say which piece it is)."""
        rows = {}
        for table, writer in self.writers.items():
            writer.close()
            rows[table] = writer.count
            if self.piece is not None:
                continue
            for fmt in self.formats:
                final = part_path(self.target, table, fmt, self.part)
                os.replace(part_path(self.target, table, fmt, self.part, hidden=True), final)
                _fsync_dir(final.parent)
        if self.piece is not None:
            return {**self.stats, "rows": rows, "piece": self.piece, "doc_rows": self.doc_rows}
        return {**self.stats, "rows": rows}

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001  (already failing: leave no debris)
                pass
        # every hidden file of the part, also one whose writer an interruption cut short
        for table in self.tables:
            for fmt in self.formats:
                part_path(self.target, table, fmt, self.part, hidden=True,
                          piece=self.piece).unlink(missing_ok=True)


def _row_groups(doc_rows: list[int]) -> list[int]:
    """The sizes of the Parquet row groups a ``TableWriter`` writes for documents of these
    row counts: it flushes after the document that brings its buffer to ``FLUSH_ROWS``."""
    sizes, buffered = [], 0
    for n in doc_rows:
        buffered += n
        if buffered >= FLUSH_ROWS:
            sizes.append(buffered)
            buffered = 0
    return [*sizes, buffered] if buffered else sizes


def _join_parquet(sources: list[Path], dest: Path, table: str, doc_rows: list[int]) -> None:
    """The pieces' rows in one file, cut into the row groups one writer would have made (so
    the bytes are those of a part written whole), one group in memory at a time."""
    schema = arrow_schema(table)
    writer = pq.ParquetWriter(dest, schema)
    try:
        groups = iter(_row_groups(doc_rows))
        size = next(groups, None)
        held: list[pa.Table] = []
        count = 0
        for source in sources:
            data = pq.read_table(source, schema=schema)
            held.append(data)
            count += data.num_rows
            while size is not None and count >= size:
                rows = pa.concat_tables(held)
                writer.write_table(rows.slice(0, size).combine_chunks())
                held, count = [rows.slice(size)], count - size
                size = next(groups, None)
    finally:
        writer.close()


def _join_text(sources: list[Path], dest: Path, header: bool) -> None:
    """CSV (one header, from the first piece) or JSONL pieces, end to end."""
    with dest.open("wb") as out:
        for k, source in enumerate(sources):
            with source.open("rb") as src:
                if header and k > 0:
                    src.readline()
                shutil.copyfileobj(src, out)


def join_pieces(target: Path, pieces: list[dict[str, Any]], formats: Sequence[str],
                tables: Sequence[str]) -> dict[str, Any]:
    """Make a part from its pieces (``PartWriter`` with ``piece``, their counts in piece
    order): the files one writer of the whole part would have written, renamed into place,
    and the pieces removed. Returns the part's counts."""
    part = pieces[0]["part"]
    for table in tables:
        for fmt in formats:
            sources = [part_path(target, table, fmt, part, piece=p["piece"]) for p in pieces]
            hidden = part_path(target, table, fmt, part, hidden=True)
            if fmt == "parquet":
                _join_parquet(sources, hidden, table,
                              [n for p in pieces for n in p["doc_rows"][table]])
            else:
                _join_text(sources, hidden, header=fmt == "csv")
            final = part_path(target, table, fmt, part)
            os.replace(hidden, final)
            _fsync_dir(final.parent)
            for source in sources:
                source.unlink()
    stats: dict[str, Any] = {"part": part, **{k: sum(p[k] for p in pieces)
                                              for k in ("documents", "failed", "words")}}
    stats["rows"] = {t: sum(p["rows"][t] for p in pieces) for t in tables}
    return stats


def relative(target: Path, path: Path) -> str:
    return path.relative_to(target).as_posix()


def publish_part(remote: Remote, staging: Path, part: int, formats: Sequence[str],
                 tables: Sequence[str]) -> None:
    """Upload one committed part from ``staging`` to ``remote``, then drop the local copy."""
    for table in tables:
        for fmt in formats:
            local = part_path(staging, table, fmt, part)
            remote.publish(local, relative(staging, local))
            local.unlink()


class PartitionedOutput:
    """Writes extractions into ``target`` part by part (see the module docstring); a URL
    target (``s3://…``) gets its files through a local staging folder
    (``pipeline.remote_output``)."""

    def __init__(self, target: Path | str, formats: Sequence[str], tables: Sequence[str], *,
                 fingerprint: dict[str, Any], resume: bool = False,
                 part_docs: int = DEFAULT_PART_DOCS, merge: str = "auto") -> None:
        self.remote = Remote(str(target)) if is_url(target) else None
        #: where the files are made: the folder itself, or the staging folder of a URL
        self.target = staging_folder() if self.remote else Path(target)
        #: what workers are given to write their parts into
        self.location = self.remote.url if self.remote else str(self.target.resolve())
        self.formats = list(dict.fromkeys(formats))
        self.tables = list(tables)
        self.fingerprint = fingerprint
        self.resume = resume
        self.part_docs = part_docs
        self.merge = merge
        self.lock = _Lock(self.target / LOCK)
        self.journal: list[dict[str, Any]] = []
        self._part: PartWriter | None = None

    # -- life cycle ------------------------------------------------------------------------

    def __enter__(self) -> PartitionedOutput:
        self.target.mkdir(parents=True, exist_ok=True)
        if self.remote is None:  # an object store has no lock to take
            self.lock.acquire()
        try:
            self._start()
        except BaseException:
            self._release()
            raise
        return self

    def _release(self) -> None:
        self.lock.release()
        if self.remote is not None:
            drop_staging(self.target)

    def _fetch_state(self) -> None:
        """A URL's run file, journal and manifest, into the staging folder."""
        assert self.remote is not None
        for name in (RUN_FILE, JOURNAL, MANIFEST):
            text = self.remote.read_text(name)
            if text is not None:
                (self.target / name).write_text(text, "utf-8")

    def _put(self, name: str) -> None:
        if self.remote is not None:
            self.remote.publish(self.target / name, name)

    def _start(self) -> None:
        run_file = self.target / RUN_FILE
        if self.remote is not None and self.resume:
            self._fetch_state()
        if self.resume:
            if not run_file.is_file():
                raise ResumeError(f"{self.target} holds no interrupted anais run to resume")
            if (self.target / MANIFEST).is_file():
                raise ResumeError(f"the run in {self.target} is already complete")
            before = json.loads(run_file.read_text("utf-8"))
            if before != self.fingerprint:
                changed = sorted(k for k in set(before) | set(self.fingerprint)
                                 if before.get(k) != self.fingerprint.get(k))
                raise ResumeError(f"cannot resume {self.target}: it was started with other "
                                  f"settings ({', '.join(changed)}); rerun without --resume")
            self.journal = read_journal(self.target)
            self._drop_unfinished_parts()
            return
        remove_anais_files(self.target)
        if self.remote is not None:
            for rel in self.remote.files():
                if is_anais_file(rel):
                    self.remote.remove(rel)
        self._write_atomic(run_file, json.dumps(self.fingerprint, indent=2, sort_keys=True))
        self._put(RUN_FILE)

    def _journaled_names(self) -> set[str]:
        return {f"part-{e['part']:05d}{s}" for e in self.journal for s in _SUFFIXES}

    def _drop_local_unfinished_parts(self) -> None:
        """Part files here that the journal does not list (hidden ones, pieces, and parts
        workers finished after one the run never got to journal)."""
        done = self._journaled_names()
        for path in list(_part_files_on_disk(self.target)):
            if path.name not in done:
                path.unlink(missing_ok=True)

    def _drop_unfinished_parts(self) -> None:
        """Files of parts the journal does not list: the part a crash interrupted."""
        done = self._journaled_names()
        self._drop_local_unfinished_parts()
        if self.remote is not None:
            for rel in self.remote.files():
                if "/" in rel and is_anais_file(rel) and rel.rsplit("/", 1)[1] not in done:
                    self.remote.remove(rel)
        (self.target / JOURNAL).write_text(
            "".join(json.dumps(e, sort_keys=True) + "\n" for e in self.journal), "utf-8")
        self._put(JOURNAL)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is not None:
                self._abandon_part()
        finally:
            self._release()

    # -- what the run did before a resume --------------------------------------------------

    @property
    def done_documents(self) -> int:
        return sum(e["documents"] for e in self.journal)

    def totals(self) -> dict[str, Any]:
        """Documents, failures, words and rows per table of every finished part."""
        rows = {t: 0 for t in self.tables}
        out = {"documents": 0, "failed": 0, "words": 0, "rows": rows}
        for e in self.journal:
            out["documents"] += e["documents"]
            out["failed"] += e["failed"]
            out["words"] += e["words"]
            for t, n in e["rows"].items():
                rows[t] = rows.get(t, 0) + n
        return out

    # -- writing ---------------------------------------------------------------------------

    def add(self, extraction: Extraction) -> None:
        if self._part is None:
            self._part = PartWriter(self.target, len(self.journal), self.formats, self.tables)
        self._part.add(extraction)
        if self._part.stats["documents"] >= self.part_docs:
            self.close_part()

    def close_part(self) -> None:
        """Finish the part in progress: close its files, rename them, journal it."""
        if self._part is None:
            return
        stats = self._part.commit()
        self._part = None
        if self.remote is not None:
            publish_part(self.remote, self.target, stats["part"], self.formats, self.tables)
        self.record(stats)

    def record_written(self, pieces: list[dict[str, Any]]) -> None:
        """Journal a part that worker processes wrote into ``self.target``: whole (the counts
        of its ``PartWriter``), or in pieces, joined here first (``join_pieces``)."""
        if len(pieces) == 1 and "piece" not in pieces[0]:
            stats = pieces[0]
        else:
            stats = join_pieces(self.target, pieces, self.formats, self.tables)
        if self.remote is not None:
            publish_part(self.remote, self.target, stats["part"], self.formats, self.tables)
        self.record(stats)

    def record(self, stats: dict[str, Any]) -> None:
        """Journal a committed part (they are recorded in order: part k after k - 1)."""
        entry = {**stats, "first_document": self.done_documents}
        assert entry["part"] == len(self.journal), (entry["part"], len(self.journal))
        # remembered before it is written: an interruption between the two (SIGTERM while
        # the line is being synced) must not drop the files of a part the journal on disk
        # lists; a part remembered but not on disk is only done again by --resume
        self.journal.append(entry)
        with (self.target / JOURNAL).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._put(JOURNAL)

    def _abandon_part(self) -> None:
        if self._part is not None:
            self._part.abort()
            self._part = None
        # also a part whose writer an interruption stopped while it was being made, and the
        # pieces and parts worker processes had in hand (they are stopped by now): the folder
        # holds the journal's parts only
        self._drop_local_unfinished_parts()
        for table in self.tables:
            for fmt in self.formats:
                (self.target / f".{table}.{fmt}.tmp").unlink(missing_ok=True)  # a merge
        (self.target / f".{MANIFEST}.tmp").unlink(missing_ok=True)

    def finish(self, manifest: dict[str, Any]) -> None:
        """Close the last part, merge if asked, and write the manifest (the run is done)."""
        self.close_part()
        if not self.journal:  # no documents at all: the tables still exist, empty
            self._part = PartWriter(self.target, 0, self.formats, self.tables)
            self.close_part()
        if self.merge == "always" or (self.merge == "auto" and len(self.journal) == 1):
            if self.remote is not None:
                self._merge_remote()
            else:
                self._merge()
        self._write_atomic(self.target / MANIFEST,
                           json.dumps(manifest, ensure_ascii=False, indent=2))
        self._put(MANIFEST)

    def _merge_remote(self) -> None:
        """``_merge`` for a URL: the parts come down to the staging folder, the single files
        go up, and neither stays there."""
        assert self.remote is not None
        for table in self.tables:
            for fmt in self.formats:
                for entry in self.journal:
                    local = part_path(self.target, table, fmt, entry["part"])
                    local.parent.mkdir(parents=True, exist_ok=True)
                    self.remote.download(relative(self.target, local), local)
        self._merge()
        for table in self.tables:
            for fmt in self.formats:
                name = f"{table}.{fmt}"
                self.remote.publish(self.target / name, name)
                (self.target / name).unlink()
                for entry in self.journal:
                    part_path(self.target, table, fmt, entry["part"]).unlink()

    def _merge(self) -> None:
        """``<table>.<fmt>`` single files holding every part, in order."""
        for table in self.tables:
            for fmt in self.formats:
                parts = part_files(self.target, table, fmt)
                final = self.target / f"{table}.{fmt}"
                tmp = self.target / f".{table}.{fmt}.tmp"
                if fmt == "parquet":
                    writer = None
                    for p in parts:
                        data = pq.read_table(p)
                        writer = writer or pq.ParquetWriter(tmp, data.schema)
                        writer.write_table(data)
                    if writer is not None:
                        writer.close()
                else:
                    with tmp.open("wb") as out:
                        for k, p in enumerate(parts):
                            with p.open("rb") as src:
                                if fmt == "csv" and k > 0:
                                    src.readline()  # one header, from the first part
                                out.write(src.read())
                os.replace(tmp, final)

    @staticmethod
    def _write_atomic(path: Path, text: str) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)

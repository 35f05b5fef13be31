"""``anais run``: read documents, extract, write the tables and the manifest."""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import spacy
from spacy.language import Language

from pipeline import __version__
from pipeline.extraction import extract_documents
from pipeline.progress import Progress
from pipeline.reading import ReadOptions, iter_documents
from pipeline.schema import SCHEMA_VERSION, TABLES
from pipeline.tables import OutputFolder

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RunSummary:
    documents: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    words: int = 0

    @property
    def all_failed(self) -> bool:
        return self.documents > 0 and self.failed == self.documents


def count_inputs(inputs: Sequence[str]) -> int | None:
    """How many documents the inputs hold, when that is cheap to know (for the ETA)."""
    total = 0
    for item in inputs:
        path = Path(item)
        if item == "-":
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*.txt") if p.is_file())
        elif path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def run_corpus(
    nlp: Language,
    inputs: Sequence[str],
    outdir: Path,
    *,
    formats: Sequence[str] = ("parquet",),
    read_options: ReadOptions | None = None,
    with_tokens: bool = False,
    batch_size: int = 32,
    workers: int = 1,
    show_progress: bool = False,
    arguments: dict[str, Any] | None = None,
    stdin: IO[bytes] | None = None,
) -> RunSummary:
    """Process ``inputs`` with ``nlp`` and write every table into ``outdir`` (atomically)."""
    started = time.perf_counter()
    tables = [t for t in TABLES if with_tokens or t != "tokens"]
    summary = RunSummary()
    progress = Progress(count_inputs(inputs) if show_progress else None, show_progress)
    items = iter_documents(inputs, read_options, stdin=stdin)
    with OutputFolder(outdir, formats, tables) as out:
        for extraction in extract_documents(nlp, items, with_tokens=with_tokens,
                                            batch_size=batch_size, workers=workers):
            for table, rows in extraction.rows().items():
                out.add(table, rows)
            failed = extraction.document.status != "ok"
            summary.documents += 1
            summary.failed += int(failed)
            summary.words += extraction.document.n_tokens
            progress.update(extraction.document.n_tokens, failed)
        progress.close()
        summary.counts = out.counts()
        summary.seconds = round(time.perf_counter() - started, 3)
        out.write_json("manifest.json", manifest(nlp, summary, formats, arguments or {}))
    return summary


def manifest(nlp: Language, summary: RunSummary, formats: Sequence[str],
             arguments: dict[str, Any]) -> dict[str, Any]:
    """What produced these tables, and how many rows each has."""
    return {
        "anais_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "model": nlp.meta.get("anais", {}),
        "spacy_version": spacy.__version__,
        "python_version": platform.python_version(),
        "arguments": arguments,
        "formats": list(formats),
        "documents": summary.documents,
        "documents_failed": summary.failed,
        "rows": summary.counts,
        "words": summary.words,
        "wall_seconds": summary.seconds,
        "words_per_second": round(summary.words / summary.seconds) if summary.seconds else None,
    }

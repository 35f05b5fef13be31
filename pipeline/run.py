"""``anais run``: read documents, extract, write the tables part by part and the manifest."""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.model_request import ModelRequest
from pipeline.partitions import DEFAULT_PART_DOCS, PartitionedOutput
from pipeline.progress import Progress
from pipeline.reading import DocumentInput, InputReport, ReadOptions, iter_documents
from pipeline.schema import SCHEMA_VERSION, TABLES

if TYPE_CHECKING:  # spaCy is imported where the pipeline runs: not in a parent of workers
    from spacy.language import Language

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RunSummary:
    documents: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    words: int = 0
    #: documents a resumed run found already done (0 for a fresh run)
    resumed_documents: int = 0
    parts: int = 0
    #: tokens processed by this invocation (a resumed run's speed counts only these)
    processed_words: int = 0
    #: what reading met besides documents: missing inputs, skipped files, renamed ids
    inputs: dict[str, Any] = field(default_factory=lambda: InputReport().as_dict())

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
        elif path.suffix.lower() == ".parquet" and path.is_file():
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif path.is_file() and path.suffix.lower() not in (".gz", ".csv"):
            total += 1
        else:  # compressed, CSV, a pattern: not cheap to count
            return None
    return total


def run_fingerprint(model: dict[str, Any], inputs: Sequence[str], formats: Sequence[str],
                    tables: Sequence[str], read_options: ReadOptions,
                    part_docs: int) -> dict[str, Any]:
    """What decides a run's tables: a resumed run must be started with the same. ``model``:
    ``nlp.meta["anais"]`` (``model_loading.load``)."""
    return {
        "anais_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "inputs": [item if item == "-" else str(Path(item).resolve()) for item in inputs],
        "formats": list(formats),
        "tables": list(tables),
        "read_options": asdict(read_options),
        "model": {k: model.get(k) for k in ("base_name", "base_version", "source", "doc_type",
                                           "components")},
        "part_docs": part_docs,
    }


class InProcess:
    """The one-process engine: the pipeline runs here, batch after batch."""

    def __init__(self, nlp: Language | ModelRequest) -> None:
        self.nlp = nlp.load() if isinstance(nlp, ModelRequest) else nlp

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def model_info(self) -> dict[str, Any]:
        return self.nlp.meta.get("anais", {})

    def run(self, items: Iterator[DocumentInput], out: PartitionedOutput, progress: Progress,
            *, with_tokens: bool, batch_size: int, **_: Any) -> int:
        from pipeline.extraction import extract_documents

        words = 0
        for extraction in extract_documents(self.nlp, items, with_tokens=with_tokens,
                                            batch_size=batch_size):
            out.add(extraction)
            words += extraction.document.n_tokens
            progress.update(extraction.document.n_tokens,
                            extraction.document.status == "error")
        return words


def _engine(nlp: Language | ModelRequest, engine: str, workers: int,
            scheduler: str | None) -> Any:
    """``InProcess``, ``parallel.PartPool`` or ``dask_engine.DaskParts``: each has
    ``model_info()`` and ``run(items, out, progress, …)``, and is a context manager."""
    if engine == "dask":
        from pipeline.dask_engine import DaskParts

        request = nlp if isinstance(nlp, ModelRequest) else ModelRequest.of(nlp)
        return DaskParts(request, scheduler=scheduler, workers=workers)
    if workers > 1:
        from pipeline.parallel import PartPool

        request = nlp if isinstance(nlp, ModelRequest) else ModelRequest.of(nlp)
        return PartPool(request, workers)
    return InProcess(nlp)


def run_corpus(
    nlp: Language | ModelRequest,
    inputs: Sequence[str],
    outdir: Path | str,
    *,
    formats: Sequence[str] = ("parquet",),
    read_options: ReadOptions | None = None,
    with_tokens: bool = False,
    with_texts: bool = False,
    batch_size: int = 32,
    workers: int = 1,
    show_progress: bool = False,
    arguments: dict[str, Any] | None = None,
    stdin: IO[bytes] | None = None,
    resume: bool = False,
    part_docs: int = DEFAULT_PART_DOCS,
    merge: str = "auto",
    engine: str = "local",
    scheduler: str | None = None,
) -> RunSummary:
    """Process ``inputs`` with ``nlp`` and write every table into ``outdir`` (a folder, or a
    URL such as ``s3://bucket/run``), part by part (see ``pipeline.partitions``); with
    ``resume``, finish an interrupted run.

    ``nlp``: a pipeline made by ``pipeline.load``, or a ``ModelRequest``: then only the
    processes that run the pipeline load it (with ``workers > 1`` or Dask, not this one;
    ``ModelLoadError`` when they cannot)."""
    started = time.perf_counter()
    read_options = read_options or ReadOptions()
    tables = [t for t in TABLES
              if (with_tokens or t != "tokens") and (with_texts or t != "texts")]
    summary = RunSummary()
    with _engine(nlp, engine, workers, scheduler) as runner:
        model = (runner.model_info() if isinstance(nlp, ModelRequest)
                 else nlp.meta.get("anais", {}))
        fingerprint = run_fingerprint(model, inputs, formats, tables, read_options, part_docs)
        with PartitionedOutput(outdir, formats, tables, fingerprint=fingerprint,
                               resume=resume, part_docs=part_docs, merge=merge) as out:
            before = out.totals()
            skip = before["documents"]
            total = count_inputs(inputs) if show_progress else None
            progress = Progress(None if total is None else max(total - skip, 0),
                                show_progress)
            report = InputReport()
            items = islice(iter_documents(inputs, read_options, stdin=stdin, report=report),
                           skip, None)
            summary.processed_words = runner.run(
                items, out, progress, formats=formats, tables=tables,
                with_tokens=with_tokens, batch_size=batch_size, part_docs=part_docs)
            progress.close()
            out.close_part()
            summary.resumed_documents = skip
            after = out.totals()
            summary.documents, summary.failed = after["documents"], after["failed"]
            summary.words, summary.counts = after["words"], after["rows"]
            summary.seconds = round(time.perf_counter() - started, 3)
            summary.parts = len(out.journal)
            summary.inputs = report.as_dict()
            out.finish(manifest(model, summary, formats, arguments or {}))
    return summary


def manifest(model: dict[str, Any], summary: RunSummary, formats: Sequence[str],
             arguments: dict[str, Any]) -> dict[str, Any]:
    """What produced these tables (``model``: ``nlp.meta["anais"]``), and how many rows
    each has."""
    return {
        "anais_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "model": model,
        "spacy_version": version("spacy"),
        "python_version": platform.python_version(),
        "arguments": arguments,
        "formats": list(formats),
        "documents": summary.documents,
        "documents_failed": summary.failed,
        "rows": summary.counts,
        "words": summary.words,
        "wall_seconds": summary.seconds,
        "words_per_second": round(summary.processed_words / summary.seconds)
        if summary.seconds else None,
        "parts": summary.parts,
        "resumed_documents": summary.resumed_documents,
        "inputs": summary.inputs,
    }

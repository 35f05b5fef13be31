"""Run the pipeline in several processes, keeping input order and bounded memory.

``PartPool`` is ``anais run --workers N``: each worker process loads the pipeline and writes
whole parts of the tables itself (``pipeline.part_work``, as Dask workers do), so only
documents go out and a few counts come back; the parent, which never loads the pipeline,
journals the parts in input order. A part larger than ``PIECE_CHARS`` characters is shared
out in pieces, so that a run of one or two parts still keeps every worker busy; the parent
joins the pieces' files into the part, byte for byte the files one writer would have made.

``extract_in_processes`` is ``extract_documents(…, workers=N)`` of the Python API, which
hands every ``Extraction`` to its caller: there workers return the plain table records
(spaCy's own ``n_process`` sends ``Doc`` objects, whose extensions hold Python objects its
serializer does not carry).

At most ``2 × workers`` batches, parts or pieces are in flight, so a corpus of any size
streams.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.model_request import ModelRequest
from pipeline.reading import DocumentInput
from pipeline.schema import Extraction
from pipeline.torch_free import skip_torch

if TYPE_CHECKING:  # imported by the workers only: the parent does without spaCy
    from spacy.language import Language

#: characters of input above which a part is shared out in pieces (about 15 s of one
#: core's work on news): small enough that the last parts of a run keep both cores busy,
#: large enough that a piece's files and its join cost little beside its extraction
PIECE_CHARS = 250_000

_worker_nlp: Language | None = None
_worker_error: Exception | None = None
_worker_blas: Any = None  # the worker's BLAS limit, held for its lifetime


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux): after a kill -9 of the
    run, no worker may go on writing into the folder that ``--resume`` then writes."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: an orphan ends when its queue closes
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _log_like(parent: tuple[int, str | None]) -> None:
    """Log as the parent does (a spawned process starts with logging unset), but for what
    loading the pipeline warns: the parent says that once (``model_warnings``)."""
    level, fmt = parent
    if fmt is not None:
        logging.basicConfig(level=level, format=fmt)
    logging.getLogger().setLevel(level)
    logging.getLogger("pipeline.model_loading").setLevel(logging.ERROR)


def _logging_setup() -> tuple[int, str | None]:
    root = logging.getLogger()
    fmt = next((getattr(h.formatter, "_fmt", None) for h in root.handlers if h.formatter), None)
    return root.level, fmt


def model_warnings(info: dict[str, Any]) -> None:
    """What loading the pipeline warned in a worker, said here once as ``load`` says it."""
    for warning in info.get("warnings", []):
        logging.getLogger("pipeline.model_loading").warning(warning)


#: environment variables that set BLAS threads
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_share(workers: int) -> int:
    """BLAS threads for each of ``workers`` processes on this machine's cores (at least 1)."""
    return max(1, len(os.sched_getaffinity(0)) // workers)


def _start_worker(request: ModelRequest, parent: int, logs: tuple[int, str | None],
                  blas_threads: int) -> None:
    global _worker_nlp, _worker_error, _worker_blas
    import signal

    from threadpoolctl import threadpool_limits

    _die_with(parent)
    _log_like(logs)
    # the workers share the cores: each takes its share of BLAS threads (a Dask worker gets
    # one), instead of every worker spreading its products over every core
    # (a thread count the user set in the environment stands)
    if not any(os.environ.get(name) for name in BLAS_VARIABLES):
        import numpy  # noqa: F401  (threadpoolctl limits the libraries already loaded)

        _worker_blas = threadpool_limits(blas_threads, user_api="blas")
    # Ctrl-C reaches the whole process group: the parent stops the run, workers stay quiet
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    skip_torch(request.model)
    try:
        _worker_nlp = request.load_in_worker()
    except Exception as exc:  # noqa: BLE001  (an initializer that raises breaks the pool
        _worker_error = exc  # without a word; the first task says why instead)


def _loaded() -> Language:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_nlp is not None, "worker not initialised"
    return _worker_nlp


def _model_info() -> dict[str, Any]:
    from pipeline.part_work import model_info

    return model_info(_loaded())


def _run_batch(batch: list[DocumentInput], with_tokens: bool) -> list[Extraction]:
    from pipeline.extraction import process_batch

    return process_batch(_loaded(), batch, with_tokens)


def _write_piece(folder: str, part: int, piece: int | None, items: list[DocumentInput],
                 formats: list[str], tables: list[str], with_tokens: bool,
                 batch_size: int) -> dict[str, Any]:
    from pipeline.part_work import write_part

    return write_part(_loaded(), Path(folder), part, items, formats=formats, tables=tables,
                      with_tokens=with_tokens, batch_size=batch_size, piece=piece)


def _pool(request: ModelRequest, workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: a forked copy of a loaded pipeline shares state it should not. The
    # processes start as work comes (Python >= 3.9), each loading the pipeline once.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker,
                               initargs=(request, os.getpid(), _logging_setup(),
                                         blas_share(workers)))


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now, its running tasks too (an interrupted run must not leave a worker
    writing into the output folder after the parent has cleaned it)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def split_part(items: list[DocumentInput],
               piece_chars: int = PIECE_CHARS) -> list[list[DocumentInput]]:
    """A part's documents in pieces of about ``piece_chars`` characters (in order; one piece
    when the part is smaller)."""
    pieces: list[list[DocumentInput]] = [[]]
    chars = 0
    for item in items:
        if chars >= piece_chars:
            pieces.append([])
            chars = 0
        pieces[-1].append(item)
        chars += len(item.text or "")
    return pieces


def _work(items: Iterator[DocumentInput], first_part: int, part_docs: int,
          piece_chars: int) -> Iterator[tuple[int, int | None, list[DocumentInput], bool]]:
    """(part, piece or None for a whole part, documents, last of its part), in order."""
    part = first_part
    while chunk := list(islice(items, part_docs)):
        pieces = split_part(chunk, piece_chars)
        if len(pieces) == 1:
            yield part, None, chunk, True
        else:
            for k, piece in enumerate(pieces):
                yield part, k, piece, k == len(pieces) - 1
        part += 1


class PartPool:
    """``anais run --workers N`` (see the module docstring); a context manager."""

    def __init__(self, request: ModelRequest, workers: int, *,
                 piece_chars: int | None = None) -> None:
        self.workers = workers
        self.piece_chars = piece_chars or PIECE_CHARS
        self.pool = _pool(request, workers)

    def __enter__(self) -> PartPool:
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is None:
            self.pool.shutdown(wait=True)  # the workers are idle: they leave at once
        else:
            _terminate(self.pool)

    def model_info(self) -> dict[str, Any]:
        """``nlp.meta["anais"]`` of the pipeline the workers load (one loads it to answer);
        ``ModelLoadError`` when it cannot be loaded."""
        info = self.pool.submit(_model_info).result()
        model_warnings(info)
        return info

    def run(self, items: Iterator[DocumentInput], out: Any, progress: Any, *,
            formats: Sequence[str], tables: Sequence[str], with_tokens: bool,
            batch_size: int, part_docs: int) -> int:
        """Write ``items`` as the parts after ``out``'s journal (a ``PartitionedOutput``),
        journaling each in order; returns the tokens processed."""
        pending: deque[tuple[Future[dict[str, Any]], bool]] = deque()
        work = _work(items, len(out.journal), part_docs, self.piece_chars)
        folder = str(out.target)
        held: list[dict[str, Any]] = []  # the finished pieces of the part under way
        words = 0
        try:
            while True:
                while len(pending) < 2 * self.workers and (job := next(work, None)):
                    part, piece, chunk, last = job
                    pending.append((self.pool.submit(
                        _write_piece, folder, part, piece, chunk, list(formats), list(tables),
                        with_tokens, batch_size), last))
                if not pending:
                    return words
                future, last = pending.popleft()
                stats = future.result()
                words += stats["words"]
                progress.update(stats["words"], stats["failed"], docs=stats["documents"])
                held.append(stats)
                if last:
                    out.record_written(held)
                    held = []
        except BaseException:
            _terminate(self.pool)  # before the output folder drops the unfinished parts
            raise


def extract_in_processes(
    nlp: Language,
    inputs: Iterable[DocumentInput],
    *,
    with_tokens: bool,
    batch_size: int,
    workers: int,
) -> Iterator[Extraction]:
    """Like ``extract_documents`` for a pipeline made by ``pipeline.load``, in ``workers``
    processes that each load it again from the same arguments."""
    from pipeline.extraction import batches

    stream = batches(inputs, batch_size)
    pending: deque[Future[list[Extraction]]] = deque()
    pool = _pool(ModelRequest.of(nlp), workers)
    try:
        while True:
            while len(pending) < 2 * workers and (batch := next(stream, None)):
                pending.append(pool.submit(_run_batch, batch, with_tokens))
            if not pending:
                return
            yield from pending.popleft().result()
    finally:
        # an interrupted run does not wait for the batches still in flight
        pool.shutdown(wait=not pending, cancel_futures=True)

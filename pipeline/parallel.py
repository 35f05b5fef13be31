"""Process batches of documents in several processes, keeping input order and bounded memory.

spaCy's own ``n_process`` sends ``Doc`` objects between processes, and our extensions hold
Python objects that its serializer does not carry; here workers return plain table records
instead. At most ``2 × workers`` batches are in flight, so a corpus of any size streams.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from spacy.language import Language

from pipeline.reading import DocumentInput
from pipeline.schema import Extraction

_worker_nlp: Language | None = None


def _start_worker(model: str, doc_type: str, entities: bool) -> None:
    global _worker_nlp
    import signal

    from pipeline.model_loading import load

    # Ctrl-C reaches the whole process group: the parent stops the run, workers stay quiet
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_nlp = load(model, doc_type=doc_type, entities=entities)


def _run_batch(batch: list[DocumentInput], with_tokens: bool) -> list[Extraction]:
    from pipeline.extraction import process_batch

    assert _worker_nlp is not None, "worker not initialised"
    return process_batch(_worker_nlp, batch, with_tokens)


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
    spec = nlp.meta["anais"]
    args = (spec["requested"], spec["doc_type"], "anais_entities" in nlp.pipe_names)
    # spawn, not fork: a forked copy of a loaded pipeline shares state it should not.
    context = multiprocessing.get_context("spawn")
    from pipeline.extraction import batches

    stream = batches(inputs, batch_size)
    pending: deque[Future[list[Extraction]]] = deque()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=args)
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

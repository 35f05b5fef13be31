"""``anais run --engine dask``: the parts of a run as Dask tasks, on a cluster or a local one.

The client reads the inputs and cuts them into parts (``--part-docs`` documents each); each
part is one task, ``process_part``, which loads the pipeline once per worker process, extracts
its documents and writes the part's files straight into the output folder (a folder every
worker sees: a shared file system on a cluster, or a URL such as ``s3://…``; see
``pipeline.remote_output``), under hidden names renamed into place. Only
the part's counts travel back; the client journals parts in order and writes the manifest.
A worker that dies has its tasks run again by Dask elsewhere: writing a part twice gives the
same files, so the output is complete and identical to the local engine's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.partitions import PartWriter, publish_part
from pipeline.reading import DocumentInput
from pipeline.remote_output import Remote, drop_staging, is_url, staging_folder

#: per worker process: (model, doc_type, entities) -> loaded pipeline
_PIPELINES: dict[tuple[str, str, bool], Any] = {}


def _pipeline(model: str, doc_type: str, entities: bool) -> Any:
    key = (model, doc_type, entities)
    if key not in _PIPELINES:
        from pipeline.model_loading import load

        _PIPELINES[key] = load(model, doc_type=doc_type, entities=entities)
    return _PIPELINES[key]


def process_part(target: str, part: int, items: list[DocumentInput],
                 spec: tuple[str, str, bool], formats: list[str], tables: list[str],
                 with_tokens: bool, batch_size: int) -> dict[str, Any]:
    """Run one part on a worker and write its files; returns the part's counts."""
    from pipeline.extraction import batches, process_batch

    nlp = _pipeline(*spec)
    # a URL (s3://…): the part is made in a local folder of this worker, then published
    remote = Remote(target) if is_url(target) else None
    folder = staging_folder() if remote else Path(target)
    writer = PartWriter(folder, part, formats, tables)
    try:
        for batch in batches(items, batch_size):  # the local engine's batches, same memory
            for extraction in process_batch(nlp, batch, with_tokens):
                writer.add(extraction)
        stats = writer.commit()
        if remote:
            publish_part(remote, folder, part, formats, tables)
        return stats
    except BaseException:
        writer.abort()
        raise
    finally:
        if remote:
            drop_staging(folder)


def run_parts(parts: Iterable[tuple[int, list[DocumentInput]]], target: str, *,
              spec: tuple[str, str, bool], formats: list[str], tables: list[str],
              with_tokens: bool, batch_size: int, scheduler: str | None, workers: int,
              on_part: Callable[[dict[str, Any]], None]) -> None:
    """Submit every part, at most two per worker in flight, and hand their counts to
    ``on_part`` in part order. Without ``scheduler`` a ``LocalCluster`` of ``workers``
    single-threaded processes runs them."""
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO chatter is not ours
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        import dask

        # the workers' statistical profiler walks every thread's stack each 10 ms, which
        # spaCy's deep call stacks make costly; nobody reads its profiles here (no dashboard)
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.WARNING)
        client = Client(cluster)
    pending: deque[Any] = deque()
    try:
        slots = 2 * max(len(client.scheduler_info().get("workers", {})), workers, 1)
        for part, items in parts:
            pending.append(client.submit(
                process_part, target, part, items, spec, formats, tables,
                with_tokens, batch_size, pure=False, retries=2))
            while len(pending) >= slots:
                on_part(pending.popleft().result())
        while pending:
            on_part(pending.popleft().result())
    finally:
        for future in pending:  # an interrupted run leaves no task behind
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()

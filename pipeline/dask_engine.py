"""``anais run --engine dask``: the parts of a run as Dask tasks, on a cluster or a local one.

The client reads the inputs and cuts them into parts (``--part-docs`` documents each); each
part is one task, ``process_part``, which loads the pipeline once per worker process, extracts
its documents and writes the part's files straight into the output folder (a folder every
worker sees: a shared file system on a cluster, or a URL such as ``s3://…``; see
``pipeline.remote_output``), under hidden names renamed into place. Only
the part's counts travel back; the client journals parts in order and writes the manifest.
The client never loads the pipeline: what the manifest says of it comes from a worker
(``model_info``), which keeps the pipeline it loaded for its parts.
A worker that dies has its tasks run again by Dask elsewhere: writing a part twice gives the
same files, so the output is complete and identical to the local engine's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from pipeline.model_request import ModelRequest
from pipeline.partitions import publish_part
from pipeline.reading import DocumentInput
from pipeline.remote_output import Remote, drop_staging, is_url, staging_folder

#: Dask settings of the workers of the ``LocalCluster`` anais starts (the README gives them
#: for a real cluster's workers). The statistical profiler walks every thread's stack each
#: 10 ms, which spaCy's deep call stacks make costly, and nobody reads its profiles here.
#: The nanny's ``MALLOC_TRIM_THRESHOLD_`` (unset by ``None``) fixes glibc's trim and mmap
#: thresholds, so each large numpy array is mapped and unmapped anew: about 10 % more CPU
#: per document.
LOCAL_WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}

#: per worker process: what was asked for -> loaded pipeline
_PIPELINES: dict[ModelRequest, Any] = {}


def _pipeline(request: ModelRequest) -> Any:
    if request not in _PIPELINES:
        _PIPELINES[request] = request.load_in_worker()
    return _PIPELINES[request]


def model_info(request: ModelRequest) -> dict[str, Any]:
    """A task: ``nlp.meta["anais"]`` of the pipeline as a worker loads it (and keeps)."""
    from pipeline.part_work import model_info as info

    return info(_pipeline(request))


def process_part(target: str, part: int, items: list[DocumentInput], request: ModelRequest,
                 formats: list[str], tables: list[str], with_tokens: bool,
                 batch_size: int) -> dict[str, Any]:
    """Run one part on a worker and write its files; returns the part's counts."""
    from pipeline.part_work import write_part

    nlp = _pipeline(request)
    # a URL (s3://…): the part is made in a local folder of this worker, then published
    remote = Remote(target) if is_url(target) else None
    folder = staging_folder() if remote else Path(target)
    try:
        stats = write_part(nlp, folder, part, items, formats=formats, tables=tables,
                           with_tokens=with_tokens, batch_size=batch_size)
        if remote:
            publish_part(remote, folder, part, formats, tables)
        return stats
    finally:
        if remote:
            drop_staging(folder)


class _TorchFree(WorkerPlugin):
    """A worker plugin for the workers of the LocalCluster anais starts (on a real cluster's
    workers other work may need PyTorch): see ``pipeline.torch_free``."""

    name = "anais-torch-free"

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        from pipeline.torch_free import skip_torch

        skip_torch(self.model)


class DaskParts:
    """The client side: a cluster to run ``process_part`` on, ``scheduler``'s or, without
    one, a ``LocalCluster`` of ``workers`` single-threaded processes; a context manager."""

    def __init__(self, request: ModelRequest, *, scheduler: str | None, workers: int) -> None:
        import logging

        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO chatter
        self.request, self.workers = request, workers
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            import dask

            with dask.config.set(LOCAL_WORKER_CONFIG):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            silence_logs=logging.WARNING)
            self.client = Client(self.cluster)
            self.client.register_plugin(_TorchFree(request.model))

    def __enter__(self) -> DaskParts:
        return self

    def __exit__(self, *exc: Any) -> None:
        import logging

        self.client.close()
        if self.cluster is not None:
            # a worker that takes more than the nanny's 4 s to exit (a loaded machine; the
            # shutdown alone takes about 3 s) is killed with a warning; every part it wrote
            # is journaled by now, so the warning would only alarm
            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)
            try:
                self.cluster.close()
            finally:
                nanny.setLevel(level)

    def model_info(self) -> dict[str, Any]:
        """``nlp.meta["anais"]`` as a worker loads the pipeline, for the run's fingerprint and
        manifest: the client does not load it (``ModelLoadError`` when a worker cannot)."""
        return self.client.submit(model_info, self.request, pure=False).result()

    def run(self, items: Iterator[DocumentInput], out: Any, progress: Any, *,
            formats: Sequence[str], tables: Sequence[str], with_tokens: bool,
            batch_size: int, part_docs: int) -> int:
        """Write ``items`` as the parts after ``out``'s journal (a ``PartitionedOutput``), at
        most two per worker in flight, journaling each in order; returns the tokens
        processed."""
        client = self.client
        pending: deque[Any] = deque()
        words = 0

        def journal(stats: dict[str, Any]) -> None:
            nonlocal words
            out.record(stats)
            words += stats["words"]
            progress.update(stats["words"], stats["failed"], docs=stats["documents"])

        try:
            slots = 2 * max(len(client.scheduler_info().get("workers", {})), self.workers, 1)
            part = len(out.journal)
            while chunk := list(islice(items, part_docs)):
                pending.append(client.submit(
                    process_part, out.location, part, chunk, self.request, list(formats),
                    list(tables), with_tokens, batch_size, pure=False, retries=2))
                part += 1
                while len(pending) >= slots:
                    journal(pending.popleft().result())
            while pending:
                journal(pending.popleft().result())
            return words
        finally:
            for future in pending:  # an interrupted run leaves no task behind
                future.cancel()
            if pending and self.cluster is not None:
                # its workers stop before the output folder drops their unfinished parts
                self.client.close()
                self.cluster.close()

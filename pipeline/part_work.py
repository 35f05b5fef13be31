"""One part of a run (or one piece of a part) made in one go by a process that holds the
pipeline: documents in, the part's files written, a few counts out.

Both multi-process engines run this in their workers (``pipeline.parallel`` for
``--workers N``, ``pipeline.dask_engine`` for ``--engine dask``), so the tables never travel
between processes: only the documents go to a worker, and only counts come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.extraction import batches, process_batch
from pipeline.partitions import PartWriter
from pipeline.reading import DocumentInput


def write_part(nlp: Language, folder: Path, part: int, items: list[DocumentInput], *,
               formats: Sequence[str], tables: Sequence[str], with_tokens: bool,
               batch_size: int, piece: int | None = None) -> dict[str, Any]:
    """Extract ``items`` and write them as part ``part`` of every table in ``folder``
    (renamed into place), or as piece ``piece`` of it (left hidden, for
    ``partitions.join_pieces``); returns its counts (``PartWriter.commit``)."""
    writer = PartWriter(folder, part, formats, tables, piece=piece)
    try:
        for batch in batches(items, batch_size):  # the one-process engine's batches
            for extraction in process_batch(nlp, batch, with_tokens):
                writer.add(extraction)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def model_info(nlp: Language) -> dict[str, Any]:
    """What a run's fingerprint and manifest say of the pipeline (``load`` puts it in
    ``nlp.meta["anais"]``): a worker's answer, so that its parent need not load it too."""
    return dict(nlp.meta["anais"])

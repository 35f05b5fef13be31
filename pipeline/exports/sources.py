"""The exact text of each document of a run, which the tables do not hold but an export needs.

Two ways, in this order:

1. the run's ``texts`` table (``anais run --texts``, or a run that exports with ``--format
   timeml|brat|conllu``): the text as it was read;
2. else the run's inputs read again, as ``_run.json`` recorded them (the same paths, encoding
   and column options, so the same ids): each text is accepted only when its SHA-256 equals
   ``documents.text_sha256``. A source that changed, moved or was standard input gives a clear
   reason instead of a text, and that document is skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.partitions import RUN_FILE


class TextUnavailable(Exception):
    """Why a document's text cannot be had; the export skips the document with this note."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _checked(text: str, document: dict[str, Any], where: str) -> str:
    digest = document.get("text_sha256")
    if digest and sha256(text) != digest:
        raise TextUnavailable(f"the text {where} is not the one the run read (its SHA-256 "
                              "differs): the source changed since the run")
    if not digest and document.get("n_chars") is not None \
            and len(text) != int(document["n_chars"]):
        raise TextUnavailable(f"the text {where} has {len(text):,} characters, the run read "
                              f"{int(document['n_chars']):,}")
    return text


class RunTexts:
    """Texts for the documents of one run folder, asked for in the run's order."""

    def __init__(self, run_dir: str | Path) -> None:
        self.run_dir = Path(run_dir)
        self._reread: Iterator[Any] | None = None
        self._pending: dict[str, Any] = {}
        self._why_not: str | None = None

    def text(self, document: dict[str, Any], texts_rows: list[dict[str, Any]] | None) -> str:
        """The text of ``document`` (a ``documents`` row); ``texts_rows`` are its rows of the
        ``texts`` table, None when the run wrote none. Raises ``TextUnavailable``."""
        if texts_rows:
            return _checked(str(texts_rows[0]["text"]), document, "in the texts table")
        if document.get("status") == "error":
            raise TextUnavailable(f"the run could not process it ({document.get('error')})")
        return self._from_source(document)

    # -- reading the inputs again ------------------------------------------------------------

    def _start(self) -> Iterator[Any]:
        from pipeline.reading import ReadOptions, iter_documents

        run_file = self.run_dir / RUN_FILE
        if not run_file.is_file():
            raise TextUnavailable(f"{self.run_dir} has no texts table and no {RUN_FILE} to "
                                  "find its inputs again")
        settings = json.loads(run_file.read_text("utf-8"))
        inputs = [i for i in settings.get("inputs", []) if i != "-"]
        options = ReadOptions(**settings.get("read_options", {}))
        return iter_documents(inputs, options)

    def _from_source(self, document: dict[str, Any]) -> str:
        doc_id = str(document["doc_id"])
        source = document.get("source") or doc_id
        if source == "-" or str(source).startswith("-:"):
            raise TextUnavailable("it came from standard input, which cannot be read again; "
                                  "run with --texts to keep the texts")
        if self._why_not is not None:
            raise TextUnavailable(self._why_not)
        if self._reread is None:
            try:
                self._reread = self._start()
            except TextUnavailable as exc:
                self._why_not = str(exc)
                raise
        # the inputs come back in the run's order: read ahead until this document appears
        while doc_id not in self._pending:
            item = next(self._reread, None)
            if item is None:
                break
            self._pending[item.doc_id] = item
        item = self._pending.pop(doc_id, None)
        if item is None or item.text is None:
            why = item.error.message if item is not None and item.error else "it is gone"
            raise TextUnavailable(f"its source {source} cannot be read again: {why}")
        return _checked(item.text, document, f"read again from {source}")

"""One component's failure costs one layer of one document, never the document.

Every anais component derives from :class:`SoftComponent`: it fills its one ``Doc`` attribute
in :meth:`SoftComponent.fill`, and when that raises, the attribute is left empty for that
document, the other layers (the base model's and the other components') are kept, and the
failure is recorded in ``doc._.errors`` as ``{"stage", "error_type", "message"}`` (plain
values, so a ``Doc`` still serializes). ``pipeline.extraction`` turns each record into one
``errors`` row and marks the document ``partial``.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from spacy.tokens import Doc

import pipeline.extensions  # noqa: F401  (registers doc._.errors)

log = logging.getLogger(__name__)
_MAX_DETAIL = 200


def record_error(doc: Doc, stage: str, exc: BaseException, lost: str) -> None:
    """Note in ``doc._.errors`` that ``stage`` failed with ``exc`` and ``lost`` is empty."""
    if doc._.errors is None:
        doc._.errors = []
    what = str(exc)
    if len(what) > _MAX_DETAIL:  # an exception may quote a whole token of the text
        what = what[:_MAX_DETAIL] + "…"
    doc._.errors.append({
        "stage": stage,
        "error_type": type(exc).__name__,
        "message": f"{stage} failed ({what}); the document's {lost} are left out, its other "
                   "layers are kept",
    })


class SoftComponent:
    """A pipeline component that fills ``doc._.<output>`` and fails soft per document."""

    #: the ``Doc`` extension this component fills (a list; empty when it fails)
    output: ClassVar[str]

    def __init__(self, name: str) -> None:
        self.name = name

    def fill(self, doc: Doc) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        try:
            self.fill(doc)
        except Exception as exc:  # this layer of this document only: the run goes on
            log.debug("%s failed on a document", self.name, exc_info=True)
            setattr(doc._, self.output, [])
            record_error(doc, self.name, exc, self.output)
        return doc

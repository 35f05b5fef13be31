"""Custom attributes anais hangs on spaCy objects.

Set before the pipeline runs (by ``pipeline.extraction``, or by a user calling ``nlp`` on a
``Doc`` they made): ``doc._.dct`` and ``doc._.doc_type``. Filled by our components:
``doc._.timexes`` (``anais_timex``), ``doc._.entities`` (``anais_entities``) and
``doc._.events`` (``anais_events``); ``doc._.errors`` lists what a component could not do
for this document (``pipeline.fail_soft``).
"""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    """Register the ``Doc`` extensions once; safe to call many times."""
    for name in ("dct", "doc_type", "timexes", "entities", "events", "errors"):
        if not Doc.has_extension(name):
            # A getter-less default of None: list-valued attributes are set by components, so
            # no mutable default is ever shared between documents.
            Doc.set_extension(name, default=None)


register_extensions()

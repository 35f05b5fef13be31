"""Custom attributes anais hangs on spaCy objects.

Set before the pipeline runs (by ``pipeline.extraction``, or by a user calling ``nlp`` on a
``Doc`` they made): ``doc._.dct`` and ``doc._.doc_type``. Filled by our components:
``doc._.timexes`` (``anais_timex``), ``doc._.entities`` (``anais_entities``) and
``doc._.events`` (``anais_events``); ``doc._.errors`` lists what a component could not do
for this document (``pipeline.fail_soft``).

``doc._.dct`` takes an ISO date, a ``datetime.date`` or a date as people write it, and keeps
the ISO date (``"2024-03-14"``); anything else raises ``ValueError`` at once, instead of
leaving relative dates unanchored later.

The values live in ``doc.user_data``, so they travel with the Doc: our records (``Timex``,
``Mention``, ``Event``, ``Argument``) are given to spaCy's serializer (srsly's msgpack) as
tagged field maps and rebuilt on reading, so ``DocBin(store_user_data=True)``,
``Doc.to_bytes`` and ``nlp.pipe(n_process=2)`` keep them. Importing ``pipeline`` components
(or this module) registers that, in the process that reads the bytes too.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import srsly
from spacy.tokens import Doc

#: the key of ``doc.user_data`` where spaCy keeps a ``doc._.<name>`` value
_KEY = ("._.", "dct", None, None)
_TAG = "__anais__"


def _get_dct(doc: Doc) -> str | None:
    return doc.user_data.get(_KEY)


def _set_dct(doc: Doc, value: Any) -> None:
    if value is None:
        doc.user_data[_KEY] = None
        return
    from pipeline.reading import normalize_dct

    try:
        doc.user_data[_KEY] = normalize_dct(value)
    except ValueError as exc:
        raise ValueError(f"doc._.dct: {exc}") from None


@cache
def _record_types() -> dict[str, type]:
    from pipeline.entities import Mention
    from pipeline.events.types import Argument, Event
    from pipeline.timex.types import Timex

    return {cls.__name__: cls for cls in (Timex, Mention, Event, Argument)}


def _encode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    types = _record_types()
    if type(obj).__name__ in types and type(obj) is types[type(obj).__name__]:
        return {_TAG: type(obj).__name__,
                **{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}}
    return chain(obj) if chain is not None else obj


def _decode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _TAG in obj:
        # msgpack gives arrays back as tuples: a record's list field is a list again
        fields = {k: list(v) if isinstance(v, tuple) else v for k, v in obj.items() if k != _TAG}
        return _record_types()[obj[_TAG]](**fields)
    return chain(obj) if chain is not None else obj


_last = threading.local()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token's text on each access
    (milliseconds for a news item), and our components ask for it many times. Holds the last
    document of the thread only, compared by identity."""
    if getattr(_last, "doc", None) is not doc:
        _last.doc, _last.text = doc, doc.text
    return _last.text


def register_extensions() -> None:
    """Register the ``Doc`` extensions and their serializers once; safe to call many times."""
    if not Doc.has_extension("dct"):
        Doc.set_extension("dct", getter=_get_dct, setter=_set_dct)
    for name in ("doc_type", "timexes", "entities", "events", "errors"):
        if not Doc.has_extension(name):
            # A getter-less default of None: list-valued attributes are set by components, so
            # no mutable default is ever shared between documents.
            Doc.set_extension(name, default=None)
    srsly.msgpack_encoders.register("anais_records", func=_encode)
    srsly.msgpack_decoders.register("anais_records", func=_decode)


register_extensions()

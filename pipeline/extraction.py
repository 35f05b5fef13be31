"""Run the pipeline over a stream of documents and turn each ``Doc`` into table rows.

Documents go through ``nlp.pipe`` in batches, so memory stays flat over any corpus. A batch
that raises is retried one document at a time, so one bad document costs one error row, not
its neighbours. One of our components failing on a document costs only its own layer there
(``pipeline.fail_soft``): the document is ``partial``, with one error row per failed layer.
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

import pipeline.extensions  # noqa: F401
from pipeline import long_texts
from pipeline.extensions import doc_text
from pipeline.layout import for_model, tidy
from pipeline.reading import DocumentInput, as_document_inputs
from pipeline.schema import (
    DocumentRecord,
    EntityRecord,
    ErrorRecord,
    EventArgRecord,
    EventRecord,
    Extraction,
    SentenceRecord,
    TextRecord,
    TimexRecord,
    TokenRecord,
)

log = logging.getLogger(__name__)



def _metadata_json(metadata: dict[str, Any] | None) -> str | None:
    if not metadata:
        return None
    return json.dumps(metadata, ensure_ascii=False, sort_keys=True, default=str)


def doc_to_extraction(doc: Doc, item: DocumentInput, *, with_tokens: bool = False) -> Extraction:
    """Table rows for one processed document."""
    doc_id = item.doc_id
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    starts = [s.start_char for s in sents] or [0]

    def sent_of(char: int) -> int:
        return max(bisect_right(starts, char) - 1, 0)

    # a sentence's text is the document's between its offsets (Span.text would join its
    # tokens again)
    model_text = doc_text(doc)
    sentences = [SentenceRecord(doc_id, i, s.start_char, s.end_char,
                                model_text[s.start_char:s.end_char]) for i, s in enumerate(sents)]
    tokens: list[TokenRecord] = []
    if with_tokens:
        tok_sent = {}
        for i, s in enumerate(sents):
            for tok in s:
                tok_sent[tok.i] = i
        has_lemma = doc.has_annotation("LEMMA")
        has_pos = doc.has_annotation("POS")
        has_morph = doc.has_annotation("MORPH")
        has_dep = doc.has_annotation("DEP")
        for tok in doc:
            tokens.append(TokenRecord(
                doc_id, tok_sent.get(tok.i, 0), tok.i, tok.idx, tok.idx + len(tok.text), tok.text,
                tok.lemma_ if has_lemma else None,
                tok.pos_ if has_pos else None,
                str(tok.morph) if has_morph else None,
                tok.head.i if has_dep else None,
                tok.dep_ if has_dep else None,
            ))
    entities = [
        EntityRecord(doc_id, i, sent_of(m.start), m.start, m.end, m.text, m.label, m.cluster,
                     m.canonical)
        for i, m in enumerate(doc._.entities or [])
    ]
    timexes = [
        TimexRecord(doc_id, i, sent_of(t.start), t.start, t.end, t.text, t.type, t.value,
                    t.begin_value, t.end_value, t.mod, t.parent, t.role, t.anchor)
        for i, t in enumerate(doc._.timexes or [])
    ]
    events, event_args = _event_rows(doc, doc_id, sent_of)
    errors = [ErrorRecord(doc_id, item.source, e["stage"], e["error_type"], e["message"])
              for e in doc._.errors or []]
    for e in errors:
        log.warning("document %s: %s", doc_id, e.message)
    document = DocumentRecord(
        doc_id=doc_id, source=item.source, n_chars=len(model_text), n_tokens=len(doc),
        n_sentences=len(sentences), status="partial" if errors else "ok", dct=item.dct,
        error="; ".join(f"{e.stage}: {e.error_type}" for e in errors) or None,
        metadata=_metadata_json(item.metadata), **item.provenance(),
    )
    text = item.text if item.text is not None else model_text
    ex = tidy(Extraction(document, sentences, tokens, entities, timexes, events, event_args,
                         errors), text)
    ex.texts = [TextRecord(doc_id, text)]  # written only when the run keeps a texts table
    return ex


def _first(ev: Any, role: str) -> Any:
    return next((a for a in ev.arguments if a.role == role), None)


def _event_rows(doc: Doc, doc_id: str, sent_of: Any) -> tuple[list[EventRecord],
                                                               list[EventArgRecord]]:
    """Rows of the ``events`` and ``event_args`` tables."""
    mentions = doc._.entities or []
    timexes = doc._.timexes or []
    events, args = [], []
    for k, ev in enumerate(doc._.events or []):
        flat = {role: _first(ev, role) for role in ("agent", "patient", "place")}
        t = timexes[ev.time_id] if ev.time_id is not None else None
        events.append(EventRecord(
            doc_id, k, sent_of(ev.start), ev.start, ev.end, ev.trigger, ev.lemma, ev.pos,
            ev.event_class, ev.tense, ev.aspect, ev.polarity, ev.modality,
            *[x for role in ("agent", "patient", "place")
              for x in ((flat[role].text, flat[role].ent_id) if flat[role] else (None, None))],
            ev.time_id, t.value if t is not None else None,
            t.begin_value if t is not None else None, t.end_value if t is not None else None,
            ev.time_relation, ev.time_source, ev.dct_relation,
        ))
        for j, a in enumerate(ev.arguments):
            cluster = mentions[a.ent_id].cluster if a.ent_id is not None else None
            args.append(EventArgRecord(doc_id, k, j, a.role, a.start, a.end, a.text, a.ent_id,
                                       cluster, a.timex_id, a.source))
    return events, args


def error_extraction(item: DocumentInput, error: ErrorRecord) -> Extraction:
    """The rows a failed document contributes: its documents row and its error."""
    document = DocumentRecord(
        doc_id=item.doc_id, source=item.source, n_chars=len(item.text or ""), n_tokens=0,
        n_sentences=0, status="error", dct=item.dct, error=f"{error.error_type}: {error.message}",
        metadata=_metadata_json(item.metadata), **item.provenance(),
    )
    return Extraction(document, errors=[error])


def _make_doc(nlp: Language, item: DocumentInput) -> Doc:
    doc = long_texts.make_doc(nlp, for_model(item.text or ""))
    doc._.dct = item.dct
    return doc


def _process_one(nlp: Language, item: DocumentInput, with_tokens: bool,
                 doc: Doc | None = None) -> Extraction:
    """One document's rows (``doc``: its tokens, when already made)."""
    try:
        doc = long_texts.annotate(nlp, doc if doc is not None else _make_doc(nlp, item))
        return doc_to_extraction(doc, item, with_tokens=with_tokens)
    except Exception as exc:  # one document's failure must not stop the batch
        log.debug("document %s failed", item.doc_id, exc_info=True)
        log.warning("document %s failed: %s: %s", item.doc_id, type(exc).__name__, exc)
        return error_extraction(item, ErrorRecord(
            item.doc_id, item.source, "nlp", type(exc).__name__,
            f"processing failed: {exc}"))


def process_batch(
    nlp: Language, batch: list[DocumentInput], with_tokens: bool = False
) -> list[Extraction]:
    """Extractions for one batch of inputs, in order, failed inputs included.

    The batch runs in a spaCy memory zone: the strings and lexemes its texts added to the
    vocabulary are freed at the end (rows hold plain Python strings), so a long run does not
    grow with every new word it meets.
    """
    with nlp.memory_zone():
        return _process_batch(nlp, batch, with_tokens)


def _process_batch(nlp: Language, batch: list[DocumentInput],
                   with_tokens: bool) -> list[Extraction]:
    good = [item for item in batch if item.error is None]
    done: dict[int, Extraction] = {}
    short: list[tuple[DocumentInput, Doc]] = []
    for item in good:
        try:
            doc = _make_doc(nlp, item)
        except Exception:  # the tokenizer failed: _process_one records why
            done[id(item)] = _process_one(nlp, item, with_tokens)
            continue
        if len(doc) > long_texts.SLICE_TOKENS:  # through the model in slices, alone
            done[id(item)] = _process_one(nlp, item, with_tokens, doc)
        else:
            short.append((item, doc))
    try:
        docs = iter(nlp.pipe((doc for _, doc in short), batch_size=len(batch)))
        done.update({id(item): doc_to_extraction(next(docs), item, with_tokens=with_tokens)
                     for item, _ in short})
    except Exception:  # retry alone so that only the culprit fails
        log.debug("batch failed; retrying its documents one by one", exc_info=True)
        done.update({id(item): _process_one(nlp, item, with_tokens) for item, _ in short})
    return [error_extraction(item, item.error) if item.error is not None else done[id(item)]
            for item in batch]


def extract_documents(
    nlp: Language,
    inputs: Iterable[DocumentInput | str | dict[str, Any]],
    *,
    with_tokens: bool = False,
    batch_size: int = 32,
    workers: int = 1,
) -> Iterator[Extraction]:
    """Yield one ``Extraction`` per input, in input order, failed inputs included.

    With ``workers > 1`` batches are processed by that many processes, each loading the same
    pipeline as ``nlp`` (see ``pipeline.parallel``); the output is identical. An input may
    also be a plain string or a dict ``{"id", "text", "dct", …}`` (``as_document_inputs``).
    """
    inputs = as_document_inputs(inputs)
    if workers > 1:
        from pipeline.parallel import extract_in_processes

        yield from extract_in_processes(nlp, inputs, with_tokens=with_tokens,
                                        batch_size=batch_size, workers=workers)
        return
    for batch in batches(inputs, batch_size):
        yield from process_batch(nlp, batch, with_tokens)


#: characters per batch at most: a batch of long documents (news of 40,000 characters) would
#: otherwise hold the parses of all of them at once and set the run's peak memory
BATCH_CHARS = 50_000


def batches(inputs: Iterable[DocumentInput], batch_size: int,
            max_chars: int = BATCH_CHARS) -> Iterator[list[DocumentInput]]:
    """``inputs`` in lists of at most ``batch_size`` documents and ``max_chars`` characters
    (a longer document goes alone)."""
    batch: list[DocumentInput] = []
    chars = 0
    for item in inputs:
        size = len(item.text or "")
        if batch and (len(batch) >= batch_size or chars + size > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += size
    if batch:
        yield batch


@cache
def _default_nlp() -> Language:
    from pipeline.model_loading import load

    return load()


def extract(
    text: str,
    dct: str | None = None,
    *,
    nlp: Language | None = None,
    doc_id: str = "doc",
    with_tokens: bool = True,
) -> Extraction:
    """Process one text and return its rows.

    Without ``nlp``, the default pipeline (``pipeline.load()``) is loaded once and reused.
    """
    from pipeline.reading import normalize_dct

    nlp = nlp or _default_nlp()
    item = DocumentInput(doc_id, "<string>", text, normalize_dct(dct) if dct else None)
    return _process_one(nlp, item, with_tokens) if text.strip() else error_extraction(
        item, ErrorRecord(doc_id, "<string>", "read", "empty", "the document is empty (no text)"))

"""Line breaks and blank runs: what the model sees, and how they show in the tables.

- The model reads Windows (``\\r\\n``) and old Mac (``\\r``) line breaks as ``\\n``, so a
  CRLF file gets the same sentences, tags and entities as the same text with LF; every offset
  is then mapped back, so ``text[start:end]`` is still exact in the original text.
- A sentence never starts with whitespace nor consists of it: leading blank tokens (the
  ``\\n\\n`` between paragraphs) join the sentence before, a blank-only sentence at the start
  joins the one after.
- Whitespace tokens carry no lemma, POS, morphology, head or relation; a word the parser
  attached to one is attached to that token's own head instead (or becomes the root of its
  sentence when the blank was the root).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from pipeline.schema import Extraction, SentenceRecord, TokenRecord

_CRLF = re.compile(r"\r\n")


def for_model(text: str) -> str:
    """``text`` with every line break as ``\\n`` (what the pipeline is given)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _to_original(text: str) -> Callable[[int], int] | None:
    """Maps an offset in ``for_model(text)`` to ``text``; None when they are the same."""
    if "\r" not in text:
        return None
    if "\r\n" not in text:  # lone \r became \n: same offsets, the surfaces to take again
        return lambda x: x
    # where each dropped \r was, in the shortened text: the \n that followed it
    dropped = [m.start() - k for k, m in enumerate(_CRLF.finditer(text))]
    return lambda x: x + bisect_left(dropped, x)


def tidy(extraction: Extraction, text: str) -> Extraction:
    """The rows of a document the model read as ``for_model(text)``, put right for ``text``."""
    ex = extraction
    fix = _to_original(text)
    if fix is not None:
        _restore_offsets(ex, text, fix)
    ex.sentences = _sentences_without_blank_starts(ex.sentences, text)
    starts = [s.start for s in ex.sentences] or [0]

    def sent_of(char: int) -> int:
        return max(bisect_right(starts, char) - 1, 0)

    for name in ("tokens", "entities", "timexes", "events"):
        setattr(ex, name, [r if r.sent_id == sent_of(r.start) else
                           dataclasses.replace(r, sent_id=sent_of(r.start))
                           for r in getattr(ex, name)])
    ex.tokens = _blank_tokens_unannotated(ex.tokens)
    ex.document = dataclasses.replace(ex.document, n_chars=len(text),
                                      n_sentences=len(ex.sentences))
    return ex


def _restore_offsets(ex: Extraction, text: str, fix: Callable[[int], int]) -> None:
    def moved(record: Any, surface: str = "text") -> Any:
        start, end = fix(record.start), fix(record.end)
        return dataclasses.replace(record, start=start, end=end, **{surface: text[start:end]})

    for name in ("sentences", "tokens", "entities", "timexes", "event_args"):
        setattr(ex, name, [moved(r) for r in getattr(ex, name)])
    first: dict[tuple[int, str], str] = {}
    for arg in ex.event_args:
        first.setdefault((arg.event_id, arg.role), arg.text)
    ex.events = [dataclasses.replace(
        moved(ev, "trigger"), **{role: first.get((ev.event_id, role), getattr(ev, role))
                                 for role in ("agent", "patient", "place")})
        for ev in ex.events]


def _sentences_without_blank_starts(sentences: list[SentenceRecord],
                                    text: str) -> list[SentenceRecord]:
    spans: list[list[int]] = []
    for s in sentences:
        lead = len(s.text) - len(s.text.lstrip())
        if spans and lead:  # the blank run goes to the sentence before
            spans[-1][1] = s.start + lead
            if lead == len(s.text):
                continue
            spans.append([s.start + lead, s.end])
        else:
            spans.append([s.start, s.end])
    if len(spans) > 1 and not text[spans[0][0]:spans[0][1]].strip():
        spans[1][0] = spans[0][0]  # a blank start of the document goes to the first sentence
        del spans[0]
    doc_id = sentences[0].doc_id if sentences else ""
    return [SentenceRecord(doc_id, i, a, b, text[a:b]) for i, (a, b) in enumerate(spans)]


def _blank_tokens_unannotated(tokens: list[TokenRecord]) -> list[TokenRecord]:
    blank = {t.tok_id for t in tokens if t.text.isspace()}
    if not blank:
        return tokens
    by_id = {t.tok_id: t for t in tokens}

    def landing(tok_id: int) -> int | None:
        """The first head above ``tok_id`` that is a word (None: a blank root)."""
        seen = set()
        while tok_id in blank and tok_id not in seen:
            seen.add(tok_id)
            head = by_id[tok_id].head
            if head is None or head == tok_id:
                return None
            tok_id = head
        return None if tok_id in blank else tok_id

    new_root: dict[int, int] = {}  # blank root -> the first word attached to it
    out = []
    for t in tokens:
        if t.tok_id in blank:
            out.append(dataclasses.replace(t, lemma=None, pos=None, morph=None, head=None,
                                           dep=None))
            continue
        if t.head is None or t.head not in blank:
            out.append(t)
            continue
        target = landing(t.head)
        if target is None:  # the blank was the root: its first word takes its place
            root = _root_of(t.head, by_id, blank)
            target = new_root.setdefault(root, t.tok_id)
            if target == t.tok_id:
                out.append(dataclasses.replace(t, head=t.tok_id, dep="ROOT"))
                continue
        out.append(dataclasses.replace(t, head=target))
    return out


def _root_of(tok_id: int, by_id: dict[int, TokenRecord], blank: set[int]) -> int:
    seen = set()
    while tok_id not in seen:
        seen.add(tok_id)
        head = by_id[tok_id].head
        if head is None or head == tok_id or head not in blank:
            return tok_id
        tok_id = head
    return tok_id

"""CoNLL / IOB2 NER gold: a token and its tag per line, a blank line between sentences.

Accepted layouts: ``token tag``, ``token … tag`` (the tag is the last column) and the UNER
layout ``id token tag misc…`` (a numeric first column). Tags may be IOB2, IOB1, BIOES or plain
IO (``I-PER``, or a bare label such as ``PESSOA``). Only PER/LOC/ORG (and their aliases) are
kept; other labels (OTH, MISC, TEMPO, …) are not scored.

The text is rebuilt so the pipeline can run on it: from ``# text =`` when the tokens can be
found in it, otherwise the tokens joined by spaces (``SpaceAfter=No`` honoured). Sentences are
joined by newlines. Documents are split at ``-DOCSTART-`` or ``# newdoc``; without those, at
the document part of ``# sent_id = <doc>-<n>`` ids; otherwise the file is one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evaluation.gold import GoldDocument, GoldEntity
from pipeline.evaluation.labels import normalise_label

_SENT_ID_DOC = re.compile(r"^(.+?)[-_.:](\d+)$")


@dataclass(slots=True)
class _Sentence:
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    space_after: list[bool] = field(default_factory=list)
    text: str | None = None
    sent_id: str | None = None
    newdoc: str | None = None


def _parse_tag(tag: str) -> tuple[str, str | None]:
    """(prefix, label): prefix in B, I, E, S or O."""
    tag = tag.strip()
    if tag in ("O", "_", "-", ""):
        return "O", None
    if len(tag) > 2 and tag[1] in "-_" and tag[0].upper() in "BIES":
        return tag[0].upper(), tag[2:]
    return "I", tag  # IO scheme: a bare label


def token_and_tag(cols: list[str]) -> tuple[str, str, bool]:
    if len(cols) >= 3 and cols[0].isdigit():
        token, tag = cols[1], cols[2]
    else:
        token, tag = cols[0], cols[-1]
    space_after = not any("SpaceAfter=No" in c for c in cols[2:])
    return token, tag, space_after


def _read_sentences(lines: list[str]) -> list[_Sentence]:
    sents: list[_Sentence] = []
    cur = _Sentence()
    pending_newdoc: str | None = None

    def flush() -> None:
        nonlocal cur
        if cur.tokens:
            sents.append(cur)
        cur = _Sentence()

    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            key, _, val = body.partition("=")
            key, val = key.strip(), val.strip()
            if key == "text":
                cur.text = val if cur.text is None else cur.text
            elif key == "sent_id":
                cur.sent_id = val
            elif key.startswith("newdoc"):
                cur.newdoc = pending_newdoc = val or f"doc{len(sents) + 1}"
            continue
        if line.startswith("-DOCSTART-"):
            flush()
            pending_newdoc = f"doc{len(sents)}"
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        if len(cols) < 2:
            continue
        if "-" in cols[0] and cols[0].replace("-", "").isdigit():
            continue  # CoNLL-U multiword token range line
        token, tag, space_after = token_and_tag(cols)
        if pending_newdoc is not None and not cur.tokens:
            cur.newdoc = pending_newdoc
            pending_newdoc = None
        cur.tokens.append(token)
        cur.tags.append(tag)
        cur.space_after.append(space_after)
    flush()
    return sents


def _offsets_in(text: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """Token offsets inside ``text``, or None when the tokens cannot all be found in order."""
    out, pos = [], 0
    for tok in tokens:
        i = text.find(tok, pos)
        if i < 0 or text[pos:i].strip():
            return None
        out.append((i, i + len(tok)))
        pos = i + len(tok)
    return out if not text[pos:].strip() else None


def _sentence_text(s: _Sentence) -> tuple[str, list[tuple[int, int]]]:
    if s.text is not None:
        offs = _offsets_in(s.text, s.tokens)
        if offs is not None:
            return s.text, offs
    parts, offs, pos = [], [], 0
    for tok, sp in zip(s.tokens, s.space_after, strict=True):
        offs.append((pos, pos + len(tok)))
        parts.append(tok + (" " if sp else ""))
        pos += len(tok) + (1 if sp else 0)
    return "".join(parts).rstrip(" "), offs


def _entities(tags: list[str], offs: list[tuple[int, int]], base: int, text: str
              ) -> list[GoldEntity]:
    ents: list[GoldEntity] = []
    open_label: str | None = None
    start = end = 0

    def close() -> None:
        nonlocal open_label
        if open_label is not None:
            label = normalise_label(open_label)
            if label is not None:
                ents.append(GoldEntity(base + start, base + end, label, text[start:end]))
        open_label = None

    for tag, (s, e) in zip(tags, offs, strict=True):
        prefix, label = _parse_tag(tag)
        if prefix == "O":
            close()
            continue
        continues = prefix in ("I", "E") and open_label == label
        if not continues:
            close()
            open_label, start = label, s
        end = e
        if prefix in ("E", "S"):
            close()
    close()
    return ents


def _doc_key(s: _Sentence, split_by_sent_id: bool) -> str | None:
    if s.newdoc is not None:
        return s.newdoc
    if split_by_sent_id and s.sent_id:
        m = _SENT_ID_DOC.match(s.sent_id)
        return m.group(1) if m else None
    return None


def parse_conll(lines: list[str], doc_id: str, source: str = "") -> list[GoldDocument]:
    """Parse CoNLL NER lines into one or more gold documents."""
    sents = _read_sentences(lines)
    has_newdoc = any(s.newdoc is not None for s in sents)
    by_sent_id = not has_newdoc and bool(sents) and all(
        s.sent_id and _SENT_ID_DOC.match(s.sent_id) for s in sents)
    groups: list[tuple[str, list[_Sentence]]] = []
    for s in sents:
        key = _doc_key(s, by_sent_id)
        if not groups or (key is not None and key != groups[-1][0]):
            groups.append((key or doc_id, []))
        groups[-1][1].append(s)
    docs = []
    for key, group in groups:
        name = doc_id if len(groups) == 1 else f"{doc_id}#{key}"
        parts: list[str] = []
        ents: list[GoldEntity] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for s in group:
            stext, offs = _sentence_text(s)
            ents.extend(_entities(s.tags, offs, pos, stext))
            spans.append((pos, pos + len(stext)))
            parts.append(stext)
            pos += len(stext) + 1  # the newline between sentences
        docs.append(GoldDocument(doc_id=name, text="\n".join(parts), source=source,
                                 format="conll", entities=ents, sentences=spans))
    return docs


def read_conll(path: str | Path) -> list[GoldDocument]:
    """Read a CoNLL/IOB2 file; document ids are ``<file stem>#<doc>`` when it holds several."""
    p = Path(path)
    lines = p.read_text(encoding="utf-8").splitlines()
    return parse_conll(lines, doc_id=p.stem, source=str(p))

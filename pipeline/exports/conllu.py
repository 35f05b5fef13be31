"""CoNLL-U (``.conllu``), one file per document, from the ``tokens`` table (``anais run
--tokens``).

- ``# newdoc id``, then per sentence ``# sent_id = <doc>-<n>`` (1-based; ``/`` and
  whitespace of the id as ``_``) and ``# text``: the
  FORMs joined by one space, or none where ``SpaceAfter=No`` (every run of whitespace of the
  sentence as one space).
- Words are our tokens (a contraction such as ``do`` is one word, no ``1-2`` ranges). Whitespace
  tokens (extra spaces, line breaks: the pipeline leaves them unannotated) are not words: the
  whitespace after each word is in MISC, ``SpaceAfter=No`` when there is none and
  ``SpacesAfter=\\n`` (``\\s`` space, ``\\t`` tab, ``\\r``, ``\\n``, ``\\\\``, ``\\p`` for ``|``)
  when it is anything but one space, so the original text can be rebuilt exactly.
- MISC also has ``NER=B-PER``/``I-PER`` and ``TIMEX=B-DATE``/``I-DATE`` (the outermost timex:
  an INTERVAL rather than its endpoints); a word partly inside a span counts as inside.
- Heads are 1-based within the sentence, 0 for the root, and every sentence is a tree with one
  root. spaCy may attach a word outside its sentence, or give a sentence two roots; the rule:
  the first word whose head is itself is the root (else the first word attached outside the
  sentence, else the first word); every other word whose head is itself, outside the sentence
  or a whitespace token hangs from that root, relation ``dep`` when it had ``root``; a cycle
  that does not reach the root is cut by hanging its first word from the root. The root's
  relation is ``root``. A sentence without a parse has ``_`` heads and relations.
- CoNLL-U forbids spaces in FORM and LEMMA: a whitespace character inside one (a token
  holding a non-breaking space) is written as U+00A0.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.exports.bundles import DocumentRows

SUFFIX = ".conllu"
#: CoNLL-U keeps "/" in a sent_id for other uses, and an id has no whitespace
_NOT_IN_ID = re.compile(r"[\s/]")
_ESCAPES = {" ": "\\s", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\", "|": "\\p"}


class NoTokens(ValueError):
    """The run has no tokens table (run it with --tokens)."""


def _field(value: Any) -> str:
    if value is None:
        return "_"
    s = "".join("\u00a0" if ch.isspace() else ch for ch in str(value))
    return s or "_"


def spaces_after(gap: str) -> str | None:
    """The MISC item for the whitespace after a word (None for one ordinary space)."""
    if gap == " ":
        return None
    if gap == "":
        return "SpaceAfter=No"
    return "SpacesAfter=" + "".join(_ESCAPES.get(ch, ch) for ch in gap)


def _bio(words: list[dict[str, Any]], spans: list[tuple[int, int, str]]) -> list[str | None]:
    tags: list[str | None] = [None] * len(words)
    for start, end, label in spans:
        first = True
        for i, w in enumerate(words):
            if int(w["start"]) < end and start < int(w["end"]) and tags[i] is None:
                tags[i] = f"{'B' if first else 'I'}-{label}"
                first = False
    return tags


def tree(heads: list[int | None], rels: list[str | None]) -> tuple[list[int], list[str]]:
    """Make one sentence a valid tree (the rule in the module docstring). ``heads`` are
    1-based word numbers, 0 for "itself", None for "outside the sentence"."""
    n = len(heads)
    own = [i for i, h in enumerate(heads) if h == 0]
    outside = [i for i, h in enumerate(heads) if h is None]
    root = own[0] if own else (outside[0] if outside else 0)
    out_heads = [0] * n
    out_rels = [r or "dep" for r in rels]
    for i, h in enumerate(heads):
        if i == root:
            continue
        if h is None or h == 0:
            out_heads[i] = root + 1
            if out_rels[i].lower() == "root":
                out_rels[i] = "dep"
        else:
            out_heads[i] = h
    out_rels[root] = "root"
    for i in range(n):  # cut cycles that never reach the root
        seen = []
        j = i
        while j != root and j not in seen:
            seen.append(j)
            j = out_heads[j] - 1
        if j != root:
            cut = min(seen[seen.index(j):])
            out_heads[cut] = root + 1
            if out_rels[cut].lower() == "root":
                out_rels[cut] = "dep"
    for i in range(n):
        if i != root and out_rels[i].lower() == "root":
            out_rels[i] = "dep"
    return out_heads, out_rels


def to_conllu(doc: DocumentRows, text: str) -> str:
    """The ``.conllu`` file of one document."""
    if "tokens" not in doc.present:
        raise NoTokens("the run has no tokens table: run `anais run` with --tokens")
    words_all = [t for t in doc.of("tokens") if t.get("text") and not str(t["text"]).isspace()]
    ents = [(int(e["start"]), int(e["end"]), e["label"]) for e in doc.of("entities")]
    timexes = [(int(t["start"]), int(t["end"]), t["type"]) for t in doc.of("timexes")
               if t.get("parent_id") is None]
    by_sent: dict[int, list[dict[str, Any]]] = {}
    for w in words_all:
        by_sent.setdefault(int(w["sent_id"]), []).append(w)
    next_start = {int(w["tok_id"]): (int(nxt["start"]) if nxt is not None else len(text))
                  for w, nxt in zip(words_all, [*words_all[1:], None], strict=True)}
    lines = [f"# newdoc id = {doc.doc_id}"]
    sent_prefix = _NOT_IN_ID.sub("_", doc.doc_id)
    for sent_no, sid in enumerate(sorted(by_sent), 1):
        words = by_sent[sid]
        number = {int(w["tok_id"]): k for k, w in enumerate(words, 1)}
        parsed = any(w.get("head") is not None for w in words)
        heads: list[int | None] = []
        rels = []
        for w in words:
            h = w.get("head")
            if h is None or int(h) not in number:
                heads.append(None)
            else:
                heads.append(0 if int(h) == int(w["tok_id"]) else number[int(h)])
            rels.append(w.get("dep"))
        out_heads, out_rels = tree(heads, rels) if parsed else ([], [])
        ner, tmx = _bio(words, ents), _bio(words, timexes)
        gaps = [text[int(w["end"]):next_start[int(w["tok_id"])]] for w in words]
        forms = [_field(w["text"]) for w in words]
        sentence = "".join(f + ("" if g == "" else " ") for f, g in zip(forms, gaps,
                                                                        strict=True))
        lines.append(f"# sent_id = {sent_prefix}-{sent_no}")
        lines.append(f"# text = {sentence.rstrip(' ')}")
        for k, w in enumerate(words):
            misc = [f"NER={ner[k]}"] if ner[k] else []
            if tmx[k]:
                misc.append(f"TIMEX={tmx[k]}")
            gap = spaces_after(gaps[k])
            if gap:
                misc.append(gap)
            cols = [str(k + 1), forms[k], _field(w.get("lemma")), _field(w.get("pos")),
                    "_", _field(w.get("morph") or None),
                    str(out_heads[k]) if parsed else "_",
                    _field(out_rels[k]) if parsed else "_", "_", "|".join(misc) or "_"]
            lines.append("\t".join(cols))
        lines.append("")
    return "\n".join(lines) + "\n"

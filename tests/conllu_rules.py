"""A checker of the CoNLL-U rules an export must keep (written for these tests).

Per sentence: ``# sent_id`` (no whitespace or ``/``, unique in the file) and ``# text``
comments; word lines of 10 tab-separated columns, none empty; ids 1..n consecutive (no ranges,
no empty nodes: anais writes neither); FORM and LEMMA without space, tab or line break; HEAD a
number in 0..n (or ``_`` for every word of an unparsed sentence); exactly one word with HEAD 0,
whose DEPREL is ``root``, and no other ``root``; every word reaches the root (no cycles);
FORMs joined as ``SpaceAfter=No`` says give ``# text``.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[ \t\r\n]")


def sentence_problems(block: list[str]) -> list[str]:
    """What is wrong with one sentence (its comment and word lines)."""
    problems = []
    comments = {ln.split(" = ", 1)[0][2:]: ln.split(" = ", 1)[1] for ln in block
                if ln.startswith("# ") and " = " in ln}
    words = [ln.split("\t") for ln in block if not ln.startswith("#")]
    for key in ("sent_id", "text"):
        if key not in comments:
            problems.append(f"no # {key}")
    if re.search(r"[\s/]", comments.get("sent_id", "")):
        problems.append(f"sent_id {comments['sent_id']!r} holds whitespace or /")
    if not words:
        return problems + ["no words"]
    for k, cols in enumerate(words, 1):
        if len(cols) != 10:
            problems.append(f"word {k}: {len(cols)} columns")
            continue
        if any(c == "" for c in cols):
            problems.append(f"word {k}: an empty column")
        if cols[0] != str(k):
            problems.append(f"word {k}: id {cols[0]!r}")
        for name, value in (("FORM", cols[1]), ("LEMMA", cols[2])):
            if _SPACE.search(value):
                problems.append(f"word {k}: whitespace in {name} {value!r}")
    if problems:
        return problems
    n = len(words)
    heads = [cols[6] for cols in words]
    if all(h == "_" for h in heads):
        parsed = False
    else:
        parsed = True
        if not all(h.isdigit() and 0 <= int(h) <= n for h in heads):
            problems.append(f"heads out of range: {heads}")
            return problems
    if parsed:
        ints = [int(h) for h in heads]
        roots = [k for k, h in enumerate(ints) if h == 0]
        if len(roots) != 1:
            problems.append(f"{len(roots)} roots")
        for k, cols in enumerate(words):
            if (ints[k] == 0) != (cols[7] == "root"):
                problems.append(f"word {k + 1}: head {ints[k]} with relation {cols[7]}")
        for k in range(n):
            seen, j = set(), k
            while ints[j] != 0:
                if j in seen:
                    problems.append(f"word {k + 1}: a cycle")
                    break
                seen.add(j)
                j = ints[j] - 1
    rebuilt = ""
    for cols in words:
        misc = cols[9].split("|")
        rebuilt += cols[1] + ("" if "SpaceAfter=No" in misc else " ")
    if rebuilt.rstrip(" ") != comments.get("text"):
        problems.append(f"# text {comments.get('text')!r} is not the words {rebuilt!r}")
    return problems


def file_problems(content: str) -> list[str]:
    """Problems of every sentence of a CoNLL-U file, each prefixed with its sent_id."""
    out = []
    if not content.endswith("\n\n") and content.strip():
        out.append("the file does not end with a blank line")
    ids = [ln for ln in content.split("\n") if ln.startswith("# sent_id = ")]
    if len(set(ids)) != len(ids):
        out.append("repeated sent_id")
    for block in content.split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln]
        if not lines or all(ln.startswith("# newdoc") for ln in lines):
            continue
        sid = next((ln for ln in lines if ln.startswith("# sent_id")), "?")
        out += [f"{sid}: {p}" for p in sentence_problems(lines)]
    return out

"""Read gold from a file or a folder, guessing the format from extension and content."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.evaluation.gold import GoldDocument
from pipeline.evaluation.gold_brat import read_brat
from pipeline.evaluation.gold_conll import read_conll, token_and_tag
from pipeline.evaluation.gold_json import GoldFormatError, read_json_gold
from pipeline.evaluation.gold_timeml import read_timeml
from pipeline.exports.files import ids_by_file

#: O, a prefixed tag (B-PER, I_LOC), or a bare upper-case label (IO scheme: PESSOA).
_TAG = re.compile(r"^(O|[BIESLU][-_]\S+|[A-ZÀ-Ý][A-ZÀ-Ý_]*)$")

FORMATS = ("json", "timeml", "conll", "conllu", "brat")

_BY_SUFFIX = {
    ".json": "json",
    ".tml": "timeml",
    ".xml": "timeml",
    ".iob2": "conll",
    ".iob": "conll",
    ".bio": "conll",
    ".conll": "conll",
    ".txt": "conll",
    ".tsv": "conll",
    ".conllu": "conllu",
    ".ann": "brat",
}


def detect_format(path: Path) -> str | None:
    """The gold format of one file, or None when it is not a gold file we know."""
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt == "conll" and path.suffix.lower() == ".txt" and path.with_suffix(".ann").is_file():
        return None  # the text of a brat document, read with its .ann
    if fmt in ("conll", "timeml"):
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if "<TIMEX3" in head or "<TimeML" in head or "<TempEval" in head:
            return "timeml"
        if fmt == "timeml":
            return None  # an .xml that is not TimeML
        if _looks_like_conllu(head):
            return "conllu"
        if fmt == "conll" and not _looks_like_conll(head):
            return None
    return fmt


def _looks_like_conllu(head: str) -> bool:
    # CoNLL-U rows have 10 tab-separated columns.
    rows = [ln for ln in head.splitlines() if ln and not ln.startswith("#")]
    return bool(rows) and all(ln.count("\t") == 9 for ln in rows[:20])


def _looks_like_conll(head: str) -> bool:
    # Token-per-line: nearly every non-comment line is a few columns ending in a tag.
    rows = [ln for ln in head.splitlines()[:-1] if ln.strip() and not ln.startswith("#")]

    def is_row(ln: str) -> bool:
        cols = ln.split("\t") if "\t" in ln else ln.split()
        return 2 <= len(cols) <= 12 and bool(_TAG.match(token_and_tag(cols)[1]))

    return bool(rows) and sum(map(is_row, rows)) >= 0.9 * len(rows)


def gold_files(path: Path, fmt: str | None = None) -> list[tuple[Path, str]]:
    """(file, format) for ``path`` or every gold file under the folder ``path``."""
    if path.is_file():
        found = fmt or detect_format(path)
        if found is None:
            raise GoldFormatError(f"{path}: cannot tell the gold format; use --gold-format")
        return [(path, found)]
    if not path.is_dir():
        raise GoldFormatError(f"{path}: no such file or folder")
    out = []
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        if f.name.startswith(".") or f.suffix.lower() not in _BY_SUFFIX:
            continue
        found = detect_format(f) if fmt is None or fmt == "brat" else (
            fmt if _BY_SUFFIX.get(f.suffix.lower()) else None)
        if fmt == "brat" and found != "brat":
            continue
        if found is not None:
            out.append((f, found))
    if not out:
        raise GoldFormatError(f"{path}: no gold files (.json, .tml, .iob2, .conll, .conllu, "
                              ".ann)")
    # One folder, one kind of gold: mixing them would mix incomparable scores.
    kinds = {k for _, k in out}
    if len(kinds) > 1 and fmt is None:
        major = max(kinds, key=lambda k: sum(x == k for _, x in out))
        out = [(f, k) for f, k in out if k == major]
    return out


def read_gold(
    path: str | Path,
    fmt: str | None = None,
    corpus: str | Path | None = None,
    warnings: list[str] | None = None,
) -> tuple[str, list[GoldDocument]]:
    """(format, documents) of the gold at ``path``. CoNLL-U is read by ``conllu_scores``."""
    if fmt is not None and fmt not in FORMATS:
        raise GoldFormatError(f"unknown gold format {fmt!r} (one of {', '.join(FORMATS)})")
    files = gold_files(Path(path), fmt)
    kind = files[0][1]
    docs: list[GoldDocument] = []
    # an `anais export` folder names each file's document exactly (anais_export.jsonl)
    root = Path(path) if Path(path).is_dir() else Path(path).parent
    exported = ids_by_file(root)
    for f, k in files:
        stem = f.relative_to(root).with_suffix("").as_posix()
        if k == "brat":
            docs.append(read_brat(f, exported.get(stem)))
            continue
        if k == "json":
            doc = read_json_gold(f, corpus, warnings)
            if doc.timexes is None and doc.entities is None and doc.entity_surfaces is None:
                # e.g. a manifest.json next to the gold files: nothing to score in it.
                if warnings is not None:
                    warnings.append(f"{f}: no timex, entities or entity_surfaces; skipped")
                continue
            docs.append(doc)
        elif k == "timeml":
            doc = read_timeml(f)
            doc.doc_id = exported.get(stem, doc.doc_id)
            docs.append(doc)
        elif k == "conll":
            docs.extend(read_conll(f))
    if kind == "brat":
        _unannotated_layers(docs)
    if not docs:
        raise GoldFormatError(f"{path}: no gold documents with anything to score")
    _dedupe_ids(docs)
    return kind, docs


def _unannotated_layers(docs: list[GoldDocument]) -> None:
    # brat files say nothing of what was not annotated: a layer no document of the set has
    # (a corpus of names only) is not scored, rather than scored as all missed
    if not any(d.timexes for d in docs):
        for d in docs:
            d.timexes = None
    if not any(d.entities for d in docs):
        for d in docs:
            d.entities = None


def _dedupe_ids(docs: list[GoldDocument]) -> None:
    # Two files naming the same document would overwrite each other's predictions.
    seen: dict[str, int] = {}
    for d in docs:
        n = seen.get(d.doc_id, 0)
        seen[d.doc_id] = n + 1
        if n:
            d.doc_id = f"{d.doc_id}~{n + 1}"

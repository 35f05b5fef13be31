"""brat standoff gold: ``<doc>.ann`` beside ``<doc>.txt`` (as ``anais export --to brat`` writes
them, corrected in brat or INCEpTION, or any brat corpus).

- ``T`` lines of a type PER/LOC/ORG (or a name ``labels`` maps to them: Pessoa, Local, …) are
  entities; of a type DATE, TIME, DURATION, SET or INTERVAL, temporal expressions, whose value
  is their annotator note (``#  AnnotatorNotes T7  1910-10-05``; ``begin/end`` for an
  INTERVAL, else the notes of its ``Begin``/``End`` relations' endpoints) and ``mod`` their
  ``Mod`` attribute. An INTERVAL's endpoints (the targets of its ``Begin``/``End`` relations)
  are scored as part of it, not on their own. Other types (event triggers, ``Participant``)
  are not scored.
- A discontinuous span ``s e;s e`` counts from its first start to its last end.
- The text is the ``.txt`` as bytes decoded from UTF-8 (no newline translation: brat's offsets
  count a CRLF as two characters). Offsets are code points (Python string indices).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluation.gold import GoldDocument, GoldEntity, GoldTimex
from pipeline.evaluation.gold_json import GoldFormatError
from pipeline.evaluation.labels import normalise_label

TIMEX_TYPES = frozenset({"DATE", "TIME", "DURATION", "SET", "INTERVAL"})


def read_brat(path: str | Path, doc_id: str | None = None) -> GoldDocument:
    """Read ``path`` (the ``.ann``; its ``.txt`` beside it)."""
    ann = Path(path)
    txt = ann.with_suffix(".txt")
    if not txt.is_file():
        raise GoldFormatError(f"{ann}: no {txt.name} beside it (brat keeps the text there)")
    text = txt.read_bytes().decode("utf-8-sig")
    spans: dict[str, tuple[str, int, int]] = {}
    notes: dict[str, str] = {}
    mods: dict[str, str] = {}
    ends: dict[str, dict[str, str]] = {}
    for n, line in enumerate(ann.read_bytes().decode("utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        try:
            if ident.startswith("T"):
                kind_where = rest.split("\t", 1)[0]
                kind, _, where = kind_where.partition(" ")
                pieces = [tuple(map(int, frag.split())) for frag in where.split(";")]
                spans[ident] = (kind, pieces[0][0], pieces[-1][1])
            elif ident.startswith("#"):
                head, _, note = rest.partition("\t")
                parts = head.split()
                if len(parts) >= 2 and parts[0] == "AnnotatorNotes":
                    notes[parts[1]] = note.strip()
            elif ident.startswith("A") or ident.startswith("M"):
                parts = rest.split()
                if len(parts) >= 3 and parts[0] == "Mod":
                    mods[parts[1]] = parts[2]
            elif ident.startswith("R"):
                parts = rest.split()
                if len(parts) >= 3 and parts[0] in ("Begin", "End"):
                    arg1 = parts[1].split(":", 1)[1]
                    arg2 = parts[2].split(":", 1)[1]
                    ends.setdefault(arg1, {})[parts[0].lower()] = arg2
        except (ValueError, IndexError) as exc:
            raise GoldFormatError(f"{ann}:{n}: not a brat annotation line: {line!r}") from exc
    for ident, (_, start, end) in spans.items():
        if not 0 <= start <= end <= len(text):
            raise GoldFormatError(f"{ann}: {ident} {start}-{end} is outside the text "
                                  f"({len(text):,} characters)")
    endpoints = {t for points in ends.values() for t in points.values()}
    entities, timexes = [], []
    for ident, (kind, start, end) in sorted(spans.items(), key=lambda x: (x[1][1], x[1][2])):
        label = normalise_label(kind)
        if label is not None:
            entities.append(GoldEntity(start, end, label, text[start:end]))
        elif kind.upper() in TIMEX_TYPES and ident not in endpoints:
            timexes.append(_timex(ident, kind.upper(), start, end, text, notes, mods,
                                  ends.get(ident, {})))
    return GoldDocument(doc_id=doc_id or ann.stem, text=text, source=str(ann), format="brat",
                        timexes=timexes, entities=entities)


def _timex(ident: str, kind: str, start: int, end: int, text: str, notes: dict[str, str],
           mods: dict[str, str], points: dict[str, str]) -> GoldTimex:
    note = notes.get(ident) or None
    if note == "?":
        note = None
    if kind != "INTERVAL":
        return GoldTimex(start, end, text[start:end], kind, value=note, mod=mods.get(ident),
                         gold_id=ident)
    begin = end_value = None
    if note and "/" in note:
        begin, end_value = (v if v != "?" else None for v in note.split("/", 1))
    else:
        begin = notes.get(points.get("begin", ""))
        end_value = notes.get(points.get("end", ""))
    return GoldTimex(start, end, text[start:end], kind, mod=mods.get(ident), begin=begin,
                     end_value=end_value, gold_id=ident)

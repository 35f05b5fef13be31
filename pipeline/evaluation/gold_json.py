"""anais JSON gold: one file per document.

    {"doc": "file name in the corpus, or its JSONL id",
     "timex": [{"start": 0, "end": 15, "text": "outubro de 1910", "type": "DATE",
                "value": "1910-10", "mod": null},
               {"start": 40, "end": 49, "text": "1807-1808", "type": "INTERVAL",
                "begin": "1807", "end_value": "1808"}],
     "entity_surfaces": {"PER": ["Eça de Queirós"], "LOC": ["Lisboa"]},
     "entities": [{"start": 5, "end": 12, "label": "PER"}],
     "dct": "optional ISO date", "text": "optional: the document text itself"}

     "events": [{"start": 23, "end": 33, "trigger": "proclamada", "lemma": "proclamar",
                 "time": "1910-10-05", "participants": ["República", "Lisboa"],
                 "roles": {"patient": ["República"], "place": ["Lisboa"]}}],

Any of ``timex``, ``entities``, ``entity_surfaces`` and ``events`` may be absent (that part is then
not scored). The document's text is found in the corpus folder (``--corpus``, by default the gold
folder's parent): a file named ``doc``, or a JSONL record whose ``id`` is ``doc``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.evaluation.gold import GoldDocument, GoldEntity, GoldEvent, GoldTimex
from pipeline.evaluation.labels import normalise_label


class GoldFormatError(ValueError):
    """A gold file that cannot be read; the message names the file and what is wrong."""


@lru_cache(maxsize=8)
def _jsonl_index(corpus: Path) -> dict[str, dict[str, Any]]:
    """id -> record for every JSONL file under ``corpus`` (read once per folder)."""
    index: dict[str, dict[str, Any]] = {}
    for path in sorted(corpus.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # not our job to report a broken corpus line
                if isinstance(rec, dict) and "id" in rec:
                    index.setdefault(str(rec["id"]), rec)
    return index


def find_document(doc: str, corpus: Path | None) -> tuple[str | None, str | None, str]:
    """(text, dct, source) of the corpus document ``doc``; text None when not found."""
    if corpus is None:
        return None, None, ""
    path = corpus / doc
    if path.is_file():
        return path.read_text(encoding="utf-8"), None, str(path)
    rec = _jsonl_index(corpus.resolve()).get(doc)
    if rec is not None and isinstance(rec.get("text"), str):
        return rec["text"], rec.get("dct"), f"{corpus}:{doc}"
    # Documents may sit in sub-folders (corpus/history/x.txt): accept a unique match by name.
    found = [p for p in _files_by_name(corpus.resolve()).get(Path(doc).name, [])
             if p.as_posix().endswith(Path(doc).as_posix())]
    if len(found) == 1:
        return found[0].read_text(encoding="utf-8"), None, str(found[0])
    return None, None, ""


@lru_cache(maxsize=8)
def _files_by_name(corpus: Path) -> dict[str, list[Path]]:
    index: dict[str, list[Path]] = {}
    for p in corpus.rglob("*"):
        if p.is_file() and "gold" not in p.relative_to(corpus).parts[:1]:
            index.setdefault(p.name, []).append(p)
    return index


def _opt(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _timex(item: dict[str, Any], where: str) -> GoldTimex:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError) as e:
        raise GoldFormatError(f"{where}: timex without integer start/end: {item!r}") from e
    return GoldTimex(
        start=start,
        end=end,
        text=str(item.get("text", "")),
        type=str(item.get("type", "")).upper(),
        value=_opt(item.get("value")),
        mod=_opt(item.get("mod")),
        begin=_opt(item.get("begin")),
        end_value=_opt(item.get("end_value")),
        gold_id=_opt(item.get("id")),
    )


def _event(item: dict[str, Any], where: str) -> GoldEvent:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError) as e:
        raise GoldFormatError(f"{where}: event without integer start/end: {item!r}") from e
    roles = None
    if isinstance(item.get("roles"), dict):
        roles = {str(r): tuple(str(n) for n in names) for r, names in item["roles"].items()
                 if names}
    return GoldEvent(start=start, end=end, text=str(item.get("trigger", item.get("text", ""))),
                     lemma=_opt(item.get("lemma")), event_class=_opt(item.get("class")),
                     time=_opt(item.get("time")), roles=roles, gold_id=_opt(item.get("id")))


def parse_json_gold(
    data: dict[str, Any], source: str, corpus: Path | None, warnings: list[str] | None = None
) -> GoldDocument:
    """Build a ``GoldDocument`` from one parsed gold file."""
    if not isinstance(data, dict):
        raise GoldFormatError(f"{source}: expected a JSON object")
    doc_id = str(data.get("doc") or Path(source).stem)
    text = data.get("text") if isinstance(data.get("text"), str) else None
    dct = _opt(data.get("dct"))
    where = source
    if text is None:
        text, corpus_dct, where = find_document(doc_id, corpus)
        dct = dct or _opt(corpus_dct)
        if text is None and warnings is not None:
            warnings.append(f"{source}: document {doc_id!r} not found in corpus {corpus}")
    timex_items = data.get("timex", data.get("timexes"))
    timexes = None if timex_items is None else [_timex(t, source) for t in timex_items]
    entities = None
    if data.get("entities") is not None:
        entities = []
        for e in data["entities"]:
            label = normalise_label(str(e.get("label", "")))
            if label is None:
                continue
            s, en = int(e["start"]), int(e["end"])
            entities.append(GoldEntity(s, en, label, e.get("text") or (text or "")[s:en]))
    surfaces = None
    if data.get("entity_surfaces") is not None:
        surfaces = {}
        for label, names in data["entity_surfaces"].items():
            norm = normalise_label(label)
            if norm is not None:
                surfaces.setdefault(norm, []).extend(str(n) for n in names)
    events = None
    if data.get("events") is not None:
        events = [_event(e, source) for e in data["events"]]
    doc = GoldDocument(doc_id=doc_id, text=text, source=where or source, format="json", dct=dct,
                       timexes=timexes, entities=entities, entity_surfaces=surfaces,
                       events=events)
    if text is not None and warnings is not None:
        _check_offsets(doc, source, warnings)
    return doc


def _check_offsets(doc: GoldDocument, source: str, warnings: list[str]) -> None:
    # Wrong offsets in gold silently turn into misses; say so once per item.
    assert doc.text is not None
    items = [(t.start, t.end, t.text) for t in doc.timexes or []]
    items += [(e.start, e.end, e.text) for e in doc.entities or []]
    items += [(e.start, e.end, e.text) for e in doc.events or []]
    for start, end, surface in items:
        if surface and doc.text[start:end] != surface:
            warnings.append(f"{source}: [{start}:{end}] is {doc.text[start:end]!r}, "
                            f"gold says {surface!r}")


def read_json_gold(
    path: str | Path, corpus: str | Path | None = None, warnings: list[str] | None = None
) -> GoldDocument:
    """Read one anais JSON gold file (``corpus`` defaults to the gold folder's parent)."""
    p = Path(path)
    corpus_dir = Path(corpus) if corpus is not None else p.resolve().parent.parent
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise GoldFormatError(f"{p}: not valid JSON ({e})") from e
    return parse_json_gold(data, str(p), corpus_dir, warnings)

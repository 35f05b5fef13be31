"""Predictions to score, per gold document: from tables on disk, or by running the pipeline.

Either way the result is the same ``Predictions`` (rows grouped by the gold ``doc_id``), so the
scorers do not know where predictions came from.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from pipeline.evaluation.gold import GoldDocument

log = logging.getLogger("anais.eval")


@dataclass(slots=True)
class Predictions:
    timexes: dict[str, list[Any]] = field(default_factory=dict)
    entities: dict[str, list[Any]] = field(default_factory=dict)
    events: dict[str, list[Any]] = field(default_factory=dict)
    event_args: dict[str, list[Any]] = field(default_factory=dict)
    #: (start, end, text) per gold doc, used for error context when the gold has no sentences.
    sentences: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    #: Gold doc ids with no prediction at all (not in the tables, or failed to process).
    missing: list[str] = field(default_factory=list)
    #: Pipeline errors for the gold documents (``errors`` table rows, as dicts).
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: Where they came from: ``{"pred": dir}`` or the model's ``nlp.meta["anais"]``.
    info: dict[str, Any] = field(default_factory=dict)


# --- mode 2: tables written by `anais run` --------------------------------------------------


#: the tables scoring reads (never ``tokens``, the largest by far)
_SCORED_TABLES = ("documents", "sentences", "timexes", "entities", "events", "event_args",
                  "errors")


def _read_tables(outdir: Path) -> dict[str, pd.DataFrame]:
    from pipeline.tables import read_tables

    return read_tables(outdir, _SCORED_TABLES)


def _text_differences(gold: list[GoldDocument], mapping: dict[str, str],
                      documents: pd.DataFrame | None) -> list[str]:
    """Gold documents whose text is not the one the predictions were made on: their SHA-256
    (tables of schema 1.2 on) or else their length differs from the ``documents`` row's."""
    if documents is None or documents.empty:
        return []
    rows = {str(r["doc_id"]): r for r in documents.to_dict("records")}
    out = []
    for d in gold:
        row = rows.get(mapping.get(d.doc_id, ""))
        if d.text is None or row is None or row.get("status") != "ok":
            continue
        digest = row.get("text_sha256")
        if isinstance(digest, str) and digest:
            mine = hashlib.sha256(d.text.encode("utf-8", "surrogatepass")).hexdigest()
            if mine != digest:
                out.append(f"{d.doc_id} (gold {len(d.text):,} characters, predictions "
                           f"{int(row['n_chars']):,}; the texts' hashes differ)")
        elif row.get("n_chars") and int(row["n_chars"]) != len(d.text):
            out.append(f"{d.doc_id} (gold {len(d.text):,} characters, predictions "
                       f"{int(row['n_chars']):,})")
    return out


def _id_keys(doc_id: str) -> list[str]:
    """Ways a document may be named: as is, by file name, by file name without extension."""
    p = PurePath(doc_id.replace("\\", "/"))
    return list(dict.fromkeys([doc_id, p.name, p.stem]))


def match_doc_ids(gold_ids: Iterable[str], pred_ids: Iterable[str]) -> dict[str, str]:
    """gold id -> pred id: exact first, then by file name, then by name without extension.

    ``anais run`` names documents by path relative to its input root, or JSONL id, while gold
    files usually give a bare file name: these fallbacks pair them when it is unambiguous.
    """
    pred_ids = list(dict.fromkeys(pred_ids))
    exact = set(pred_ids)
    out: dict[str, str] = {}
    for level in range(3):
        index: dict[str, list[str]] = {}
        for pid in pred_ids:
            keys = _id_keys(pid)
            index.setdefault(keys[min(level, len(keys) - 1)], []).append(pid)
        taken = set(out.values())
        for gid in gold_ids:
            if gid in out:
                continue
            if level == 0 and gid in exact:
                out[gid] = gid
                continue
            keys = _id_keys(gid)
            cands = [p for p in index.get(keys[min(level, len(keys) - 1)], []) if p not in taken]
            if len(cands) == 1:
                out[gid] = cands[0]
                taken.add(cands[0])
    return out


def _records(frame: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    if frame is None or frame.empty:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(str(rec["doc_id"]), []).append(rec)
    return out


def from_tables(gold: list[GoldDocument], outdir: str | Path) -> Predictions:
    """Predictions from an ``anais run`` output folder, keyed by gold doc id."""
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise FileNotFoundError(f"--pred {outdir}: no such folder")
    tables = _read_tables(outdir)
    if not tables:
        raise FileNotFoundError(f"--pred {outdir}: no anais tables (timexes.parquet, …) in it")
    pred_ids: list[str] = []
    for name in ("documents", "timexes", "entities"):
        if name in tables and not tables[name].empty:
            pred_ids += [str(x) for x in tables[name]["doc_id"].unique()]
    mapping = match_doc_ids([d.doc_id for d in gold], pred_ids)
    differ = _text_differences(gold, mapping, tables.get("documents"))
    if differ:
        raise ValueError(
            f"--pred {outdir}: the text of {len(differ)} of {len(gold)} gold documents is not "
            "the text the predictions were made on, so their offsets cannot be compared: "
            + "; ".join(differ[:5]) + (" …" if len(differ) > 5 else "")
            + ". Run anais on the gold's own text (anais eval --gold … without --pred does).")
    by_table = {name: _records(tables.get(name)) for name in ("timexes", "entities", "sentences",
                                                              "errors", "events", "event_args")}
    preds = Predictions(info={"pred": str(outdir), "tables": sorted(tables)})
    for d in gold:
        pid = mapping.get(d.doc_id)
        if pid is None:
            preds.missing.append(d.doc_id)
            continue
        preds.timexes[d.doc_id] = by_table["timexes"].get(pid, [])
        preds.entities[d.doc_id] = by_table["entities"].get(pid, [])
        preds.events[d.doc_id] = by_table["events"].get(pid, [])
        preds.event_args[d.doc_id] = by_table["event_args"].get(pid, [])
        preds.sentences[d.doc_id] = [(int(s["start"]), int(s["end"]), str(s["text"]))
                                     for s in by_table["sentences"].get(pid, [])]
        preds.errors += by_table["errors"].get(pid, [])
    return preds


# --- mode 1: run the pipeline on the gold's own text ----------------------------------------


def _normalise_dct(value: str | None) -> str | None:
    if not value:
        return None
    try:
        from pipeline.reading import normalize_dct

        return normalize_dct(value)
    except ValueError:
        log.warning("ignoring DCT %r: not an ISO date", value)
        return None


def load_model(model: str = "auto", doc_type: str = "auto") -> Any:
    """``pipeline.load`` (imported late: scoring tables needs no model)."""
    from pipeline.model_loading import load

    return load(model=model, doc_type=doc_type)


def by_running(
    gold: list[GoldDocument],
    nlp: Any,
    default_dct: str | None = None,
    batch_size: int = 16,
) -> Predictions:
    """Run ``nlp`` on every gold document's text; the gold's DCT wins over ``default_dct``."""
    from pipeline.extraction import extract_documents
    from pipeline.reading import DocumentInput

    preds = Predictions(info=dict(nlp.meta.get("anais", {})) or {"model": nlp.meta.get("name")})
    runnable = [d for d in gold if d.text]
    preds.missing += [d.doc_id for d in gold if not d.text]
    inputs = (DocumentInput(doc_id=d.doc_id, source=d.source or d.doc_id, text=d.text,
                            dct=_normalise_dct(d.dct or default_dct)) for d in runnable)
    for ex in extract_documents(nlp, inputs, batch_size=batch_size):
        did = ex.document.doc_id
        if ex.document.status != "ok":
            preds.missing.append(did)
        preds.timexes[did] = list(ex.timexes)
        preds.entities[did] = list(ex.entities)
        preds.events[did] = list(ex.events)
        preds.event_args[did] = list(ex.event_args)
        preds.sentences[did] = [(s.start, s.end, s.text) for s in ex.sentences]
        preds.errors += [{"doc_id": e.doc_id, "stage": e.stage, "error_type": e.error_type,
                          "message": e.message} for e in ex.errors]
    return preds


def fill_context(gold: list[GoldDocument], preds: Predictions) -> None:
    """Give gold documents without sentences (or text) the predicted ones, for error context."""
    for d in gold:
        sents = preds.sentences.get(d.doc_id)
        if not sents:
            continue
        if not d.sentences:
            d.sentences = sorted((s, e) for s, e, _ in sents)
        if d.text is None:
            # Rebuild what we can of the text from the sentences table (gaps become spaces).
            buf = [" "] * max(e for _, e, _ in sents)
            for s, e, t in sents:
                buf[s:e] = list(t[: e - s].ljust(e - s))
            d.text = "".join(buf)

"""The scores and error tables of an ``anais eval --out`` folder, as the report shows them.

``--out`` writes ``scores.json`` and the ``errors`` table (CSV and Parquet; see
``pipeline/evaluation/README.md``). Scores are shown as found: every block with
precision/recall/F1 or an accuracy becomes a row, named by its path in ``scores.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

TASKS = ("timex", "entities", "events", "conllu")
#: error tables of the report: title, and which rows of ``errors`` go in it
GROUPS = (
    ("missed", "gold items not found"),
    ("spurious", "predictions not in the gold"),
    ("wrong value", "matched, with a wrong TIMEX3 value"),
    ("wrong other", "matched, with another attribute wrong (type, mod, time, participants)"),
)
_SCORE_COLUMNS = ("task", "metric", "precision", "recall", "f1", "accuracy", "n")
_ITEM = re.compile(r"\[\[(.*?)\]\]", re.S)


def _score_rows(task: str, node: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    name = " / ".join(path) or "overall"
    rows: list[dict[str, Any]] = []
    block = {"precision", "recall", "f1"} <= node.keys() or isinstance(
        node.get("accuracy"), int | float)
    if {"precision", "recall", "f1"} <= node.keys():
        rows.append({"task": task, "metric": name, "precision": node["precision"],
                     "recall": node["recall"], "f1": node["f1"],
                     "n": node.get("n_gold", node.get("n"))})
    elif isinstance(node.get("accuracy"), int | float):
        rows.append({"task": task, "metric": name, "accuracy": node["accuracy"],
                     "n": node.get("total", node.get("n"))})
    for key, value in node.items():
        if isinstance(value, dict):
            rows.extend(_score_rows(task, value, (*path, key)))
        elif (not block and isinstance(value, float)
              and key.endswith(("recall", "precision", "accuracy"))):
            rows.append({"task": task, "metric": " / ".join((*path, key)), "accuracy": value})
    return rows


def _group(row: Any) -> str:
    if row.status != "wrong":
        return str(row.status)
    return "wrong value" if "value" in str(row.errors).split(",") else "wrong other"


def context_parts(context: Any) -> tuple[str, str, str]:
    """A context sentence split around the item the evaluation marked with ``[[ ]]``."""
    if pd.isna(context):
        return "", "", ""
    m = _ITEM.search(str(context))
    if m is None:
        return str(context), "", ""
    return context[:m.start()], m.group(1), context[m.end():]


def load_eval(folder: str | Path, max_rows: int = 100) -> dict[str, Any]:
    """Scores and error tables (at most ``max_rows`` rows each, with their totals)."""
    folder = Path(folder)
    scores_path = folder / "scores.json"
    if not scores_path.is_file():
        raise FileNotFoundError(f"--eval {folder}: no scores.json (write one with "
                                "`anais eval --out DIR`)")
    scores = json.loads(scores_path.read_text("utf-8"))
    rows = [{**dict.fromkeys(_SCORE_COLUMNS), **r}
            for task in TASKS if task in scores for r in _score_rows(task, scores[task], ())]
    if (folder / "errors.parquet").is_file():
        errors = pd.read_parquet(folder / "errors.parquet")
    elif (folder / "errors.csv").is_file():
        errors = pd.read_csv(folder / "errors.csv", dtype=str, keep_default_na=False,
                             na_values=[""])
    else:
        errors = pd.DataFrame(columns=["task", "doc_id", "status", "errors", "context"])
    tables = []
    if len(errors):
        errors = errors.assign(group=[_group(r) for r in errors.itertuples(index=False)])
    for key, title in GROUPS:
        part = errors[errors["group"] == key] if len(errors) else errors
        by_task = {str(t): int(n) for t, n in part["task"].value_counts().sort_index().items()}
        shown = []
        for r in part.head(max_rows).to_dict("records"):
            r = {k: (None if pd.isna(v) else v) for k, v in r.items()}
            r["before"], r["item"], r["after"] = context_parts(r.get("context"))
            shown.append(r)
        tables.append({"key": key, "title": title, "total": len(part), "by_task": by_task,
                       "rows": shown})
    return {"folder": str(folder), "gold": scores.get("gold", {}),
            "predictions": scores.get("predictions", {}), "scores": rows,
            "warnings": scores.get("warnings", []), "missing_docs": scores.get("missing_docs", []),
            "errors": tables}

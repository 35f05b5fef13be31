"""``--compare OTHER_EVAL_DIR``: what changed between an earlier evaluation and this one.

Metrics are compared leaf by leaf (P/R/F1/accuracy); items are matched by their gold item (or,
for spurious predictions, their predicted span): *fixed* = an error before, right now (or a
spurious prediction gone); *broken* = right before, an error now (or a new spurious one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.evaluation.items import CORRECT, ITEM_COLUMNS, SPURIOUS, ItemRow
from pipeline.evaluation.report import clip_around, clip_left, render_table
from pipeline.evaluation.rows import get_field

_METRIC_LEAVES = ("precision", "recall", "f1", "accuracy")
_SECTIONS = ("timex", "entities", "conllu")


def _leaves(d: Any, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_leaves(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(d, int | float) and not isinstance(d, bool):
        last = prefix.rsplit(".", 1)[-1]
        if last in _METRIC_LEAVES or prefix.startswith("conllu.") and not last.startswith("n_"):
            out[prefix] = float(d)
    return out


def load_eval_dir(path: str | Path) -> tuple[dict[str, Any], list[ItemRow]]:
    """scores.json and the items table of an earlier ``anais eval --out`` folder."""
    p = Path(path)
    scores_file = p / "scores.json"
    if not scores_file.is_file():
        raise FileNotFoundError(f"--compare {p}: no scores.json (write one with --out DIR)")
    scores = json.loads(scores_file.read_text(encoding="utf-8"))
    if (p / "items.parquet").is_file():
        frame = pd.read_parquet(p / "items.parquet")
    elif (p / "items.csv").is_file():
        frame = pd.read_csv(p / "items.csv")
    else:
        frame = pd.DataFrame(columns=ITEM_COLUMNS)
    items = []
    for rec in frame.to_dict("records"):
        vals = {c: get_field(rec, c) for c in ITEM_COLUMNS}
        for c in ("gold_start", "gold_end", "pred_start", "pred_end"):
            vals[c] = None if vals[c] is None else int(vals[c])
        vals["context"] = vals["context"] or ""
        items.append(ItemRow(**vals))
    return scores, items


def _ok(r: ItemRow | None) -> bool:
    return r is not None and r.status == CORRECT


def _change_row(change: str, before: ItemRow | None, after: ItemRow | None) -> dict[str, Any]:
    r = after or before
    assert r is not None
    return {
        "change": change,
        "task": r.task,
        "doc_id": r.doc_id,
        "gold_text": r.gold_text,
        "gold": " ".join(x for x in (r.gold_type, r.gold_value, r.gold_mod) if x) or None,
        "before": _describe(before),
        "after": _describe(after),
        "context": r.context,
    }


def _describe(r: ItemRow | None) -> str:
    if r is None:
        return "-"
    pred = " ".join(x for x in (r.pred_text and repr(r.pred_text), r.pred_type, r.pred_value,
                                r.pred_mod) if x)
    status = r.status + (f" ({r.errors})" if r.errors else "")
    return f"{status}: {pred}" if pred else status


def compare(
    scores: dict[str, Any], items: list[ItemRow], other_dir: str | Path
) -> dict[str, Any]:
    """Metric deltas and changed items, from ``other_dir`` (before) to these results (after)."""
    old_scores, old_items = load_eval_dir(other_dir)
    before_leaves = {k: v for s in _SECTIONS for k, v in _leaves(old_scores.get(s), s).items()}
    after_leaves = {k: v for s in _SECTIONS for k, v in _leaves(scores.get(s), s).items()}
    metrics = [{"metric": k, "before": before_leaves.get(k), "after": after_leaves.get(k),
                "delta": (after_leaves[k] - before_leaves[k])
                if k in before_leaves and k in after_leaves else None}
               for k in sorted(set(before_leaves) | set(after_leaves))]
    old = {r.key: r for r in old_items}
    new = {r.key: r for r in items}
    fixed, broken, changed = [], [], []
    for key in sorted(set(old) | set(new), key=str):
        b, a = old.get(key), new.get(key)
        if a is None and b is not None and b.status != SPURIOUS:
            continue  # the gold item is not in this evaluation: not comparable
        if b is None and a is not None and a.status != SPURIOUS:
            continue
        if a is None or b is None:  # a spurious prediction appeared or went away
            (fixed if a is None else broken).append(_change_row(
                "fixed" if a is None else "broken", b, a))
        elif _ok(a) and not _ok(b):
            fixed.append(_change_row("fixed", b, a))
        elif _ok(b) and not _ok(a):
            broken.append(_change_row("broken", b, a))
        elif (a.status, a.errors, a.pred_value, a.pred_start, a.pred_end) != (
                b.status, b.errors, b.pred_value, b.pred_start, b.pred_end):
            changed.append(_change_row("changed", b, a))
    return {"other": str(other_dir), "metrics": metrics, "n_fixed": len(fixed),
            "n_broken": len(broken), "n_changed": len(changed),
            "items": fixed + broken + changed}


def render_compare(c: dict[str, Any], limit: int = 20) -> str:
    rows = [[m["metric"], m["before"], m["after"], _signed(m["delta"])]
            for m in c["metrics"] if _headline(m["metric"])
            and (m["delta"] is None or abs(m["delta"]) > 1e-12)]
    out = [f"Compared with {c['other']} (percentages; headline metrics that moved, all of "
           "them in the JSON)"]
    out.append(render_table(["metric", "before", "after", "delta"], rows) if rows
               else "  no metric changed")
    out.append(f"\n{c['n_fixed']} fixed, {c['n_broken']} newly broken, "
               f"{c['n_changed']} still wrong but different")
    shown = c["items"][:limit]
    if shown:
        out.append(render_table(
            ["change", "task", "doc", "gold", "before", "after", "context"],
            [[r["change"], r["task"], clip_left(r["doc_id"], 24), _clip(r["gold_text"] or "", 28),
              _clip(r["before"], 36), _clip(r["after"], 36), clip_around(r["context"] or "", 70)]
             for r in shown]))
    return "\n".join(out)


def _headline(metric: str) -> bool:
    # Macro averages and per-label P/R are in the JSON; the terminal keeps what people read.
    parts = metric.split(".")
    if "macro_docs" in parts or "macro_labels" in parts:
        return False
    return "per_label" not in parts or parts[-1] == "f1"


def _signed(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:+.1f}"


def _clip(s: Any, n: int) -> str:
    s = "" if s is None else str(s)
    return s if len(s) <= n else s[: n - 1] + "…"

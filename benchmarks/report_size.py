"""Size and opening time of `anais report` on a 10,000-document run.

The model is not run over 10,000 documents (≈ 35 minutes here): the first ``--seed-docs``
Fake.br news texts are processed by `anais run`, and their tables are then replicated under
new doc_ids (``<id>#<copy>``) until the run has ``--docs`` documents — a synthetic run of
real rows. The report is written by `anais report` in a fresh process, then opened in
headless Chromium: time to the load event and to the timeline drawn.

    python benchmarks/report_size.py [--docs 10000] [--seed-docs 300] [--max-docs 200 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
RAW = REPO.parent / "shared" / "data" / "raw" / "fakebr.jsonl"
sys.path.insert(0, str(REPO / "tests"))


def seed_run(work: Path, n_docs: int) -> Path:
    corpus, out = work / "seed.jsonl", work / "seed"
    with RAW.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
        for _, line in zip(range(n_docs), src, strict=False):
            dst.write(line)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out),
                    "--quiet"], check=True, cwd=REPO)
    print(f"seed run: {n_docs} documents through the model in "
          f"{time.perf_counter() - started:.0f}s")
    return out


def replicate(seed: Path, out: Path, n_docs: int) -> None:
    """``seed``'s tables copied under new doc_ids until there are ``n_docs`` documents."""
    from pipeline.schema import arrow_schema
    from pipeline.tables import read_tables

    tables = read_tables(seed, ("documents", "sentences", "entities", "timexes", "events",
                                "event_args", "errors"))
    ids = tables["documents"]["doc_id"].tolist()
    copies = -(-n_docs // len(ids))
    out.mkdir(parents=True)
    keep = {f"{d}#{k}" for k in range(copies) for d in ids[:n_docs - k * len(ids)]}
    rows = {}
    for name, frame in tables.items():
        parts = []
        for k in range(copies):
            part = frame.copy()
            part["doc_id"] = part["doc_id"] + f"#{k}"
            parts.append(part)
        whole = pd.concat(parts, ignore_index=True)
        whole = whole[whole["doc_id"].isin(keep)]
        schema = arrow_schema(name)
        pq.write_table(pa.Table.from_pandas(whole, schema=schema, preserve_index=False),
                       out / f"{name}.parquet")
        rows[name] = len(whole)
    manifest = json.loads((seed / "manifest.json").read_text("utf-8"))
    words = int(tables["documents"]["n_tokens"].sum()) * n_docs // len(ids)
    manifest.update(documents=n_docs, rows=rows, words=words,
                    synthetic=f"{len(ids)} documents run, replicated to {n_docs}")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")


def open_in_chromium(path: Path) -> dict[str, float]:
    from headless_browser import Page, chromium

    if chromium() is None:
        return {}
    started = time.perf_counter()
    with Page(path.as_uri(), timeout=120) as page:
        loaded = time.perf_counter() - started
        page.wait_for("document.getElementById('timeline').dataset.drawnMs", timeout=120)
        drawn = time.perf_counter() - started
        timing = page.evaluate("""({load: performance.timing.loadEventEnd -
            performance.timing.navigationStart,
            drawn: Number(document.getElementById('timeline').dataset.drawnMs)})""")
    return {"load_s": loaded, "drawn_s": drawn, "page_load_ms": timing["load"],
            "page_drawn_ms": timing["drawn"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed-docs", type=int, default=300)
    ap.add_argument("--max-docs", type=int, nargs="+", default=[200, 1000])
    ap.add_argument("--keep", metavar="DIR", help="keep the runs and reports in DIR")
    args = ap.parse_args()
    if not RAW.is_file():
        sys.exit(f"{RAW} is absent: the shared corpora are not beside this checkout")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="anais-report-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        seed = work / "seed" if (work / "seed" / "manifest.json").is_file() else \
            seed_run(work, args.seed_docs)
        big = work / f"run{args.docs}"
        if big.exists():
            shutil.rmtree(big)
        replicate(seed, big, args.docs)
        rows = json.loads((big / "manifest.json").read_text())["rows"]
        print(f"synthetic run: {args.docs:,} documents (" +
              ", ".join(f"{n:,} {t}" for t, n in rows.items()) + ")")
        for max_docs in args.max_docs:
            html = work / f"report-{max_docs}.html"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(big), "-o",
                            str(html), "--max-docs", str(max_docs), "--quiet"], check=True,
                           cwd=REPO)
            built = time.perf_counter() - started
            opened = open_in_chromium(html)
            line = (f"--max-docs {max_docs:>5}: {html.stat().st_size / 1e6:5.1f} MB, written in "
                    f"{built:4.1f}s (fresh process)")
            if opened:
                line += (f"; Chromium: load event {opened['page_load_ms'] / 1000:.1f}s, "
                         f"timeline drawn {opened['page_drawn_ms'] / 1000:.1f}s after "
                         f"navigation ({opened['drawn_s']:.1f}s with the browser's start)")
            else:
                line += "; chromium absent: not opened"
            print(line)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

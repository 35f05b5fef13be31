"""Share of the pipeline's time spent in the event layer (``anais_events``), per component.

Runs the pipeline over real news (the first N Fake.br items of ../shared/data/raw, or the
sample corpus when that folder is absent) with a timer around every component, and prints
seconds per component and the event layer's share of the total (target: at most 15 %).

    python benchmarks/events_cost.py --docs 300
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.model_loading import load  # noqa: E402

RAW = REPO.parent / "shared" / "data" / "raw" / "fakebr.jsonl"


def texts(n: int) -> list[tuple[str, str | None]]:
    if RAW.is_file():
        out = []
        with RAW.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                out.append((rec["text"], rec.get("dct")))
                if len(out) == n:
                    break
        return out
    return [(p.read_text("utf-8"), None) for p in sorted((REPO / "corpus").rglob("*.txt"))][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    args = ap.parse_args()
    nlp = load()
    spent: dict[str, float] = defaultdict(float)
    docs = texts(args.docs)
    made = []
    started = time.perf_counter()
    for text, dct in docs:
        doc = nlp.make_doc(text)
        doc._.dct = dct[:10] if dct else None
        made.append(doc)
    spent["tokenizer"] += time.perf_counter() - started
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            made = list(proc.pipe(made, batch_size=32))
        else:
            made = [proc(d) for d in made]
        spent[name] += time.perf_counter() - t0
    total = sum(spent.values())
    words = sum(len(d) for d in made)
    events = sum(len(d._.events or []) for d in made)
    print(f"{len(made)} documents, {words:,} tokens, {events:,} events; {total:.1f}s in all")
    for name, sec in spent.items():
        print(f"  {name:16s} {sec:7.2f}s  {100 * sec / total:5.1f} %")
    print(f"event layer: {100 * spent['anais_events'] / total:.1f} % of pipeline time")


if __name__ == "__main__":
    main()

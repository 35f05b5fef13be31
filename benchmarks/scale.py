"""Throughput and memory of `anais run` at scale, on real news (Fake.br, repeated to reach N).

For each size and engine it runs `anais run` as a fresh process and prints words/s, wall
time, the CPU seconds of the whole process tree (the run and its workers: user + system), the
peak resident memory of the largest process (the run itself or one of its workers), and the
speed-up against one process measured in the same invocation. On a shared machine the CPU
seconds move less than the wall time.

    python benchmarks/scale.py --docs 1000 10000 --configs local local1 workers2 dask2

``local`` is one process as users run it (its matrix products on every core's BLAS thread);
``local1`` is one process on one BLAS thread, one core's work: each row prints its speed-up
against both, measured in the same invocation.

Every configuration writes parts of ``--part-docs`` documents (default 100 here, so that a
1,000-document run gives Dask ten tasks to share; the tables are the same whatever the
engine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RAW = REPO.parent / "shared" / "data" / "raw" / "fakebr.jsonl"
CONFIGS = {
    "local": [],
    "local1": [],
    "workers2": ["--workers", "2"],
    "dask2": ["--engine", "dask", "--workers", "2"],
}
#: configurations run with one BLAS thread: one process on one core, the yardstick for what
#: two processes gain (``local`` uses every core for its matrix products)
ONE_THREAD = {"local1"}


def make_corpus(path: Path, n_docs: int) -> None:
    records = [json.loads(line) for line in RAW.open(encoding="utf-8")]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_docs):
            rec = records[i % len(records)]
            fh.write(json.dumps({"id": f"{rec['id']}#{i // len(records)}", "text": rec["text"],
                                 "dct": rec.get("dct")}, ensure_ascii=False) + "\n")


def run(corpus: Path, out: Path, extra: list[str]) -> dict[str, float]:
    """Wall seconds, words, CPU seconds of the process tree and peak RSS (MB) of the largest
    child process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out),
                    "--quiet", "--force", *extra], check=True)
    wall = time.perf_counter() - started
    words = json.loads((out / "manifest.json").read_text())["words"]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every reaped descendant
    return {"wall": wall, "words": words, "cpu": usage.ru_utime + usage.ru_stime,
            "peak": usage.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000])
    ap.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=list(CONFIGS))
    ap.add_argument("--part-docs", type=int, default=100)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from pipeline.parallel import BLAS_VARIABLES  # what a user sets to choose BLAS threads

    if not RAW.is_file():
        sys.exit(f"{RAW} is absent: this benchmark reads the shared raw corpus")
    print("docs      config       words     wall s     CPU s   words/s  vs local / local1"
          "  peak RSS MB")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.docs:
            corpus = Path(tmp) / f"c{n}.jsonl"
            make_corpus(corpus, n)
            bases: dict[str, float] = {}
            for name in args.configs:
                # each run in its own process tree: RUSAGE_CHILDREN's max covers all so far,
                # so measure configs from a fresh interpreter each
                extra = [*CONFIGS[name], "--part-docs", str(args.part_docs)]
                code = (f"import sys, json; sys.path.insert(0, {str(REPO)!r}); "
                        "from benchmarks.scale import run; from pathlib import Path; "
                        f"print(json.dumps(run(Path({str(corpus)!r}), Path({tmp!r}) / 'out', "
                        f"{extra!r})))")
                env = dict(os.environ)
                if name in ONE_THREAD:
                    env.update(dict.fromkeys(BLAS_VARIABLES, "1"))
                out = subprocess.run([sys.executable, "-c", code], check=True, env=env,
                                     capture_output=True, text=True, cwd=REPO).stdout
                figures = json.loads(out.strip().splitlines()[-1])
                wall, words, peak = figures["wall"], figures["words"], figures["peak"]
                cpu = figures["cpu"]
                speed = words / wall
                if name in ("local", "local1"):
                    bases[name] = speed
                ratios = " / ".join(f"{speed / bases[b]:.2f}x" if b in bases else "-"
                                    for b in ("local", "local1"))
                print(f"{n:<9} {name:<10} {words:>9,} {wall:>9.1f} {cpu:>9.1f} {speed:>9,.0f} "
                      f"{ratios:>15} {peak:>11,.0f}", flush=True)


if __name__ == "__main__":
    main()

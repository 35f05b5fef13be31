"""Load time and words/s of the whole anais pipeline (tokens … events), per model variant.

    .venv/bin/python benchmarks/variant_speed.py [--model fast accurate] [--threads N]

Texts: the raw sentences of UD Portuguese-Bosque dev (../shared/data, not copied), grouped
into documents of 10 sentences. One process; ``--threads`` caps the BLAS threads the
accurate variant's encoder uses (default: all cores). Each variant runs in a fresh
subprocess so load time is a cold start of the Python objects.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXTS = REPO.parent / "shared" / "data" / "ud" / "UD_Portuguese-Bosque" / "pt_bosque-ud-dev.conllu"


def _child(model: str, limit: int) -> None:
    sys.path.insert(0, str(REPO))
    started = time.perf_counter()
    from pipeline.torch_free import skip_torch

    skip_torch(model)  # as `anais run` does before it imports spaCy
    from pipeline.model_loading import load

    nlp = load(model)
    load_seconds = time.perf_counter() - started
    with open(TEXTS, encoding="utf-8") as fh:
        sents = [line.split("=", 1)[1].strip() for line in fh if line.startswith("# text =")]
    sents = sents[:limit]
    docs = [" ".join(sents[i:i + 10]) for i in range(0, len(sents), 10)]
    words = sum(len(d.split()) for d in docs)
    list(nlp.pipe(docs[:3]))  # warm-up (caches, first allocations)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(docs, batch_size=32):
        pass
    seconds = time.perf_counter() - started
    # CPU time (all threads of the process) tells a change apart on a machine shared with
    # other jobs, where the wall-clock figure mostly measures the others
    cpu_seconds = time.process_time() - cpu_started
    import resource

    print(json.dumps({"model": model, "load_seconds": round(load_seconds, 2),
                      "docs": len(docs), "words": words, "seconds": round(seconds, 1),
                      "words_per_second": round(words / seconds),
                      "cpu_seconds": round(cpu_seconds, 1),
                      "words_per_cpu_second": round(words / cpu_seconds),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", nargs="+", default=["fast", "accurate"])
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--sentences", type=int, default=1172)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.sentences)
        return
    if not TEXTS.exists():
        sys.exit(f"{TEXTS} is missing (the shared data folder)")
    env = dict(os.environ)
    if args.threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(args.threads)
    print(f"threads: {args.threads or os.cpu_count()} (cores: {os.cpu_count()})")
    for model in args.model:
        out = subprocess.run([sys.executable, __file__, "--child", model, "--sentences",
                              str(args.sentences)], env=env, capture_output=True, text=True)
        if out.returncode:
            print(model, "failed:", out.stderr.strip().splitlines()[-1:])
            continue
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()

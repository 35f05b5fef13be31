"""Throughput and memory of a whole `anais run` (read → nlp → tables) on a synthetic corpus.

Builds a JSONL of N documents from the sample corpus (each one a rotation of its sentences, so
documents differ), runs the same code as `anais run`, and prints documents/s, words/s and the
peak resident memory. Memory should stay flat as N grows: run with N=1000 and N=10000 and compare.

    python benchmarks/run_speed.py --docs 2000 --model auto
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.model_loading import load  # noqa: E402
from pipeline.run import run_corpus  # noqa: E402


def make_corpus(path: Path, n_docs: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").rglob("*.txt"))]
    sentences = [s.strip() + "." for t in texts for s in t.split(".") if len(s.split()) > 3]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n_docs):
            k = i % len(sentences)
            text = " ".join(sentences[k:] + sentences[:k])[:4000]
            handle.write(json.dumps({"id": f"d{i}", "text": text}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--format", default="parquet")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(corpus, args.docs)
        started = time.perf_counter()
        nlp = load(args.model)
        loaded = time.perf_counter() - started
        summary = run_corpus(nlp, [str(corpus)], Path(tmp) / "out", formats=[args.format])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {args.model} ({', '.join(nlp.pipe_names)}), loaded in {loaded:.2f}s")
    print(f"{summary.documents} documents, {summary.words:,} tokens in {summary.seconds:.1f}s: "
          f"{summary.documents / summary.seconds:,.0f} docs/s, "
          f"{summary.words / summary.seconds:,.0f} tokens/s; peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()

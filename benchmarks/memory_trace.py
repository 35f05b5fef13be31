"""Resident memory of one long `anais run` as it goes: does it stay flat?

Runs `anais run` on N distinct real documents (Fake.br news, then — past its 7,196 items —
passages of Machado de Assis, so that new words keep coming as in a real corpus, which a
repeated corpus would not give) and samples the run's resident memory (VmRSS, and the peak
VmHWM) twice a second, against the documents its journal says are finished.

    python benchmarks/memory_trace.py --docs 3000 [--workers 2] [--model fast]
    python benchmarks/memory_trace.py --docs 100000 --doc-words 60 --workers 2

The raw corpus holds about 10,000 such documents. ``--doc-words K`` cuts every text of it
(news and Machado alike) into runs of K words instead (a few dozen boilerplate runs repeat):
at 60 words, about 100,000 paragraph-sized documents, which is how a run of 100k documents
fits in minutes rather than hours here.

Prints one line per sample step, and the median RSS over documents FROM..2×FROM (``--from``,
default 500: the model and the first batches are in memory by then) against the median over
the last FROM documents.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RAW = REPO.parent / "shared" / "data" / "raw"


def _runs(rec: dict, size: int) -> list[dict[str, str]]:
    words = rec["text"].split()
    return [{"id": f"{rec['id']}#{k}", "text": " ".join(words[k:k + size]),
             "dct": rec.get("dct")} for k in range(0, len(words), size)]


def distinct_documents(n: int, doc_words: int | None = None) -> list[dict[str, str]]:
    """``n`` documents, none repeated: the news first, then 600-word runs of Machado; with
    ``doc_words``, runs of that many words of both."""
    docs = []
    with (RAW / "fakebr.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if doc_words:
                docs.extend(_runs(rec, doc_words))
            else:
                docs.append({"id": str(rec["id"]), "text": rec["text"], "dct": rec.get("dct")})
            if len(docs) >= n:
                return docs[:n]
    with (RAW / "machado.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            docs.extend(_runs(json.loads(line), doc_words or 600))
            if len(docs) >= n:
                return docs[:n]
    return docs


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident MB of ``pid`` and its children together."""
    total = peak = 0.0
    for p in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        total += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)
    return total, peak


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(c) for c in found]
    return kids + [g for k in kids for g in _children(k)]


def finished_documents(out: Path) -> int:
    journal = out / "_journal.jsonl"
    if not journal.is_file():
        return 0
    return sum(json.loads(line)["documents"] for line in journal.read_text().splitlines()
               if line.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--from", dest="start", type=int, default=500)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--model", default="fast")
    ap.add_argument("--part-docs", type=int, default=100)
    ap.add_argument("--doc-words", type=int, default=None,
                    help="cut every raw text into documents of this many words")
    args = ap.parse_args()
    if not (RAW / "fakebr.jsonl").is_file():
        sys.exit(f"{RAW} is absent: this benchmark reads the shared raw corpus")
    docs = distinct_documents(args.docs, args.doc_words)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "docs.jsonl"
        corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                          "utf-8")
        out = Path(tmp) / "out"
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out),
             "--quiet", "--model", args.model, "--workers", str(args.workers),
             "--part-docs", str(args.part_docs)], cwd=REPO)
        started = time.perf_counter()
        samples: list[tuple[int, float, float]] = []
        step = max(args.part_docs, args.docs // 20)
        print(f"{len(docs):,} distinct documents, --workers {args.workers}, model {args.model}")
        print("documents  seconds  RSS MB (all processes)  peak MB (largest process)")
        shown = -1
        while proc.poll() is None:
            done = finished_documents(out)
            now, peak = rss_mb(proc.pid)
            if now:
                samples.append((done, now, peak))
            if done // step > shown:
                shown = done // step
                print(f"{done:9,} {time.perf_counter() - started:8.0f}  {now:22.0f}  {peak:9.0f}",
                      flush=True)
            time.sleep(0.5)
        if proc.returncode:
            sys.exit(f"anais run failed ({proc.returncode})")
    # medians over windows of documents: a single sample is set by the batch in progress
    # (one long news item), the trend by many
    end = samples[-1][0] if samples else 0
    early = [rss for done, rss, _ in samples if args.start <= done < 2 * args.start]
    late = [rss for done, rss, _ in samples if done >= end - args.start]
    if not early or end < 3 * args.start:
        print(f"too few documents for windows of {args.start:,}")
        return
    first, last = statistics.median(early), statistics.median(late)
    print(f"median RSS, documents {args.start:,}-{2 * args.start:,}: {first:.0f} MB; last "
          f"{args.start:,} documents: {last:.0f} MB ({(last - first) / first:+.1%}); highest "
          f"sample after {args.start:,}: {max(r for d, r, _ in samples if d >= args.start):.0f}"
          f" MB; peak of one process: {max(p for *_, p in samples):.0f} MB")

if __name__ == "__main__":
    main()

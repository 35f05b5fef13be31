"""Time and peak memory of the whole pipeline on one long document, by document length.

Each case runs in a fresh interpreter (so one case's peak RSS is its own): it loads the
shipped pipeline (``pipeline.load()``), builds one document of the asked length, runs
``pipeline.extract`` on it (every layer, tokens included) and writes the rows as Parquet
tables, and prints seconds (extraction, writing) and the process's peak RSS.

The long text is realistic prose: the works of Machado de Assis from ../shared/data/raw
(novels, stories, chronicles, joined one after another), or, when that folder is absent, the
history articles of corpus/ repeated. One more case is a single token of 200,000 characters
(digits and letters with no space), which a tokenizer can take quadratic time over.

    python benchmarks/long_documents.py                         # 50k ... 2M and the token case
    python benchmarks/long_documents.py --sizes 50000 100000 --timeout 300
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RAW = REPO.parent / "shared" / "data" / "raw" / "machado.jsonl"
SIZES = [50_000, 100_000, 200_000, 400_000, 1_000_000, 2_000_000]
TOKEN_CHARS = 200_000


def prose(n_chars: int) -> str:
    """``n_chars`` characters of real Portuguese prose, cut at a line end when one is near."""
    if RAW.is_file():
        parts = [json.loads(line)["text"] for line in RAW.open(encoding="utf-8")]
    else:
        parts = [p.read_text("utf-8") for p in sorted((REPO / "corpus" / "history").glob("*.txt"))]
    chunks, total, k = [], 0, 0
    while total < n_chars:
        chunks.append(parts[k % len(parts)])
        total += len(chunks[-1]) + 2
        k += 1
    text = "\n\n".join(chunks)[:n_chars]
    cut = text.rfind("\n", n_chars - 2_000)
    return text[:cut] if cut > 0 else text


def one_token(n_chars: int) -> str:
    """A sentence around one token of ``n_chars`` characters without a space."""
    blob = ("7a3F9q" * (n_chars // 6 + 1))[:n_chars]
    return f"O ficheiro recebido a 3 de maio de 2001 tinha {blob} como conteúdo."


class _Timed:
    """A base component that adds the seconds it spends to ``spent[name]``. It has no
    ``pipe``, so spaCy calls it one document (here: one slice) at a time."""

    def __init__(self, name: str, proc, spent: dict[str, float]) -> None:
        self.name, self.proc, self.spent = name, proc, spent

    def __call__(self, doc):
        started = time.perf_counter()
        doc = self.proc(doc)
        self.spent[self.name] += time.perf_counter() - started
        return doc


def _timed(fn, key: str, spent: dict[str, float]):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started
    return wrapper


def _time_stages(nlp, spent: dict[str, float]) -> None:
    """Put timers around the tokenizer, each component and the rows (this process only)."""
    import pipeline.extraction as extraction
    from pipeline import long_texts

    ours = set(long_texts.whole_document_components(nlp))
    for i, (name, proc) in enumerate(nlp._components):
        if name in ours:
            proc.fill = _timed(proc.fill, name, spent)
        else:
            nlp._components[i] = (name, _Timed(name, proc, spent))
    long_texts.make_doc = _timed(long_texts.make_doc, "tokenizer", spent)
    extraction.doc_to_extraction = _timed(extraction.doc_to_extraction, "rows", spent)


def run_case(kind: str, n_chars: int) -> dict[str, float]:
    """One case in this process: seconds (in all and per stage) and peak RSS (MB)."""
    import resource
    from collections import defaultdict

    sys.path.insert(0, str(REPO))
    import pipeline
    from pipeline.tables import TableWriter

    started = time.perf_counter()
    nlp = pipeline.load()
    loaded = time.perf_counter() - started
    spent: dict[str, float] = defaultdict(float)
    _time_stages(nlp, spent)
    text = prose(n_chars) if kind == "prose" else one_token(n_chars)
    started = time.perf_counter()
    result = pipeline.extract(text, nlp=nlp, with_tokens=True)
    extract_s = time.perf_counter() - started
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for table, rows in result.rows().items():
            writer = TableWriter(Path(tmp), table, ["parquet"])
            writer.add(rows)
            writer.close()
    write_s = time.perf_counter() - started
    return {
        "chars": len(text), "load_s": loaded, "extract_s": extract_s, "write_s": write_s,
        "tokens": len(result.tokens), "entities": len(result.entities),
        "timexes": len(result.timexes), "events": len(result.events),
        "status": result.document.status, "errors": len(result.errors),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stages": dict(spent),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=SIZES,
                    help="lengths of the prose cases, in characters")
    ap.add_argument("--token", type=int, default=TOKEN_CHARS,
                    help="length of the single-token case (0: skip it)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per case")
    ap.add_argument("--case", nargs=2, metavar=("KIND", "CHARS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:  # the child process
        print(json.dumps(run_case(args.case[0], int(args.case[1]))))
        return
    cases = [("prose", n) for n in args.sizes] + ([("token", args.token)] if args.token else [])
    print(f"text: {'Machado de Assis, ' + str(RAW) if RAW.is_file() else 'corpus/history'}")
    print("case     chars       extract s  write s  tokens   entities timexes events "
          "status  peak RSS MB")
    for kind, n in cases:
        started = time.perf_counter()
        try:
            out = subprocess.run([sys.executable, __file__, "--case", kind, str(n)],
                                 capture_output=True, text=True, timeout=args.timeout,
                                 check=True).stdout
        except subprocess.TimeoutExpired:
            print(f"{kind:<8} {n:>11,}  over {args.timeout:.0f} s: stopped", flush=True)
            continue
        except subprocess.CalledProcessError as exc:
            print(f"{kind:<8} {n:>11,}  failed: {exc.stderr.strip().splitlines()[-1:]}",
                  flush=True)
            continue
        r = json.loads(out.strip().splitlines()[-1])
        wall = time.perf_counter() - started
        print(f"{kind:<8} {r['chars']:>11,} {r['extract_s']:>10.1f} {r['write_s']:>8.1f} "
              f"{r['tokens']:>8,} {r['entities']:>8,} {r['timexes']:>7,} {r['events']:>6,} "
              f"{r['status']:<7} {r['peak_mb']:>11,.0f}   (wall {wall:.0f} s)",
              flush=True)
        ours = ("anais_timex", "anais_entities", "anais_events", "rows")
        base = sum(v for k, v in r["stages"].items() if k not in ours and k != "tokenizer")
        print("         stages s: tokenizer {:.1f}, base model {:.1f}, {}".format(
            r["stages"].get("tokenizer", 0), base,
            ", ".join(f"{k} {r['stages'].get(k, 0):.1f}" for k in ours)), flush=True)


if __name__ == "__main__":
    main()

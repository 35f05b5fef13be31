"""Speed of the anais spaCy pipeline (models/pt_anais): load time and words/s.

    .venv/bin/python benchmarks/model_speed.py [--model models/pt_anais] [--n-process 1]

Texts: the raw sentences (`# text =`) of UD Portuguese-Bosque dev, read from
../shared/data (no copy in the repository). Whole pipeline, one process by default.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = (REPO.parent / "shared" / "data" / "ud" / "UD_Portuguese-Bosque"
                 / "pt_bosque-ud-dev.conllu")
FALLBACK = [
    "O presidente da Câmara Municipal de Braga, Ricardo Rio, visitou ontem a fábrica da Bosch.",
    "A Petrobras anunciou em São Paulo um novo plano de investimentos para os próximos anos.",
    "Maria da Silva trabalhou durante dez anos no Hospital de Santa Maria, em Lisboa.",
]


def read_texts(path: Path) -> list[str]:
    if not path.exists():
        return FALLBACK * 400
    with open(path, encoding="utf-8") as fh:
        return [line.split("=", 1)[1].strip() for line in fh if line.startswith("# text =")]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(REPO / "models" / "pt_anais"))
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS,
                    help="CoNLL-U file whose '# text =' lines are used")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args(argv)

    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - t0

    texts = read_texts(args.texts)
    nlp(texts[0])  # warm-up
    n_words = 0
    t0 = time.perf_counter()
    for _ in range(args.repeats):
        for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
            n_words += len(doc)
    secs = time.perf_counter() - t0
    res = {"model": args.model, "pipeline": nlp.pipe_names, "load_seconds": round(load_s, 3),
           "texts": len(texts) * args.repeats, "words": n_words, "seconds": round(secs, 2),
           "words_per_second": round(n_words / secs), "n_process": args.n_process}
    if args.json:
        print(json.dumps(res))
    else:
        print(f"pipeline        : {', '.join(nlp.pipe_names)}")
        print(f"load time       : {load_s:.2f} s")
        print(f"texts / words   : {res['texts']} / {n_words}")
        print(f"words per second: {res['words_per_second']:,} ({args.n_process} process)")


if __name__ == "__main__":
    main()

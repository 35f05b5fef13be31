"""Speed of the ``anais_timex`` component alone (tokens/s on one core).

Texts: the TimeBankPT documents (each ``.tml`` file's text content, headers included, as
``pipeline.evaluation.read_timeml`` gives it), or a built-in Portuguese sample repeated when the
data is absent. Tokenization and sentence splitting (spaCy blank ``pt`` + sentencizer) are done
beforehand and not timed; only the component's ``__call__`` is (best of ``--repeat`` passes).

    PYTHONPATH=. .venv/bin/python benchmarks/timex_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

import pipeline.timex.component  # noqa: E402,F401
from pipeline.evaluation import read_timeml  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "timebankpt" / "train"
SAMPLE = (
    "Em 5 de outubro de 1910 foi proclamada a República. No ano seguinte, em março, houve "
    "eleições para a Assembleia Constituinte, que durou vários meses. A guerra colonial "
    "decorreu entre 1961 e 1974 e custou mais de oito mil vidas. O ministro disse ontem que "
    "as vendas do terceiro trimestre subiram 5% face ao período homólogo do ano passado. "
    "A empresa, fundada há cerca de 30 anos, emprega 1500 pessoas na Rua Augusta, 25. "
) * 4


def load_texts() -> list[tuple[str, str | None]]:
    if not DATA.is_dir():
        return [(SAMPLE, "1998-02-12")] * 50
    docs = [read_timeml(f) for f in sorted(DATA.glob("*.tml"))]
    return [(d.text, d.dct[:10] if d.dct else None) for d in docs]


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    nlp = spacy.blank("pt")
    nlp.add_pipe("sentencizer")
    timex = nlp.add_pipe("anais_timex")
    texts = load_texts()
    docs = []
    for text, dct in texts:
        doc = nlp.make_doc(text)
        doc = nlp.get_pipe("sentencizer")(doc)
        doc._.dct = dct
        docs.append(doc)
    n_tokens = sum(len(d) for d in docs)
    timex(docs[0])  # warm-up: loads the lexicons and compiles the rules
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for d in docs:
            timex(d)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    rate = n_tokens / best
    print(f"anais_timex: {len(docs)} docs, {n_tokens} spaCy tokens, best of {args.repeat}: "
          f"{best:.3f}s = {rate:,.0f} tokens/s")
    return rate


if __name__ == "__main__":
    main()

"""How well the language check (``pipeline.language_check``) tells Portuguese from its
neighbours, and what it costs.

Paragraphs of 20+ words:
- Portuguese: European (UD Bosque dev sentences, joined in runs of consecutive sentences of the
  same document) and Brazilian (Fake.br news and Machado de Assis, from ``../shared/data``);
  without those folders, only the fixture's Portuguese;
- Spanish, Galician, English, Italian, French, and Portuguese full of foreign names and English
  song titles: ``tests/fixtures/language_paragraphs.tsv``, written for the project.
Short texts: every UD Portuguese dev sentence (Bosque, GSD) by length, to show that short
Portuguese is never rejected; the fixture's foreign paragraphs cut to their first 5 and 10
words, to show what the check catches on little text.

    PYTHONPATH=. .venv/bin/python benchmarks/language_id.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import language_check  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FIXTURE = ROOT / "tests" / "fixtures" / "language_paragraphs.tsv"
MIN_WORDS = 20


def fixture_paragraphs() -> list[tuple[str, str, str]]:
    """(language, source, paragraph) rows of the fixture."""
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, "fixture (foreign names)" if lang == "pt" else "fixture", text))
    return rows


def _conllu_texts(path: Path) -> list[tuple[str, str]]:
    """(document id, sentence text) of a CoNLL-U file, in order."""
    out, doc = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sent_id = "):
            doc = re.split(r"[-_.:]\d+$", line[12:].strip())[0]
        elif line.startswith("# text = "):
            out.append((doc, line[9:].strip()))
    return out


def portuguese_paragraphs(limit: int) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    bosque = DATA / "ud" / "UD_Portuguese-Bosque" / "pt_bosque-ud-dev.conllu"
    if bosque.is_file():
        buf: list[str] = []
        last = None
        for doc, sent in _conllu_texts(bosque):
            if doc != last and buf:
                buf = []
            last = doc
            buf.append(sent)
            if len(" ".join(buf).split()) >= MIN_WORDS:
                rows.append(("pt", "UD Bosque (European)", " ".join(buf)))
                buf = []
    rng = random.Random(0)
    for name, label in (("fakebr.jsonl", "Fake.br news (Brazilian)"),
                        ("machado.jsonl", "Machado de Assis (Brazilian)")):
        path = DATA / "raw" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as fh:
            docs = [json.loads(line)["text"] for line in fh]
        paras = [p.strip() for d in docs for p in re.split(r"\n\s*\n", d)
                 if len(p.split()) >= MIN_WORDS]
        rows += [("pt", label, " ".join(p.split())) for p in rng.sample(paras, min(limit,
                                                                                  len(paras)))]
    return rows


def accuracy(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, int, int, Counter]]:
    """(language, source, right, n, wrong guesses) per language and source."""
    groups: dict[tuple[str, str], list[str | None]] = {}
    for lang, source, text in rows:
        groups.setdefault((lang, source), []).append(language_check.guess_language(text).language)
    out = []
    for (lang, source), guesses in groups.items():
        wrong = Counter(g for g in guesses if g != lang)
        out.append((lang, source, len(guesses) - sum(wrong.values()), len(guesses), wrong))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300,
                        help="paragraphs drawn from each raw Portuguese corpus (default 300)")
    args = parser.parse_args()

    started = time.perf_counter()
    language_check._identifier()
    load = time.perf_counter() - started
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    print(f"model: py3langid, {(MODEL_DIR / MODEL_FILE).stat().st_size / 1e6:.1f} MB in its wheel, "
          f"loaded in {load:.2f} s, restricted to {len(language_check.language_names())} "
          "languages")

    long_rows = [r for r in fixture_paragraphs() + portuguese_paragraphs(args.limit)
                 if len(r[2].split()) >= MIN_WORDS]
    started = time.perf_counter()
    table = accuracy(long_rows)
    per_doc = (time.perf_counter() - started) / len(long_rows) * 1000
    print(f"\nParagraphs of {MIN_WORDS}+ words: the language found ({per_doc:.2f} ms each)")
    print(f"{'lang':5} {'source':32} {'right':>7} {'n':>5} {'%':>7}  wrong guesses")
    right = total = 0
    for lang, source, ok, n, wrong in sorted(table):
        right, total = right + ok, total + n
        print(f"{lang:5} {source:32} {ok:7} {n:5} {100 * ok / n:6.1f}%  "
              f"{dict(wrong) if wrong else ''}")
    print(f"{'all':5} {'':32} {right:7} {total:5} {100 * right / total:6.1f}%")
    rejected = [r for r in long_rows if r[0] == "pt"
                and not language_check.guess_language(r[2]).is_portuguese]
    foreign = [r for r in long_rows if r[0] != "pt"]
    caught = sum(not language_check.guess_language(r[2]).is_portuguese for r in foreign)
    print(f"Portuguese paragraphs rejected: {len(rejected)} of "
          f"{sum(r[0] == 'pt' for r in long_rows)}; foreign paragraphs rejected: {caught} of "
          f"{len(foreign)}")

    print(f"\nShort Portuguese (UD dev sentences): rejected at confidence >= "
          f"{language_check.REJECT_CONFIDENCE}")
    sents = [s for name, f in (("Bosque", "UD_Portuguese-Bosque/pt_bosque-ud-dev.conllu"),
                               ("GSD", "UD_Portuguese-GSD/pt_gsd-ud-dev.conllu"))
             if (DATA / "ud" / f).is_file() for _, s in _conllu_texts(DATA / "ud" / f)]
    for lo, hi in ((1, 5), (5, 10), (10, 20), (20, 10_000)):
        sub = [s for s in sents if lo <= len(s.split()) < hi]
        bad = [s for s in sub if not language_check.guess_language(s).is_portuguese]
        print(f"  {lo:>2}-{hi - 1 if hi < 10_000 else '':<4} words: {len(bad)} of {len(sub)}")
    print("\nShort foreign text (fixture paragraphs cut to their first words): rejected")
    for n_words in (5, 10):
        cut = [" ".join(r[2].split()[:n_words]) for r in foreign]
        caught = sum(not language_check.guess_language(t).is_portuguese for t in cut)
        print(f"  first {n_words:>2} words: {caught} of {len(cut)}")


if __name__ == "__main__":
    main()

"""Silver NER data for the fast pipeline: raw text labelled by the accurate pipeline.

    python scripts/silver_ner.py --out .work/corpus/ner_silver_e5.spacy --words 400000

(run from models/)

Reads the real-news half of Fake.br and the works of Machado de Assis from
../shared/data/raw (never copied), takes paragraphs in a fixed order (every k-th, so the
sample spreads over all items), runs ``pt_anais_accurate`` (tokenizer, parser for sentences,
encoder NER) and writes spaCy Docs of up to five sentences with their entities: training
data for the fast NER (distillation). ``--mix-with``/``--mixed`` also write the first NER
stage's set: the gold-based set joined with the silver docs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from common import DEFAULT_DATA  # noqa: E402

RAW = DEFAULT_DATA / "raw"


def paragraphs(words: int, news_share: float) -> list[str]:
    news, novels = [], []
    with open(RAW / "fakebr.jsonl", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item.get("label") == "true":
                news.extend(p.strip() for p in item["text"].split("\n") if len(p.split()) >= 8)
    with open(RAW / "machado.jsonl", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            novels.extend(p.strip() for p in item["text"].split("\n") if len(p.split()) >= 8)
    out = []
    for pool, share in ((news, news_share), (novels, 1 - news_share)):
        budget = int(words * share)
        total = sum(len(p.split()) for p in pool)
        step = max(1, total // max(1, budget))
        taken = 0
        for p in pool[::step]:
            if taken >= budget:
                break
            out.append(p)
            taken += len(p.split())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--words", type=int, default=400_000)
    ap.add_argument("--news-share", type=float, default=0.75)
    ap.add_argument("--mix-with", type=Path, default=None,
                    help="a .spacy set to join with the silver docs (shuffled with "
                    "random.Random(0)) into --mixed")
    ap.add_argument("--mixed", type=Path, default=None)
    args = ap.parse_args()
    import pt_anais_accurate
    from spacy.tokens import DocBin

    nlp = pt_anais_accurate.load()
    texts = paragraphs(args.words, args.news_share)
    started, n_words, n_ents = time.time(), 0, 0
    bin_ = DocBin(store_user_data=False)
    with nlp.select_pipes(disable=[p for p in ("morphologizer", "lemmatizer")
                                   if p in nlp.pipe_names]):
        for doc in nlp.pipe(texts, batch_size=64):
            sents = list(doc.sents)
            for i in range(0, len(sents), 5):
                part = doc[sents[i].start:sents[min(i + 5, len(sents)) - 1].end].as_doc()
                bin_.add(part)
                n_ents += len(part.ents)
            n_words += len(doc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(args.out)
    if args.mix_with and args.mixed:
        import random

        docs = list(DocBin().from_disk(args.mix_with).get_docs(nlp.vocab))
        docs += list(bin_.get_docs(nlp.vocab))
        random.Random(0).shuffle(docs)
        DocBin(docs=docs, store_user_data=False).to_disk(args.mixed)
    print(json.dumps({"paragraphs": len(texts), "tokens": n_words, "entities": n_ents,
                      "seconds": round(time.time() - started)}))


if __name__ == "__main__":
    main()

"""Stage `vectors`: floret vectors (subword hashing, so that unseen words such as foreign names
still get a vector) trained on the train-split text, then `spacy init vectors --mode floret`
-> `<work>/vectors_model` (read by the NER).

    python scripts/vectors.py --data ../../shared/data --work .work
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from common import (
    DEFAULT_DATA,
    DEFAULT_WORK,
    LENER_TRAIN,
    PARAMOPAMA,
    UD_FILES,
    WIKIANN_TRAIN,
    conll_sentences,
    corpus_dir,
    prepare,
    read_conllu,
    record_seconds,
)

# Train splits whose licence allows shipping a model derived from them (First HAREM and
# TimeBankPT are research-only, so they are left out).
VECTOR_TEXT_SOURCES = ("UD Bosque train (CC BY-SA 4.0)", "UD GSD train (CC BY-SA 4.0)",
                       "Paramopama (WikiNER/Wikipedia text, CC BY-SA)",
                       "LeNER-Br train (MIT)", "WikiANN pt train (Wikipedia text, CC BY-SA)")


def write_vector_text(data: Path, path: Path) -> int:
    """One tokenized sentence per line from VECTOR_TEXT_SOURCES. Sentences are re-tokenized by
    spaCy's Portuguese tokenizer so that the vector keys are the tokens seen at run time."""
    import spacy

    tokenizer = spacy.blank("pt").tokenizer
    n = 0
    with open(path, "w", encoding="utf-8") as out:

        def emit(text: str) -> None:
            nonlocal n
            tokens = [t.text for t in tokenizer(text) if not t.is_space]
            if len(tokens) >= 3:
                out.write(" ".join(tokens) + "\n")
                n += len(tokens)

        for key in ("bosque_train", "gsd_train"):
            for text, _ in read_conllu(data / UD_FILES[key]):
                emit(text)
        for rel, prefix in ((PARAMOPAMA, ""), (LENER_TRAIN, ""), (WIKIANN_TRAIN, "pt:")):
            if (data / rel).exists():
                for words in conll_sentences(data / rel, prefix):
                    emit(" ".join(words))
    return n


def train_vectors(data: Path, work: Path, dim: int, bucket: int, epochs: int) -> Path:
    import floret

    text = corpus_dir(work) / "vector_text.txt"
    text.parent.mkdir(parents=True, exist_ok=True)
    words = write_vector_text(data, text)
    print(f"[vectors] {words} tokens of train-split text", flush=True)
    out = work / "vectors"
    out.mkdir(parents=True, exist_ok=True)
    model = floret.train_unsupervised(
        str(text), model="cbow", mode="floret", dim=dim, bucket=bucket, hashCount=2,
        minn=4, maxn=5, minCount=2, epoch=epochs, thread=1, verbose=0)  # one thread: deterministic
    model.save_floret_vectors(str(out / "vectors.floret"))
    target = work / "vectors_model"
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "pt",
                    str(out / "vectors.floret"), str(target), "--mode", "floret"], check=True)
    (target / "vector_info.json").write_text(json.dumps(
        {"tokens": words, "dim": dim, "bucket": bucket, "epochs": epochs,
         "sources": list(VECTOR_TEXT_SOURCES)}, indent=1))
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--bucket", type=int, default=20000,
                    help="rows of the floret hash table (size = rows x dim x 4 bytes)")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    prepare()
    work = args.work.resolve()
    t0 = time.time()
    train_vectors(args.data, work, args.dim, args.bucket, args.epochs)
    record_seconds(work, "vectors", time.time() - t0)


if __name__ == "__main__":
    main()

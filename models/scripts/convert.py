"""Stage `convert`: the UD treebanks and NER corpora of the shared data folder as spaCy
training sets, `<work>/corpus/<name>.spacy` (plus `raw_text.jsonl` for `spacy pretrain` and
`stats.json`).

    python scripts/convert.py --data ../../shared/data --work .work
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

from common import (
    DEFAULT_DATA,
    DEFAULT_WORK,
    HAREM_TRAIN,
    LENER_TRAIN,
    NER_FILES,
    PARAMOPAMA,
    UD_FILES,
    WIKIANN_TRAIN,
    corpus_dir,
    prepare,
    read_conllu,
)
from convert_ner import (
    entity_swapped_docs,
    harem_docs,
    lener_docs,
    ner_docs,
    paramopama_docs,
    wikiann_docs,
)
from convert_ud import ud_docs

# training sets of the syntax stage: name -> treebank files joined (and shuffled) into it
SYNTAX_SETS = {"syntax_train": ("bosque_train", "gsd_train"),
               "syntax_train_nilc": ("bosque_train", "gsd_train", "porttinari_dev",
                                     "petrogold_dev")}


def shuffled(docs: list) -> list:
    random.Random(0).shuffle(docs)
    return docs


def training_sets(data: Path) -> dict[str, list]:
    """Every set the training stages can use, by name (see models/README.md)."""
    import spacy

    nlp = spacy.blank("pt")
    sets = {}
    for name, rel in UD_FILES.items():
        treebank = name.split("_")[0]
        if not (data / rel).exists() and treebank in ("porttinari", "petrogold"):
            continue
        sets[name] = ud_docs(nlp.vocab, data / rel, treebank)
    for name, rel in NER_FILES.items():
        sets[name] = ner_docs(nlp.vocab, data / rel)
    sets["ner_train_lb"] = ner_docs(nlp.vocab, data / NER_FILES["ner_train"], line_break_rate=0.5)
    if (data / PARAMOPAMA).exists():
        sets["paramopama"] = paramopama_docs(nlp.vocab, data / PARAMOPAMA)
        sets["ner_train_paramopama"] = shuffled(sets["ner_train_lb"] + sets["paramopama"])
        swapped = entity_swapped_docs(nlp.vocab, sets["ner_train_lb"],
                                      sets["ner_train_lb"] + sets["paramopama"])
        sets["ner_train_lb_swap"] = shuffled(sets["ner_train_lb"] + swapped)
        sets["ner_train_paramopama_swap"] = shuffled(sets["ner_train_paramopama"] + swapped)
    if (data / HAREM_TRAIN).exists():
        sets["harem_train"] = harem_docs(nlp, data / HAREM_TRAIN)
        sets["ner_train_harem"] = shuffled(sets["ner_train"] + sets["harem_train"])
    if (data / WIKIANN_TRAIN).exists():
        sets["wikiann_train"] = wikiann_docs(nlp.vocab, data / WIKIANN_TRAIN)
        sets["ner_train_wikiann"] = shuffled(sets["ner_train"] + sets["wikiann_train"])
    if all(k in sets for k in ("paramopama", "wikiann_train")) and (data / LENER_TRAIN).exists():
        sets["ner_train_silver"] = shuffled(sets["ner_train_lb"] + sets["paramopama"]
                                            + sets["wikiann_train"]
                                            + lener_docs(nlp.vocab, data / LENER_TRAIN))
    for name, parts in SYNTAX_SETS.items():
        if all(p in sets for p in parts):
            sets[name] = shuffled([d for p in parts for d in sets[p]])
    sets["syntax_dev"] = sets["bosque_dev"] + sets["gsd_dev"]
    return sets


def write_raw_text(data: Path, path: Path) -> int:
    """Raw text for `spacy pretrain` (train splits only): UD Bosque + GSD train sentences,
    First HAREM train paragraphs, Paramopama sentences."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:

        def emit(text: str) -> None:
            nonlocal n
            if len(text.split()) >= 5:
                out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                n += len(text.split())

        for key in ("bosque_train", "gsd_train"):
            for text, _ in read_conllu(data / UD_FILES[key]):
                emit(text)
        if (data / HAREM_TRAIN).exists():
            for item in json.loads((data / HAREM_TRAIN).read_text(encoding="utf-8")):
                for para in item["doc_text"].split("\n"):
                    emit(para)
        para_path = data / PARAMOPAMA
        if para_path.exists():
            words = []
            for line in para_path.read_text(encoding="utf-8").splitlines() + [""]:
                if line.strip():
                    words.append(line.split("\t")[0])
                elif words:
                    emit(" ".join(words))
                    words = []
    return n


def convert(data: Path, work: Path) -> dict:
    from spacy.tokens import DocBin

    corpus = corpus_dir(work)
    corpus.mkdir(parents=True, exist_ok=True)
    stats = {}
    for name, docs in training_sets(data).items():
        tmp = corpus / f".{name}.spacy.tmp"
        DocBin(docs=docs, store_user_data=False).to_disk(tmp)
        os.replace(tmp, corpus / f"{name}.spacy")  # atomic: a running training may read it
        stats[name] = {"docs": len(docs), "tokens": sum(len(d) for d in docs)}
        print(f"[convert] {name}: {stats[name]}", flush=True)
    stats["raw_text_words"] = write_raw_text(data, corpus / "raw_text.jsonl")
    (corpus / "stats.json").write_text(json.dumps(stats, indent=1))
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK,
                    help="work folder (the sets go to its corpus/ folder)")
    args = ap.parse_args()
    prepare()
    convert(args.data, args.work.resolve())


if __name__ == "__main__":
    main()

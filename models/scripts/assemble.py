"""Stage `assemble`: the syntax `model-best` plus the NER sourced from the NER `model-best`
(with the floret vectors), checked against a lookup lemmatizer, evaluated on the dev sets,
timed, with its meta.json -> models/pt_anais.

    python scripts/assemble.py --work .work --out pt_anais --syntax syntax --ner ner \\
        --syntax-train syntax_train_nilc --ner-train ner_train_paramopama_swap ner_train_lb

The output folder is also the `pt_anais` Python package anais installs: its `__init__.py`
(tracked in git) outlives the rebuild.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from common import (
    DEFAULT_DATA,
    DEFAULT_WORK,
    MODELS_DIR,
    NER_FILES,
    REPO_DIR,
    corpus_dir,
    prepare,
)

VERSION = "0.4.0"
DATASETS = Path(__file__).with_name("datasets.json")


def load_examples(nlp, work: Path, name: str) -> list:
    from spacy.tokens import DocBin
    from spacy.training import Example

    docs = DocBin().from_disk(corpus_dir(work) / f"{name}.spacy").get_docs(nlp.vocab)
    # raw text through spaCy's own tokenizer, aligned to the gold surface tokens
    return [Example(nlp.make_doc(d.text), d) for d in docs]


def words_per_second(nlp, texts, repeats: int = 1) -> float:
    n, t0 = 0, time.perf_counter()
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=64):
            n += len(doc)
    return n / (time.perf_counter() - t0)


def lookup_lemma_acc(nlp, examples) -> float:
    """Lemma accuracy of spaCy's lookup lemmatizer (spacy-lookups-data pt table)."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.training import Example

    lk = spacy.blank("pt")
    lk.add_pipe("lemmatizer", config={"mode": "lookup"})
    lk.initialize()
    lemm = lk.get_pipe("lemmatizer")
    exs = [Example(lemm(nlp.make_doc(eg.reference.text)), eg.reference) for eg in examples]
    return Scorer.score_token_attr(exs, "lemma")["lemma_acc"]


def r4(x):
    return None if x is None else round(float(x), 4)


def datasets_used(syntax_train: str, ner_trains: list[str]) -> list[dict]:
    """The sources of datasets.json that went into this build, with what each was used for."""
    sources = json.loads(DATASETS.read_text(encoding="utf-8"))
    datasets = [d for d in sources["always"]
                if syntax_train.endswith("nilc")
                or ("Porttinari" not in d["name"] and "PetroGold" not in d["name"])]
    datasets += [sources["first_harem"]] if "harem" in ner_trains[-1] else []
    ner_data = "".join(ner_trains)
    distilled = "e5silver" in ner_data  # silver_ner's set: ner_train_paramopama_swap + silver
    if distilled:
        ner_data += "paramopama"
    for extra in sources["vector_text"]:
        use = ["floret vector text"]
        if extra["key"] in ner_data or "ner_train_silver" in ner_trains:
            use.append("first NER stage (PER, LOC, ORG; later fine-tuned on UNER)")
        datasets.append({k: v for k, v in extra.items() if k != "key"} | {"use": "; ".join(use)})
    return datasets + (sources["distillation"] if distilled else [])


def write_pipeline(nlp, out: Path) -> None:
    """Replace the pipeline folder `out` with `nlp`, keeping its `__init__.py`: the folder is
    also the `pt_anais` package anais installs, and that module is tracked in git."""
    package_init = out / "__init__.py"
    keep = package_init.read_text("utf-8") if package_init.exists() else None
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    if keep is not None:
        package_init.write_text(keep, "utf-8")


def assemble(args) -> None:
    import spacy

    work, out = args.work.resolve(), args.out.resolve()
    timings_path = work / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    datasets = datasets_used(args.syntax_train, args.ner_train)

    nlp = spacy.load(work / args.syntax / "model-best")
    ner_nlp = spacy.load(work / args.ner / "model-best")
    if ner_nlp.vocab.vectors.shape[0]:  # the NER reads the floret vectors from the vocab
        nlp.vocab.vectors = ner_nlp.vocab.vectors
    for name in ner_nlp.pipe_names:  # "ner", or "ner_tok2vec" + "ner" (ner_pretrain.cfg)
        nlp.add_pipe(name, source=ner_nlp)
    # save + reload: links a sourced NER listener (ner_shared.cfg) to this pipeline's tok2vec
    nlp.to_disk(work / "assembled")
    nlp = spacy.load(work / "assembled")

    bosque = load_examples(nlp, work, "bosque_dev")
    gsd = load_examples(nlp, work, "gsd_dev")
    nerdev = load_examples(nlp, work, "ner_dev")

    sb = nlp.evaluate(bosque)
    sg = nlp.evaluate(gsd)
    with nlp.select_pipes(enable=["ner"]):
        sn = nlp.evaluate(nerdev)
    lookup_acc = lookup_lemma_acc(nlp, bosque)
    print(f"[assemble] Bosque dev lemma_acc: trainable={sb['lemma_acc']:.4f} "
          f"lookup={lookup_acc:.4f}", flush=True)
    lemmatizer_kind = "trainable_lemmatizer (edit trees)"
    if lookup_acc > sb["lemma_acc"]:
        nlp.replace_pipe("lemmatizer", "lemmatizer", config={"mode": "lookup"})
        nlp.get_pipe("lemmatizer").initialize()
        lemmatizer_kind = "lemmatizer (lookup table of spacy-lookups-data)"
        sb = nlp.evaluate(bosque)
        sg = nlp.evaluate(gsd)

    sent_texts = [s.text for eg in bosque for s in eg.reference.sents]
    nlp(sent_texts[0])
    wps = words_per_second(nlp, sent_texts)

    per_type = {k: {m: r4(v) for m, v in d.items()}
                for k, d in (sn.get("ents_per_type") or {}).items()}
    anais = {
        "upos_acc": r4(sb["pos_acc"]),
        "morph_acc": r4(sb["morph_acc"]),
        "lemma_acc": r4(sb["lemma_acc"]),
        "lemma_acc_lookup_baseline": r4(lookup_acc),
        "uas": r4(sb["dep_uas"]),
        "las": r4(sb["dep_las"]),
        "sents_f": r4(sb["sents_f"]),
        "ner_p": r4(sn["ents_p"]),
        "ner_r": r4(sn["ents_r"]),
        "ner_f": r4(sn["ents_f"]),
        "ner_per_type": per_type,
        "words_per_second": round(wps),
        "gsd_dev": {"lemma_acc": r4(sg["lemma_acc"]), "uas": r4(sg["dep_uas"]),
                    "las": r4(sg["dep_las"]), "sents_f": r4(sg["sents_f"])},
        "evaluation": "dev sets; raw text tokenized by spaCy's pt tokenizer and aligned to the "
                      "gold surface tokens (UD multiword tokens kept whole, see models/README.md); "
                      "UPOS/morph/lemma/UAS/LAS/sents on UD Bosque dev, NER on UNER Bosque dev",
        "lemmatizer": lemmatizer_kind,
        "datasets": [d["name"] for d in datasets],
        "training_seconds": timings,
        "seed": args.seed,
    }
    nlp.meta.update({
        "name": "anais",
        "lang": "pt",
        "version": VERSION,
        "description": "anais Portuguese pipeline: CNN tok2vec, morphologizer, lemmatizer, "
                       "parser, NER (PER/LOC/ORG; own CNN tok2vec + floret vectors); trained on "
                       f"CPU with spaCy {spacy.__version__} by the `fast` workflow of "
                       "models/project.yml.",
        "author": "anais",
        "license": "CC BY-SA 4.0 (trained on CC BY-SA 4.0 data)",
        "spacy_version": ">=3.8.0,<3.9.0",
        "datasets": datasets,
        "sources": [{k: d[k] for k in ("name", "url", "license")} for d in datasets],
        "performance": {
            "pos_acc": r4(sb["pos_acc"]), "morph_acc": r4(sb["morph_acc"]),
            "lemma_acc": r4(sb["lemma_acc"]), "dep_uas": r4(sb["dep_uas"]),
            "dep_las": r4(sb["dep_las"]), "sents_p": r4(sb["sents_p"]),
            "sents_r": r4(sb["sents_r"]), "sents_f": r4(sb["sents_f"]),
            "ents_p": r4(sn["ents_p"]), "ents_r": r4(sn["ents_r"]), "ents_f": r4(sn["ents_f"]),
            "ents_per_type": per_type, "speed": round(wps),
        },
        "anais_dev_scores": anais,
    })
    write_pipeline(nlp, out)
    t0 = time.perf_counter()
    spacy.load(out)
    anais["load_seconds"] = round(time.perf_counter() - t0, 3)
    anais.update(pipeline_entity_scores(out, args.data))
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta["anais_dev_scores"] = anais
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    print(json.dumps(anais, indent=1, ensure_ascii=False), flush=True)


def pipeline_entity_scores(out: Path, data: Path) -> dict:
    """Entities as `anais run` reports them (model + anais_entities post-processing), on UNER
    dev (text rebuilt with a line break between sentences) and on the project's own
    out-of-domain gold (corpus/gold: history narratives and news written for anais)."""
    sys.path.insert(0, str(REPO_DIR))
    from pipeline.evaluation.evaluate import evaluate_gold
    from pipeline.model_loading import load

    nlp = load(str(out))
    scores = {}
    for key, gold, kind in (("uner_dev", data / NER_FILES["ner_dev"], "spans"),
                            ("corpus_gold", REPO_DIR / "corpus" / "gold", "surfaces")):
        ents = evaluate_gold(gold, nlp=nlp).scores["entities"][kind]
        micro = (ents["strict"] if kind == "spans" else ents)["micro"]
        scores[f"pipeline_entities_{key}"] = {m: r4(micro[m])
                                             for m in ("precision", "recall", "f1")}
        print(f"[assemble] anais entities on {key}: {scores[f'pipeline_entities_{key}']}",
              flush=True)
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--out", type=Path, default=MODELS_DIR / "pt_anais")
    ap.add_argument("--syntax", default="syntax", help="syntax model folder in the work folder")
    ap.add_argument("--ner", default="ner", help="NER model folder in the work folder")
    ap.add_argument("--syntax-train", default="syntax_train_nilc",
                    help="the syntax model's training set (for the sources in meta.json)")
    ap.add_argument("--ner-train", nargs="+", default=["ner_train_paramopama_swap",
                                                       "ner_train_lb"],
                    help="the NER stages' training sets, in order (for the sources)")
    ap.add_argument("--seed", type=int, default=42, help="the seed the stages were trained with")
    args = ap.parse_args()
    prepare()
    assemble(args)


if __name__ == "__main__":
    main()

"""Stages `syntax`, `ner_base` and `ner`: `spacy train` of one config of models/configs on
converted sets of `<work>/corpus`, into `<work>/<name>` (its `model-best` is what the next stage
uses).

    python scripts/train_spacy.py configs/syntax.cfg --work .work --name syntax \\
        --train syntax_train_nilc --dev syntax_dev --seed 42

The paths a config refers to are filled in from the work folder: the first NER stage
(`paths.ner_source`, for configs/ner.cfg), the floret vectors, the syntax model
(configs/ner_shared.cfg) and the raw text (configs/ner_pretrain.cfg).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from common import DEFAULT_WORK, corpus_dir, prepare, record_seconds


def parse_overrides(items: list[str]) -> dict:
    """`SECTION.KEY=VALUE` strings as config overrides (values read as JSON when they can be)."""
    out = {}
    for item in items:
        key, value = item.split("=", 1)
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def spacy_train(cfg: Path, out: Path, train: Path, dev: Path, work: Path, seed: int,
                max_steps: int | None, extra: dict) -> None:
    from spacy.cli.train import train as train_pipeline

    ovr = {"paths.train": str(train), "paths.dev": str(dev), "system.seed": seed}
    if max_steps:
        ovr["training.max_steps"] = max_steps
    cfg_text = cfg.read_text()
    if "${paths.syntax_model}" in cfg_text:
        ovr["paths.syntax_model"] = str(work / "syntax" / "model-best")
    if "${paths.ner_source}" in cfg_text:
        ovr["paths.ner_source"] = str(work / "ner_base" / "model-best")
    if "include_static_vectors = true" in cfg_text or "${paths.ner_source}" in cfg_text:
        ovr["paths.vectors"] = str(work / "vectors_model")
    if "${paths.raw_text}" in cfg_text:
        ovr["paths.raw_text"] = str(corpus_dir(work) / "raw_text.jsonl")
    ovr.update(extra)
    print(f"[train] {cfg.name} -> {out} {ovr}", flush=True)
    train_pipeline(cfg, out, use_gpu=-1, overrides=ovr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", type=Path, help="a config of models/configs")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--name", required=True, help="output folder under the work folder")
    ap.add_argument("--train", required=True, help="converted training set (name in corpus/)")
    ap.add_argument("--dev", required=True, help="converted dev set (name in corpus/)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--max-steps", type=int, default=0,
                    help="override training.max_steps (0: the config's own)")
    ap.add_argument("--init-tok2vec", type=Path, default=None,
                    help="`spacy pretrain` weights (stage pretrain, configs/ner_pretrain.cfg)")
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="config override, e.g. training.eval_frequency=200 (repeatable)")
    args = ap.parse_args()
    prepare()
    work = args.work.resolve()
    extra = parse_overrides(args.set)
    if args.init_tok2vec:
        extra["paths.init_tok2vec"] = str(args.init_tok2vec)
    corpus = corpus_dir(work)
    t0 = time.time()
    spacy_train(args.config, work / args.name, corpus / f"{args.train}.spacy",
                corpus / f"{args.dev}.spacy", work, args.seed, args.max_steps, extra)
    record_seconds(work, args.name, time.time() - t0)


if __name__ == "__main__":
    main()

"""Stage `pretrain` (an experiment, not in the `fast` workflow): `spacy pretrain` of the
separate `ner_tok2vec` of configs/ner_pretrain.cfg on `<work>/corpus/raw_text.jsonl`; the last
epoch's weights (`<work>/pretrain/model<epochs - 1>.bin`) go to `train_spacy.py
--init-tok2vec`.

    python scripts/pretrain.py configs/ner_pretrain.cfg --work .work --epochs 8
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import DEFAULT_WORK, corpus_dir, prepare, record_seconds


def spacy_pretrain(cfg: Path, work: Path, max_epochs: int) -> Path:
    from spacy.cli.pretrain import pretrain
    from spacy.util import load_config

    corpus = corpus_dir(work)
    out = work / "pretrain"
    ovr = {"paths.raw_text": str(corpus / "raw_text.jsonl"),
           "paths.train": str(corpus / "ner_train.spacy"),
           "paths.dev": str(corpus / "ner_dev.spacy"),
           "pretraining.max_epochs": max_epochs}
    config = load_config(cfg, overrides=ovr, interpolate=False)
    print(f"[pretrain] {cfg.name} -> {out} {ovr}", flush=True)
    pretrain(config.interpolate(), out, use_gpu=-1, silent=False)
    return out / f"model{max_epochs - 1}.bin"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", type=Path)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    prepare()
    work = args.work.resolve()
    t0 = time.time()
    spacy_pretrain(args.config, work, args.epochs)
    record_seconds(work, "pretrain", time.time() - t0)


if __name__ == "__main__":
    main()

"""Stages `install_encoder_ner` and `install_encoder_syntax`: the best head a training stage
saved (`.npz` and its `.json`) copied into the accurate pipeline, under the file names its
component reads (pt_anais_accurate/anais_encoder_ner/, pt_anais_accurate/anais_encoder_syntax/).

    python scripts/install_encoder_ner.py .work/accurate/ner_head.npz \\
        pt_anais_accurate/anais_encoder_ner
    python scripts/install_encoder_ner.py --syntax .work/encsyn/syntax_head.npz \\
        pt_anais_accurate/anais_encoder_syntax
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from common import REPO_DIR

sys.path.insert(0, str(REPO_DIR))

from pipeline.encoder import component, syntax  # noqa: E402


def install(head: Path, target: Path, kind=component) -> None:
    meta = head.with_suffix(".json")
    json.loads(meta.read_text(encoding="utf-8"))  # a half-written head fails here, not at load
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(head, target / kind.HEAD_FILE)
    shutil.copyfile(meta, target / kind.META_FILE)
    print(f"[install] {head} (+ {meta.name}) -> {target}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("head", type=Path, help="the .npz a training script wrote")
    ap.add_argument("target", type=Path, help="the component's folder in the pipeline")
    ap.add_argument("--syntax", action="store_true",
                    help="a head of train_encoder_syntax.py (default: of train_encoder_ner.py)")
    args = ap.parse_args()
    install(args.head, args.target, syntax if args.syntax else component)


if __name__ == "__main__":
    main()

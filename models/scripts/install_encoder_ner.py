"""Stage `install_encoder_ner`: the best head the `encoder_ner` stage saved (`ner_head.npz` and
its `ner_head.json`) copied into the accurate pipeline, pt_anais_accurate/anais_encoder_ner/.

    python scripts/install_encoder_ner.py .work/accurate/ner_head.npz \\
        pt_anais_accurate/anais_encoder_ner
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from common import REPO_DIR

sys.path.insert(0, str(REPO_DIR))

from pipeline.encoder.component import HEAD_FILE, META_FILE  # noqa: E402


def install(head: Path, target: Path) -> None:
    meta = head.with_suffix(".json")
    json.loads(meta.read_text(encoding="utf-8"))  # a half-written head fails here, not at load
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(head, target / HEAD_FILE)
    shutil.copyfile(meta, target / META_FILE)
    print(f"[install] {head} (+ {meta.name}) -> {target}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("head", type=Path, help="ner_head.npz written by train_encoder_ner.py")
    ap.add_argument("target", type=Path, help="the anais_encoder_ner folder of the pipeline")
    args = ap.parse_args()
    install(args.head, args.target)


if __name__ == "__main__":
    main()

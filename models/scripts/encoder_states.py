"""Token states of the accurate pipeline's encoder for the UD corpora (the `encoder_states`
stage of the `accurate` workflow).

The syntax heads of `pt_anais_accurate` (`train_encoder_syntax.py`) read the states the
entity encoder already computes at run time, so they are trained on frozen states: computed
once here, with the shipped entity encoder (its low-rank updates merged), for every layer, and
cached as float16 (`.work/encsyn/<corpus>.npy`, (tokens, layers, 384)) with the gold POS,
heads and relations beside them (`<corpus>.npz`). A sentence longer than one encoder window
is left out (its heads could point outside the window).

    python scripts/encoder_states.py bosque_train bosque_dev   (from models/)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from common import DEFAULT_WORK, corpus_dir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="+", help="names of .spacy corpora of the convert stage")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--encoder", type=Path,
                    default=ROOT / "models" / "pt_anais_accurate" / "anais_encoder_ner")
    ap.add_argument("--out", type=Path, default=None, help="default: WORK/encsyn")
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only (tests)")
    args = ap.parse_args()

    import spacy
    from spacy.tokens import DocBin

    from pipeline.encoder.component import EncoderTagger

    out_dir = args.out or args.work / "encsyn"
    out_dir.mkdir(parents=True, exist_ok=True)
    tagger = EncoderTagger().from_disk(args.encoder)
    layers = list(range(1, tagger.encoder.depth + 1))
    nlp = spacy.blank("pt")
    for name in args.corpora:
        started = time.time()
        docs = list(DocBin().from_disk(corpus_dir(args.work) / f"{name}.spacy").get_docs(
            nlp.vocab))
        sentences = [sent.as_doc() for doc in docs for sent in doc.sents]
        if args.limit:
            sentences = sentences[:args.limit]
        pos_labels: dict[str, int] = {}
        dep_labels: dict[str, int] = {}
        feats, pos, head, dep, offsets, words = [], [], [], [], [0], []
        skipped = 0
        for start in range(0, len(sentences), 256):
            chunk = sentences[start:start + 256]
            by_doc: dict[int, list] = {}
            # one mix per layer, each that layer alone
            for window in tagger.token_states(chunk, mixes=np.eye(len(layers))):
                by_doc.setdefault(id(window.doc), []).append((window.tokens, window.mixed))
            for sent in chunk:
                segments = by_doc.get(id(sent), [])
                if len(segments) != 1 or len(segments[0][0]) != len(sent):
                    skipped += 1
                    continue
                feats.append(segments[0][1].transpose(1, 0, 2).astype(np.float16))
                for token in sent:
                    pos.append(pos_labels.setdefault(token.pos_, len(pos_labels))
                               if token.pos_ else -1)
                    head.append(-1 if token.head.i == token.i else token.head.i)
                    dep.append(dep_labels.setdefault(token.dep_, len(dep_labels)))
                    words.append(token.text)
                offsets.append(offsets[-1] + len(sent))
            print(f"{name}: {min(start + 256, len(sentences))}/{len(sentences)} sentences, "
                  f"{time.time() - started:.0f} s", flush=True)
        np.save(out_dir / f"{name}.npy", np.concatenate(feats))
        np.savez(out_dir / f"{name}.npz", pos=np.asarray(pos), head=np.asarray(head),
                 dep=np.asarray(dep), offsets=np.asarray(offsets))
        (out_dir / f"{name}.json").write_text(json.dumps(
            {"pos": list(pos_labels), "dep": list(dep_labels), "layers": layers,
             "skipped_sentences": skipped, "words": words}, ensure_ascii=False), "utf-8")
        print(f"{name}: {len(offsets) - 1} sentences, {len(pos)} tokens, {skipped} left out, "
              f"{time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()

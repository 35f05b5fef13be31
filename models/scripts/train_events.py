"""Train the event trigger model (``pipeline/events/data/trigger_model.json``) on TimeBankPT.

    python scripts/train_events.py           # train on the 145 non-dev documents, score dev
    python scripts/train_events.py --all     # the shipped model: all 162 train documents

(from models/; the `events` workflow of models/project.yml runs the second.)

TimeBankPT's train part (../shared/data/timebankpt/train) is research data (Costa & Branco,
LREC 2012): the weights it produces are recorded as trained on it, in the file's ``meta`` and in
models/README.md. Its 17-document dev list (in its README_SOURCE.md) is used for choices.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import DEFAULT_DATA, REPO_DIR

sys.path.insert(0, str(REPO_DIR))

from pipeline.evaluation.gold_timeml import read_timeml  # noqa: E402
from pipeline.events.features import token_features  # noqa: E402
from pipeline.events.perceptron import Perceptron, save_models  # noqa: E402
from pipeline.events.triggers import MODEL_PATH, NO_EVENT, candidates, trigger_span  # noqa: E402
from pipeline.events.types import EVENT_CLASSES  # noqa: E402

TIMEBANKPT = DEFAULT_DATA / "timebankpt" / "train"
DEV = frozenset(
    "APW19980213.1310 APW19980626.0364 CNN19980126.1600.1104 PRI19980216.2000.0170 "
    "VOA19980305.1800.2603 wsj_0167 wsj_0175 wsj_0325 wsj_0583 wsj_0679 wsj_0706 wsj_0709 "
    "wsj_0786 wsj_0816 wsj_0906 wsj_1003 wsj_1042".split())


def examples(nlp, docs):
    """(features, class or O) per candidate token, and (pred-able spans) per doc."""
    out = []
    for gold, doc in zip(docs, nlp.pipe([d.text for d in docs]), strict=True):
        by_start = {e.start: e for e in gold.events or []}
        inside = gold.sentences
        rows = []
        for token in candidates(doc):
            if not any(s <= token.idx < e for s, e in inside):
                continue
            g = by_start.get(token.idx)
            rows.append((token_features(token), g.event_class if g else NO_EVENT,
                         trigger_span(token)))
        out.append((gold, rows))
    return out


def score(model, data, bias: float = 0.0, class_model=None):
    from pipeline.events.triggers import decide, event_class

    tp = n_pred = n_gold = cls_ok = 0
    for gold, rows in data:
        golds = {(e.start, e.end): e for e in gold.events or []}
        n_gold += len(golds)
        for feats, _label, span in rows:
            guess = decide(model, bias, feats)
            if guess == NO_EVENT:
                continue
            n_pred += 1
            if class_model is not None:
                lemma = next(f[6:] for f in feats if f.startswith("lemma="))
                guess = event_class(class_model, feats, lemma)
            if span in golds:
                tp += 1
                cls_ok += golds[span].event_class == guess
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "class_accuracy": round(cls_ok / max(tp, 1), 4), "n_gold": n_gold}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--all", action="store_true", help="train on all 162 documents (shipped)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seeds", type=int, default=5, help="models averaged (shuffle seeds)")
    ap.add_argument("--event-bias", type=float, default=8.0,
                    help="margin of the event classes over O, which trades precision for "
                         "recall (dev trigger F1: 0.795 with 0, 0.81 with 4 to 10)")
    ap.add_argument("--model", default="auto", help="base pipeline (default: ours)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--timebankpt", type=Path, default=TIMEBANKPT,
                    help="TimeBankPT's train folder (.tml files)")
    args = ap.parse_args()

    from pipeline.model_loading import load

    nlp = load(args.model)
    nlp.select_pipes(disable=[n for n in nlp.pipe_names if n == "anais_events"])
    paths = sorted(args.timebankpt.glob("*.tml"))
    docs = [read_timeml(p) for p in paths]
    started = time.perf_counter()
    data = examples(nlp, docs)
    train = [x for x in data if args.all or x[0].doc_id not in DEV]
    dev = [x for x in data if x[0].doc_id in DEV]
    pairs = [(feats, label) for _, rows in train for feats, label, _ in rows]
    seeds = range(args.seeds)
    model = Perceptron.average([
        Perceptron.train(pairs, [NO_EVENT, *EVENT_CLASSES], epochs=args.epochs, seed=s)
        for s in seeds])
    # the class of an event is learnt apart, on events only: it need not also tell events
    # from non-events
    events_only = [(f, label) for f, label in pairs if label != NO_EVENT]
    class_model = Perceptron.average([
        Perceptron.train(events_only, list(EVENT_CLASSES), epochs=args.epochs, seed=s)
        for s in seeds])

    dev_scores = score(model, dev, args.event_bias, class_model)
    meta = {
        "trained_on": "TimeBankPT v1.0 train (research data; Costa & Branco 2012), "
                      + ("all 162 documents" if args.all else "145 documents (dev list held out)"),
        "base_model": nlp.meta.get("anais", {}).get("base_name"),
        "epochs": args.epochs,
        "seeds": args.seeds,
        "event_bias": args.event_bias,
        "dev_scores": dev_scores if not args.all
        else "dev included in training; see models/README.md",
        "n_examples": len(pairs),
    }
    save_models(args.out, meta, trigger=model, event_class=class_model)
    print(f"{len(pairs)} examples, {len(model.weights)} features, "
          f"{time.perf_counter() - started:.1f}s; dev {dev_scores}")


if __name__ == "__main__":
    main()

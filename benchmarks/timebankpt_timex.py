"""Scores the temporal tagger on TimeBankPT (TIMEX3 gold, news with a DCT).

Gold comes from ``pipeline.evaluation.read_timeml`` and scores from ``score_timexes`` in TimeML
mode, as in ``anais eval``: the text is the ``.tml`` file's whole text content (headers
included), tagged with the document's DCT (the CREATION_TIME timex, itself not scored); only
predictions inside ``<s>`` sentences count, and our interval endpoint rows are scored in place
of their INTERVAL row, which is how TimeML gold annotates ranges. What this script adds: the
tagger run (``tag_text``, or ``--spacy-model``), tokens/s, the strict F1 under our span
conventions, and an error list. HeidelTime side by side: ``benchmarks/heideltime_compare.py``.
Old own reader/matcher (``<s>`` text only) → this: same scores on train, tokens/s incl. headers.

    PYTHONPATH=. .venv/bin/python benchmarks/timebankpt_timex.py [DATA_DIR] [--errors FILE]
        [--spacy-model PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluation import GoldDocument, read_timeml, score_timexes  # noqa: E402
from pipeline.evaluation.items import CORRECT, MISSED, SPURIOUS  # noqa: E402
from pipeline.evaluation.timex_scores import PredTimex, TimexEvaluation  # noqa: E402
from pipeline.timex import Timex, tag_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "timebankpt" / "train"

# What TimeBankPT keeps at the start of a span and our conventions leave out: separate
# articles ("o terceiro trimestre") and quantity modifiers of a measure ("mais de seis anos").
# The article of the superlative "o mais … possível" is part of that expression in ours too.
_LEADING = re.compile(
    r"^(?:(?:o|a|os|as)\s+(?!mais\b)|(?:mais de|menos de|a menos de|pelo menos|até|dentro de|"
    r"não mais de|quase|cerca de)\s+)+", re.I)


def iso_dct(doc: GoldDocument) -> str | None:
    """The document's DCT as an ISO date (the tagger's ``dct``)."""
    return doc.dct[:10] if doc.dct else None


def to_preds(timexes: Sequence[Timex]) -> list[PredTimex]:
    """The tagger's ``Timex`` list as scorer rows (timex_id = list index, parent_id = parent)."""
    return [PredTimex(t.start, t.end, t.text, t.type, t.value, t.mod, t.begin_value,
                      t.end_value, timex_id=i, parent_id=t.parent)
            for i, t in enumerate(timexes)]


def our_convention(docs: Sequence[GoldDocument]) -> list[GoldDocument]:
    """Copies of ``docs`` whose gold spans lose a leading separate article or quantity
    modifier: the spans our conventions would have annotated."""
    out = []
    for d in docs:
        timexes = []
        for g in d.timexes or []:
            m = _LEADING.match(g.text)
            if m and m.end() < len(g.text):
                g = dataclasses.replace(g, start=g.start + m.end(), text=g.text[m.end():])
            timexes.append(g)
        out.append(dataclasses.replace(d, timexes=timexes))
    return out


def figures(ev: TimexEvaluation) -> dict[str, Any]:
    """The scorer's summary, flattened to the figures this benchmark prints."""
    s = ev.summary()
    out: dict[str, Any] = {"n_gold": s["strict"]["n_gold"], "n_pred": s["strict"]["n_pred"]}
    for level in ("strict", "relaxed", "all_correct"):
        for k, short in (("precision", "p"), ("recall", "r"), ("f1", "f1")):
            out[f"{level}_{short}"] = s[level][k]
    for attr in ("type", "value", "mod"):
        out[f"{attr}_acc"] = s[attr]["accuracy"] or 0.0
    return out


def score(docs: Sequence[GoldDocument], preds: dict[str, list[PredTimex]]
          ) -> tuple[dict[str, Any], TimexEvaluation]:
    """Figures (with ``strict_conv_*``: strict P/R/F1 against ``our_convention`` gold)."""
    ev = score_timexes(docs, preds, mode="timeml")
    sc = figures(ev)
    conv = figures(score_timexes(our_convention(docs), preds, mode="timeml"))
    for k in ("p", "r", "f1"):
        sc[f"strict_conv_{k}"] = conv[f"strict_{k}"]
    return sc, ev


def write_errors(ev: TimexEvaluation, path: str,
                 rule: Callable[[str, int | None, int | None], str | None]) -> dict[str, int]:
    """The scorer's non-correct item rows, by kind: FP (spurious), FN (missed), then the
    relaxed matches with a wrong SPAN, TYPE, VALUE or MOD. Returns the count of each kind."""
    kinds: dict[str, list[str]] = {k: [] for k in ("FP", "FN", "SPAN", "TYPE", "VALUE", "MOD")}
    for r in ev.items:
        if r.status == CORRECT:
            continue
        pr = rule(r.doc_id, r.pred_start, r.pred_end)
        if r.status == SPURIOUS:
            kinds["FP"].append(f"{r.doc_id}\t{r.pred_text}\t{r.pred_type}\t{r.pred_value}\t{pr}"
                               f"\t{r.context}")
            continue
        if r.status == MISSED:
            kinds["FN"].append(f"{r.doc_id}\t{r.gold_text}\t{r.gold_type}\t{r.gold_value}\t"
                               f"{r.context}")
            continue
        wrong = (r.errors or "").split(",")
        if "span" in wrong:
            kinds["SPAN"].append(f"{r.doc_id}\tgold=[{r.gold_text}]\tpred=[{r.pred_text}]\t{pr}")
        for attr in ("type", "value", "mod"):
            if attr in wrong:
                g, p = getattr(r, f"gold_{attr}"), getattr(r, f"pred_{attr}")
                line = f"{r.doc_id}\t{r.gold_text}\tgold={g}\tpred={p}"
                if attr == "value":
                    line += f"\t{pr}\t{r.context}"
                kinds[attr.upper()].append(line)
    with open(path, "w", encoding="utf-8") as fh:
        for kind, lines in kinds.items():
            fh.write(f"## {kind} ({len(lines)})\n")
            fh.writelines(line + "\n" for line in lines)
    return {k: len(v) for k, v in kinds.items()}


def report(label: str, sc: dict[str, Any]) -> None:
    print(f"[{label}] {sc['n_pred']} predicted (scored) for {sc['n_gold']} gold")
    print(f"  strict   P={sc['strict_p']:.3f} R={sc['strict_r']:.3f} F1={sc['strict_f1']:.3f}")
    print(f"  strict, gold spans without leading articles/quantity modifiers (our convention): "
          f"P={sc['strict_conv_p']:.3f} R={sc['strict_conv_r']:.3f} F1={sc['strict_conv_f1']:.3f}")
    print(f"  relaxed  P={sc['relaxed_p']:.3f} R={sc['relaxed_r']:.3f} F1={sc['relaxed_f1']:.3f}")
    print(f"  on relaxed matches: type acc={sc['type_acc']:.3f} value acc={sc['value_acc']:.3f} "
          f"mod acc={sc['mod_acc']:.3f}")
    print(f"  all correct (strict span + type + value + mod): P={sc['all_correct_p']:.3f} "
          f"R={sc['all_correct_r']:.3f} F1={sc['all_correct_f1']:.3f}")


def evaluate(label: str, docs: Sequence[GoldDocument], tagged: dict[str, list[Timex]],
             errors_path: str) -> dict[str, Any]:
    """Score, print and write the error list for one run of the tagger."""
    preds = {doc_id: to_preds(ts) for doc_id, ts in tagged.items()}
    rules = {(doc_id, t.start, t.end): t.rule for doc_id, ts in tagged.items() for t in ts}
    sc, ev = score(docs, preds)
    report(label, sc)
    sc["errors"] = write_errors(ev, errors_path, lambda d, s, e: rules.get((d, s, e)))
    print("  error counts: " + ", ".join(f"{k}={v}" for k, v in sc["errors"].items())
          + f" -> {errors_path}")
    return sc


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--errors", default="/tmp/timebankpt_timex_errors.txt")
    ap.add_argument("--spacy-model", metavar="PATH",
                    help="also run the anais_timex component after this spaCy pipeline "
                         "(sentences and verb tense from the model)")
    args = ap.parse_args(argv)
    files = sorted(Path(args.data).glob("*.tml"))
    if not files:
        sys.exit(f"no .tml files in {args.data}")
    docs = [read_timeml(f) for f in files]
    n_tok = sum(len(d.text.split()) for d in docs)
    t0 = time.perf_counter()
    tagged = {d.doc_id: tag_text(d.text, dct=iso_dct(d), doc_type="news") for d in docs}
    elapsed = time.perf_counter() - t0
    print(f"TimeBankPT {Path(args.data).name}: {len(docs)} docs, "
          f"{sum(len(d.timexes or []) for d in docs)} gold timexes (DCT excluded)")
    sc = evaluate("anais", docs, tagged, args.errors)
    sc["tokens_per_s"] = n_tok / elapsed
    print(f"  speed: {n_tok} tokens in {elapsed:.2f}s = {n_tok / elapsed:,.0f} tokens/s "
          f"(tag_text, whitespace tokens of the whole text)")
    if args.spacy_model:
        import spacy

        import pipeline.timex.component  # noqa: F401

        nlp = spacy.load(args.spacy_model)
        nlp.add_pipe("anais_timex", config={"doc_type": "news"})
        mtagged = {}
        for d in docs:
            doc = nlp.make_doc(d.text)
            doc._.dct = iso_dct(d)
            mtagged[d.doc_id] = list(nlp(doc)._.timexes)
        sc["with_model"] = evaluate(f"anais_timex after {args.spacy_model}", docs, mtagged,
                                    args.errors + ".model")
    return sc


if __name__ == "__main__":
    main()

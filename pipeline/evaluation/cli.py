"""``anais eval``: score anais against gold annotations.

    anais eval --gold corpus/gold/                      # run the pipeline on the gold's text
    anais eval --gold corpus/gold/ --pred outputs/      # score tables written by `anais run`
    anais eval --gold X --out evals/today --compare evals/yesterday

Also runnable as ``python -m pipeline.evaluation.cli``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from pipeline.evaluation.gold_json import GoldFormatError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``eval`` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "eval", help="score anais against gold annotations",
        description="Score temporal expressions, entities (or, with CoNLL-U gold, tagging and "
        "parsing) against gold annotations: either run the pipeline on the gold's own text, "
        "or score the tables of an earlier `anais run` (--pred).")
    p.add_argument("--gold", required=True, metavar="PATH", help=(
        "gold file or folder: .json (anais gold), .tml (TimeML), .iob2/.conll/.txt (CoNLL NER), "
        ".conllu (CoNLL-U), a folder of brat .ann + .txt"))
    p.add_argument("--gold-format", choices=("json", "timeml", "conll", "conllu", "brat"),
                   help="force the gold format instead of guessing it")
    p.add_argument("--pred", metavar="OUTDIR",
                   help="score the tables `anais run` wrote in OUTDIR instead of running")
    p.add_argument("--model", default="auto", help=(
        "base spaCy pipeline when running: auto (ours in models/, else blank), blank, a "
        "package or a folder (default: auto)"))
    p.add_argument("--doc-type", choices=("auto", "news", "narrative"), default="auto",
                   help="how relative dates are anchored when running (default: auto)")
    p.add_argument("--dct", help="document creation time (ISO date) for gold documents "
                   "that give none")
    p.add_argument("--corpus", metavar="DIR", help=(
        "where the documents of anais JSON gold live (default: the gold folder's parent, "
        "e.g. corpus/gold/x.json -> corpus/x.txt)"))
    p.add_argument("--json", action="store_true", help="print scores as JSON instead of tables")
    p.add_argument("--out", metavar="DIR", help=(
        "write scores.json and the items, errors and per_doc tables (CSV and Parquet)"))
    p.add_argument("--compare", metavar="OTHER_EVAL_DIR",
                   help="show what changed since an earlier evaluation written with --out")
    p.add_argument("--errors", type=int, default=20, metavar="N",
                   help="error rows shown in the terminal (default 20; 0 for none)")
    p.add_argument("--conllu-tokens", choices=("surface", "words"), default="surface",
                   help="CoNLL-U gold: score on surface tokens (multiword tokens such as `do` "
                   "kept whole, as spaCy tokenizes; default) or on UD syntactic words")
    p.add_argument("--batch-size", type=int, default=16, help="documents per nlp.pipe batch")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no terminal summary (use with --out or --json)")
    p.set_defaults(func=run)
    return p


def _evaluate(args: argparse.Namespace) -> Any:
    from pipeline.evaluation.evaluate import evaluate_gold
    from pipeline.evaluation.gold_reader import gold_files
    from pipeline.evaluation.predictions import load_model

    files = gold_files(Path(args.gold), args.gold_format)
    if files[0][1] == "conllu":
        return _evaluate_conllu(args, [f for f, k in files if k == "conllu"])
    nlp = None if args.pred else load_model(args.model, args.doc_type)
    return evaluate_gold(args.gold, nlp=nlp, pred=args.pred, gold_format=args.gold_format,
                         corpus=args.corpus, dct=args.dct, batch_size=args.batch_size)


def _evaluate_conllu(args: argparse.Namespace, files: list[Path]) -> Any:
    from pipeline.evaluation.conllu_scores import conllu_report
    from pipeline.evaluation.evaluate import RESULT_VERSION, EvalResult
    from pipeline.evaluation.predictions import load_model

    if args.pred:
        raise GoldFormatError("CoNLL-U gold is scored by running the pipeline on the gold "
                              "words: drop --pred")
    nlp = load_model(args.model, args.doc_type)
    conllu, errors = conllu_report(nlp, files, batch_size=args.batch_size,
                                   mode=args.conllu_tokens)
    warnings = []
    unknown = conllu["label_mapping"]["gold_relations_not_predicted"]
    if unknown:
        warnings.append(
            f"{conllu['label_mapping']['tokens_with_such_relations']} gold tokens have a "
            f"relation the parser never predicts ({', '.join(sorted(unknown)[:8])}"
            f"{' …' if len(unknown) > 8 else ''}): the gold follows another treebank's "
            "labels, so they count as LAS errors")
    scores = {"version": RESULT_VERSION,
              "gold": {"path": args.gold, "format": "conllu", "n_docs": len(files)},
              "predictions": dict(nlp.meta.get("anais", {})),
              "conllu": conllu, "warnings": warnings,
              "n_items": len(errors), "n_errors": len(errors)}
    return EvalResult(scores, items=errors)


def run(args: argparse.Namespace) -> int:
    """Run ``anais eval``; returns the exit code."""
    from pipeline.evaluation import report

    try:
        result = _evaluate(args)
        if args.compare:
            from pipeline.evaluation.compare import compare

            result.scores["compare"] = compare(result.scores, result.items, args.compare)
    except (GoldFormatError, FileNotFoundError, ValueError) as exc:
        print(f"anais eval: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ImportError, OSError) as exc:  # the pipeline or model could not be loaded
        print(f"anais eval: error: cannot run the pipeline: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.out:
        out = report.write_outputs(result, args.out)
        if "compare" in result.scores:
            import pandas as pd

            frame = pd.DataFrame(result.scores["compare"]["items"])
            frame.to_csv(out / "compare.csv", index=False)
    if args.json:
        sys.stdout.write(report.to_json(result))
    elif not args.quiet:
        sys.stdout.write(report.render_summary(result, args.errors))
    if args.out and not args.quiet and not args.json:
        print(f"\nwrote {Path(args.out) / 'scores.json'} and the error tables")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anais")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m pipeline.evaluation.cli [eval] --gold …``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "eval":
        argv = ["eval", *argv]  # the subcommand name is optional here
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())

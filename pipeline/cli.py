"""The ``anais`` command: ``run``, ``eval``, ``export``, ``report`` and ``info``."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.exports import EXPORT_FORMATS
from pipeline.partitions import DEFAULT_PART_DOCS, remote_replaceable, replaceable
from pipeline.schema import SCHEMA_VERSION
from pipeline.tables import FORMATS
from pipeline.torch_free import skip_torch

log = logging.getLogger("anais")

EXIT_OK, EXIT_ALL_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="auto", help=(
        "spaCy pipeline: fast (ours, pt_anais: CNN, thousands of words/s), accurate "
        "(pt_anais_accurate: entities from a pretrained multilingual encoder, slower), auto "
        "(= fast), blank (no entities, tags, lemmas, parses, events), an installed package "
        "such as pt_core_news_lg, or a pipeline folder; ours fail with exit 2 when missing "
        "(default: auto)"))
    parser.add_argument("--doc-type", choices=("auto", "news", "narrative"), default="auto",
                        help="how relative dates are anchored: news = to the document creation "
                        "time, narrative = to the last explicit date; auto = news when a DCT "
                        "is known (default)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anais",
        description="Portuguese NLP extraction: sentences, entities, temporal expressions "
        "(TIMEX3) and events, as tidy tables.")
    parser.add_argument("--version", action="version", version=f"anais {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="process documents and write tables", description=(
        "Process Portuguese documents and write the tables documents, sentences, entities, "
        "timexes, events, errors (and tokens with --tokens) into OUTDIR."))
    run.add_argument("inputs", nargs="+", metavar="INPUT", help=(
        ".txt file, folder (recursive *.txt), .jsonl file (one object per line with id, text, "
        "optional dct and other fields kept as metadata), or - for stdin"))
    run.add_argument("-o", "--output", default="outputs", metavar="OUTDIR",
                     help="output folder, or a URL such as s3://bucket/run (fsspec; default: "
                     "outputs)")
    run.add_argument("--format", action="append", choices=FORMATS + EXPORT_FORMATS,
                     dest="formats", help="table format, repeatable (default: parquet); "
                     "timeml, brat, conllu also export the finished tables into "
                     "OUTDIR/<format>/ (see `anais export`)")
    run.add_argument("--tokens", action="store_true", help="also write the tokens table")
    run.add_argument("--texts", action="store_true", help="also write the texts table (each "
                     "document's text, for exports later; implied by an export --format)")
    _add_model_options(run)
    run.add_argument("--dct", help="document creation time (a date) for documents that "
                     "do not give their own")
    run.add_argument("--encoding", default="auto", help=(
        "encoding of text files: auto (default) detects each file's (byte-order mark, UTF-8, "
        "else the likeliest; recorded in documents.encoding), or a name such as cp1252 to "
        "read every file so"))
    run.add_argument("--input-format", choices=("auto", "txt", "jsonl", "parquet", "csv"),
                     default="auto",
                     help="how to read inputs: by extension (auto: .txt, .jsonl, .parquet, "
                     ".csv, each maybe .gz), or force one (stdin is txt unless jsonl is forced)")
    run.add_argument("--text-column", default="text",
                     help="JSONL field or Parquet/CSV column holding the text (default text)")
    run.add_argument("--id-column", default="id", help="… holding the document id (default id)")
    run.add_argument("--dct-column", default="dct",
                     help="… holding the document creation time (default dct): ISO, "
                     "14/03/2024 (day first) or 14 de março de 2024")
    run.add_argument("--max-chars", type=int, default=2_000_000,
                     help="documents longer than this fail with a clear error (default 2000000)")
    run.add_argument("--no-language-check", action="store_true",
                     help="process texts even when they are not Portuguese (their language "
                     "is still recorded in documents.language)")
    run.add_argument("--batch-size", type=int, default=32, help="documents per nlp.pipe batch")
    run.add_argument("--workers", type=int, default=1,
                     help="processes to run the pipeline in (default 1; each loads the model "
                     "and writes the parts it is given; with 2 or more, anais itself loads none)")
    run.add_argument("--force", action="store_true",
                     help="write into OUTDIR even if it is not an earlier anais output (files "
                     "anais did not write are never deleted)")
    run.add_argument("--resume", action="store_true",
                     help="finish an interrupted run into OUTDIR: keep its finished parts, "
                     "process the rest (same inputs and options as the first time)")
    run.add_argument("--part-docs", type=int, default=DEFAULT_PART_DOCS,
                     help=f"documents per part of each table (default {DEFAULT_PART_DOCS}: a "
                     "checkpoint every few minutes)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local: this machine, --workers processes; dask: each part is a Dask "
                     "task (a LocalCluster of --workers processes, or --scheduler's cluster)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the Dask scheduler to use (tcp://host:8786); "
                     "workers need anais installed and OUTDIR on a shared file system")
    run.add_argument("--merge", choices=("auto", "always", "never"), default="auto",
                     help="also write each table as one file (<table>.parquet, …) merged from "
                     "its parts: auto = when the run made a single part (default)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(func=_cmd_run)

    info = sub.add_parser("info", help="versions, model and components in use")
    info.add_argument("--model", default="auto", help="pipeline to describe (default: auto)")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_cmd_info)

    from pipeline.exports import cli as export_cli

    export_cli.add_parser(sub)
    try:
        from pipeline.evaluation import cli as eval_cli
    except ImportError as exc:  # the evaluation package is optional at import time
        log.debug("anais eval unavailable: %s", exc)
    else:
        eval_cli.add_parser(sub)
    from pipeline.report import cli as report_cli

    report_cli.add_parser(sub)
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.model_request import ModelLoadError, ModelRequest
    from pipeline.reading import ReadOptions, normalize_dct
    from pipeline.remote_output import Remote, is_url
    from pipeline.run import run_corpus

    outdir: Path | str = args.output if is_url(args.output) else Path(args.output)
    exports = [f for f in args.formats or [] if f in EXPORT_FORMATS]
    formats = [f for f in args.formats or [] if f not in EXPORT_FORMATS] or ["parquet"]
    if "conllu" in exports and not args.tokens:
        print("anais: --format conllu needs --tokens", file=sys.stderr)
        return EXIT_USAGE
    if exports and isinstance(outdir, str):
        print("anais: --format timeml/brat/conllu writes into a local OUTDIR; for a URL, run "
              "`anais export` on a local copy of the tables", file=sys.stderr)
        return EXIT_USAGE
    try:
        fresh = (remote_replaceable(Remote(outdir)) if isinstance(outdir, str)
                 else replaceable(outdir))
    except ValueError as exc:  # an unknown protocol, or its package missing
        print(f"anais: -o: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.force and not args.resume and not fresh:
        print(f"anais: {outdir} exists and is not an anais output folder; choose another -o "
              "or pass --force to replace it", file=sys.stderr)
        return EXIT_USAGE
    try:
        dct = normalize_dct(args.dct) if args.dct else None
    except ValueError as exc:
        print(f"anais: --dct: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.decoding import encoding_name

    try:
        encoding = encoding_name(args.encoding)
    except LookupError:
        print(f"anais: --encoding: unknown encoding {args.encoding!r} (try utf-8, cp1252, "
              "latin-1, utf-16, or auto)", file=sys.stderr)
        return EXIT_USAGE
    if min(args.max_chars, args.batch_size, args.workers, args.part_docs) < 1:
        print("anais: --max-chars, --batch-size, --workers and --part-docs must be positive",
              file=sys.stderr)
        return EXIT_USAGE
    request = ModelRequest(args.model, args.doc_type)
    nlp: Any = request  # worker processes load it; this one does not (pipeline.parallel)
    if args.workers == 1 and args.engine == "local":
        try:
            nlp = request.load()
        except (ValueError, OSError) as exc:
            print(f"anais: {exc}", file=sys.stderr)
            return EXIT_USAGE
    options = ReadOptions(encoding=encoding, default_dct=dct, max_chars=args.max_chars,
                          check_language=not args.no_language_check,
                          input_format=args.input_format, text_column=args.text_column,
                          id_column=args.id_column, dct_column=args.dct_column)
    arguments = {k: v for k, v in vars(args).items() if k != "func"}
    from pipeline.partitions import OutputBusyError, ResumeError, read_journal

    if args.engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("anais: --engine dask needs Dask: pip install 'anais[dask]'", file=sys.stderr)
            return EXIT_USAGE
    elif args.scheduler:
        print("anais: --scheduler goes with --engine dask", file=sys.stderr)
        return EXIT_USAGE

    previous_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        summary = run_corpus(
            nlp, args.inputs, outdir, formats=formats, read_options=options,
            with_tokens=args.tokens, with_texts=args.texts or bool(exports),
            batch_size=args.batch_size, workers=args.workers,
            show_progress=not args.quiet and sys.stderr.isatty(), arguments=arguments,
            resume=args.resume, part_docs=args.part_docs, merge=args.merge,
            engine=args.engine, scheduler=args.scheduler)
    except (OutputBusyError, ResumeError, ModelLoadError) as exc:
        print(f"anais: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM from `timeout`, `kill`, `docker stop`
        parts = read_journal(outdir)
        done = sum(p["documents"] for p in parts)
        print(f"anais: interrupted; {len(parts)} finished parts ({done:,} documents) are kept "
              f"in {outdir}/: run the same command with --resume to finish",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous_term)
    if not args.quiet:
        rows = ", ".join(f"{n:,} {t}" for t, n in summary.counts.items() if t != "documents")
        print(f"anais: {summary.documents:,} documents ({summary.failed:,} failed"
              f"{_input_notes(summary.inputs)}) in {summary.seconds:.1f}s -> {outdir}/ [{rows}]",
              file=sys.stderr)
    if exports:
        from pipeline.exports.cli import export_all

        code = export_all(outdir, exports, quiet=args.quiet)
        if code:
            return code
    return EXIT_ALL_FAILED if summary.all_failed else EXIT_OK


def _input_notes(inputs: dict[str, Any]) -> str:
    """``, 1 input missing, 3 files skipped, 2 ids renamed`` (only what happened)."""
    notes = []
    for key, noun in (("missing_inputs", "input missing"), ("renamed_ids", "id renamed")):
        n = inputs.get(key, 0)
        if n:
            first, rest = noun.split(" ", 1)
            notes.append(f"{n:,} {first}{'' if n == 1 else 's'} {rest}")
    skipped = sum(inputs.get("skipped_files", {}).values())
    if skipped:
        notes.append(f"{skipped:,} file{'' if skipped == 1 else 's'} skipped (not .txt)")
    return "".join(f", {note}" for note in notes)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _cmd_info(args: argparse.Namespace) -> int:
    import platform

    import spacy

    from pipeline.model_loading import load

    try:
        nlp = load(args.model)
    except (ValueError, OSError) as exc:
        print(f"anais: {exc}", file=sys.stderr)
        return EXIT_USAGE
    info = {
        "anais": __version__,
        "schema": SCHEMA_VERSION,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": nlp.meta["anais"],
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    model = info["model"]
    print(f"anais {info['anais']} (schema {info['schema']}), Python {info['python']}, "
          f"spaCy {info['spacy']}")
    print(f"model:      {model['base_name']} {model.get('base_version') or ''}".rstrip())
    print(f"loaded from {model['source']} in {model['load_seconds']:.2f}s")
    print(f"components: {', '.join(model['components'])}")
    for key, value in (model.get("dev_scores") or {}).items():
        if isinstance(value, int | float):
            print(f"  dev {key}: {value:.4g}" if isinstance(value, float) else
                  f"  dev {key}: {value}")
        elif isinstance(value, dict) and isinstance(value.get("f1"), float):
            print(f"  dev {key}: F1 {value['f1']:.4g}")
    for warning in model["warnings"]:
        print(f"warning:    {warning}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    skip_torch(getattr(args, "model", None))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # before any output was started (loading the model)
        print("anais: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

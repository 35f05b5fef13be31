"""``anais export`` and the exports ``anais run --format timeml|brat|conllu`` makes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.exports import EXPORT_FORMATS, ExportError, export_run

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``export`` subcommand."""
    p = subparsers.add_parser(
        "export", help="write a run's tables as TimeML, brat or CoNLL-U files",
        description="Write the tables of an earlier `anais run` as one file set per document: "
        "TimeML (.tml), brat standoff (.txt + .ann, with annotation.conf and visual.conf) or "
        "CoNLL-U (.conllu; needs a run with --tokens).")
    p.add_argument("run_dir", metavar="OUTDIR", help="the output folder of `anais run`")
    p.add_argument("--to", action="append", choices=EXPORT_FORMATS, required=True,
                   dest="formats", help="export format, repeatable")
    p.add_argument("-o", "--output", metavar="DIR", help=(
        "where to write: the folder itself for one --to, DIR/<format>/ for several "
        "(default: OUTDIR/<format>/)"))
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.set_defaults(func=run)
    return p


def export_folder(run_dir: Path, fmt: str, output: str | None, several: bool) -> Path:
    if output is None:
        return run_dir / fmt
    return Path(output) / fmt if several else Path(output)


def export_all(run_dir: Path, formats: list[str], output: str | None = None,
               quiet: bool = False) -> int:
    """Write every export asked for; the exit code."""
    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        try:
            summary = export_run(run_dir, fmt, export_folder(run_dir, fmt, output,
                                                             len(formats) > 1))
        except (ExportError, FileNotFoundError) as exc:
            print(f"anais export: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not quiet:
            print(f"anais export: {summary.line()}", file=sys.stderr)
            for doc_id, why in summary.skipped[:5]:
                print(f"  skipped {doc_id}: {why}", file=sys.stderr)
            if len(summary.skipped) > 5:
                print(f"  … {len(summary.skipped) - 5:,} more (see the folder's "
                      "anais_export.jsonl)", file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    return export_all(Path(args.run_dir), args.formats, args.output, args.quiet)

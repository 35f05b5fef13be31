"""``anais report OUTDIR [-o FILE] [--eval EVAL_DIR] [--max-docs N]``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2
LARGE_PAGE = 20_000_000  # bytes; benchmarks/report_size.py: 22 MB took 9-13 s to load


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``report`` subcommand on an argparse subparsers object."""
    from pipeline.report.render import DEFAULT_MAX_DOCS

    p = subparsers.add_parser(
        "report", help="write one self-contained HTML page to look at a run's output",
        description="Write an HTML report of the tables `anais run` wrote in OUTDIR: the "
        "corpus at a glance, a timeline of dated expressions and events, the most frequent "
        "entities, and each document's text with its spans marked. The page works offline.")
    p.add_argument("outdir", metavar="OUTDIR", help="an `anais run` output folder")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the page (default: OUTDIR/report.html)")
    p.add_argument("--eval", dest="eval_dir", metavar="EVAL_DIR",
                   help="also show the scores and error tables of an `anais eval --out` folder")
    p.add_argument("--max-docs", type=int, default=DEFAULT_MAX_DOCS, metavar="N",
                   help="documents on the timeline and with a text view: the first N readable "
                   f"ones (default {DEFAULT_MAX_DOCS}; the counts always cover all)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from pipeline.report.render import build_report

    if args.max_docs < 0:
        print("anais report: --max-docs must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = build_report(args.outdir, args.output, eval_dir=args.eval_dir,
                               max_docs=args.max_docs)
    except (FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f"anais report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(f"anais report: {summary.path} ({summary.bytes / 1e6:.1f} MB; "
              f"{summary.documents_shown:,} of {summary.documents:,} documents shown, "
              f"{summary.marks:,} timeline marks) in {summary.seconds:.1f}s", file=sys.stderr)
    if summary.bytes > LARGE_PAGE:
        print(f"anais report: warning: a page of {summary.bytes / 1e6:.0f} MB takes ten "
              "seconds or more to open; a lower --max-docs keeps it quick", file=sys.stderr)
    return EXIT_OK

"""Tag a text from the command line, one timex per line (for trying rules out).

    python -m pipeline.timex "O ministro chegou ontem." --dct 1998-02-12
    echo "Em 1910 caiu a monarquia." | python -m pipeline.timex
"""

from __future__ import annotations

import argparse
import sys

from .tagger import tag_text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.timex", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text", nargs="?", help="the text (default: standard input)")
    ap.add_argument("--dct", help="document creation time, ISO date (news)")
    ap.add_argument("--doc-type", default="auto", choices=("auto", "news", "narrative"))
    ap.add_argument("--rules", action="store_true", help="also print the rule of each timex")
    args = ap.parse_args(argv)
    text = args.text if args.text is not None else sys.stdin.read()
    cols = ["id", "start", "end", "text", "type", "value", "mod", "parent", "role", "anchor"]
    print("\t".join(cols + (["rule"] if args.rules else [])))
    for i, t in enumerate(tag_text(text, dct=args.dct, doc_type=args.doc_type)):
        value = t.value if t.type != "INTERVAL" else f"{t.begin_value}/{t.end_value}"
        row = [i, t.start, t.end, t.text, t.type, value, t.mod, t.parent, t.role, t.anchor]
        if args.rules:
            row.append(t.rule)
        print("\t".join("" if v is None else str(v) for v in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Stage `lexicon`: `pipeline/data/common_words.txt`, the list with which `anais_entities`
tells a lone capitalized word opening a sentence or headline from a name.

    python scripts/lexicon.py --data ../../shared/data --out ../pipeline/data/common_words.txt
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from common import (
    DEFAULT_DATA,
    LENER_TRAIN,
    PARAMOPAMA,
    REPO_DIR,
    UD_FILES,
    conll_sentences,
    prepare,
    read_conllu,
)

COMMON_WORDS = REPO_DIR / "pipeline" / "data" / "common_words.txt"
_OPENERS = {".", "«", '"', ":", "—", "–", "-", "!", "?", "“"}


def write_common_words(data: Path, path: Path = COMMON_WORDS, min_lower: int = 2,
                       max_capitalized: float = 0.1) -> int:
    """Lowercase words of the train-split text (UD Bosque + GSD, Paramopama, LeNER-Br) seen at
    least `min_lower` times in lowercase and capitalized in at most `max_capitalized` of their
    occurrences inside a sentence."""
    lower: Counter = Counter()
    capital: Counter = Counter()

    def count(words: list[str]) -> None:
        for i, w in enumerate(words):
            if not w.isalpha():
                continue
            if w.islower():
                lower[w] += 1
            elif i and w[0].isupper() and w[1:].islower() and words[i - 1] not in _OPENERS:
                capital[w.lower()] += 1

    for key in ("bosque_train", "gsd_train"):
        for _, rows in read_conllu(data / UD_FILES[key]):
            count([r[1] for r in rows])
    for rel in (PARAMOPAMA, LENER_TRAIN):
        if (data / rel).exists():
            for words in conll_sentences(data / rel):
                count(words)
    words = sorted(w for w, n in lower.items()
                   if n >= min_lower and capital[w] <= max_capitalized * (n + capital[w]))
    times = {2: "twice", 3: "three times"}.get(min_lower, f"{min_lower} times")
    header = (f"# Common Portuguese words: lowercase at least {times} and capitalized inside a "
              f"sentence in at most {max_capitalized * 100:.0f} % of\n# their uses in UD Bosque "
              "+ GSD train, Paramopama and LeNER-Br train. Built by the `lexicon` command of "
              "models/project.yml;\n# read by pipeline/entities.py (a lone such word opening a "
              "sentence is not a name).\n")
    path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"[lexicon] {len(words)} common words -> {path}", flush=True)
    return len(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    ap.add_argument("--out", type=Path, default=COMMON_WORDS)
    args = ap.parse_args()
    prepare()
    write_common_words(args.data, args.out)


if __name__ == "__main__":
    main()

"""What the stage scripts of models/project.yml share: where things are, the data files they
read, readers of the corpus formats, and spaCy training with this project's settings."""

from __future__ import annotations

import json
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = MODELS_DIR.parent
DEFAULT_DATA = (REPO_DIR.parent / "shared" / "data").resolve()
DEFAULT_WORK = MODELS_DIR / ".work"
SENTS_PER_DOC = 10  # sentences per training doc, so that the parser learns sentence boundaries

# files under the shared data folder (../shared/data); models/project.yml lists them as assets
UD_FILES = {
    "bosque_train": "ud/UD_Portuguese-Bosque/pt_bosque-ud-train.conllu",
    "bosque_dev": "ud/UD_Portuguese-Bosque/pt_bosque-ud-dev.conllu",
    "gsd_train": "ud/UD_Portuguese-GSD/pt_gsd-ud-train.conllu",
    "gsd_dev": "ud/UD_Portuguese-GSD/pt_gsd-ud-dev.conllu",
    # only dev splits of these two are available: extra syntax *training* data (Brazilian
    # news; oil & gas theses), so they cannot also be used for selection
    "porttinari_dev": "ud/UD_Portuguese-Porttinari/pt_porttinari-ud-dev.conllu",
    "petrogold_dev": "ud/UD_Portuguese-PetroGold/pt_petrogold-ud-dev.conllu",
}
NER_FILES = {
    "ner_train": "ner/uner_pt_bosque/surface/pt_bosque-uner-surface-train.iob2",
    "ner_dev": "ner/uner_pt_bosque/surface/pt_bosque-uner-surface-dev.iob2",
}
PARAMOPAMA = "ner/paramopama/corpus_Paramopama.txt"
LENER_TRAIN = "ner/lener_br/train.conll"
WIKIANN_TRAIN = "ner/wikiann_pt/train"
HAREM_TRAIN = "ner/harem/json/FirstHAREM-selective-train.json"
# the classes of HAREM-style corpora (First HAREM, Paramopama, LeNER-Br) that are ours; the
# others (TEMPO, VALOR, the legal classes) become O
PT_LABELS = {"PESSOA": "PER", "LOCAL": "LOC", "ORGANIZACAO": "ORG"}


def prepare() -> None:
    """What every stage of the fast pipeline starts with, before numpy or spaCy is imported:
    one BLAS thread and a fixed hash seed for subprocesses (as the shipped model was trained),
    and no crash on a broken spaCy plugin."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    tolerate_broken_plugins()


def corpus_dir(work: Path) -> Path:
    """Where the convert stage writes the `.spacy` corpora (and the vector text)."""
    return work / "corpus"


# --------------------------------------------------------------------------- readers
def group(seq: list, size: int) -> Iterator[list]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def length_batches(sizes: list[int], budget: int, rng: random.Random | None
                   ) -> list[list[int]]:
    """Indices grouped by increasing size so that each group's longest × its count stays
    within ``budget`` (padded batches of about the same cost); the groups shuffled by ``rng``."""
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    groups, current, longest = [], [], 0
    for i in order:
        if current and max(longest, sizes[i]) * (len(current) + 1) > budget:
            groups.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, sizes[i])
    if current:
        groups.append(current)
    if rng is not None:
        rng.shuffle(groups)
    return groups


def read_conllu(path: Path) -> Iterator[tuple[str | None, list[list[str]]]]:
    """Yield sentences as (text, list of 10-column rows, multiword token rows included)."""
    text, rows = None, []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    yield text, rows
                text, rows = None, []
            elif line.startswith("#"):
                if line.startswith("# text ="):
                    text = line.split("=", 1)[1].strip()
            else:
                cols = line.split("\t")
                if "." in cols[0]:  # empty nodes (none in pt, but be safe)
                    continue
                rows.append(cols)
    if rows:
        yield text, rows


def read_iob2(path: Path) -> Iterator[tuple[list[str], list[bool], list[str]]]:
    """Yield sentences of the UNER surface files as (words, space after each word, tags)."""
    words, spaces, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if words:
                    yield words, spaces, tags
                words, spaces, tags = [], [], []
            elif line.startswith("#"):
                continue
            else:
                cols = line.split("\t")
                words.append(cols[1])
                spaces.append("SpaceAfter=No" not in cols[4])
                tags.append(cols[2])
    if words:
        yield words, spaces, tags


def conll_sentences(path: Path, strip_prefix: str = "") -> Iterator[list[str]]:
    """Word lists of a one-token-per-line file (blank line between sentences)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            form = line.split("\t")[0].split(" ")[0]
            words.append(form[len(strip_prefix):] if form.startswith(strip_prefix) else form)
        elif words:
            yield words
            words = []


def paramopama_sentences(path: Path) -> list[tuple[list[str], list[str]]]:
    """Paramopama (Wikipedia sentences, IO tags PESSOA/LOCAL/ORGANIZACAO/TEMPO) as (words, BIO
    tags): a run of one tag is one entity; TEMPO is dropped (our time expressions are not NER).
    The corpus keeps no spacing."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    sents = [list(zip(*(ln.split("\t")[:2] for ln in b.splitlines() if "\t" in ln), strict=True))
             for b in blocks]
    out = []
    for words, tags in (x for x in sents if x):
        bio, prev = [], "O"
        for tag in tags:
            lab = PT_LABELS.get(tag.strip())
            bio.append("O" if lab is None else ("I-" if prev == lab else "B-") + lab)
            prev = lab or "O"
        out.append((list(words), bio))
    return out


# --------------------------------------------------------------------------- training
def tolerate_broken_plugins() -> None:
    """Skip spaCy entry-point plugins that fail to import (e.g. a half-written project
    component installed in the same venv) instead of crashing: the anais pipeline only
    uses built-in factories."""
    import catalogue

    def get_entry_points(self):
        result = {}
        for ep in self._get_entry_points():
            try:
                result[ep.name] = ep.load()
            except Exception as err:  # noqa: BLE001
                print(f"[warn] skipping broken spaCy plugin {ep.name}: {err}", file=sys.stderr)
        return result

    catalogue.Registry.get_entry_points = get_entry_points


def record_seconds(work: Path, name: str, seconds: float) -> None:
    """Training time of a stage, kept in `<work>/timings.json` for the model's meta.json."""
    path = work / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds)
    path.write_text(json.dumps(timings))

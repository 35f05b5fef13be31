"""Rebuild the anais Portuguese spaCy pipeline (models/pt_anais) from scratch.

    .venv/bin/python models/train.py

Stages (all run by default, in order):
  convert   UD Bosque+GSD CoNLL-U, UNER Bosque surface IOB2 -> models/.work/corpus/*.spacy
  syntax    spacy train models/configs/syntax.cfg (tok2vec, morphologizer, lemmatizer, parser)
  ner       spacy train models/configs/ner.cfg (ner with its own tok2vec)
  assemble  syntax pipeline + sourced ner, lemmatizer comparison, evaluation, meta.json
            -> models/pt_anais

Data is read from ../shared/data (or --data); nothing is copied into the repository.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("PYTHONHASHSEED", "0")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

MODELS_DIR = Path(__file__).resolve().parent
REPO_DIR = MODELS_DIR.parent
DEFAULT_DATA = (REPO_DIR.parent / "shared" / "data").resolve()
WORK = MODELS_DIR / ".work"
CORPUS = WORK / "corpus"
OUT = MODELS_DIR / "pt_anais"
VERSION = "0.3.0"
SENTS_PER_DOC = 10

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
SYNTAX_CORPORA = {"bosque+gsd": ("bosque_train", "gsd_train"),
                  "bosque+gsd+nilc": ("bosque_train", "gsd_train", "porttinari_dev",
                                      "petrogold_dev")}


def syntax_train_set(corpus: str) -> str:
    """Name of the converted training set of a SYNTAX_CORPORA key."""
    return "syntax_train" + ("" if corpus == "bosque+gsd" else "_" + corpus.split("+")[-1])
NER_FILES = {
    "ner_train": "ner/uner_pt_bosque/surface/pt_bosque-uner-surface-train.iob2",
    "ner_dev": "ner/uner_pt_bosque/surface/pt_bosque-uner-surface-dev.iob2",
}
HAREM_TRAIN = "ner/harem/json/FirstHAREM-selective-train.json"
HAREM_LABELS = {"PESSOA": "PER", "LOCAL": "LOC", "ORGANIZACAO": "ORG"}  # TEMPO/VALOR -> O
WIKIANN_TRAIN = "ner/wikiann_pt/train"
PARAMOPAMA = "ner/paramopama/corpus_Paramopama.txt"
NER_CORPORA = {"uner": "ner_train", "uner-lb": "ner_train_lb", "uner+harem": "ner_train_harem",
               "uner+wikiann": "ner_train_wikiann", "uner+paramopama": "ner_train_paramopama",
               "uner+paramopama+swap": "ner_train_paramopama_swap",
               "uner-lb+swap": "ner_train_lb_swap",
               "uner+silver": "ner_train_silver"}
# GSD's features are mostly absent (≈80 % of words have none) and ≈18 % of its
# lemmas are "_"; Porttinari's features follow other conventions (Voice=Pass on participles,
# hardly any ExtPos: the 0.2.0 model scored 0.81 morph accuracy on it against 0.94 on Bosque
# and PetroGold). Their POS/features are marked missing (the morphologizer learns POS and
# features as one label), "_" lemmas too.
NO_MORPH = ("gsd", "porttinari")


# --------------------------------------------------------------------------- conversion
def read_conllu(path: Path):
    """Yield sentences as (text, list of 10-column word rows, list of MWT rows)."""
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


def ancestors(wid: int, head_of: dict) -> set:
    seen = set()
    h = head_of[wid]
    while h and h not in seen:
        seen.add(h)
        h = head_of[h]
    return seen


GSD_RELABEL = {"det:poss": "det", "expl:pv": "expl", "csubj:pass": "csubj", "acl:inf": "acl",
               "nsubj:outer": "nsubj"}


def harmonize_gsd(words) -> None:
    """Bring GSD relation labels to Bosque's conventions (in place): GSD still labels
    most obliques `nmod` (UD v1 style) and names `flat` where Bosque has `obl` and
    `flat:name`; mixing them unchanged cost ~8 LAS points on Bosque dev."""
    upos = {w[0]: w[3] for w in words}
    for w in words:
        rel, head_pos = w[7], upos.get(w[6], "ROOT")
        if rel == "nmod" and head_pos in ("VERB", "AUX", "ADJ", "ADV"):
            w[7] = "obl"
        elif rel == "flat" and head_pos == "PROPN":
            w[7] = "flat:name"
        else:
            w[7] = GSD_RELABEL.get(rel, rel)


# Porttinari and PetroGold (same annotation school as Bosque) use a few relation subtypes
# Bosque does not: they become their Bosque supertype.
NILC_RELABEL = {"obl:arg": "obl", "expl:pv": "expl", "expl:impers": "expl", "expl:pass": "expl",
                "ccomp:speech": "ccomp", "nsubj:outer": "nsubj"}


def harmonize_nilc(words) -> None:
    for w in words:
        w[7] = NILC_RELABEL.get(w[7], w[7])


HARMONIZE = {"gsd": harmonize_gsd, "porttinari": harmonize_nilc, "petrogold": harmonize_nilc}


def surface_sentence(rows, with_morph: bool, harmonize=None):
    """Collapse UD multiword tokens into their surface token.

    The surface token takes POS, features, head and relation of its *syntactic
    root* inside the span (the word none of whose ancestors is in the span; the
    first such word if several), and that word's lemma: `do` (de+o) -> ADP/de, `dela`
    (de+ela) -> PRON/ele, `fazê-lo` (fazer+o) -> VERB/fazer.
    """
    words = [r for r in rows if "-" not in r[0]]
    if harmonize:
        harmonize(words)
    ranges = {}
    for r in rows:
        if "-" in r[0]:
            a, b = (int(x) for x in r[0].split("-"))
            ranges[a] = (b, r)
    head_of = {int(w[0]): int(w[6]) for w in words}
    # map word id -> surface token index
    tok_of = {}
    toks = []  # (form, space, root word row)
    i = 0
    n = len(words)
    while i < n:
        wid = int(words[i][0])
        if wid in ranges:
            b, mrow = ranges[wid]
            span = [w for w in words if wid <= int(w[0]) <= b]
            ids = {int(w[0]) for w in span}
            root = next(w for w in span if not (ancestors(int(w[0]), head_of) & ids))
            for w in span:
                tok_of[int(w[0])] = len(toks)
            toks.append((mrow[1], "SpaceAfter=No" not in mrow[9], root))
            i += len(span)
        else:
            tok_of[wid] = len(toks)
            toks.append((words[i][1], "SpaceAfter=No" not in words[i][9], words[i]))
            i += 1
    keys = ("words", "spaces", "lemmas", "heads", "deps", "pos", "morphs")
    out = {k: [] for k in keys}
    for k, (form, space, w) in enumerate(toks):
        head = int(w[6])
        out["words"].append(form)
        out["spaces"].append(space)
        out["lemmas"].append("" if w[2] == "_" and form != "_" else w[2])
        out["heads"].append(k if head == 0 else tok_of[head])  # relative to sentence
        out["deps"].append(w[7].lower() if head else "ROOT")
        out["pos"].append(w[3] if with_morph else "")
        out["morphs"].append(("" if w[5] == "_" else w[5]) if with_morph else "")
    out["spaces"][-1] = True
    return out


def read_iob2(path: Path):
    """Yield sentences of the UNER surface files as (words, spaces, tags)."""
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


def group(seq, size):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def ud_docs(vocab, path: Path, with_morph: bool, harmonize=None):
    from spacy.tokens import Doc

    sents = [surface_sentence(rows, with_morph, harmonize) for _, rows in read_conllu(path)]
    docs = []
    for chunk in group(sents, SENTS_PER_DOC):
        attrs = {k: [] for k in chunk[0]}
        for s in chunk:
            off = len(attrs["words"])
            for k, v in s.items():
                attrs[k].extend([h + off for h in v] if k == "heads" else v)
        kwargs = dict(words=attrs["words"], spaces=attrs["spaces"], lemmas=attrs["lemmas"],
                      heads=attrs["heads"], deps=attrs["deps"])
        if with_morph:
            kwargs["pos"] = attrs["pos"]
            kwargs["morphs"] = attrs["morphs"]
        docs.append(Doc(vocab, **kwargs))
    return docs


def ner_docs(vocab, path: Path, line_break_rate: float = 0.0):
    """UNER sentences, 10 per doc. With `line_break_rate`, that share of the sentence
    boundaries is a line break token (as spaCy's tokenizer makes of "\\n" in real text) instead
    of a space, so that the model learns that names do not run across lines."""
    from spacy.tokens import Doc

    rng = random.Random(0)
    sents = list(read_iob2(path))
    docs = []
    for chunk in group(sents, SENTS_PER_DOC):
        w, s, t = [], [], []
        for words, spaces, tags in chunk:
            if w and rng.random() < line_break_rate:
                s[-1] = False
                w.append("\n")
                s.append(False)
                t.append("O")
            spaces = list(spaces)
            spaces[-1] = True
            w += words
            s += spaces
            t += tags
        docs.append(Doc(vocab, words=w, spaces=s, ents=t))
    return docs


def paramopama_docs(vocab, path: Path):
    """Paramopama (Wikipedia sentences, IO tags PESSOA/LOCAL/ORGANIZACAO/TEMPO): runs of the
    same tag become one entity; TEMPO is dropped (our time expressions are not NER)."""
    from spacy.tokens import Doc

    docs = []
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    sents = [list(zip(*(ln.split("\t")[:2] for ln in b.splitlines() if "\t" in ln), strict=True))
             for b in blocks]
    sents = [(list(ws), list(ts)) for ws, ts in (x for x in sents if x)]
    for chunk in group(sents, SENTS_PER_DOC):
        w, t = [], []
        for words, tags in chunk:
            prev = "O"
            for word, tag in zip(words, tags, strict=True):
                lab = HAREM_LABELS.get(tag.strip())
                t.append("O" if lab is None else ("I-" if prev == lab else "B-") + lab)
                prev = lab or "O"
                w.append(word)
        docs.append(Doc(vocab, words=w, ents=t))
    return docs


def lener_docs(vocab, path: Path):
    """LeNER-Br (legal texts, BIO): PESSOA/LOCAL/ORGANIZACAO kept, the legal classes and
    TEMPO dropped; 10 sentences per doc."""
    from spacy.tokens import Doc

    docs = []
    for chunk in group(list(conll_sentences_tagged(path)), SENTS_PER_DOC):
        w, t = [], []
        for words, tags in chunk:
            for word, tag in zip(words, tags, strict=True):
                prefix, _, name = tag.partition("-")
                lab = HAREM_LABELS.get(name)
                w.append(word)
                t.append(f"{prefix}-{lab}" if lab else "O")
        docs.append(Doc(vocab, words=w, ents=t))
    return docs


def entity_swapped_docs(vocab, docs, pool_docs, rate: float = 0.5, seed: int = 0):
    """Copies of `docs` in which each PER/LOC/ORG mention is, with probability `rate`, replaced
    by another mention of the same label drawn from `pool_docs` (mention replacement), so that
    the model sees more names in each context and leans less on having met the name itself."""
    from spacy.tokens import Doc

    rng = random.Random(seed)
    pool: dict[str, set] = {}
    for doc in pool_docs:
        for ent in doc.ents:
            pool.setdefault(ent.label_, set()).add(tuple(t.text for t in ent))
    names = {label: sorted(found) for label, found in sorted(pool.items())}
    out = []
    for doc in docs:
        words, spaces, tags = [], [], []
        starts = {ent.start: ent for ent in doc.ents}
        i = 0
        while i < len(doc):
            ent = starts.get(i)
            if ent is not None and rng.random() < rate:
                new = rng.choice(names[ent.label_])
                words += new
                spaces += [True] * (len(new) - 1) + [bool(doc[ent.end - 1].whitespace_)]
                tags += [f"B-{ent.label_}"] + [f"I-{ent.label_}"] * (len(new) - 1)
                i = ent.end
                continue
            tok = doc[i]
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            tags.append(f"{tok.ent_iob_}-{tok.ent_type_}" if tok.ent_type_ else "O")
            i += 1
        out.append(Doc(vocab, words=words, spaces=spaces, ents=tags))
    return out


def conll_sentences_tagged(path: Path):
    """(words, tags) of a `word tag` per line file with blank lines between sentences."""
    words, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) >= 2:
            words.append(parts[0])
            tags.append(parts[-1])
        elif words:
            yield words, tags
            words, tags = [], []


def harem_docs(nlp, path: Path, min_chars: int = 1000):
    """First HAREM (selective) documents, cut at line breaks into pieces of about
    `min_chars` characters, tokenized by spaCy; PESSOA/LOCAL/ORGANIZACAO kept."""
    from spacy.util import filter_spans

    docs = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        text = item["doc_text"]
        ents = [(e["start_offset"], e["end_offset"], HAREM_LABELS[e["label"]])
                for e in item["entities"] if e["label"] in HAREM_LABELS]
        start = 0
        while start < len(text):
            end = text.find("\n", start + min_chars)
            end = len(text) if end < 0 else end + 1
            piece = text[start:end]
            if piece.strip():
                doc = nlp.make_doc(piece)
                spans = [doc.char_span(a - start, b - start, label=lab, alignment_mode="contract")
                         for a, b, lab in ents if start <= a and b <= end]
                spans = filter_spans([sp for sp in spans if sp is not None])
                doc.set_ents(spans, default="outside")
                docs.append(doc)
            start = end
    return docs


def wikiann_docs(vocab, path: Path):
    """WikiANN (silver) fragments, `pt:` prefix stripped, 10 fragments per doc."""
    from spacy.tokens import Doc

    sents, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if words:
                sents.append((words, tags))
            words, tags = [], []
            continue
        form, tag = line.rsplit("\t", 1)
        words.append(form[3:] if form.startswith("pt:") else form)
        tags.append(tag)
    docs = []
    for chunk in group(sents, SENTS_PER_DOC):
        w = [x for ws, _ in chunk for x in ws]
        t = [x for _, ts in chunk for x in ts]
        docs.append(Doc(vocab, words=w, ents=t))
    return docs


def write_raw_text(data: Path, path: Path) -> int:
    """Raw text for `spacy pretrain` (train splits only): UD Bosque + GSD train sentences,
    First HAREM train paragraphs, Paramopama sentences."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:

        def emit(text: str) -> None:
            nonlocal n
            if len(text.split()) >= 5:
                out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                n += len(text.split())

        for key in ("bosque_train", "gsd_train"):
            for text, _ in read_conllu(data / UD_FILES[key]):
                emit(text)
        if (data / HAREM_TRAIN).exists():
            for item in json.loads((data / HAREM_TRAIN).read_text(encoding="utf-8")):
                for para in item["doc_text"].split("\n"):
                    emit(para)
        para_path = data / PARAMOPAMA
        if para_path.exists():
            words = []
            for line in para_path.read_text(encoding="utf-8").splitlines() + [""]:
                if line.strip():
                    words.append(line.split("\t")[0])
                elif words:
                    emit(" ".join(words))
                    words = []
    return n


LENER_TRAIN = "ner/lener_br/train.conll"
# Text for the word vectors: train splits whose licence allows shipping a model derived from
# them (First HAREM and TimeBankPT are research-only, so they are left out).
VECTOR_TEXT_SOURCES = ("UD Bosque train (CC BY-SA 4.0)", "UD GSD train (CC BY-SA 4.0)",
                       "Paramopama (WikiNER/Wikipedia text, CC BY-SA)",
                       "LeNER-Br train (MIT)", "WikiANN pt train (Wikipedia text, CC BY-SA)")


def conll_sentences(path: Path, strip_prefix: str = ""):
    """Word lists of a one-token-per-line file (blank line between sentences)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            form = line.split("\t")[0].split(" ")[0]
            words.append(form[len(strip_prefix):] if form.startswith(strip_prefix) else form)
        elif words:
            yield words
            words = []


def write_vector_text(data: Path, path: Path) -> int:
    """One tokenized sentence per line from VECTOR_TEXT_SOURCES (train splits only), for the
    floret vectors. Sentences are re-tokenized by spaCy's Portuguese tokenizer so that the
    vector keys are the tokens seen at run time."""
    import spacy

    tokenizer = spacy.blank("pt").tokenizer
    n = 0
    with open(path, "w", encoding="utf-8") as out:

        def emit(text: str) -> None:
            nonlocal n
            tokens = [t.text for t in tokenizer(text) if not t.is_space]
            if len(tokens) >= 3:
                out.write(" ".join(tokens) + "\n")
                n += len(tokens)

        for key in ("bosque_train", "gsd_train"):
            for text, _ in read_conllu(data / UD_FILES[key]):
                emit(text)
        for rel, prefix in ((PARAMOPAMA, ""), (LENER_TRAIN, ""), (WIKIANN_TRAIN, "pt:")):
            if (data / rel).exists():
                for words in conll_sentences(data / rel, prefix):
                    emit(" ".join(words))
    return n


COMMON_WORDS = REPO_DIR / "pipeline" / "data" / "common_words.txt"
_OPENERS = {".", "«", '"', ":", "—", "–", "-", "!", "?", "“"}


def write_common_words(data: Path, path: Path = COMMON_WORDS, min_lower: int = 2,
                       max_capitalized: float = 0.1) -> int:
    """The lexicon of `anais_entities` that tells a lone capitalized word at the start of a
    sentence or headline from a name: lowercase words of the train-split text (UD Bosque + GSD,
    Paramopama, LeNER-Br) seen at least `min_lower` times in lowercase and capitalized in at
    most `max_capitalized` of their occurrences inside a sentence."""
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
              "+ GSD train, Paramopama "
              "and LeNER-Br train. Built by `models/train.py --stages lexicon`;\n# read by "
              "pipeline/entities.py (a lone such word opening a sentence is not a name).\n")
    path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"[lexicon] {len(words)} common words -> {path}", flush=True)
    return len(words)


def train_vectors(data: Path, dim: int, bucket: int, epochs: int) -> Path:
    """floret vectors (subword hashing, so unseen words such as foreign names still get a
    vector) on the train-split text, then `spacy init vectors --mode floret`."""
    import floret

    text = CORPUS / "vector_text.txt"
    words = write_vector_text(data, text)
    print(f"[vectors] {words} tokens of train-split text", flush=True)
    out = WORK / "vectors"
    out.mkdir(parents=True, exist_ok=True)
    model = floret.train_unsupervised(
        str(text), model="cbow", mode="floret", dim=dim, bucket=bucket, hashCount=2,
        minn=4, maxn=5, minCount=2, epoch=epochs, thread=1, verbose=0)  # one thread: deterministic
    model.save_floret_vectors(str(out / "vectors.floret"))
    target = WORK / "vectors_model"
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "pt",
                    str(out / "vectors.floret"), str(target), "--mode", "floret"], check=True)
    (target / "vector_info.json").write_text(json.dumps(
        {"tokens": words, "dim": dim, "bucket": bucket, "epochs": epochs,
         "sources": list(VECTOR_TEXT_SOURCES)}, indent=1))
    return target


def convert(data: Path) -> dict:
    import spacy
    from spacy.tokens import DocBin

    CORPUS.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("pt")
    sets = {}
    for name, rel in UD_FILES.items():
        treebank = name.split("_")[0]
        if not (data / rel).exists() and treebank in ("porttinari", "petrogold"):
            continue
        sets[name] = ud_docs(nlp.vocab, data / rel, with_morph=treebank not in NO_MORPH,
                             harmonize=HARMONIZE.get(treebank))
    for name, rel in NER_FILES.items():
        sets[name] = ner_docs(nlp.vocab, data / rel)
    sets["ner_train_lb"] = ner_docs(nlp.vocab, data / NER_FILES["ner_train"], line_break_rate=0.5)
    if (data / PARAMOPAMA).exists():
        sets["paramopama"] = paramopama_docs(nlp.vocab, data / PARAMOPAMA)
        sets["ner_train_paramopama"] = sets["ner_train_lb"] + sets["paramopama"]
        random.Random(0).shuffle(sets["ner_train_paramopama"])
        swapped = entity_swapped_docs(nlp.vocab, sets["ner_train_lb"],
                                      sets["ner_train_lb"] + sets["paramopama"])
        sets["ner_train_lb_swap"] = sets["ner_train_lb"] + swapped
        random.Random(0).shuffle(sets["ner_train_lb_swap"])
        sets["ner_train_paramopama_swap"] = sets["ner_train_paramopama"] + swapped
        random.Random(0).shuffle(sets["ner_train_paramopama_swap"])
    if (data / HAREM_TRAIN).exists():
        sets["harem_train"] = harem_docs(nlp, data / HAREM_TRAIN)
        sets["ner_train_harem"] = sets["ner_train"] + sets["harem_train"]
        random.Random(0).shuffle(sets["ner_train_harem"])
    if (data / WIKIANN_TRAIN).exists():
        sets["wikiann_train"] = wikiann_docs(nlp.vocab, data / WIKIANN_TRAIN)
        sets["ner_train_wikiann"] = sets["ner_train"] + sets["wikiann_train"]
        random.Random(0).shuffle(sets["ner_train_wikiann"])
    if all(k in sets for k in ("paramopama", "wikiann_train")) and (data / LENER_TRAIN).exists():
        sets["ner_train_silver"] = (sets["ner_train_lb"] + sets["paramopama"]
                                    + sets["wikiann_train"]
                                    + lener_docs(nlp.vocab, data / LENER_TRAIN))
        random.Random(0).shuffle(sets["ner_train_silver"])
    for key, parts in SYNTAX_CORPORA.items():
        if all(p in sets for p in parts):
            name = syntax_train_set(key)
            sets[name] = [d for p in parts for d in sets[p]]
            random.Random(0).shuffle(sets[name])
    sets["syntax_dev"] = sets["bosque_dev"] + sets["gsd_dev"]
    stats = {}
    for name, docs in sets.items():
        tmp = CORPUS / f".{name}.spacy.tmp"
        DocBin(docs=docs, store_user_data=False).to_disk(tmp)
        os.replace(tmp, CORPUS / f"{name}.spacy")  # atomic: a running training may read it
        stats[name] = {"docs": len(docs), "tokens": sum(len(d) for d in docs)}
        print(f"[convert] {name}: {stats[name]}", flush=True)
    stats["raw_text_words"] = write_raw_text(data, CORPUS / "raw_text.jsonl")
    (CORPUS / "stats.json").write_text(json.dumps(stats, indent=1))
    return stats


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


def spacy_train(cfg: str, out: Path, train: str, dev: str, seed: int, max_steps: int | None,
                extra: dict) -> float:
    from spacy.cli.train import train as train_pipeline

    ovr = {"paths.train": str(CORPUS / f"{train}.spacy"), "paths.dev": str(CORPUS / f"{dev}.spacy"),
           "system.seed": seed}
    if max_steps:
        ovr["training.max_steps"] = max_steps
    cfg_text = (MODELS_DIR / "configs" / cfg).read_text()
    if "${paths.syntax_model}" in cfg_text:
        ovr["paths.syntax_model"] = str(WORK / "syntax" / "model-best")  # ner_shared.cfg
    if "${paths.ner_source}" in cfg_text:
        ovr["paths.ner_source"] = str(WORK / "ner_base" / "model-best")
    if "include_static_vectors = true" in cfg_text or "${paths.ner_source}" in cfg_text:
        ovr["paths.vectors"] = str(WORK / "vectors_model")
    if "${paths.raw_text}" in cfg_text:
        ovr["paths.raw_text"] = str(CORPUS / "raw_text.jsonl")
    ovr.update(extra)
    print(f"[train] {cfg} -> {out} {ovr}", flush=True)
    t0 = time.time()
    train_pipeline(MODELS_DIR / "configs" / cfg, out, use_gpu=-1, overrides=ovr)
    return time.time() - t0


def spacy_pretrain(cfg: str, out: Path, max_epochs: int) -> Path:
    from spacy.cli.pretrain import pretrain
    from spacy.util import load_config

    ovr = {"paths.raw_text": str(CORPUS / "raw_text.jsonl"),
           "paths.train": str(CORPUS / "ner_train.spacy"),
           "paths.dev": str(CORPUS / "ner_dev.spacy"),
           "pretraining.max_epochs": max_epochs}
    config = load_config(MODELS_DIR / "configs" / cfg, overrides=ovr, interpolate=False)
    print(f"[pretrain] {cfg} -> {out} {ovr}", flush=True)
    pretrain(config.interpolate(), out, use_gpu=-1, silent=False)
    return out / f"model{max_epochs - 1}.bin"


# --------------------------------------------------------------------------- evaluation
def load_examples(nlp, name: str):
    from spacy.tokens import DocBin
    from spacy.training import Example

    docs = DocBin().from_disk(CORPUS / f"{name}.spacy").get_docs(nlp.vocab)
    # raw text through spaCy's own tokenizer, aligned to the gold surface tokens
    return [Example(nlp.make_doc(d.text), d) for d in docs]


def words_per_second(nlp, texts, repeats: int = 1) -> float:
    n, t0 = 0, time.perf_counter()
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=64):
            n += len(doc)
    return n / (time.perf_counter() - t0)


def lookup_lemma_acc(nlp, examples) -> float:
    """Lemma accuracy of spaCy's lookup lemmatizer (spacy-lookups-data pt table)."""
    import spacy

    lk = spacy.blank("pt")
    lk.add_pipe("lemmatizer", config={"mode": "lookup"})
    lk.initialize()
    lemm = lk.get_pipe("lemmatizer")
    from spacy.training import Example

    exs = [Example(lemm(nlp.make_doc(eg.reference.text)), eg.reference) for eg in examples]
    from spacy.scorer import Scorer

    return Scorer.score_token_attr(exs, "lemma")["lemma_acc"]


def r4(x):
    return None if x is None else round(float(x), 4)


DATASETS = [
    {"name": "UD_Portuguese-Bosque", "version": "UD 2.16", "license": "CC BY-SA 4.0",
     "url": "https://github.com/UniversalDependencies/UD_Portuguese-Bosque",
     "use": "train: UPOS/features, lemmas, dependencies; dev: selection + scores"},
    {"name": "UD_Portuguese-GSD", "version": "UD 2.16", "license": "CC BY-SA 4.0",
     "url": "https://github.com/UniversalDependencies/UD_Portuguese-GSD",
     "use": "train: lemmas (where given), dependencies; dev: selection (its UPOS/features "
            "are not used: features mostly absent)"},
    {"name": "UD_Portuguese-Porttinari", "version": "UD 2.17 (Porttinari-base 3.0), dev split",
     "license": "CC BY 4.0", "url": "https://github.com/UniversalDependencies/UD_Portuguese-Porttinari",
     "use": "train (its dev split; no train split available): lemmas, dependencies (its "
            "UPOS/features are not used: other feature conventions)"},
    {"name": "UD_Portuguese-PetroGold", "version": "UD 2.16, dev split", "license": "CC BY-SA 4.0",
     "url": "https://github.com/UniversalDependencies/UD_Portuguese-PetroGold",
     "use": "train (its dev split; no train split available): UPOS/features, lemmas, "
            "dependencies"},
    {"name": "UNER_Portuguese-Bosque", "version": "commit f2c2ad6, surface tokens",
     "license": "CC BY-SA 4.0", "url": "https://github.com/UniversalNER/UNER_Portuguese-Bosque",
     "use": "train: NER (PER, LOC, ORG); dev: selection + scores"},
]


EXTRA_DATASETS = [
    {"key": "paramopama", "name": "Paramopama", "version": "NER-datasets commit db7ff3c",
     "license": "none stated; derived from WikiNER (CC BY 4.0) / Wikipedia (CC BY-SA)",
     "url": "https://github.com/davidsbatista/NER-datasets"},
    {"key": "wikiann", "name": "WikiANN pt (Rahimi et al. split), train",
     "version": "NER-datasets commit db7ff3c",
     "license": "none stated; Wikipedia text (CC BY-SA)",
     "url": "https://github.com/davidsbatista/NER-datasets"},
    {"key": "lener", "name": "LeNER-Br train", "version": "commit 4999cb7", "license": "MIT",
     "url": "https://github.com/peluz/lener-br"},
]

HAREM = {"name": "First HAREM (selective)", "version": "portuguese-bert commit f04abcd",
         "license": "free for research (Linguateca); no explicit open licence",
         "url": "https://www.linguateca.pt/HAREM/",
         "use": "train: NER (PESSOA->PER, LOCAL->LOC, ORGANIZACAO->ORG)"}


def assemble(args, timings: dict) -> None:
    import spacy

    datasets = [d for d in DATASETS
                if args.syntax_corpus.endswith("nilc")
                or ("Porttinari" not in d["name"] and "PetroGold" not in d["name"])]
    datasets += [HAREM] if "harem" in args.ner_corpus else []
    ner_data = args.ner_base_corpus + args.ner_corpus
    for extra in EXTRA_DATASETS:
        use = ["floret vector text"]
        if extra["key"] in ner_data or "silver" in ner_data:
            use.append("first NER stage (PER, LOC, ORG; later fine-tuned on UNER)")
        datasets.append({k: v for k, v in extra.items() if k != "key"} | {"use": "; ".join(use)})

    nlp = spacy.load(WORK / args.syntax_name / "model-best")
    ner_best = WORK / args.ner_name / "model-best"
    ner_nlp = spacy.load(ner_best)
    if ner_nlp.vocab.vectors.shape[0]:  # the NER reads the floret vectors from the vocab
        nlp.vocab.vectors = ner_nlp.vocab.vectors
    for name in ner_nlp.pipe_names:  # "ner", or "ner_tok2vec" + "ner" (ner_pretrain.cfg)
        nlp.add_pipe(name, source=ner_nlp)
    # save + reload: links a sourced NER listener (ner_shared.cfg) to this pipeline's tok2vec
    nlp.to_disk(WORK / "assembled")
    nlp = spacy.load(WORK / "assembled")

    bosque = load_examples(nlp, "bosque_dev")
    gsd = load_examples(nlp, "gsd_dev")
    nerdev = load_examples(nlp, "ner_dev")

    sb = nlp.evaluate(bosque)
    sg = nlp.evaluate(gsd)
    with nlp.select_pipes(enable=["ner"]):
        sn = nlp.evaluate(nerdev)
    lookup_acc = lookup_lemma_acc(nlp, bosque)
    print(f"[assemble] Bosque dev lemma_acc: trainable={sb['lemma_acc']:.4f} "
          f"lookup={lookup_acc:.4f}", flush=True)
    lemmatizer_kind = "trainable_lemmatizer (edit trees)"
    if lookup_acc > sb["lemma_acc"]:
        nlp.replace_pipe("lemmatizer", "lemmatizer", config={"mode": "lookup"})
        nlp.get_pipe("lemmatizer").initialize()
        lemmatizer_kind = "lemmatizer (lookup table of spacy-lookups-data)"
        sb = nlp.evaluate(bosque)
        sg = nlp.evaluate(gsd)

    sent_texts = [s.text for eg in bosque for s in eg.reference.sents]
    nlp(sent_texts[0])
    wps = words_per_second(nlp, sent_texts)

    per_type = {k: {m: r4(v) for m, v in d.items()}
                for k, d in (sn.get("ents_per_type") or {}).items()}
    anais = {
        "upos_acc": r4(sb["pos_acc"]),
        "morph_acc": r4(sb["morph_acc"]),
        "lemma_acc": r4(sb["lemma_acc"]),
        "lemma_acc_lookup_baseline": r4(lookup_acc),
        "uas": r4(sb["dep_uas"]),
        "las": r4(sb["dep_las"]),
        "sents_f": r4(sb["sents_f"]),
        "ner_p": r4(sn["ents_p"]),
        "ner_r": r4(sn["ents_r"]),
        "ner_f": r4(sn["ents_f"]),
        "ner_per_type": per_type,
        "words_per_second": round(wps),
        "gsd_dev": {"lemma_acc": r4(sg["lemma_acc"]), "uas": r4(sg["dep_uas"]),
                    "las": r4(sg["dep_las"]), "sents_f": r4(sg["sents_f"])},
        "evaluation": "dev sets; raw text tokenized by spaCy's pt tokenizer and aligned to the "
                      "gold surface tokens (UD multiword tokens kept whole, see models/README.md); "
                      "UPOS/morph/lemma/UAS/LAS/sents on UD Bosque dev, NER on UNER Bosque dev",
        "lemmatizer": lemmatizer_kind,
        "datasets": [d["name"] for d in datasets],
        "training_seconds": timings,
        "seed": args.seed,
    }
    nlp.meta.update({
        "name": "anais",
        "lang": "pt",
        "version": VERSION,
        "description": "anais Portuguese pipeline: CNN tok2vec, morphologizer, lemmatizer, "
                       "parser, NER (PER/LOC/ORG; own CNN tok2vec + floret vectors trained by "
                       "models/train.py); trained on CPU "
                       f"with spaCy {spacy.__version__} by models/train.py.",
        "author": "anais",
        "license": "CC BY-SA 4.0 (trained on CC BY-SA 4.0 data)",
        "spacy_version": ">=3.8.0,<3.9.0",
        "datasets": datasets,
        "sources": [{k: d[k] for k in ("name", "url", "license")} for d in datasets],
        "performance": {
            "pos_acc": r4(sb["pos_acc"]), "morph_acc": r4(sb["morph_acc"]),
            "lemma_acc": r4(sb["lemma_acc"]), "dep_uas": r4(sb["dep_uas"]),
            "dep_las": r4(sb["dep_las"]), "sents_p": r4(sb["sents_p"]),
            "sents_r": r4(sb["sents_r"]), "sents_f": r4(sb["sents_f"]),
            "ents_p": r4(sn["ents_p"]), "ents_r": r4(sn["ents_r"]), "ents_f": r4(sn["ents_f"]),
            "ents_per_type": per_type, "speed": round(wps),
        },
        "anais_dev_scores": anais,
    })
    # the folder is also the `pt_anais` Python package anais installs (pyproject package-dir):
    # its tracked __init__.py outlives the rebuild
    package_init = (OUT / "__init__.py").read_text("utf-8")
    if OUT.exists():
        shutil.rmtree(OUT)
    nlp.to_disk(OUT)
    (OUT / "__init__.py").write_text(package_init, "utf-8")
    t0 = time.perf_counter()
    spacy.load(OUT)
    anais["load_seconds"] = round(time.perf_counter() - t0, 3)
    anais.update(pipeline_entity_scores(args.data))
    meta = json.loads((OUT / "meta.json").read_text(encoding="utf-8"))
    meta["anais_dev_scores"] = anais
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    print(json.dumps(anais, indent=1, ensure_ascii=False), flush=True)


def pipeline_entity_scores(data: Path) -> dict:
    """Entities as `anais run` reports them (model + anais_entities post-processing), on UNER
    dev (text rebuilt with a line break between sentences) and on the project's own
    out-of-domain gold (corpus/gold: history narratives and news written for anais)."""
    sys.path.insert(0, str(REPO_DIR))
    from pipeline.evaluation.evaluate import evaluate_gold
    from pipeline.model_loading import load

    nlp = load(str(OUT))
    out = {}
    for key, gold, kind in (("uner_dev", data / NER_FILES["ner_dev"], "spans"),
                            ("corpus_gold", REPO_DIR / "corpus" / "gold", "surfaces")):
        ents = evaluate_gold(gold, nlp=nlp).scores["entities"][kind]
        micro = (ents["strict"] if kind == "spans" else ents)["micro"]
        out[f"pipeline_entities_{key}"] = {m: r4(micro[m]) for m in ("precision", "recall", "f1")}
        print(f"[assemble] anais entities on {key}: {out[f'pipeline_entities_{key}']}", flush=True)
    return out


def overrides(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, value = item.split("=", 1)
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def main(argv=None) -> None:
    global WORK, CORPUS, OUT
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="shared data folder (default: ../shared/data beside the repository)")
    ap.add_argument("--stages", default="convert,lexicon,vectors,syntax,ner_base,ner,assemble",
                    help="comma-separated subset of "
                         "convert,lexicon,vectors,syntax,ner_base,pretrain,ner,assemble")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", type=Path, default=WORK,
                    help="folder for converted corpora, vectors and checkpoints")
    ap.add_argument("--out", type=Path, default=OUT, help="where the pipeline is written")
    ap.add_argument("--vector-dim", type=int, default=100)
    ap.add_argument("--vector-bucket", type=int, default=20000,
                    help="rows of the floret hash table (size = rows x dim x 4 bytes)")
    ap.add_argument("--vector-epochs", type=int, default=10)
    ap.add_argument("--syntax-config", default="syntax.cfg")
    ap.add_argument("--syntax-name", default="syntax",
                    help="folder name under models/.work for the syntax model")
    ap.add_argument("--syntax-corpus", choices=sorted(SYNTAX_CORPORA), default="bosque+gsd+nilc",
                    help="syntax training data (nilc: + Porttinari dev + PetroGold dev)")
    ap.add_argument("--syntax-max-steps", type=int, default=None,
                    help="override max_steps of the syntax config")
    ap.add_argument("--syntax-set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="config override for the syntax config, e.g. training.eval_frequency=200")
    ap.add_argument("--ner-base-corpus", choices=sorted(NER_CORPORA),
                    default="uner+paramopama+swap",
                    help="data of the first NER stage (configs/ner_base.cfg)")
    ap.add_argument("--ner-corpus", choices=sorted(NER_CORPORA), default="uner-lb",
                    help="data of the NER stage (configs/ner.cfg fine-tunes the ner_base model)")
    ap.add_argument("--ner-config", default="ner.cfg",
                    help="NER config in models/configs (experiments: ner_base.cfg trains from "
                         "scratch, ner_shared.cfg listens to the frozen syntax tok2vec, "
                         "ner_pretrain.cfg starts from `spacy pretrain` weights)")
    ap.add_argument("--ner-base-max-steps", type=int, default=None,
                    help="override max_steps of configs/ner_base.cfg")
    ap.add_argument("--ner-max-steps", type=int, default=None,
                    help="override max_steps of the NER config")
    ap.add_argument("--ner-set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="config override for the NER config (repeatable)")
    ap.add_argument("--ner-name", default="ner",
                    help="folder name under models/.work for the NER model")
    ap.add_argument("--pretrain-epochs", type=int, default=8,
                    help="epochs of `spacy pretrain` (stage pretrain, for ner_pretrain.cfg)")
    args = ap.parse_args(argv)
    WORK, CORPUS = args.work.resolve(), args.work.resolve() / "corpus"
    OUT = args.out.resolve()
    tolerate_broken_plugins()
    stages = set(args.stages.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    timings_path = WORK / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}

    def timed(name: str, t0: float) -> None:
        timings[name] = round(time.time() - t0)
        timings_path.write_text(json.dumps(timings))

    if "convert" in stages:
        convert(args.data)
    if "lexicon" in stages:
        write_common_words(args.data)
    if "vectors" in stages:
        t0 = time.time()
        train_vectors(args.data, args.vector_dim, args.vector_bucket, args.vector_epochs)
        timed("vectors", t0)
    if "syntax" in stages:
        t0 = time.time()
        spacy_train(args.syntax_config, WORK / args.syntax_name,
                    syntax_train_set(args.syntax_corpus), "syntax_dev",
                    args.seed, args.syntax_max_steps, overrides(args.syntax_set))
        timed(args.syntax_name, t0)
    if "ner_base" in stages:
        t0 = time.time()
        spacy_train("ner_base.cfg", WORK / "ner_base", NER_CORPORA[args.ner_base_corpus],
                    "ner_dev", args.seed, args.ner_base_max_steps, {})
        timed("ner_base", t0)
    init_t2v = WORK / "pretrain" / f"model{args.pretrain_epochs - 1}.bin"
    if "pretrain" in stages:
        t0 = time.time()
        init_t2v = spacy_pretrain("ner_pretrain.cfg", WORK / "pretrain", args.pretrain_epochs)
        timed("pretrain", t0)
    if "ner" in stages:
        t0 = time.time()
        if args.ner_config == "ner_pretrain.cfg":
            args.ner_set.append(f"paths.init_tok2vec={init_t2v}")
        spacy_train(args.ner_config, WORK / args.ner_name, NER_CORPORA[args.ner_corpus],
                    "ner_dev", args.seed, args.ner_max_steps, overrides(args.ner_set))
        timed(args.ner_name, t0)
    if "assemble" in stages:
        assemble(args, timings)


if __name__ == "__main__":
    main()

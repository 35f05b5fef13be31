"""UD CoNLL-U sentences as spaCy docs of surface tokens (part of the convert stage).

UD multiword tokens are kept as their surface token (`do`, `das`, `fazê-lo`), which is what
spaCy's tokenizer makes of raw text; relation labels of GSD, Porttinari and PetroGold are
brought to Bosque's conventions.
"""

from __future__ import annotations

from pathlib import Path

from common import SENTS_PER_DOC, group, read_conllu

# GSD's features are mostly absent (≈80 % of words have none) and ≈18 % of its
# lemmas are "_"; Porttinari's features follow other conventions (Voice=Pass on participles,
# hardly any ExtPos: the 0.2.0 model scored 0.81 morph accuracy on it against 0.94 on Bosque
# and PetroGold). Their POS/features are marked missing (the morphologizer learns POS and
# features as one label), "_" lemmas too.
NO_MORPH = ("gsd", "porttinari")

GSD_RELABEL = {"det:poss": "det", "expl:pv": "expl", "csubj:pass": "csubj", "acl:inf": "acl",
               "nsubj:outer": "nsubj"}
# Porttinari and PetroGold (same annotation school as Bosque) use a few relation subtypes
# Bosque does not: they become their Bosque supertype.
NILC_RELABEL = {"obl:arg": "obl", "expl:pv": "expl", "expl:impers": "expl", "expl:pass": "expl",
                "ccomp:speech": "ccomp", "nsubj:outer": "nsubj"}


def ancestors(wid: int, head_of: dict) -> set:
    seen = set()
    h = head_of[wid]
    while h and h not in seen:
        seen.add(h)
        h = head_of[h]
    return seen


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


def harmonize_nilc(words) -> None:
    for w in words:
        w[7] = NILC_RELABEL.get(w[7], w[7])


HARMONIZE = {"gsd": harmonize_gsd, "porttinari": harmonize_nilc, "petrogold": harmonize_nilc}


def surface_sentence(rows, with_morph: bool, harmonize=None) -> dict[str, list]:
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


def ud_docs(vocab, path: Path, treebank: str) -> list:
    """The sentences of a treebank's file, SENTS_PER_DOC per doc (so that the parser learns
    sentence boundaries)."""
    from spacy.tokens import Doc

    with_morph = treebank not in NO_MORPH
    sents = [surface_sentence(rows, with_morph, HARMONIZE.get(treebank))
             for _, rows in read_conllu(path)]
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

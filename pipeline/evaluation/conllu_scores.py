"""CoNLL-U gold: tagging, morphology, lemmas and parsing, scored with spaCy's own ``Scorer``.

The pipeline runs on Docs built from the gold tokens (so tokens align one-to-one and only the
annotation is compared). Which tokens:

- ``surface`` (default): multiword tokens (``do`` = de + o) stay one token, as spaCy tokenizes
  and as our models are trained; the token carries the annotation of its syntactic head word
  inside the span (``do`` → ADP, lemma ``de``), and arcs into the span point at the token;
- ``words``: UD syntactic words (``de``, ``o``), the CoNLL 2018 view.

Dependency scores follow spaCy's convention: punctuation (``punct``) is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab

TokenMode = Literal["surface", "words"]
SENTS_PER_DOC = 10  # a few sentences per Doc keeps sentence-boundary scoring meaningful


@dataclass(slots=True)
class _Tok:
    form: str
    space: bool
    lemma: str
    pos: str
    morph: str
    head: int  # sentence-relative token index (itself for the root)
    dep: str


def _blank(v: str) -> str:
    return "" if v == "_" else v


def _sentences(text: str) -> list[list[list[str]]]:
    sents, rows = [], []
    for line in text.splitlines():
        if not line.strip():
            if rows:
                sents.append(rows)
            rows = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) == 10 and "." not in cols[0]:  # skip empty nodes
                rows.append(cols)
    if rows:
        sents.append(rows)
    return sents


def _tokens(rows: list[list[str]], mode: TokenMode) -> list[_Tok]:
    words = [r for r in rows if r[0].isdigit()]
    head_of = {int(w[0]): int(w[6]) for w in words}
    spans: dict[int, tuple[int, list[str]]] = {}  # first word id -> (last word id, MWT row)
    for r in rows:
        if "-" in r[0]:
            a, b = (int(x) for x in r[0].split("-"))
            spans[a] = (b, r)
    groups: list[tuple[list[list[str]], list[str] | None]] = []
    i = 0
    while i < len(words):
        wid = int(words[i][0])
        if mode == "surface" and wid in spans:
            last, mwt = spans[wid]
            group = [w for w in words if wid <= int(w[0]) <= last]
            groups.append((group, mwt))
            i += len(group)
        else:
            groups.append(([words[i]], None))
            i += 1
    tok_of = {int(w[0]): k for k, (g, _) in enumerate(groups) for w in g}
    # In words mode, no space inside a multiword token; its SpaceAfter goes on its last word.
    misc_of = {int(w[0]): w[9] for w in words}
    for a, (b, mwt) in spans.items():
        for wid in range(a, b + 1):
            misc_of[wid] = mwt[9] if wid == b else "SpaceAfter=No"
    out = []
    for k, (group, mwt) in enumerate(groups):
        ids = {int(w[0]) for w in group}
        # The word whose head lies outside the span carries the token's annotation.
        root = next((w for w in group if head_of[int(w[0])] not in ids), group[0])
        head = head_of[int(root[0])]
        misc = mwt[9] if mwt else misc_of[int(root[0])]
        out.append(_Tok(
            form=mwt[1] if mwt else root[1],
            space="SpaceAfter=No" not in misc,
            lemma=_blank(root[2]),
            pos=_blank(root[3]),
            morph=_blank(root[5]),
            head=k if head == 0 else tok_of[head],
            dep="ROOT" if head == 0 else root[7],
        ))
    return out


def read_conllu_docs(path: str | Path, mode: TokenMode = "surface",
                     vocab: Vocab | None = None) -> list[Doc]:
    """Gold Docs of ``SENTS_PER_DOC`` sentences with POS, morph, lemma, heads and deps."""
    vocab = vocab or Vocab()
    sents = [_tokens(rows, mode) for rows in _sentences(Path(path).read_text(encoding="utf-8"))]
    docs = []
    for start in range(0, len(sents), SENTS_PER_DOC):
        toks: list[_Tok] = []
        heads: list[int] = []
        for sent in sents[start:start + SENTS_PER_DOC]:
            off = len(toks)
            heads += [t.head + off for t in sent]
            toks += sent
            toks[-1].space = True  # sentences are separated in the rebuilt text
        docs.append(Doc(vocab, words=[t.form for t in toks], spaces=[t.space for t in toks],
                        lemmas=[t.lemma for t in toks], pos=[t.pos for t in toks],
                        morphs=[t.morph for t in toks], heads=heads,
                        deps=[t.dep for t in toks]))
    return docs


def score_conllu(nlp: Language, paths: list[Path], batch_size: int = 64,
                 mode: TokenMode = "surface") -> dict[str, Any]:
    """UPOS, morph, lemma accuracy, UAS, LAS and sentence F of ``nlp`` on CoNLL-U files."""
    gold = [d for p in paths for d in read_conllu_docs(p, mode)]
    inputs = [Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g])
              for g in gold]
    predicted = list(nlp.pipe(inputs, batch_size=batch_size))
    examples = [Example(p, g) for p, g in zip(predicted, gold, strict=True)]
    n_sents = sum(len(list(d.sents)) for d in gold)
    return conllu_metrics(examples) | {"n_sentences": n_sents, "tokens": mode,
                                       "n_tokens": sum(len(d) for d in gold)}


def conllu_metrics(examples: list[Example]) -> dict[str, Any]:
    """The metrics from already-predicted examples (separate so tests need no model)."""
    out: dict[str, Any] = {}
    out.update(Scorer.score_token_attr(examples, "pos"))
    out.update(Scorer.score_token_attr(examples, "morph"))
    out.update(Scorer.score_token_attr(examples, "lemma"))
    deps = Scorer.score_deps(examples, "dep", head_attr="head", ignore_labels=("p", "punct"))
    out.update({k: deps[k] for k in ("dep_uas", "dep_las")})
    sents = Scorer.score_spans(examples, "sents", has_annotation=lambda d: d.has_annotation(
        "SENT_START"))
    out.update({k: sents[k] for k in ("sents_p", "sents_r", "sents_f")})
    return out

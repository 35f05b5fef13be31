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

from pipeline.evaluation.context import context
from pipeline.evaluation.items import WRONG, ItemRow

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
    """UPOS, morph, lemma accuracy, UAS, LAS and sentence F of ``nlp`` on CoNLL-U files, with
    the label mapping used and scores per relation and per UPOS (``conllu_report`` for the
    error rows too)."""
    return conllu_report(nlp, paths, batch_size, mode)[0]


def conllu_report(nlp: Language, paths: list[Path], batch_size: int = 64,
                  mode: TokenMode = "surface") -> tuple[dict[str, Any], list[ItemRow]]:
    """The scores of ``score_conllu`` and one error row per token with a wrong UPOS, head or
    relation (its sentence in context), as the other gold formats' reports give."""
    gold: list[Doc] = []
    doc_names: list[str] = []  # <file>#<n>: the n-th Doc of SENTS_PER_DOC sentences
    for path in paths:
        docs = read_conllu_docs(path, mode)
        gold += docs
        doc_names += [f"{path.name}#{i + 1}" for i in range(len(docs))]
    inputs = [Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g])
              for g in gold]
    predicted = list(nlp.pipe(inputs, batch_size=batch_size))
    examples = [Example(p, g) for p, g in zip(predicted, gold, strict=True)]
    n_sents = sum(len(list(d.sents)) for d in gold)
    parser_labels = set(nlp.get_pipe("parser").labels) if "parser" in nlp.pipe_names else set()
    scores = conllu_metrics(examples) | {"n_sentences": n_sents, "tokens": mode,
                                         "n_tokens": sum(len(d) for d in gold)}
    scores["label_mapping"] = label_mapping(gold, mode, parser_labels)
    scores["per_relation"] = per_relation(examples)
    scores["per_pos"] = per_pos(examples)
    return scores, error_rows(examples, doc_names)


#: Punctuation is not counted in UAS/LAS, as spaCy's scorer does.
_IGNORED_DEPS = ("p", "punct")


def label_mapping(gold: list[Doc], mode: TokenMode, parser_labels: set[str]) -> dict[str, Any]:
    """How gold labels were compared with the pipeline's, and the gold relations the parser
    cannot predict at all (it was trained on another treebank's scheme)."""
    counts: dict[str, int] = {}
    for doc in gold:
        for tok in doc:
            counts[tok.dep_] = counts.get(tok.dep_, 0) + 1
    unknown = {label: n for label, n in sorted(counts.items())
               if parser_labels and label not in parser_labels and label not in _IGNORED_DEPS}
    return {
        "tokens": ("surface: a multiword token (do = de + o) is one token carrying the UPOS, "
                   "lemma, features and relation of its head word" if mode == "surface" else
                   "words: UD syntactic words"),
        "relations": "as written in the gold (subtypes such as nsubj:pass kept); the root "
                     "relation compared as spaCy's ROOT; punct not counted in UAS/LAS",
        "pos": "UPOS as written in the gold",
        "gold_relations_not_predicted": unknown,
        "tokens_with_such_relations": sum(unknown.values()),
    }


def per_relation(examples: list[Example]) -> dict[str, dict[str, Any]]:
    """Per gold relation: how many, the head right (UAS), head and label right (LAS), and
    the label's P/R/F over the tokens the parser gave it."""
    deps = Scorer.score_deps(examples, "dep", head_attr="head", ignore_labels=_IGNORED_DEPS)
    # spaCy keys them by the label's hash, which the gold's vocabulary may not know (a label
    # only the parser gave): look in the predictions' vocabulary too
    stores = [s for ex in examples[:1] for s in (ex.reference.vocab.strings,
                                                  ex.predicted.vocab.strings)]

    def label(key: Any) -> Any:
        if not isinstance(key, int):
            return key
        return next((store[key] for store in stores if key in store), str(key))

    per_type = {label(k): v for k, v in (deps.get("dep_las_per_type") or {}).items()}
    out: dict[str, dict[str, Any]] = {}
    for ex in examples:
        for pred, gold in zip(ex.predicted, ex.reference, strict=True):
            if gold.dep_ in _IGNORED_DEPS:
                continue
            row = out.setdefault(gold.dep_, {"n": 0, "head_right": 0, "both_right": 0})
            row["n"] += 1
            if pred.head.i == gold.head.i:
                row["head_right"] += 1
                row["both_right"] += pred.dep_ == gold.dep_
    for label, row in out.items():
        row["uas"] = row["head_right"] / row["n"]
        row["las"] = row["both_right"] / row["n"]
        prf = per_type.get(label) or {}
        row.update({k: prf.get(k) for k in ("p", "r", "f")})
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["n"], kv[0])))


def per_pos(examples: list[Example]) -> dict[str, dict[str, Any]]:
    """Per gold UPOS: how many, accuracy, and what it is most often taken for."""
    out: dict[str, dict[str, Any]] = {}
    for ex in examples:
        for pred, gold in zip(ex.predicted, ex.reference, strict=True):
            row = out.setdefault(gold.pos_, {"n": 0, "correct": 0, "confused_with": {}})
            row["n"] += 1
            if pred.pos_ == gold.pos_:
                row["correct"] += 1
            else:
                row["confused_with"][pred.pos_ or "-"] = row["confused_with"].get(
                    pred.pos_ or "-", 0) + 1
    for row in out.values():
        row["accuracy"] = row["correct"] / row["n"]
        row["confused_with"] = dict(sorted(row["confused_with"].items(),
                                           key=lambda kv: (-kv[1], kv[0]))[:3])
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["n"], kv[0])))


def error_rows(examples: list[Example], doc_names: list[str]) -> list[ItemRow]:
    """One row per token with a wrong UPOS (task ``pos``) or a wrong head or relation (task
    ``dep``; punctuation left out, as in LAS), the sentence around it as context."""
    rows: list[ItemRow] = []
    for ex, name in zip(examples, doc_names, strict=True):
        gold_doc = ex.reference
        sents = [(s.start_char, s.end_char) for s in gold_doc.sents]
        for pred, gold in zip(ex.predicted, gold_doc, strict=True):
            start, end = gold.idx, gold.idx + len(gold.text)
            where = {"gold_start": start, "gold_end": end, "gold_text": gold.text,
                     "pred_start": start, "pred_end": end, "pred_text": pred.text,
                     "context": context(gold_doc.text, start, end, sents)}
            if pred.pos_ != gold.pos_:
                rows.append(ItemRow("pos", name, WRONG, "pos", gold_type=gold.pos_,
                                    pred_type=pred.pos_ or "-", **where))
            if gold.dep_ in _IGNORED_DEPS:
                continue
            head_ok, dep_ok = pred.head.i == gold.head.i, pred.dep_ == gold.dep_
            if not (head_ok and dep_ok):
                wrong = ",".join(w for w, ok in (("head", head_ok), ("relation", dep_ok))
                                 if not ok)
                rows.append(ItemRow("dep", name, WRONG, wrong, gold_type=gold.dep_,
                                    gold_value=f"→ {gold.head.text}", pred_type=pred.dep_ or "-",
                                    pred_value=f"→ {pred.head.text}", **where))
    return rows


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

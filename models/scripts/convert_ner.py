"""NER corpora as spaCy docs (part of the convert stage): UNER Portuguese-Bosque, Paramopama,
LeNER-Br, WikiANN, First HAREM, and entity-swapped copies."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from common import PT_LABELS, SENTS_PER_DOC, group, paramopama_sentences, read_iob2


def ner_docs(vocab, path: Path, line_break_rate: float = 0.0) -> list:
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


def paramopama_docs(vocab, path: Path) -> list:
    """Paramopama sentences (see common.paramopama_sentences), 10 per doc."""
    from spacy.tokens import Doc

    docs = []
    for chunk in group(paramopama_sentences(path), SENTS_PER_DOC):
        w = [x for words, _ in chunk for x in words]
        t = [x for _, tags in chunk for x in tags]
        docs.append(Doc(vocab, words=w, ents=t))
    return docs


def conll_sentences_tagged(path: Path) -> Iterator[tuple[list[str], list[str]]]:
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


def lener_docs(vocab, path: Path) -> list:
    """LeNER-Br (legal texts, BIO): PESSOA/LOCAL/ORGANIZACAO kept, the legal classes and
    TEMPO dropped; 10 sentences per doc."""
    from spacy.tokens import Doc

    docs = []
    for chunk in group(list(conll_sentences_tagged(path)), SENTS_PER_DOC):
        w, t = [], []
        for words, tags in chunk:
            for word, tag in zip(words, tags, strict=True):
                prefix, _, name = tag.partition("-")
                lab = PT_LABELS.get(name)
                w.append(word)
                t.append(f"{prefix}-{lab}" if lab else "O")
        docs.append(Doc(vocab, words=w, ents=t))
    return docs


def wikiann_docs(vocab, path: Path) -> list:
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


def harem_docs(nlp, path: Path, min_chars: int = 1000) -> list:
    """First HAREM (selective) documents, cut at line breaks into pieces of about
    `min_chars` characters, tokenized by spaCy; PESSOA/LOCAL/ORGANIZACAO kept."""
    from spacy.util import filter_spans

    docs = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        text = item["doc_text"]
        ents = [(e["start_offset"], e["end_offset"], PT_LABELS[e["label"]])
                for e in item["entities"] if e["label"] in PT_LABELS]
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


def entity_swapped_docs(vocab, docs: list, pool_docs: list, rate: float = 0.5,
                        seed: int = 0) -> list:
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

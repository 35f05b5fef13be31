"""``anais_entities``: turn the base model's NER output into clean PER/LOC/ORG mentions.

Base pipelines disagree on labels (``PER`` vs ``PESSOA``, ``MISC``) and sometimes take an
article or a trailing punctuation mark into a name. This component maps labels
(``data/entity_labels.tsv``), cuts mentions at line breaks and around e-mail addresses and
URLs, trims edges (``data/entity_trim.tsv``; a hyphen glued to a word too: ``CMAF-``), drops a
lone common word that is capitalized only because it opens a sentence or a headline and a
person read on an all-caps heading of common words (``data/common_words.txt``, built by the
``lexicon`` stage of models/project.yml), and drops mentions that the temporal tagger already
claims (a month name tagged LOC is a date, not a place). A person whose name is a country or a
big city becomes a place, and a country or city name the model missed is added with strict
guards (``pipeline/gazetteer.py``, ``data/gazetteer_places.tsv``). In a text that writes
hyphenated words with spaces (``sexta - feira``) it joins two mentions with only a hyphen
between them (``Seine - Maritime``). It gives each name the label most of its mentions got in
the document (a tie goes to the first mention), tags the occurrences of a found name that the
model missed, then groups the mentions of one entity inside the document: the same name up to
case and accents, and, for people, a shorter form of a full name met in the same document
(`Caetano` → `Marcelo Caetano`) when only one full name fits. It sets ``doc._.entities`` to a
list of ``Mention``; ``doc.ents`` is left as the model made it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

import pipeline.extensions  # noqa: F401
from pipeline import gazetteer
from pipeline.epithets import attach_epithets
from pipeline.extensions import doc_text
from pipeline.fail_soft import SoftComponent

_DATA = Path(__file__).parent / "data"
_EDGE_PUNCT = "\"'«»“”‘’()[]{}.,;:!?-–—"


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # character offsets into doc.text
    end: int
    text: str
    label: str
    cluster: int = 0
    canonical: str = ""


def _tsv_pairs(name: str) -> list[tuple[str, str]]:
    lines = (_DATA / name).read_text("utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


@cache
def label_map() -> dict[str, str]:
    return dict(_tsv_pairs("entity_labels.tsv"))


@cache
def _trim_words() -> dict[str, frozenset[str]]:
    return {position: frozenset(words.split()) for position, words in _tsv_pairs("entity_trim.tsv")}


def _edge_junk(token: Token, words: frozenset[str]) -> bool:
    return token.is_space or token.lower_ in words or all(ch in _EDGE_PUNCT for ch in token.text)


def line_parts(span: Span) -> list[Span]:
    """``span`` cut at line breaks and around e-mail addresses and URLs: a name does not run
    from one line (a headline, a byline, a list item) into the next, nor through an address
    (`ferferr@cii.fc.ul.pt Departamento de Matemática`), although a statistical tagger
    sometimes joins them."""
    parts, start = [], span.start
    for token in span:
        if token.is_space and "\n" in token.text or token.like_email or token.like_url:
            parts.append(span.doc[start : token.i])
            start = token.i + 1
    parts.append(span.doc[start : span.end])
    return [part for part in parts if len(part)]


@cache
def common_words() -> frozenset[str]:
    path = _DATA / "common_words.txt"
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _starts_sentence(token: Token) -> bool:
    """Whether ``token`` opens a sentence or a line, quotes and dashes before it aside."""
    doc, i = token.doc, token.i
    while i > 0 and all(ch in _EDGE_PUNCT for ch in doc[i - 1].text):
        i -= 1
    # the sentence may start at the token itself or at a quote or dash before it
    return (i == 0 or bool(token.is_sent_start) or bool(doc[i].is_sent_start)
            or "\n" in doc[i - 1].text)


def capitalized_common_word(span: Span) -> bool:
    """A lone common word capitalized only because it opens a sentence or a headline
    (`Caminhão tomba na Dutra`), which a tagger often takes for a name."""
    return (len(span) == 1 and span[0].text.lower() in common_words()
            and _starts_sentence(span[0]))


def all_caps_heading(span: Span, label: str) -> bool:
    """A person tagged on an all-caps line made of common words (`ORGANIZAÇÃO ESTRUTURAL DA
    MEMBRANA`): a heading, not a name. Names in capitals (`JOSÉ SARAMAGO`) have no common word:
    surnames are capitalized too often in running text to be in the lexicon."""
    words = [t.text for t in span if any(ch.isalpha() for ch in t.text)]
    if label != "PER" or not words or not all(w.isupper() for w in words):
        return False
    particles = _trim_words()["particle"]
    return any(w.lower() in common_words() for w in words if w.lower() not in particles)


_GLUED_DASHES = "-–—"


def trim_glued_dashes(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds without hyphens or dashes glued to the first or last word (`CMAF-`,
    one token for the tokenizer, so the token-level trimming cannot drop them)."""
    while start < end and text[start] in _GLUED_DASHES:
        start += 1
    while end > start and text[end - 1] in _GLUED_DASHES:
        end -= 1
    return start, end


_NUMERAL_PERIOD = re.compile(r"^[IVXLC]+\.$")


def _ends_sentence(token: Token) -> bool:
    """``token`` is the last word of its sentence: the parser says so, or a line break or
    the end of the text follows it."""
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and doc[i].is_space:
        if "\n" in doc[i].text:
            return True
        i += 1
    if i == len(doc):
        return True
    return doc.has_annotation("SENT_START") and bool(doc[i].is_sent_start)


def sentence_period_end(span: Span, end: int) -> int:
    """``end`` without a sentence's full stop glued to a regnal numeral (`D. João I.`: the
    tokenizer keeps `I.` whole, as it would an initial, but a numeral takes no period)."""
    last = span[-1]
    if _NUMERAL_PERIOD.match(last.text) and end == last.idx + len(last) and _ends_sentence(last):
        return end - 1
    return end


def clean_span(span: Span) -> tuple[int, int] | None:
    """Token bounds of ``span`` without edge whitespace, articles, prepositions and
    punctuation."""
    trim = _trim_words()
    start, end = span.start, span.end
    doc = span.doc
    while start < end and _edge_junk(doc[start], trim["start"]):
        start += 1
    while end > start and _edge_junk(doc[end - 1], trim["end"]):
        end -= 1
    if start == end or not any(ch.isalpha() for ch in doc[start:end].text):
        return None
    return start, end


def mentions(doc: Doc) -> list[Mention]:
    """The cleaned PER/LOC/ORG mentions of ``doc`` in text order."""
    labels = label_map()
    text = doc_text(doc)
    timex_spans = [(t.start, t.end) for t in (doc._.timexes or [])]
    inside_timex = SpanCover(timex_spans)
    out: list[Mention] = []
    whole: list[bool] = []  # the mention is all of the model's span, not a piece cut out of it
    for ent in doc.ents:
        label = labels.get(ent.label_.upper())
        if label is None:
            continue
        for part in line_parts(ent):
            bounds = clean_span(part)
            if bounds is None:
                continue
            span = doc[bounds[0] : bounds[1]]
            if capitalized_common_word(span) or all_caps_heading(span, label):
                continue
            start, end = trim_glued_dashes(text, span.start_char,
                                           sentence_period_end(span, span.end_char))
            if start == end or inside_timex.covers(start, end):
                continue
            out.append(Mention(start, end, text[start:end], label))
            whole.append(part.start == ent.start and part.end == ent.end)
    out, whole = join_hyphenated(doc, out, whole)
    out, whole = attach_epithets(text, out, whole)
    out = harmonize_labels(gazetteer.persons_that_are_places(out), whole)
    out = gazetteer.missed_places(doc, out, timex_spans)
    return cluster_mentions(propagate_names(doc, out, timex_spans))


_SPACED_HYPHEN = re.compile(r"[ ]?-[ ]?")
_SPACED_LOWER_COMPOUND = re.compile(r"\b([^\W\d_]+) - ([^\W\d_]+)\b")


def _writes_spaced_compounds(doc: Doc) -> bool:
    """Does the text write hyphenated words with spaces around the hyphen, as tokenized
    corpora do (`sexta - feira`, a name the model read whole: `Alta - Normandia`)? Elsewhere a
    spaced hyphen between two names is a dash (`Benfica - Porto`, a match)."""
    if any(" - " in ent.text for ent in doc.ents):
        return True
    return any(m.group(1)[0].islower() and m.group(2)[0].islower()
               for m in _SPACED_LOWER_COMPOUND.finditer(doc_text(doc)))


def join_hyphenated(doc: Doc, found: list[Mention], whole: list[bool]
                    ) -> tuple[list[Mention], list[bool]]:
    """Join two mentions with only a hyphen between them (`Seine - Maritime`, which a model
    can read as two names) when the text writes its compounds with spaced hyphens. The joined
    name keeps the label of its first part, the head of a Portuguese compound."""
    if len(found) < 2:
        return found, whole
    order = sorted(range(len(found)), key=lambda i: (found[i].start, found[i].end))
    text = doc_text(doc)
    spaced: bool | None = None
    out: list[Mention] = []
    out_whole: list[bool] = []
    for i in order:
        m = found[i]
        if out and _SPACED_HYPHEN.fullmatch(text, out[-1].end, m.start):
            if spaced is None:
                spaced = _writes_spaced_compounds(doc)
            if spaced:
                first = out[-1]
                out[-1] = Mention(first.start, m.end, text[first.start:m.end], first.label)
                out_whole[-1] = False
                continue
        out.append(m)
        out_whole.append(whole[i])
    return out, out_whole


class SpanCover:
    """Whether any of a fixed set of spans contains a given one, in O(log n) a question."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end among the spans starting up to here
        for _, e in ordered:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def covers(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end


def propagate_names(doc: Doc, found: list[Mention],
                    timex_spans: list[tuple[int, int]]) -> list[Mention]:
    """Tag the other occurrences of a name the model found elsewhere in the same document.

    A tagger decides each occurrence from its own few words of context, so it can find
    `Contagem` once and miss it twice; an occurrence of the exact same capitalized string, on
    token boundaries and outside any other mention or time expression, is the same name.
    Longer names claim their occurrences first. One walk over the text finds the occurrences
    of every name at once (a character trie of the names, tried at each token start), and a
    map of the characters already taken answers the overlap test: the work grows with the
    text, not with the text times the number of names.
    """
    names: dict[str, str] = {}
    for m in found:
        if len(m.text) >= 3 and m.text[0].isupper():
            names.setdefault(m.text, m.label)
    if not names:
        return found
    text = doc_text(doc)
    token_end = bytearray(len(text) + 1)
    # the offsets and lengths of all tokens at once, without a Token object for each
    starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist() if len(doc) else ([], [])
    for start, length in zip(starts, lengths, strict=True):
        token_end[start + length] = 1
    occurrences = [(-len(name), name, start)
                   for start, name in _occurrences(text, starts, names)
                   if token_end[start + len(name)]]
    taken = bytearray(len(text))
    for s, e in [(m.start, m.end) for m in found] + list(timex_spans):
        taken[s:e] = b"\x01" * (e - s)
    extra = []
    for negative_length, name, start in sorted(occurrences):
        end = start - negative_length
        if taken.find(1, start, end) < 0:
            extra.append(Mention(start, end, name, names[name]))
            taken[start:end] = b"\x01" * (end - start)
    return sorted(found + extra, key=lambda m: (m.start, m.end)) if extra else found


def _occurrences(text: str, starts, names) -> list[tuple[int, str]]:
    """(start, name) of every occurrence of one of ``names`` beginning at one of ``starts``."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = name  # "" is never a character of the text: it marks a name's end
    out = []
    for start in starts:
        node = trie.get(text[start:start + 1])
        k = start + 1
        while node is not None:
            if "" in node:
                out.append((start, node[""]))
            node = node.get(text[k:k + 1]) if k < len(text) else None
            k += 1
    return out


def harmonize_labels(found: list[Mention], whole: list[bool] | None = None) -> list[Mention]:
    """Give every mention of one name the label most of its mentions in the document got.

    A statistical tagger decides each mention from its context, so `Lisboa` can come out LOC
    four times and PER once in one text; a name keeps one sense within a document far more
    often than not. A mention cut out of a longer span of the model (``whole`` False: the
    label was given to the whole span) counts half. A tie goes to the label of the first
    mention, where a name is usually introduced (`em Paus, ...` before `Paus, S. João e
    Gosende eram ...`).
    """
    votes: dict[tuple[str, ...], Counter[str]] = {}
    first: dict[tuple[str, ...], dict[str, int]] = {}
    for i, mention in enumerate(found):
        key = _name_key(mention.text)
        weight = 1.0 if whole is None or whole[i] else 0.5
        votes.setdefault(key, Counter())[mention.label] += weight
        first.setdefault(key, {}).setdefault(mention.label, i)
    best = {key: max(counts, key=lambda label: (counts[label], -first[key][label]))
            for key, counts in votes.items()}
    return [m if m.label == best[_name_key(m.text)] else replace(m, label=best[_name_key(m.text)])
            for m in found]


@lru_cache(maxsize=65_536)
def _name_key(text: str) -> tuple[str, ...]:
    """Words of a name without case, accents and name particles: `José de Sá` → (jose, sa).
    Cached: a name's mentions ask for it again and again, in two passes."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return tuple(w for w in words if w not in _trim_words()["particle"])


def cluster_mentions(found: list[Mention]) -> list[Mention]:
    """Give every mention a per-document cluster id and the cluster's fullest surface.

    Longer names are placed first, so a short form can join the full name it abbreviates even
    when it appears before it. A short person name that fits two different full names
    (`Costa` with `António Costa` and `Afonso Costa`) stays on its own: a wrong merge is worse
    than a missed one for people who count mentions.
    """
    clusters: dict[tuple[str, tuple[str, ...]], int] = {}  # (label, fullest name's key) -> id
    people = _WordIndex()  # the PER clusters by the words of their names
    members: dict[int, int] = {}
    keys = [_name_key(m.text) or (m.text,) for m in found]
    order = sorted(range(len(found)), key=lambda i: (-len(_name_key(found[i].text)), i))
    for i in order:
        mention, key = found[i], keys[i]
        same = clusters.get((mention.label, key))
        if same is None and mention.label == "PER":
            fuller = people.strict_supersets(key, stop_at=2)
            same = fuller[0] if len(fuller) == 1 else None
        if same is not None:
            members[i] = same
        else:
            members[i] = len(clusters)
            clusters[(mention.label, key)] = members[i]
            if mention.label == "PER":
                people.add(members[i], key)
    # Number clusters by first appearance, and name each by its longest surface.
    first_seen: dict[int, int] = {}
    canonical: dict[int, str] = {}
    for i, mention in enumerate(found):
        c = members[i]
        first_seen.setdefault(c, len(first_seen))
        if len(mention.text) > len(canonical.get(c, "")):
            canonical[c] = mention.text
    return [replace(m, cluster=first_seen[members[i]], canonical=canonical[members[i]])
            for i, m in enumerate(found)]


class _WordIndex:
    """Clusters by the words of their key, to find the fuller names that contain a short one
    without looking at every cluster."""

    def __init__(self) -> None:
        self.words: dict[int, frozenset[str]] = {}
        self.by_word: dict[str, list[int]] = {}

    def add(self, cluster: int, key: tuple[str, ...]) -> None:
        self.words[cluster] = frozenset(key)
        for word in self.words[cluster]:
            self.by_word.setdefault(word, []).append(cluster)

    def strict_supersets(self, key: tuple[str, ...], stop_at: int) -> list[int]:
        """Up to ``stop_at`` clusters whose words strictly include those of ``key``."""
        wanted = frozenset(key)
        rarest = min((self.by_word.get(w, []) for w in wanted), key=len)
        out = []
        for c in rarest:
            if wanted < self.words[c]:
                out.append(c)
                if len(out) == stop_at:
                    break
        return out


class EntityCleaner(SoftComponent):
    output = "entities"

    def fill(self, doc: Doc) -> None:
        doc._.entities = mentions(doc)


@Language.factory(
    "anais_entities",
    assigns=["doc._.entities"],
    requires=["doc.ents"],
)
def make_entities_component(nlp: Language, name: str) -> EntityCleaner:
    return EntityCleaner(name)

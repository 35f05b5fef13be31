"""What the trigger model sees of a token: sparse string features of the word, its parse and
the lexicons. Kept in one place so training (``models/scripts/train_events.py``) and tagging
read the same features."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from spacy.attrs import ORTH
from spacy.tokens import Token
from spacy.vocab import Vocab

from .lexicon import mapping, read_tsv, words
from .verb_chain import is_function_verb

#: parts of speech that can head an event mention
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX"})


def lemma_of(token: Token) -> str:
    """The lemma, lowercased; for a verb whose lemma is not an infinitive (the lemmatizer
    keeps a sentence-initial capital, `Tentou`, or an enclitic, `demitiu-se`), the lemma its
    ending gives (``data/verb_forms.tsv``)."""
    lemma = (token.lemma_ or token.text).lower()
    if token.pos_ in ("VERB", "AUX") and (lemma == token.lower_ or "-" in lemma
                                         or not lemma.endswith(("r", "ôr"))):
        stem = token.lower_.split("-")[0]
        guess = verb_form(stem)
        if guess is not None:
            return guess[0]
        if "-" in token.lower_:
            # an infinitive before its clitic: `combatê-la` → combater, `garantir-vos`
            accented = {"á": "ar", "ê": "er", "í": "ir", "ô": "or"}
            if stem[-1:] in accented:
                return stem[:-1] + accented[stem[-1]]
            if stem.endswith("r"):
                return stem
    return lemma


@cache
def _verb_forms() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    forms, endings = {}, []
    for form, lemma, tense in read_tsv("verb_forms"):
        if form.startswith("-"):
            endings.append((form[1:], lemma[1:], tense))
        else:
            forms[form] = (lemma, tense)
    endings.sort(key=lambda e: -len(e[0]))
    return forms, endings


@lru_cache(maxsize=65_536)
def verb_form(word: str) -> tuple[str, str] | None:
    """(lemma, TimeML tense or ``-``) of a verb form from ``data/verb_forms.tsv`` (cached: the
    ending rules are tried in turn for a form the file does not list)."""
    forms, endings = _verb_forms()
    if word in forms:
        return forms[word]
    for ending, lemma_ending, tense in endings:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + lemma_ending, tense
    return None


_LSH_BITS = 24
_LSH_GROUP = 8


@cache
def _hyperplanes(width: int):
    """Fixed random hyperplanes (seeded): the sign pattern of a word vector against them is a
    coarse semantic class, so `levante` can borrow what the model learned from `revolta`."""
    import numpy as np

    return np.random.default_rng(20261201).standard_normal((_LSH_BITS, width))


_VECTOR_CACHE: dict[tuple[int, str], tuple[str, ...]] = {}


def _lsh_features(vector) -> tuple[str, ...]:
    if not vector.any():
        return ()
    bits = "".join("1" if x > 0 else "0" for x in _hyperplanes(len(vector)) @ vector)
    return tuple(f"lsh{k}={bits[k:k + _LSH_GROUP]}" for k in range(0, _LSH_BITS, _LSH_GROUP))


def _remember(key: tuple[int, str], feats: tuple[str, ...]) -> None:
    if len(_VECTOR_CACHE) > 200_000:  # bounded: a long run meets an open vocabulary
        _VECTOR_CACHE.clear()
    _VECTOR_CACHE[key] = feats


def vector_features(token: Token, lemma: str) -> tuple[str, ...]:
    """The sign pattern of the lemma's vector, in groups of bits (cached per lemma)."""
    vocab = token.vocab
    if not vocab.vectors_length:
        return ()
    key = (id(vocab.vectors), lemma)
    cached = _VECTOR_CACHE.get(key)
    if cached is not None:
        return cached
    feats = _lsh_features(vocab.get_vector(lemma))
    _remember(key, feats)
    return feats


def prefetch_vector_features(vocab: Vocab, lemmas: Iterable[str]) -> None:
    """Cache the vector features of the ``lemmas`` not cached yet, looked up in one batch.

    Floret vectors (ours) cost a fixed overhead per lookup besides their subword hashing, so
    one lookup per document instead of one per new lemma takes a third of the time. The rows
    are those ``vocab.get_vector`` gives (the same subword rows, averaged per lemma), so the
    features are the same; other vector tables are left to ``vector_features``."""
    vectors = vocab.vectors
    if not vocab.vectors_length or vectors.mode != "floret" or vectors.attr != ORTH:
        return
    ident = id(vectors)
    missing = [w for w in dict.fromkeys(lemmas) if w and (ident, w) not in _VECTOR_CACHE]
    if not missing:
        return
    for lemma, vector in zip(missing, vectors.get_batch(missing), strict=True):
        _remember((ident, lemma), _lsh_features(vector))


#: children whose word is a feature too
_WORD_CHILD_DEPS = frozenset({"aux", "aux:pass", "cop", "case", "det", "mark", "advmod", "expl"})
_MORPH_FIELDS = ("VerbForm", "Mood", "Tense", "Number", "Voice")
_MORPH_CACHE: dict[int, tuple[str, ...]] = {}


def _morph_features(token: Token) -> tuple[str, ...]:
    """``Field=value`` of the fields the model reads, per distinct analysis (a tagger gives a
    few hundred), in field order."""
    morph = token.morph
    feats = _MORPH_CACHE.get(morph.key)
    if feats is None:
        feats = tuple(f"{name}={value}" for name in _MORPH_FIELDS for value in morph.get(name))
        if len(_MORPH_CACHE) > 10_000:
            _MORPH_CACHE.clear()
        _MORPH_CACHE[morph.key] = feats
    return feats


def token_features(token: Token) -> list[str]:
    # The order of the features is the order their weights are summed in: keep it.
    lower = token.lower_
    lemma = lemma_of(token)
    pos, dep = token.pos_, token.dep_
    head = token.head
    head_pos = head.pos_
    feats = [
        "bias", f"pos={pos}", f"dep={dep}", f"pos_dep={pos}_{dep}", f"lemma={lemma}",
        f"lemma_pos={lemma}_{pos}", f"word={lower}", f"suf2={lower[-2:]}", f"suf3={lower[-3:]}",
        f"suf4={lower[-4:]}", f"head_pos={head_pos}", f"head_dep={dep}_{head_pos}",
        f"head_lemma={lemma_of(head)}",
    ]
    feats += _morph_features(token)
    has_copula = False
    for child in token.children:
        child_dep = child.dep_
        feats.append(f"child={child_dep}")
        if child_dep in _WORD_CHILD_DEPS:
            feats.append(f"child_{child_dep}={child.lower_}")
            has_copula = has_copula or child_dep == "cop"
    doc = token.doc
    i = token.i
    if i > 0:
        prev = doc[i - 1]
        feats += (f"prev={prev.lower_}", f"prev_pos={prev.pos_}")
    else:
        feats += ("prev=<s>", "prev_pos=<s>")
    if i + 1 < len(doc):
        nxt = doc[i + 1]
        feats += (f"next={nxt.lower_}", f"next_pos={nxt.pos_}")
    else:
        feats += ("next=</s>", "next_pos=</s>")
    if token.text[:1].isupper():
        feats.append("capitalized")
    if lemma in words("nominal_events"):
        feats.append("nominal_event")
    cue = mapping("class_cues").get(lemma)
    if cue:
        feats.append(f"cue={cue}")
    if lemma in words("copulas"):
        feats.append("copula")
    if pos in ("VERB", "AUX") and is_function_verb(token):
        feats.append("function_verb")
    if has_copula:
        feats.append("has_copula")
    feats += vector_features(token, lemma)
    return feats

"""Find event triggers: the head word of each event mention, and its TimeML class.

Candidates are content words (verbs, nouns, adjectives) that are not auxiliaries, modals or
copulas of another word, not part of a name and not part of a time expression. The trigger
model (``perceptron.py``, weights in ``data/trigger_model.json``, trained by
``models/scripts/train_events.py``) decides for each candidate whether it is an event and of which
class. A verb's enclitic pronoun (`demitiu-se`) is left out of the span, as TimeML marks it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from spacy.attrs import POS
from spacy.symbols import IDS
from spacy.tokens import Doc, Token

from .features import CANDIDATE_POS, lemma_of, prefetch_vector_features, token_features
from .lexicon import mapping, words
from .perceptron import Perceptron, load_models
from .verb_chain import is_function_verb

MODEL_PATH = Path(__file__).parent / "data" / "trigger_model.json"
NO_EVENT = "O"


@cache
def trigger_model() -> tuple[Perceptron, Perceptron, float]:
    """The trigger model, the class model (trained on events only) and the event bias: a
    margin added to every event class against ``O``, so that recall meets precision (chosen
    on TimeBankPT dev, kept in the file's meta)."""
    models, meta = load_models(MODEL_PATH)
    return models["trigger"], models["event_class"], float(meta.get("event_bias", 0.0))


def decide(model: Perceptron, bias: float, feats: list[str]) -> str:
    """The class of a candidate, ``O`` for no event."""
    scores = model.scores(feats)
    classes = model.classes
    # max keeps the first of equal scores: ties go to the first class (index order)
    best = max(_event_indices(tuple(classes)), key=scores.__getitem__)
    return classes[best] if scores[best] + bias > scores[classes.index(NO_EVENT)] else NO_EVENT


@cache
def _event_indices(classes: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(k for k, c in enumerate(classes) if c != NO_EVENT)


def _covered(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    """Token indices inside any of the character ``spans``."""
    out: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def candidates(doc: Doc) -> list[Token]:
    """Tokens that may head an event mention, in text order."""
    blocked = _covered(doc, [(t.start, t.end) for t in (doc._.timexes or [])])
    blocked |= _covered(doc, [(m.start, m.end) for m in (doc._.entities or [])])
    out = []
    # the parts of speech of all tokens at once: only content words become Token objects
    content = np.flatnonzero(np.isin(doc.to_array(POS), _CANDIDATE_POS_IDS)).tolist()
    for i in content:
        if i in blocked:
            continue
        token = doc[i]
        if token.is_space or not any(ch.isalpha() for ch in token.text):
            continue
        if token.pos_ in ("VERB", "AUX") and is_function_verb(token):
            continue
        if token.dep_ == "cop" or (token.pos_ == "AUX" and token.dep_ not in
                                   ("ROOT", "conj", "ccomp", "advcl", "acl:relcl", "acl")):
            continue
        out.append(token)
    return out


#: the symbol ids of ``CANDIDATE_POS`` (what ``Token.pos`` holds)
_CANDIDATE_POS_IDS = np.array(sorted(IDS[pos] for pos in CANDIDATE_POS), dtype=np.uint64)


def trigger_span(token: Token) -> tuple[int, int]:
    """Character span of the trigger: the word without an enclitic pronoun that the tokenizer
    left attached to a verb (`demitiu-se` → `demitiu`)."""
    start, end = token.idx, token.idx + len(token.text)
    if token.pos_ in ("VERB", "AUX") and "-" in token.text[1:]:
        stem, _, clitic = token.text.partition("-")
        if stem and all(part in words("clitics") for part in clitic.split("-")):
            end = start + len(stem)
    return start, end


_STATE_COPULAS = frozenset({"estar", "ficar", "permanecer", "continuar", "andar"})


def _always_event(token: Token, dated: set[int]) -> bool:
    """Words the model may not veto: the predicate of a state copula (`estava doente`); a
    participle or an event noun (``data/nominal_events.tsv``) with a time of its own
    (`deposto em 1945`, `o massacre de 22 de janeiro`). (Forcing every verb coordinated with
    another verb cost 0.9 points of TimeBankPT dev F1 and found no more main events.)"""
    if token.pos_ in ("ADJ", "NOUN") and any(
            c.dep_ == "cop" and c.lemma_.lower() in _STATE_COPULAS for c in token.children):
        return True
    if token.i not in dated:
        return False
    return (token.pos_ == "NOUN" and lemma_of(token) in words("nominal_events")
            or (token.morph.get("VerbForm") or [""])[0] == "Part")


def _dated(doc: Doc) -> set[int]:
    """Tokens that directly govern a time expression (`deposto ... em 1945`)."""
    out = set()
    for t in doc._.timexes or []:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and span.root.head.i != span.root.i:
            out.add(span.root.head.i)
    return out


def event_class(model: Perceptron, feats: list[str], lemma: str) -> str:
    """The class model's choice; for a word it never saw in training, the class the cue
    lexicon gives (``data/class_cues.tsv``), when it gives one."""
    if f"lemma={lemma}" not in model.weights:
        cue = mapping("class_cues").get(lemma)
        if cue is not None:
            return cue
    return model.predict(feats)


def find_triggers(doc: Doc) -> list[tuple[Token, str]]:
    """(head token, TimeML class) of every event mention of ``doc``, in text order."""
    model, class_model, bias = trigger_model()
    out = []
    dated = _dated(doc)
    found = candidates(doc)
    prefetch_vector_features(doc.vocab, (lemma_of(t) for t in found))
    for token in found:
        feats = token_features(token)
        label = decide(model, bias, feats)
        if label == NO_EVENT and _always_event(token, dated):
            label = "STATE" if token.pos_ == "ADJ" else "OCCURRENCE"
        if label != NO_EVENT and not (token.pos_ == "ADJ" and label == "STATE"):
            label = event_class(class_model, feats, lemma_of(token))
        if label != NO_EVENT:
            out.append((token, label))
    return out

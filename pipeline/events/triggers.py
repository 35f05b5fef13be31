"""Find event triggers: the head word of each event mention, and its TimeML class.

Candidates are content words (verbs, nouns, adjectives) that are not auxiliaries, modals or
copulas of another word, not part of a name and not part of a time expression. The trigger
model (``perceptron.py``, weights in ``data/trigger_model.json``, trained by
``models/train_events.py``) decides for each candidate whether it is an event and of which
class. A verb's enclitic pronoun (`demitiu-se`) is left out of the span, as TimeML marks it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from .features import CANDIDATE_POS, token_features
from .lexicon import words
from .perceptron import Perceptron
from .verb_chain import is_function_verb

MODEL_PATH = Path(__file__).parent / "data" / "trigger_model.json"
NO_EVENT = "O"


@cache
def trigger_model() -> Perceptron:
    return Perceptron.load(MODEL_PATH)[0]


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
    for token in doc:
        if token.pos_ not in CANDIDATE_POS or token.i in blocked or token.is_space:
            continue
        if not any(ch.isalpha() for ch in token.text):
            continue
        if token.pos_ in ("VERB", "AUX") and is_function_verb(token):
            continue
        if token.dep_ == "cop" or (token.pos_ == "AUX" and token.dep_ not in
                                   ("ROOT", "conj", "ccomp", "advcl", "acl:relcl", "acl")):
            continue
        out.append(token)
    return out


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


def _always_event(token: Token) -> bool:
    """Words the model may not veto: the predicate of a state copula (`estava doente`), and a
    finite or participle verb coordinated with another verb (`foi presa e acusada`)."""
    if token.pos_ in ("ADJ", "NOUN") and any(
            c.dep_ == "cop" and c.lemma_.lower() in _STATE_COPULAS for c in token.children):
        return True
    return (token.pos_ == "VERB" and token.dep_ == "conj" and token.head.pos_ == "VERB"
            and (token.morph.get("VerbForm") or [""])[0] in ("Fin", "Part"))


def find_triggers(doc: Doc) -> list[tuple[Token, str]]:
    """(head token, TimeML class) of every event mention of ``doc``, in text order."""
    model = trigger_model()
    out = []
    for token in candidates(doc):
        feats = token_features(token)
        label = model.predict(feats)
        if label == NO_EVENT and _always_event(token):
            scores = model.scores(feats)
            classes = model.classes
            label = max((c for c in classes if c != NO_EVENT),
                        key=lambda c: (scores[classes.index(c)], -classes.index(c)))
            if token.pos_ != "VERB":
                label = "STATE"
        if label != NO_EVENT:
            out.append((token, label))
    return out

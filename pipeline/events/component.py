"""The ``anais_events`` spaCy component: fills ``doc._.events`` with ``Event`` records.

Runs after the parser, ``anais_entities`` and ``anais_timex``: triggers come from the trigger
model over the parse (``triggers.py``), tense/aspect/polarity/modality from the verbal
complex (``verb_chain.py``), participants from the parse and the entity mentions
(``arguments.py``), and times from the time expressions (``timing.py``). Without a parser
(a blank pipeline) there is nothing to read events from, and ``doc._.events`` is empty.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

import pipeline.extensions  # noqa: F401  (registers doc._.events)
from pipeline.fail_soft import SoftComponent
from pipeline.timex.anchoring import parse_dct

from . import arguments as A
from .features import lemma_of
from .lexicon import words
from .timing import attach_times, dct_relation
from .triggers import find_triggers, trigger_span
from .types import Argument, Event
from .verb_chain import chain, modality, polarity, tense_aspect

_POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "ADJ": "ADJ"}


def _auxiliaries(token: Token) -> list[Token]:
    """Function verbs of the trigger: its auxiliaries, and for a predicate its copula."""
    auxes = chain(token)
    head = token.head
    if (token.pos_ != "VERB" and token.dep_ == "xcomp" and head.i != token.i
            and head.lemma_.lower() in words("copulas") and head not in auxes):
        # `estava doente` parsed with the copula as the head: it is the predicate's copula
        auxes = [*chain(head), head]
    return auxes


def build_events(doc: Doc) -> list[Event]:
    if not doc.has_annotation("DEP"):
        return []
    entities = A.EntityIndex(doc)
    timexes = A.TimexIndex(doc)
    events: list[Event] = []
    subjects: dict[int, list[Token]] = {}
    for token, event_class in find_triggers(doc):
        auxes = _auxiliaries(token)
        if token.pos_ == "NOUN" and not any(a.dep_ == "cop" or a.lemma_.lower() in
                                            words("copulas") for a in auxes):
            tense, aspect = "NONE", "NONE"
        else:
            tense, aspect = tense_aspect(token, auxes)
        start, end = trigger_span(token)
        ev = Event(start=start, end=end, trigger=entities.text[start:end], lemma=lemma_of(token),
                   pos=_POS.get(token.pos_, "OTHER"), event_class=event_class, tense=tense,
                   aspect=aspect, polarity=polarity(token, auxes), modality=modality(token, auxes),
                   token=token.i)
        ev.arguments, subj = A.syntactic_arguments(token, auxes, event_class, entities, timexes)
        subjects[token.i] = subj
        events.append(ev)
    _share_subjects(doc, events, subjects, entities, timexes)
    _resolve_pronouns(doc, events, entities)
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation(
        "SENT_START") else [(0, len(entities.text))]
    dct = parse_dct(doc._.dct) if doc._.dct else None
    attach_times(doc, events, sentences, dct)
    _add_time_arguments(doc, events)
    events_at = {e.token: k for k, e in enumerate(events)}
    for ev in events:
        ev.dct_relation = dct_relation(ev, doc, events, dct, events_at)
    for ev in events:
        ev.arguments.sort(key=lambda a: (a.start, a.end, a.role))
    return events


def _share_subjects(doc: Doc, events: list[Event], subjects: dict[int, list[Token]],
                    entities: A.EntityIndex, timexes: A.TimexIndex) -> None:
    """A verb without a subject takes its controller's (`tentou fugir`, `foi presa e
    acusada`); failing that, a dropped subject of a finite verb is resolved to the latest
    compatible person (``coreference``)."""
    subject_args: dict[int, list[Argument]] = {}
    preferred = A.Topics(entities)
    for ev in sorted(events, key=lambda e: e.start):
        token = doc[ev.token]
        auxes = _auxiliaries(token)
        role = A.subject_role(token, auxes, ev.event_class)
        if subjects.get(token.i):
            subject_args[token.i] = [a for a in ev.arguments if a.role in ("agent", "patient")
                                     and a.start < ev.start]
            for a in subject_args[token.i]:
                if a.ent_id is not None:
                    preferred.add(a.ent_id)
            continue
        if ev.pos not in ("VERB", "ADJ") or _impersonal(token):
            continue
        shared = _controller_subject(token, subjects, subject_args)
        if shared is not None:
            words_, args = shared
            for w in words_:
                for c in A._with_conjuncts(w):
                    c = (A._relative_antecedent(c) if c.pos_ == "PRON" else None) or c
                    start, end, ent = A.phrase(c, entities)
                    ev.arguments.append(Argument(role, start, end, entities.text[start:end], ent,
                                                 timexes.of(c), "shared"))
            for a in args:
                ev.arguments.append(Argument(role, a.start, a.end, a.text, a.ent_id, a.timex_id,
                                             a.source))
            subject_args[token.i] = [a for a in ev.arguments if a.role == role]
            continue
        if lemma_of(token) in words("impersonal_verbs") or token.dep_ in ("acl", "amod"):
            continue
        # Portuguese drops subjects: the finite verb (or its auxiliary) shows person/number
        finite = next((v for v in [*auxes, token] if v.morph.get("VerbForm") == ["Fin"]), None)
        if finite is None or finite.morph.get("Person") not in (["3"], []):
            continue
        agree = token if token.morph.get("Gender") else finite
        k = A.last_compatible_entity(entities, ev.start, agree, preferred)
        if k is not None:
            m = entities.mentions[k]
            arg = Argument(role, m.start, m.end, m.text, k, None, "coreference")
            ev.arguments.append(arg)
            subject_args[token.i] = [arg]
            preferred.add(k)


def _impersonal(token: Token) -> bool:
    """`Prevê-se`, `vende-se`: an impersonal `se` leaves the verb without a person
    (``data/impersonal_se.tsv``); a reflexive one (`mudou-se`) does not."""
    has_se = token.lower_.endswith("-se") or any(
        c.lower_ == "se" and c.dep_ in ("expl", "expl:impers", "expl:pass") for c in token.children)
    return has_se and lemma_of(token) in words("impersonal_se")


def _controller_subject(token: Token, subjects: dict[int, list[Token]],
                        subject_args: dict[int, list[Argument]]):
    """(subject words, or resolved subject arguments) of the verb this one is coordinated
    with or controlled by, walking up at most four links."""
    up = token
    for _ in range(4):
        ctrl = A.controller(up)
        if ctrl is None:
            return None
        if subjects.get(ctrl.i):
            return subjects[ctrl.i], []
        if subject_args.get(ctrl.i):
            return [], subject_args[ctrl.i]
        own = A.subjects(ctrl, chain(ctrl))
        if own:
            return own, []
        up = ctrl
    return None


def _resolve_pronouns(doc: Doc, events: list[Event], entities: A.EntityIndex) -> None:
    """A personal pronoun participant (`ele`, `ela`) points to the latest agreeing person."""
    for ev in events:
        for arg in ev.arguments:
            if arg.ent_id is not None:
                continue
            span = doc.char_span(arg.start, arg.end)
            if span is None or len(span) != 1 or "Prs" not in span[0].morph.get("PronType"):
                continue
            if span[0].lower_ not in ("ele", "ela"):
                continue
            k = A.last_compatible_entity(entities, arg.start, span[0])
            if k is not None:
                arg.ent_id = k
                arg.source = "coreference"


def _add_time_arguments(doc: Doc, events: list[Event]) -> None:
    timexes = doc._.timexes or []
    for ev in events:
        if ev.time_id is not None and ev.time_source == "sentence":
            t = timexes[ev.time_id]
            ev.arguments.append(Argument("time", t.start, t.end, t.text, None, ev.time_id,
                                         "syntax"))


class EventBuilder(SoftComponent):
    output = "events"

    def fill(self, doc: Doc) -> None:
        doc._.events = build_events(doc)


@Language.factory(
    "anais_events",
    assigns=["doc._.events"],
    requires=["token.dep", "doc._.timexes", "doc._.entities"],
)
def make_events_component(nlp: Language, name: str) -> EventBuilder:
    return EventBuilder(name)

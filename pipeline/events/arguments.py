"""Who took part, and how: the participants of each event, read from the dependency parse.

Roles follow the parse: the subject of an active verb is the agent, and the `por` phrase of a
passive; the object, the subject of a passive and the subject of an unaccusative verb
(``data/unaccusatives.tsv``: `morreu`, `nasceu`) are patients; the indirect object is the
recipient; `em` + a place is the place; with a movement verb (``data/movement_verbs.tsv``) `de`
+ a place is the source and `para`/`a` + a place the destination. Coordinated participants
each get a row. A verb without a subject of its own takes the subject of the verb it is
coordinated with or controlled by (`tentou fugir`, `foi presa e acusada`); failing that, a
dropped or pronoun subject is resolved to the most recent compatible named entity
(``source = coreference``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from pipeline.extensions import doc_text

from .features import lemma_of
from .lexicon import words
from .types import Argument

_SUBJECT = ("nsubj", "nsubj:pass", "csubj", "csubj:pass")
_SKIP_IN_PHRASE = {"acl", "acl:relcl", "appos", "advcl", "parataxis", "conj", "cc", "punct",
                   "dep", "ccomp", "xcomp"}
_SOURCE_CASE = frozenset({"de", "do", "da", "dos", "das", "desde"})
_DEST_CASE = frozenset({"para", "a", "ao", "à", "aos", "às", "até", "pra"})
_PLACE_CASE = frozenset({"em", "no", "na", "nos", "nas", "num", "numa", "sobre", "junto"})
_AGENT_CASE = frozenset({"por", "pelo", "pela", "pelos", "pelas"})
_MAX_PHRASE = 8


class EntityIndex:
    """Which entity mention (index in ``doc._.entities``, in text order) each token belongs
    to, and the people named, by grammatical gender, for finding the latest one before a
    point by bisection instead of a scan over every mention."""

    def __init__(self, doc: Doc):
        #: ``doc.text`` joins every token on each access: read it once per document
        self.text = doc_text(doc)
        self.mentions = list(doc._.entities or [])
        self.by_token: dict[int, int] = {}
        #: gender of each person mention's head word ("" when unknown)
        self.gender: dict[int, str] = {}
        #: gender -> (starts, mention indices) of the person mentions, in text order
        self.people: dict[str, tuple[list[int], list[int]]] = {}
        for k, m in enumerate(self.mentions):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.by_token.setdefault(i, k)
            if m.label == "PER":
                g = span.root.morph.get("Gender") if span is not None else []
                self.gender[k] = g[0] if g else ""
                starts, ks = self.people.setdefault(self.gender[k], ([], []))
                starts.append(m.start)
                ks.append(k)

    def of(self, token: Token) -> int | None:
        return self.by_token.get(token.i)

    def genders_agreeing(self, gender: list[str]) -> list[str]:
        """The mention genders compatible with a word of ``gender`` (its Gender feature)."""
        return [g for g in self.people if not gender or not g or g == gender[0]]

    def latest_person(self, before: int, gender: list[str]) -> int | None:
        """The last person mention that starts before ``before`` and agrees in gender."""
        best = None
        for g in self.genders_agreeing(gender):
            starts, ks = self.people[g]
            n = bisect_left(starts, before)
            if n and (best is None or ks[n - 1] > best):
                best = ks[n - 1]
        return best


class Topics:
    """The people who were subjects of events so far, in order, by gender: the narrative's
    topic for a dropped subject is the latest agreeing one (kept per gender so that finding
    it does not walk back over every subject of the document)."""

    def __init__(self, entities: EntityIndex) -> None:
        self.entities = entities
        self.count = 0
        self.by_gender: dict[str, list[tuple[int, int]]] = {}  # gender -> [(order, k)]

    def add(self, k: int) -> None:
        if k in self.entities.gender:
            self.by_gender.setdefault(self.entities.gender[k], []).append((self.count, k))
        self.count += 1

    def latest(self, before: int, gender: list[str]) -> int | None:
        best: tuple[int, int] | None = None
        for g in self.entities.genders_agreeing(gender):
            for order, k in reversed(self.by_gender.get(g, [])):
                if self.entities.mentions[k].start < before:
                    if best is None or order > best[0]:
                        best = (order, k)
                    break
        return best[1] if best else None


class TimexIndex:
    """Which time expression each token belongs to (intervals over their endpoints)."""

    def __init__(self, doc: Doc):
        self.by_token: dict[int, int] = {}
        timexes = list(doc._.timexes or [])
        # endpoints first, then their interval over them: a token maps to the outermost
        for k in sorted(range(len(timexes)), key=lambda k: timexes[k].parent is None):
            t = timexes[k]
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.by_token[i] = k

    def of(self, token: Token) -> int | None:
        return self.by_token.get(token.i)


def _case_of(token: Token) -> str:
    """The preposition of a nominal (`em`, `da`, `para a` → `para`), lowercased."""
    for child in token.children:
        if child.dep_ == "case":
            return child.lower_
    return ""


def phrase(token: Token, entities: EntityIndex) -> tuple[int, int, int | None]:
    """(start char, end char, ent_id) of the participant whose head word is ``token``: the
    named entity it belongs to, or its noun phrase without articles, prepositions, clauses
    and appositions."""
    k = entities.of(token)
    if k is None:
        # `o ministro das Finanças, Fernando Medina,`: the name in apposition is who it is
        k = next((entities.of(c) for c in token.children
                  if c.dep_ == "appos" and entities.of(c) is not None), None)
    if k is not None:
        m = entities.mentions[k]
        return m.start, m.end, k
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in _SKIP_IN_PHRASE]
    while stack:
        child = stack.pop()
        if child.dep_ in ("case", "det", "mark") and child.i < token.i and \
                all(child.i < t.i for t in keep if t.dep_ not in ("case", "det")):
            # a leading article or preposition of the phrase itself is not part of it
            if child.head.i == token.i:
                continue
        keep.append(child)
        stack.extend(c for c in child.children if c.dep_ not in _SKIP_IN_PHRASE)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    doc = token.doc
    # trim edge function words and punctuation that the walk let in
    while lo < token.i and (doc[lo].dep_ in ("case", "det", "punct", "cc") or doc[lo].is_space):
        lo += 1
    while hi > token.i and (doc[hi].is_punct or doc[hi].is_space or doc[hi].dep_ == "case"):
        hi -= 1
    if hi - lo + 1 > _MAX_PHRASE:
        lo = hi = token.i
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text), None


def _with_conjuncts(token: Token) -> list[Token]:
    """``token`` and the nominals coordinated with it (`Trotsky e Zinoviev`)."""
    out = [token]
    stack = [c for c in token.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN",
                                                                          "PRON")]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj" and x.pos_ in ("NOUN", "PROPN",
                                                                              "PRON"))
    return sorted(out, key=lambda t: t.i)


def is_passive(token: Token, auxiliaries: Sequence[Token]) -> bool:
    if ("Pass" in token.morph.get("Voice")
            or any(c.dep_ in ("aux:pass", "nsubj:pass", "obl:agent") for c in token.children)
            or any(a.dep_ == "aux:pass" for a in auxiliaries)):
        return True
    # `foi presa e acusada`: a participle coordinated with a passive shares its auxiliary
    head = token.head
    return (token.dep_ == "conj" and token.morph.get("VerbForm") == ["Part"]
            and head.i != token.i and is_passive(head, []))


def subjects(token: Token, auxiliaries: Sequence[Token]) -> list[Token]:
    """The subject words of the predicate: its own, or those of its auxiliary chain."""
    for holder in [token, *reversed(auxiliaries)]:
        found = [c for c in holder.children if c.dep_ in _SUBJECT]
        if found:
            return found
    return []


def _relative_antecedent(token: Token) -> Token | None:
    """The noun a relative pronoun stands for (`o rei, que morreu` → `rei`)."""
    if "Rel" not in token.morph.get("PronType"):
        return None
    clause = token.head
    while clause.dep_ not in ("acl:relcl", "acl") and clause.head.i != clause.i:
        if clause.dep_ not in ("conj", "xcomp"):
            return None
        clause = clause.head
    return clause.head if clause.dep_ in ("acl:relcl", "acl") else None


def is_movement(token: Token) -> bool:
    """A verb of movement, also when the lemmatizer left a participle as is (`expulsos`)."""
    lemma = lemma_of(token)
    verbs = words("movement_verbs")
    if lemma in verbs:
        return True
    word = token.lower_
    return token.pos_ == "VERB" and any(
        len(v) > 5 and word.startswith(v[:-2]) for v in verbs)


def is_place(token: Token, entities: EntityIndex) -> bool:
    k = entities.of(token)
    if k is not None:
        return entities.mentions[k].label in ("LOC", "ORG")
    return lemma_of(token) in words("place_nouns")


def subject_role(token: Token, auxiliaries: Sequence[Token], event_class: str) -> str:
    if is_passive(token, auxiliaries) or event_class == "STATE" and token.pos_ != "VERB":
        return "patient"
    if lemma_of(token) in words("unaccusatives") and not any(
            c.dep_ == "obj" for c in token.children):  # `subiu os juros`: transitive
        return "patient"
    return "agent"


def oblique_role(token: Token, head: Token, entities: EntityIndex, timexes: TimexIndex,
                 passive: bool) -> str | None:
    """Role of an oblique or nominal modifier of the event, or None when it is not one."""
    if timexes.of(token) is not None:
        return "time"
    case = _case_of(token)
    moving = is_movement(head)
    if token.dep_ == "obl:agent" or (passive and case in _AGENT_CASE):
        return "agent"
    if head.pos_ == "NOUN" and case in _AGENT_CASE:
        return "agent"
    place = is_place(token, entities)
    if moving and place and case in _SOURCE_CASE:
        return "source"
    if moving and place and case in _DEST_CASE:
        return "destination"
    if place and case in _PLACE_CASE:
        return "place"
    if head.pos_ == "NOUN" and token.dep_ == "nmod" and case in _SOURCE_CASE:
        # `a queda do governo`, `a expulsão de Trotsky`; `a batalha de Aljubarrota` is a place
        k = entities.of(token)
        if k is not None and entities.mentions[k].label == "LOC":
            return "place"
        return "patient"
    k = entities.of(token)
    if k is not None:
        person = entities.mentions[k].label == "PER"
        return "recipient" if case in ("a", "ao", "à", "aos", "às") and person else "other"
    return None


def syntactic_arguments(token: Token, auxiliaries: Sequence[Token], event_class: str,
                        entities: EntityIndex, timexes: TimexIndex) -> tuple[list[Argument],
                                                                             list[Token]]:
    """Participants read off the event's own dependents, and its subject words."""
    args: list[Argument] = []
    passive = is_passive(token, auxiliaries)

    def add(role: str, word: Token, source: str = "syntax") -> None:
        for w in _with_conjuncts(word):
            if w.is_space or w.is_punct:  # a parser sometimes hangs a line break as subject
                continue
            if w.pos_ == "PRON":
                antecedent = _relative_antecedent(w)
                if antecedent is not None:
                    w = antecedent
            start, end, ent = phrase(w, entities)
            if any(a.start == start and a.end == end for a in args):
                continue
            args.append(Argument(role, start, end, entities.text[start:end], ent,
                                 timexes.of(w), source))

    subj = [s for s in subjects(token, auxiliaries) if not (s.is_space or s.is_punct)]
    for s in subj:
        add(subject_role(token, auxiliaries, event_class), s)
    holders = [token]
    if token.pos_ != "VERB":
        # a copular predicate's dependents hang on the copula in some parses
        holders += [a for a in auxiliaries if a.lemma_.lower() in words("copulas")]
    for holder in holders:
        for child in holder.children:
            dep = child.dep_
            if dep in ("obj",) and token.pos_ in ("VERB", "AUX"):
                # `ofereceu a Carlos I`, `regressou a Espanha`: a prepositional "object"
                role = oblique_role(child, token, entities, timexes, passive) \
                    if _case_of(child) else None
                add(role if role in ("recipient", "destination", "source") else "patient",
                    child)
            elif dep == "iobj":
                add("recipient", child)
            elif dep in ("obl", "obl:agent", "nmod", "advmod") and child.pos_ in (
                    "NOUN", "PROPN", "PRON", "NUM"):
                if dep == "advmod" and child.lower_ != "onde":
                    continue
                if child.lower_ == "onde":
                    antecedent = child.head.head if child.head.dep_ == "acl:relcl" else None
                    if antecedent is not None and is_place(antecedent, entities):
                        add("place", antecedent)
                    continue
                role = oblique_role(child, token, entities, timexes, passive)
                if role is not None and role != "time":
                    add(role, child)
    return args, subj


def controller(token: Token) -> Token | None:
    """The verb whose subject this one shares: the head of a coordinated verb without a
    subject, or the verb that controls an infinitive (`tentou fugir`)."""
    if token.dep_ in ("conj", "xcomp") and token.head.i != token.i:
        return token.head
    return None


def last_compatible_entity(entities: EntityIndex, before: int, token: Token,
                           topics: Topics | None = None) -> int | None:
    """The mention a dropped or pronoun subject most likely refers to: the person who was
    last the subject of an event (``topics``), else the latest person named before
    ``before`` (char offset); singular, and agreeing in gender when the words show it."""
    number = token.morph.get("Number")
    if number and number[0] == "Plur":
        return None
    gender = token.morph.get("Gender")
    if topics is not None:
        k = topics.latest(before, gender)
        if k is not None:
            return k
    return entities.latest_person(before, gender)

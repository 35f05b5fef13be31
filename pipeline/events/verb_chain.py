"""Read a predicate's verbal complex: which verbs are auxiliaries of which, and what tense,
aspect, polarity and modality the whole complex gives the event (TimeML values).

Portuguese builds tense and aspect with auxiliaries (`foram expulsos`, `tinha partido`, `vai
realizar`, `está a negociar`) and modality with verbs (`pode cair`, `deve chegar`). The parser
attaches these either as ``aux`` children of the lexical verb or as heads taking it as an
``xcomp``; both shapes are read here, so the trigger is always the lexical word and the
auxiliaries only lend it their tense.
"""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import words

_AUX_DEPS = ("aux", "aux:pass", "cop")
#: verbs that, governing an infinitive (``xcomp``), are auxiliaries of it
_PERIPHRASTIC = frozenset({"estar", "ir", "ter", "haver", "vir", "andar", "ficar"})


def _modals() -> frozenset[str]:
    """Single-verb modals; `ter de`/`haver de` are recognized by their `de`."""
    return frozenset(w for w in words("modals") if " " not in w)


def is_function_verb(token: Token) -> bool:
    """Whether ``token`` only carries tense, aspect or modality for an infinitive or gerund it
    governs (`vai realizar`, `está a negociar`, `pode cair`)."""
    if token.dep_ in _AUX_DEPS:
        return True
    lemma = token.lemma_.lower()
    if lemma not in _PERIPHRASTIC and lemma not in _modals():
        return False
    return _governed_verb(token) is not None


def _governed_verb(token: Token) -> Token | None:
    if token.lemma_.lower() in ("ter", "haver") and token.pos_ == "AUX":
        # `tinha partido` parsed with the participle as the auxiliary's object
        for child in token.children:
            if child.dep_ in ("obj", "xcomp", "ccomp") and child.pos_ == "VERB" and \
                    child.morph.get("VerbForm") == ["Part"] and child.i > token.i:
                return child
    for child in token.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX") and \
                child.morph.get("VerbForm") and child.morph.get("VerbForm")[0] in ("Inf", "Ger"):
            return child
    return None


def _is_governed(head: Token, token: Token) -> bool:
    governed = _governed_verb(head)
    return (governed is not None and governed.i == token.i) or (
        token.dep_ == "xcomp" and head.dep_ not in _AUX_DEPS)


def chain(token: Token) -> list[Token]:
    """The function verbs of ``token``'s complex, the outermost (finite one) first."""
    out: list[Token] = []
    seen = {token.i}
    current = token
    while True:
        auxes = [c for c in current.children if c.dep_ in _AUX_DEPS and c.i not in seen
                 and c.pos_ in ("AUX", "VERB")]
        out[:0] = sorted(auxes, key=lambda t: t.i)
        seen.update(t.i for t in auxes)
        head = current.head
        if (current.dep_ in ("xcomp", "obj", "ccomp") and head.i != current.i
                and head.i not in seen and head.pos_ in ("AUX", "VERB")
                and is_function_verb(head) and _is_governed(head, current)):
            out.insert(0, head)
            seen.add(head.i)
            current = head
            continue
        return out


def _feature(token: Token, name: str) -> str | None:
    values = token.morph.get(name)
    return values[0] if values else None


def _finite_tense(verb: Token) -> str | None:
    mood, tense = _feature(verb, "Mood"), _feature(verb, "Tense")
    if mood == "Cnd":
        return "NONE"
    if mood == "Imp":
        return "NONE"
    if tense in ("Past", "Imp", "Pqp"):
        return "PAST"
    if tense == "Fut":
        return "FUTURE"
    if tense == "Pres":
        return "PRESENT"
    # a finite form the tagger gave no tense (`foram`): its ending tells
    from .features import verb_form

    guess = verb_form(verb.lower_.split("-")[0])
    return guess[1] if guess is not None and guess[1] != "-" else None


def tense_aspect(token: Token, auxiliaries: list[Token]) -> tuple[str, str]:
    """TimeML (tense, aspect) of the event whose head word is ``token``."""
    verbs = auxiliaries + ([token] if token.pos_ in ("VERB", "AUX") else [])
    lemmas = [v.lemma_.lower() for v in auxiliaries]
    progressive = any(
        lemma in ("estar", "andar") and nxt is not None and (
            _feature(nxt, "VerbForm") == "Ger"
            or any(c.dep_ == "mark" and c.lower_ == "a" for c in nxt.children))
        for lemma, nxt in zip(lemmas, auxiliaries[1:] + [token], strict=False))
    perfective = any(
        lemma in ("ter", "haver") and nxt is not None and _feature(nxt, "VerbForm") == "Part"
        for lemma, nxt in zip(lemmas, auxiliaries[1:] + [token], strict=False))
    aspect = ("PERFECTIVE_PROGRESSIVE" if progressive and perfective else
              "PROGRESSIVE" if progressive else "PERFECTIVE" if perfective else "NONE")
    # A modal does not lend its tense (`pode aumentar` stays an infinitive, with modality
    # `poder`), as TimeBankPT annotates it.
    modal_at = [i for i, v in enumerate(verbs) if _is_modal(v, verbs[i + 1:])]
    if modal_at:
        verbs = verbs[modal_at[-1] + 1:]
    tense = None
    for i, verb in enumerate(verbs):
        if _feature(verb, "VerbForm") == "Fin" or _feature(verb, "Mood"):
            tense = _finite_tense(verb)
            # `vai fazer`, `irá fazer`: a future; `ia fazer`: a past
            if verb.lemma_.lower() == "ir" and i + 1 < len(verbs) and \
                    _feature(verbs[i + 1], "VerbForm") == "Inf" and tense == "PRESENT":
                tense = "FUTURE"
            break
    if tense is None and verbs:
        form = _feature(verbs[0], "VerbForm")
        tense = {"Inf": "INFINITIVE", "Ger": "PRESPART", "Part": "PASTPART"}.get(form or "")
    return tense or "NONE", aspect


def polarity(token: Token, auxiliaries: list[Token]) -> str:
    """NEG when `não`, `nunca`, `jamais` or `nem` modifies the event or one of its
    auxiliaries."""
    negators = words("negation")
    for verb in [token, *auxiliaries]:
        for child in verb.children:
            if child.dep_ in ("advmod", "cc", "det") and (
                    child.lower_ in negators or "Neg" in child.morph.get("Polarity")):
                if child.dep_ != "cc" or child.lower_ == "nem":
                    return "NEG"
    return "POS"


def _is_modal(verb: Token, after: list[Token]) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in _modals():
        return True
    # `tem de sair`, `há de chegar`: the mark sits on the verb that follows
    return lemma in ("ter", "haver") and bool(after) and _feature(after[0], "VerbForm") == "Inf" \
        and any(c.dep_ == "mark" and c.lower_ in ("de", "que") for c in after[0].children)


def modality(token: Token, auxiliaries: list[Token]) -> str | None:
    """The lemma of the modal verb of the complex (`pode cair` → `poder`, `tem de sair` →
    `ter de`), if any."""
    verbs = auxiliaries + [token]
    for i, verb in enumerate(auxiliaries):
        if _is_modal(verb, verbs[i + 1:]):
            lemma = verb.lemma_.lower()
            return f"{lemma} de" if lemma in ("ter", "haver") else lemma
    return None

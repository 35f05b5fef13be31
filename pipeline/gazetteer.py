"""Country and city names (``data/gazetteer_places.tsv``) that ``anais_entities`` uses for two
narrow corrections of the model:

- a mention read as a person whose whole surface is a country or a city of a million people or
  more is a place (`Bucareste acusou a Hungria`, `deixará Belém em Setembro`): a model reads a
  lone capitalized subject as a person, and names this well known are rarely people. A mention
  read as an organization is a place only when it is a country of several words (`os Estados
  Unidos`) or a former state (`a União Soviética`, `a Prússia`; ``data/former_states.tsv``,
  written by hand: which states no longer exist is a fact no installed package gives in the
  names Portuguese text uses); otherwise it is left alone, as clubs and teams take their
  city's or country's name (`o Porto venceu`, `a França empatou`).
- a capitalized name the model missed that is exactly a country or a city of the list becomes a
  place when nothing else claims it: a name of two words or more anywhere (`Juiz de Fora`), a
  one-word name only after a preposition of place (`em Poltava`, `de Juazeiro`) and when it is
  no common word (`data/common_words.txt`), and never inside a longer capitalized name
  (`Bragança Paulista`, `Universidade de Lisboa`, `Tratado de Windsor`).

Names that are also common Brazilian first names (`Salvador`, `Vitória`, `Israel`) are marked in
the file and left to the model either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.extensions import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.entities import Mention

_DATA = Path(__file__).parent / "data" / "gazetteer_places.tsv"
_FORMER_STATES = Path(__file__).parent / "data" / "former_states.tsv"
_COUNTRIES = frozenset({"country", "former_country"})
#: a person mention is turned into a place only for a country or a city at least this large
BIG_CITY = 1_000_000
#: words after which a lone name of the list is a place (`em`, `para`, `desde Moscou`)
PLACE_PREPOSITIONS = frozenset("em para até de desde a rumo entre".split())
_HEAD = re.compile(r"[ -]")


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # country | former_country | city
    population: int
    first_name: bool


@cache
def places() -> dict[str, Place]:
    """Name -> ``Place``, from ``data/gazetteer_places.tsv`` and ``data/former_states.tsv``
    (a name in both, `Birmânia`, is the country of today)."""
    out = {}
    for line in _DATA.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, kind, population, first_name = line.split("\t")
        out[name] = Place(kind, int(population), first_name == "yes")
    for line in _FORMER_STATES.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kind = line.split("\t")
            out.setdefault(name, Place(kind, 0, False))
    return out


@cache
def _longest_name() -> int:
    return max(len(name.split()) for name in places())


@lru_cache(maxsize=65_536)
def _head(word: str) -> str:
    """The word up to its first space or hyphen (cached: asked for every token)."""
    return _HEAD.split(word, 1)[0]


@cache
def _heads() -> frozenset[str]:
    """The first words of the names (up to a hyphen, which the tokenizer may split off), so
    the search looks further only at tokens that can open a name."""
    return frozenset(_head(name) for name in places())


def _sure_place(name: str, min_city: int = 0) -> bool:
    place = places().get(name)
    return (place is not None and not place.first_name
            and (place.kind in _COUNTRIES or place.population >= min_city))


def _state_not_team(name: str) -> bool:
    place = places().get(name)
    return place is not None and (place.kind == "former_country"
                                  or place.kind == "country" and " " in name)


def persons_that_are_places(found: list[Mention]) -> list[Mention]:
    """``found`` with a person whose surface is a country or a big city, and an organization
    whose surface is a former state or a country of several words, read as a place."""
    return [replace(m, label="LOC")
            if m.label == "PER" and _sure_place(m.text, BIG_CITY)
            or m.label == "ORG" and _state_not_team(m.text) else m for m in found]


def _capitalized(text: str) -> bool:
    return text[:1].isupper()


def missed_places(doc: Doc, found: list[Mention],
                  timex_spans: list[tuple[int, int]]) -> list[Mention]:
    """``found`` with the places of the list that no mention or time expression covers (see
    the module's docstring for when a name counts), in text order."""
    from pipeline.entities import Mention, _trim_words, common_words

    text = doc_text(doc)
    taken = bytearray(len(text))
    for s, e in [(m.start, m.end) for m in found] + list(timex_spans):
        taken[s:e] = b"\x01" * (e - s)
    longest = _longest_name()
    # name particles, not `e`: `Portugal e Nova Zelândia` is two names
    particles = _trim_words()["particle"] - {"e"}
    extra: list[Mention] = []
    n_tokens = len(doc)
    heads = _heads()
    for i, token in enumerate(doc):
        if _head(token.text) not in heads or taken[token.idx]:
            continue
        # a name inside a longer capitalized one (`São Paulo`, `Universidade de Lisboa`) is
        # not cut out of it; a sentence opener has only punctuation before it
        if i and _capitalized(doc[i - 1].text) or (
                i > 1 and doc[i - 1].lower_ in particles and _capitalized(doc[i - 2].text)):
            continue
        for n in range(min(longest, n_tokens - i), 0, -1):
            last = doc[i + n - 1]
            start, end = token.idx, last.idx + len(last.text)
            name = text[start:end]
            if not _capitalized(last.text) or not _sure_place(name):
                continue
            if i + n < n_tokens and _capitalized(doc[i + n].text):
                break  # the longer capitalized name is not a place of the list
            if n == 1 and (not i or doc[i - 1].lower_ not in PLACE_PREPOSITIONS
                           or token.text.lower() in common_words()):
                break
            if taken.find(1, start, end) < 0:
                extra.append(Mention(start, end, name, "LOC"))
                taken[start:end] = b"\x01" * (end - start)
            break
    return sorted(found + extra, key=lambda m: (m.start, m.end)) if extra else found

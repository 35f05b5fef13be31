"""The trained anais pipeline in models/pt_anais (built by `make model`: the `fast` workflow of
models/project.yml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "models" / "pt_anais"

pytestmark = pytest.mark.skipif(
    not (MODEL / "meta.json").exists(),
    reason="models/pt_anais is absent: build it with `make model`",
)

# Written for this test; not a sentence of UD Bosque/GSD or UNER.
SENTENCE = (
    "O ministro Carlos Mendes reuniu-se ontem em Lisboa com os dirigentes do "
    "Banco de Portugal para discutir o orçamento."
)


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load(MODEL)


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(SENTENCE)


def test_pipeline_components(nlp):
    assert nlp.lang == "pt"
    for name in ("tok2vec", "morphologizer", "lemmatizer", "parser", "ner"):
        assert name in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG"}


def test_entities_person_place_organization(doc):
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Carlos Mendes", "PER") in ents, ents
    assert ("Lisboa", "LOC") in ents, ents
    assert ("Banco de Portugal", "ORG") in ents, ents


def test_verb_lemma_and_pos(nlp):
    doc = nlp("As crianças compraram livros novos e leram-nos durante as férias.")
    by_text = {t.text: t for t in doc}
    assert by_text["compraram"].lemma_ == "comprar"
    assert by_text["compraram"].pos_ == "VERB"
    assert by_text["crianças"].lemma_ == "criança"


def test_sentences_and_parse(nlp):
    doc = nlp("A reunião terminou tarde. Os ministros saíram sem falar aos jornalistas.")
    assert len(list(doc.sents)) == 2
    assert doc.has_annotation("DEP")
    assert sum(t.dep_ == "ROOT" for t in doc) == 2


def test_meta_records_dev_scores():
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "anais"
    assert meta["lang"] == "pt"
    scores = meta["anais_dev_scores"]
    for key in ("upos_acc", "lemma_acc", "las", "uas", "ner_f", "ner_p", "ner_r",
                "ner_per_type", "words_per_second"):
        assert key in scores, key
    for key in ("upos_acc", "lemma_acc", "las", "uas", "ner_f"):
        assert 0.0 < scores[key] <= 1.0
    assert set(scores["ner_per_type"]) == {"PER", "LOC", "ORG"}
    assert meta["performance"]["ents_f"] == scores["ner_f"]
    assert meta["datasets"]


def test_model_fits_the_size_budget():
    size = sum(f.stat().st_size for f in MODEL.rglob("*") if f.is_file())
    assert size < 60_000_000, f"{size / 1e6:.1f} MB"


def test_foreign_names_in_history_text(nlp):
    # Written for this test: names of the kind Wikipedia-style history is full of.
    doc = nlp("Em 1812, o marechal Kutuzov recuou e Napoleão entrou em Moscovo sem combate.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Kutuzov", "PER") in ents, ents
    assert ("Moscovo", "LOC") in ents, ents

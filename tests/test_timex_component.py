"""The anais_timex spaCy component on a blank Portuguese pipeline."""

from __future__ import annotations

import spacy

import pipeline.timex.component  # noqa: F401  (registers the factory)
from pipeline.timex import Timex


def _nlp(doc_type: str = "auto"):
    nlp = spacy.blank("pt")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("anais_timex", config={"doc_type": doc_type})
    return nlp


def test_news_with_dct():
    nlp = _nlp()
    doc = nlp.make_doc("O ministro chegou ontem. Parte em março de 1999.")
    doc._.dct = "1998-02-12"
    doc = nlp(doc)
    got = [(t.text, t.value, t.anchor) for t in doc._.timexes]
    assert got == [("ontem", "1998-02-11", "DCT"), ("março de 1999", "1999-03", None)]
    assert all(isinstance(t, Timex) for t in doc._.timexes)


def test_narrative_without_dct():
    doc = _nlp()("Em outubro de 1910 caiu a monarquia. A 5 de outubro nasceu a República.")
    assert [(t.value, t.anchor) for t in doc._.timexes] == [("1910-10", None),
                                                           ("1910-10-05", "t0")]


def test_doc_type_override_per_doc():
    nlp = _nlp(doc_type="news")
    doc = nlp.make_doc("Ontem choveu.")
    doc._.doc_type = "narrative"
    doc = nlp(doc)
    assert doc._.timexes[0].value == "XXXX-XX-XX"


def test_empty_doc():
    assert _nlp()("")._.timexes == []


def test_pipe_many_docs():
    docs = list(_nlp().pipe(["Em 1822.", "Nada aqui.", "Entre 1961 e 1974."]))
    assert [len(d._.timexes) for d in docs] == [1, 0, 3]


def test_verb_tense_from_morphology():
    """With a tagged doc the tense comes from the morphology, not from verb endings."""
    nlp = _nlp()
    doc = nlp.make_doc("O ministro assina o acordo em setembro.")
    for t in doc:
        if t.text == "assina":
            t.pos_ = "VERB"
            t.set_morph("Mood=Ind|Tense=Fut|VerbForm=Fin")
    doc._.dct = "1998-02-12"
    doc = nlp(doc)
    assert [(t.text, t.value) for t in doc._.timexes] == [("setembro", "1998-09")]
    # the same text without morphology: no tense is guessed from "assina", closest September
    plain = nlp.make_doc("O ministro assina o acordo em setembro.")
    plain._.dct = "1998-02-12"
    assert [t.value for t in nlp(plain)._.timexes] == ["1997-09"]


def test_save_and_load(tmp_path):
    nlp = _nlp(doc_type="narrative")
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.get_pipe_config("anais_timex")["doc_type"] == "narrative"
    doc = loaded("Em 1910 caiu a monarquia. No ano seguinte houve eleições.")
    assert [t.value for t in doc._.timexes] == ["1910", "1911"]


def test_command_line(capsys):
    from pipeline.timex.__main__ import main

    assert main(["O ministro chegou ontem.", "--dct", "1998-02-12"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split("\t")[3:6] == ["ontem", "DATE", "1998-02-11"]


def test_a_line_break_ends_a_sentence():
    """A title without a full stop is not read with the verb of the next line."""
    nlp = _nlp()
    doc = nlp.make_doc("Greve na CP suprime comboios até domingo\n\nA greve começou ontem.")
    doc._.dct = "2025-05-22"
    values = {t.text: t.value for t in nlp(doc)._.timexes}
    assert values == {"domingo": "2025-05-25", "ontem": "2025-05-21"}


def test_sentences_are_split_at_each_line_break():
    """``_split_at_newlines`` (breaks found with str.find): a line break ends the piece before
    it; a break at a piece's start ends nothing (it stays in the next piece)."""
    from pipeline.timex.component import _split_at_newlines

    text = "Título\nUma frase. Outra\n\nfrase.\n"
    assert _split_at_newlines(text, [(0, 18), (18, len(text))]) == [
        (0, 6), (7, 18), (18, 23), (24, 31)]
    assert _split_at_newlines("\n\nA b.", [(0, 5)]) == [(0, 1), (2, 5)]
    assert _split_at_newlines("sem quebra", [(4, 10)]) == [(4, 10)]
    assert _split_at_newlines("a\nb\n", [(0, 1), (1, 4)]) == [(0, 1), (1, 3)]

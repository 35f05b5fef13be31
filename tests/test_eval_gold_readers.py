"""Gold readers on tiny hand-written files: anais JSON, CoNLL/IOB2, IO, CoNLL-U; detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.gold_conll import parse_conll, read_conll
from pipeline.evaluation.gold_json import GoldFormatError, read_json_gold
from pipeline.evaluation.gold_reader import detect_format, gold_files, read_gold

FIX = Path(__file__).parent / "fixtures" / "eval"


def test_json_gold_finds_text_in_corpus_subfolder():
    warnings: list[str] = []
    doc = read_json_gold(FIX / "corpus" / "gold" / "republica.json", warnings=warnings)
    assert warnings == []
    assert doc.doc_id == "republica.txt" and doc.text.startswith("Em outubro de 1910")
    assert [(t.type, t.value, t.begin, t.end_value) for t in doc.timexes] == [
        ("DATE", "1910-10", None, None), ("INTERVAL", None, "1807", "1808")]
    assert [doc.text[e.start:e.end] for e in doc.entities] == ["Eça de Queirós", "Paris", "Lisboa"]
    assert doc.entity_surfaces == {"PER": ["Eça de Queirós"], "LOC": ["Paris", "Lisboa"]}


def test_json_gold_finds_text_and_dct_in_jsonl():
    doc = read_json_gold(FIX / "corpus" / "gold" / "noticia.json")
    assert doc.text == "O Banco de Portugal anunciou ontem a subida."
    assert doc.dct == "2024-03-14"
    assert doc.entities is None  # absent: entity spans are not scored for this document
    assert doc.text[doc.timexes[0].start:doc.timexes[0].end] == "ontem"


def test_json_gold_bad_offsets_and_missing_document_warn(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "a.txt").write_text("Hoje é dia.", encoding="utf-8")
    g = tmp_path / "gold" / "a.json"
    g.write_text('{"doc": "a.txt", "timex": [{"start": 0, "end": 3, "text": "Hoje",'
                 ' "type": "DATE", "value": "PRESENT_REF"}]}', encoding="utf-8")
    warnings: list[str] = []
    read_json_gold(g, warnings=warnings)
    assert len(warnings) == 1 and "'Hoj'" in warnings[0]
    g.write_text('{"doc": "nowhere.txt", "entity_surfaces": {"PER": ["X"]}}', encoding="utf-8")
    warnings.clear()
    doc = read_json_gold(g, warnings=warnings)
    assert doc.text is None and "not found" in warnings[0]
    g.write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldFormatError):
        read_json_gold(g)


def test_iob2_uner_layout():
    docs = read_conll(FIX / "tiny.iob2")
    assert [d.doc_id for d in docs] == ["tiny#docA", "tiny#docB"]
    a = docs[0]
    # Sentence 1 text from `# text =`; sentence 2 rebuilt from tokens.
    assert a.text == "Vera Lúcia, 40, vive em São Paulo.\nA Petrobras e a Copa Brasil Rio"
    got = [(a.text[e.start:e.end], e.label) for e in a.entities]
    # OTH is not scored; two B-LOC in a row are two entities.
    assert got == [("Vera Lúcia", "PER"), ("São Paulo", "LOC"), ("Petrobras", "ORG"),
                   ("Brasil", "LOC"), ("Rio", "LOC")]
    assert a.sentences == [(0, 34), (35, 66)]
    b = docs[1]
    assert [(b.text[e.start:e.end], e.label) for e in b.entities] == [("Lula", "PER"),
                                                                        ("Lisboa", "LOC")]
    assert b.text == "Lula  visitou Lisboa"  # the # text line is kept as is


def test_io_tags_and_docstart():
    docs = read_conll(FIX / "tiny_io.conll")
    assert len(docs) == 2
    assert [(d.text[e.start:e.end], e.label) for d in docs for e in d.entities] == [
        ("Banco do Brasil", "ORG"), ("Brasília", "LOC"), ("João Silva Maria", "PER")]
    assert docs[0].text == "O Banco do Brasil abriu em Brasília"


def test_bioes_and_iob1():
    lines = ["A O", "B S-PER", "C B-LOC", "D E-LOC", "E I-ORG", "F B-ORG", ""]
    (doc,) = parse_conll(lines, "x")
    assert [(doc.text[e.start:e.end], e.label) for e in doc.entities] == [
        ("B", "PER"), ("C D", "LOC"), ("E", "ORG"), ("F", "ORG")]


def test_detection(tmp_path):
    assert detect_format(FIX / "tiny.tml") == "timeml"
    assert detect_format(FIX / "tiny.iob2") == "conll"
    assert detect_format(FIX / "tiny.conllu") == "conllu"
    (tmp_path / "notes.txt").write_text("Isto não é CoNLL, é uma frase longa.\n" * 3)
    assert detect_format(tmp_path / "notes.txt") is None
    conllu_as_txt = tmp_path / "x.txt"
    conllu_as_txt.write_text((FIX / "tiny.conllu").read_text())
    assert detect_format(conllu_as_txt) == "conllu"
    assert [k for _, k in gold_files(FIX / "corpus" / "gold")] == ["json", "json"]


def test_read_gold_folder_and_errors(tmp_path):
    fmt, docs = read_gold(FIX / "corpus" / "gold")
    assert fmt == "json" and sorted(d.doc_id for d in docs) == ["noticia", "republica.txt"]
    (tmp_path / "manifest.json").write_text('{"tables": []}')
    warnings: list[str] = []
    with pytest.raises(GoldFormatError):  # nothing left to score
        read_gold(tmp_path, warnings=warnings)
    assert any("skipped" in w for w in warnings)
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(GoldFormatError):
        read_gold(tmp_path)  # empty folder
    with pytest.raises(GoldFormatError):
        read_gold(tmp_path / "missing.json")


def test_conllu_reader_and_metrics():
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.vocab import Vocab

    from pipeline.evaluation.conllu_scores import conllu_metrics, read_conllu_docs

    (words,) = read_conllu_docs(FIX / "tiny.conllu", mode="words")
    assert [t.text for t in words] == ["Ele", "foi", "a", "o", "Porto", "."]
    assert words[4].pos_ == "PROPN" and words[1].lemma_ == "ir" and words[4].head.i == 1
    assert words.text == "Ele foi ao Porto. "
    (gold,) = read_conllu_docs(FIX / "tiny.conllu")  # surface tokens, as spaCy tokenizes
    assert [t.text for t in gold] == ["Ele", "foi", "ao", "Porto", "."]
    # "ao" = a + o: the word attached outside the span (a → Porto) carries the annotation.
    assert (gold[2].pos_, gold[2].lemma_, gold[2].dep_, gold[2].head.i) == ("ADP", "a",
                                                                             "case", 3)
    assert gold[3].head.i == 1 and gold[1].dep_ == "ROOT"
    perfect = conllu_metrics([Example(gold.copy(), gold)])
    assert perfect["pos_acc"] == perfect["dep_las"] == perfect["lemma_acc"] == 1.0
    bare = Doc(Vocab(), words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold])
    bare[0].pos_ = "PRON"
    assert conllu_metrics([Example(bare, gold)])["pos_acc"] == pytest.approx(1 / 5)


UNER_DEV = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ner" /
            "uner_pt_bosque" / "surface" / "pt_bosque-uner-surface-dev.iob2")


@pytest.mark.skipif(not UNER_DEV.is_file(),
                    reason=f"UNER Bosque dev not found at {UNER_DEV} (../shared/data absent)")
def test_uner_bosque_dev():
    fmt, docs = read_gold(UNER_DEV)
    assert fmt == "conll" and len(docs) == 40  # grouped by the sent_id document prefix
    ents = [e for d in docs for e in d.entities]
    # 570 B-PER + 414 B-LOC + 417 B-ORG in the file.
    assert len(ents) == 1401
    assert sum(len(d.sentences) for d in docs) == 1172
    for d in docs:
        for e in d.entities:
            assert d.text[e.start:e.end] == e.text and e.text.strip() == e.text


def test_conllu_report_mapping_breakdowns_and_errors():
    from spacy.tokens import Doc
    from spacy.training import Example

    from pipeline.evaluation.conllu_scores import (
        error_rows,
        label_mapping,
        per_pos,
        per_relation,
        read_conllu_docs,
    )

    (gold,) = read_conllu_docs(FIX / "tiny.conllu")  # Ele foi ao Porto .
    pred = Doc(gold.vocab, words=[t.text for t in gold],
               spaces=[bool(t.whitespace_) for t in gold],
               pos=["PRON", "AUX", "ADP", "PROPN", "PUNCT"], heads=[1, 1, 3, 1, 1],
               deps=["nsubj", "ROOT", "case", "obj", "punct"])
    ex = Example(pred, gold)
    rel = per_relation([ex])
    assert rel["obl"]["n"] == 1 and rel["obl"]["uas"] == 1.0 and rel["obl"]["las"] == 0.0
    assert rel["nsubj"]["las"] == 1.0 and rel["nsubj"]["f"] == 1.0 and "punct" not in rel
    pos = per_pos([ex])
    assert pos["VERB"] == {"n": 1, "correct": 0, "confused_with": {"AUX": 1}, "accuracy": 0.0}
    rows = error_rows([ex], ["tiny.conllu#1"])
    assert [(r.task, r.gold_text, r.gold_type, r.pred_type, r.errors) for r in rows] == [
        ("pos", "foi", "VERB", "AUX", "pos"), ("dep", "Porto", "obl", "obj", "relation")]
    assert "[[Porto]]" in rows[1].context
    mapping = label_mapping([gold], "surface", {"nsubj", "ROOT", "case"})
    assert mapping["gold_relations_not_predicted"] == {"obl": 1}
    assert "surface" in mapping["tokens"] and "ROOT" in mapping["relations"]

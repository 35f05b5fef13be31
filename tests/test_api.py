"""The Python API: what ``extract_documents`` and ``extract`` take, ``doc._.dct`` checked at
once, and our Doc attributes surviving ``DocBin`` and ``nlp.pipe(n_process=2)``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import pipeline
from pipeline.reading import DocumentInput

MODEL = Path(__file__).resolve().parent.parent / "models" / "pt_anais"
TEXT = ("O Presidente Jorge Sampaio visitou Braga a 5 de outubro de 1999. Ontem, o ministro "
        "António Guterres falou em Lisboa com os dirigentes do Banco de Portugal.")


def test_extract_documents_takes_strings_and_dicts(blank_nlp) -> None:
    inputs = [TEXT, {"id": "x", "text": TEXT, "dct": dt.date(2024, 3, 14), "title": "T"},
              {"id": "x", "text": TEXT}, {"id": "no-text"},
              DocumentInput("d", "<mine>", TEXT), "  "]
    out = list(pipeline.extract_documents(blank_nlp, inputs))
    assert [e.document.doc_id for e in out] == ["doc0", "x", "x#2", "no-text", "d", "doc5"]
    assert [e.document.status for e in out] == ["ok", "ok", "ok", "error", "ok", "error"]
    assert out[1].document.dct == "2024-03-14" and '"title": "T"' in out[1].document.metadata
    assert out[1].timexes[-1].value == "2024-03-13"  # `Ontem` anchored to the DCT
    assert out[3].errors[0].error_type == "no_text"
    with pytest.raises(TypeError, match="expected a str"):
        list(pipeline.extract_documents(blank_nlp, [42]))


@pytest.mark.parametrize("dct", [dt.date(2024, 3, 14), dt.datetime(2024, 3, 14, 10, 30),
                                 "14/03/2024", "2024-03-14T10:00:00Z"])
def test_extract_takes_dates(blank_nlp, dct) -> None:
    result = pipeline.extract(TEXT, dct=dct, nlp=blank_nlp)
    assert result.document.dct == "2024-03-14"
    assert [t.value for t in result.timexes if t.text == "Ontem"] == ["2024-03-13"]


def test_doc_dct_is_checked_when_set(blank_nlp) -> None:
    doc = blank_nlp.make_doc(TEXT)
    with pytest.raises(ValueError, match="doc._.dct: dct must be a date"):
        doc._.dct = "garbage"
    doc._.dct = dt.date(2024, 3, 14)
    assert doc._.dct == "2024-03-14"
    doc = blank_nlp(doc)
    assert [t.value for t in doc._.timexes if t.text == "Ontem"] == ["2024-03-13"]
    doc._.dct = None
    assert doc._.dct is None


def test_attributes_survive_pipe_with_two_processes(blank_nlp) -> None:
    texts = [TEXT, TEXT.replace("1999", "2001"), TEXT, TEXT]
    one = [d._.timexes for d in blank_nlp.pipe(texts)]
    two = [list(d._.timexes) for d in blank_nlp.pipe(texts, n_process=2, batch_size=1)]
    assert two == one and two[1][0].value == "2001-10-05"


@pytest.fixture(scope="module")
def nlp():
    if not (MODEL / "meta.json").exists():
        pytest.skip("models/pt_anais is absent: build it with make model")
    return pipeline.load()


def test_attributes_survive_docbin(nlp) -> None:
    from spacy.tokens import DocBin

    doc = nlp.make_doc(TEXT)
    doc._.dct = "2024-03-14"
    doc = nlp(doc)
    assert doc._.entities and doc._.timexes and doc._.events
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    (back,) = DocBin().from_bytes(data).get_docs(nlp.vocab)
    assert back._.dct == "2024-03-14"
    for name in ("entities", "timexes", "events"):
        assert list(getattr(back._, name)) == list(getattr(doc._, name)), name
    assert isinstance(back._.events[0].arguments, list)

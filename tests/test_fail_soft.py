"""A failure of one of our components costs its layer of one document, never the document."""

from __future__ import annotations

import logging

import pytest

import pipeline
import pipeline.entities
import pipeline.events.component
import pipeline.timex.component
from pipeline.extraction import extract_documents
from pipeline.reading import DocumentInput

TEXT = "O Presidente Getúlio Vargas visitou Lisboa a 5 de outubro de 1938 e discursou."

# component name, (module, function it calls to fill its layer), the table it fills
CASES = [
    ("anais_timex", (pipeline.timex.component, "tag_text"), "timexes"),
    ("anais_entities", (pipeline.entities, "mentions"), "entities"),
    ("anais_events", (pipeline.events.component, "build_events"), "events"),
]
LAYERS = ("sentences", "tokens", "entities", "timexes", "events")


def _boom(*args, **kwargs):
    raise ValueError("could not convert string to float: '5.6.7.8'")


def test_every_layer_is_filled_on_the_example(shipped_nlp):
    result = pipeline.extract(TEXT, nlp=shipped_nlp)
    assert result.document.status == "ok" and not result.errors
    assert all(getattr(result, layer) for layer in LAYERS)


@pytest.mark.parametrize("component, target, table", CASES)
def test_a_failing_component_costs_only_its_layer(shipped_nlp, monkeypatch, caplog, capsys,
                                                  component, target, table):
    whole = pipeline.extract(TEXT, nlp=shipped_nlp)
    monkeypatch.setattr(*target, _boom)
    with caplog.at_level(logging.WARNING):
        result = pipeline.extract(TEXT, nlp=shipped_nlp)
    assert result.document.status == "partial"
    assert result.document.error == f"{component}: ValueError"
    assert getattr(result, table) == []
    if table == "events":
        assert result.event_args == []
    # what the other layers found is kept
    assert result.sentences == whole.sentences and result.tokens == whole.tokens
    for other in ("entities", "timexes"):
        if other != table:
            assert getattr(result, other), other
    if component == "anais_timex":  # the events still come, without times
        assert [e.trigger for e in result.events] == [e.trigger for e in whole.events]
    [error] = result.errors
    assert (error.doc_id, error.stage, error.error_type) == ("doc", component, "ValueError")
    assert "5.6.7.8" in error.message and table in error.message
    # one line, no traceback
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "doc" in warnings[0].getMessage()
    assert warnings[0].exc_info is None
    assert "Traceback" not in capsys.readouterr().err


def test_the_neighbours_of_a_partial_document_are_untouched(shipped_nlp, monkeypatch):
    texts = ["A República foi proclamada em 1910.", "O single saiu em 2001.",
             "Camões morreu em Lisboa em 1580."]
    before = list(extract_documents(shipped_nlp, [DocumentInput(f"d{i}", "s", t)
                                                  for i, t in enumerate(texts)]))
    real = pipeline.timex.component.tag_text

    def fails_on_the_single(text, **kwargs):
        if "single" in text:
            raise ValueError("boom")
        return real(text, **kwargs)

    monkeypatch.setattr(pipeline.timex.component, "tag_text", fails_on_the_single)
    after = list(extract_documents(shipped_nlp, [DocumentInput(f"d{i}", "s", t)
                                                 for i, t in enumerate(texts)]))
    assert [x.document.status for x in after] == ["ok", "partial", "ok"]
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1].timexes == [] and after[1].sentences == before[1].sentences
    assert [e.stage for e in after[1].errors] == ["anais_timex"]


def test_the_message_stays_short(blank_nlp, monkeypatch):
    def quotes_the_text(text, **kwargs):
        raise ValueError(f"could not convert string to float: {text!r}")

    monkeypatch.setattr(pipeline.timex.component, "tag_text", quotes_the_text)
    [error] = blank_nlp("1." * 5_000)._.errors
    assert len(error["message"]) < 400


def test_a_component_in_a_pipeline_of_ones_own_records_its_failure(blank_nlp, monkeypatch):
    monkeypatch.setattr(pipeline.timex.component, "tag_text", _boom)
    doc = blank_nlp("Em 1910 caiu a monarquia.")
    assert doc._.timexes == []
    [error] = doc._.errors
    assert error["stage"] == "anais_timex" and error["error_type"] == "ValueError"
    monkeypatch.undo()
    assert blank_nlp("Outro texto.")._.errors is None  # nothing leaks into the next document

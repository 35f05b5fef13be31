"""The event layer (``anais_events``) on the trained pipeline: the example corpus in
``event_examples.tsv`` (one phenomenon per line), offsets, tables and degraded bases."""

from __future__ import annotations

from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "models" / "pt_anais"
EXAMPLES = Path(__file__).with_name("event_examples.tsv")

needs_model = pytest.mark.skipif(
    not (MODEL / "meta.json").exists(),
    reason="models/pt_anais is absent: events need its parser",
)


def _examples() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in EXAMPLES.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            text, trigger, expected = line.split("\t")
            rows.append((text, trigger, expected.split()))
    return rows


@pytest.fixture(scope="module")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="module")
def extract(nlp):
    import pipeline

    cache: dict[str, object] = {}

    def run(text: str):
        if text not in cache:
            cache[text] = pipeline.extract(text, nlp=nlp)
        return cache[text]

    return run


@needs_model
@pytest.mark.parametrize(("text", "trigger", "expected"), _examples(),
                         ids=[f"{t}:{x[:30]}" for x, t, _ in _examples()])
def test_event_example(extract, text: str, trigger: str, expected: list[str]) -> None:
    result = extract(text)
    events = {e.trigger: e for e in result.events}
    assert trigger in events, f"no event {trigger!r}; found {sorted(events)}"
    ev = events[trigger]
    args = [a for a in result.event_args if a.event_id == ev.event_id]
    flat = {"class": ev.event_class, "tense": ev.tense, "aspect": ev.aspect,
            "polarity": ev.polarity, "modality": ev.modality, "pos": ev.pos,
            "relation": ev.time_relation, "timesource": ev.time_source,
            "time": ev.time_value if ev.time_begin is None else f"{ev.time_begin}/{ev.time_end}"}
    for item in expected:
        if item.startswith("!"):
            assert item[1:] not in events, f"{item[1:]!r} should not be an event"
            continue
        key, value = item.split("=", 1)
        if key in flat:
            assert flat[key] == value, f"{key}: {flat[key]!r} != {value!r}"
            continue
        surface, _, how = value.replace("_", " ").partition("@")
        found = [a for a in args if a.role == key and a.text == surface]
        assert found, f"no {key} {surface!r}; arguments: {[(a.role, a.text) for a in args]}"
        if how:
            assert found[0].source == how, (found[0].source, how)


@needs_model
def test_offsets_and_ids_join(extract) -> None:
    text = ("Em 1929, Trotsky foi expulso da União Soviética. Instalou-se na Turquia e "
            "escreveu a sua autobiografia. Ele morreu no México em 1940.")
    result = extract(text)
    assert result.events
    for e in result.events:
        assert text[e.start:e.end] == e.trigger
        assert result.sentences[e.sent_id].start <= e.start < result.sentences[e.sent_id].end
        if e.time_id is not None:
            assert result.timexes[e.time_id].value == e.time_value or e.time_begin
    ids = {e.event_id for e in result.events}
    assert ids == set(range(len(result.events)))
    for a in result.event_args:
        assert text[a.start:a.end] == a.text
        assert a.event_id in ids
        if a.ent_id is not None:
            assert result.entities[a.ent_id].cluster_id == a.cluster_id
    # every event of Trotsky, named or not, is found through his cluster
    trotsky = {m.cluster_id for m in result.entities if m.text == "Trotsky"}
    of_trotsky = {a.event_id for a in result.event_args if a.cluster_id in trotsky}
    triggers = {e.trigger for e in result.events if e.event_id in of_trotsky}
    assert {"expulso", "morreu"} <= triggers, triggers


@needs_model
def test_unknown_time_is_not_filled_from_the_dct(nlp) -> None:
    import pipeline

    result = pipeline.extract("A empresa contratou novos engenheiros.", dct="2024-03-14",
                              nlp=nlp)
    ev = next(e for e in result.events if e.trigger == "contratou")
    assert ev.time_id is None and ev.time_value is None and ev.time_source is None
    assert ev.dct_relation == "BEFORE"


@needs_model
def test_dct_relation_from_tense_and_time(nlp) -> None:
    import pipeline

    text = "O Governo anunciou ontem que vai construir um hospital em 2026."
    result = pipeline.extract(text, dct="2024-03-14", nlp=nlp)
    rel = {e.trigger: e.dct_relation for e in result.events}
    assert rel["anunciou"] == "BEFORE"
    assert rel["construir"] == "AFTER"


def test_blank_base_gives_no_events_and_no_error(blank_nlp) -> None:
    import pipeline

    result = pipeline.extract("A República foi proclamada em 1910.", nlp=blank_nlp)
    assert result.document.status == "ok"
    assert result.events == [] and result.event_args == []

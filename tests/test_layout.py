"""Line breaks: CRLF input gets the annotations of the same text with LF, offsets exact in
the original; no sentence is (or starts with) whitespace; whitespace tokens carry nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "models" / "pt_anais"
# Written for this test: paragraphs separated by blank lines, a heading, a run of blank lines.
TEXT = ("A Revolução\n\nO Presidente Jorge Sampaio visitou Braga em 1999.\n\nNo dia seguinte, o "
        "ministro António Guterres falou em Lisboa a 5 de outubro.\nA Câmara do Porto reuniu "
        "com o Banco de Portugal.\n\n\nNo fim, Mário Soares partiu para Paris.\n")


@pytest.fixture(scope="module")
def nlp():
    if not (MODEL / "meta.json").exists():
        pytest.skip("models/pt_anais is absent: build it with make model")
    import pipeline

    return pipeline.load()


def labels(ex) -> dict[str, list]:
    """Everything but offsets, with line breaks written one way."""
    def norm(s):
        return s.replace("\r\n", "\n")

    return {
        "sentences": [norm(s.text) for s in ex.sentences],
        "entities": [(norm(e.text), e.label, e.sent_id, e.canonical) for e in ex.entities],
        "timexes": [(t.text, t.type, t.value, t.sent_id) for t in ex.timexes],
        "events": [(e.trigger, e.event_class, e.agent, e.place, e.sent_id) for e in ex.events],
        "tokens": [(norm(t.text), t.sent_id, t.lemma, t.pos, t.head, t.dep) for t in ex.tokens],
    }


def exact(ex, text: str) -> None:
    for name in ("sentences", "tokens", "entities", "timexes", "event_args"):
        for r in getattr(ex, name):
            assert text[r.start:r.end] == r.text, (name, r)
    for e in ex.events:
        assert text[e.start:e.end] == e.trigger
    assert ex.document.n_chars == len(text)


def test_crlf_gives_the_annotations_of_lf(nlp) -> None:
    import pipeline

    lf = pipeline.extract(TEXT, nlp=nlp)
    crlf_text = TEXT.replace("\n", "\r\n")
    crlf = pipeline.extract(crlf_text, nlp=nlp)
    assert lf.entities and lf.timexes and len(lf.sentences) >= 4
    assert labels(crlf) == labels(lf)
    exact(lf, TEXT)
    exact(crlf, crlf_text)
    old_mac = TEXT.replace("\n", "\r")
    exact(pipeline.extract(old_mac, nlp=nlp), old_mac)


def test_no_blank_sentence_and_blank_tokens_carry_nothing(nlp) -> None:
    import pipeline

    for text in (TEXT, "\n\n" + TEXT, TEXT.replace("\n", "\r\n")):
        ex = pipeline.extract(text, nlp=nlp)
        assert all(s.text.strip() for s in ex.sentences)
        assert all(not s.text[:1].isspace() for s in ex.sentences[1:])
        blank = [t for t in ex.tokens if t.text.isspace()]
        assert blank and all(t.lemma is t.pos is t.morph is t.head is t.dep is None
                             for t in blank)
        words = {t.tok_id: t for t in ex.tokens if not t.text.isspace()}
        assert all(t.head in words for t in words.values())
        starts = [s.start for s in ex.sentences]
        for t in ex.tokens:  # each token lies in the sentence it says
            s = ex.sentences[t.sent_id]
            assert s.start <= t.start and (t.end <= s.end or t.text.isspace()), t
        assert starts == sorted(starts)


def test_blank_pipeline_sentences(blank_nlp) -> None:
    from pipeline.extraction import extract

    ex = extract("Primeira frase.\n\n\nSegunda frase.", nlp=blank_nlp)
    assert [s.text for s in ex.sentences] == ["Primeira frase.\n\n\n", "Segunda frase."]

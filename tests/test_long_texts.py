"""Long tokens and long documents reach spaCy in bounded pieces; offsets stay exact."""

from __future__ import annotations

import pytest

import pipeline
from pipeline import long_texts
from pipeline.extraction import extract_documents
from pipeline.reading import DocumentInput

PARAGRAPH = ("O senhor João Tavares nasceu em Coimbra a 3 de maio de 1850. Foi para Lisboa em "
             "1870 e lá morreu. Tavares escreveu ao irmão.")


def _tiles(text, doc_or_rows) -> None:
    """Every token is exact, and nothing but whitespace lies between them."""
    end = 0
    for t in doc_or_rows:
        start = t.idx if hasattr(t, "idx") else t.start
        surface = t.text
        assert text[start:start + len(surface)] == surface
        assert not text[end:start].strip()
        end = start + len(surface)
    assert not text[end:].strip()


@pytest.mark.parametrize("blob", ["7a3F9q", "(", "'", "1,", "a\u0301"])
def test_a_huge_token_is_tokenized_in_pieces(blank_nlp, blob):
    run = blob * (20_000 // len(blob))
    text = f"O ficheiro de 3 de maio de 2001 tinha {run} como conteúdo."
    doc = long_texts.make_doc(blank_nlp, text)
    assert doc.text == text
    _tiles(text, doc)
    assert max(len(t.text) for t in doc) <= long_texts.MAX_RUN
    assert not any(t.text[0] == "\u0301" for t in doc)  # a combining mark stays on its letter
    # text around the run is tokenized as without it
    assert [t.text for t in doc[:8]] == ["O", "ficheiro", "de", "3", "de", "maio", "de", "2001"]
    assert [t.text for t in doc[-3:]] == ["como", "conteúdo", "."]


def test_a_url_or_a_long_word_is_left_whole(blank_nlp):
    text = "Veja https://exemplo.pt/noticias/2001/05/03/o-single-saiu?ref=capa e " \
           "pneumoultramicroscopicossilicovulcanoconiótico."
    assert [t.text for t in long_texts.make_doc(blank_nlp, text)] == \
        [t.text for t in blank_nlp.make_doc(text)]


def test_the_whole_pipeline_on_a_huge_token(shipped_nlp):
    run = "7a3F9q" * 5_000
    text = f"O ficheiro recebido a 3 de maio de 2001 tinha {run} como conteúdo."
    result = pipeline.extract(text, nlp=shipped_nlp)
    assert result.document.status == "ok"
    _tiles(text, result.tokens)
    assert max(len(t.text) for t in result.tokens) <= long_texts.MAX_RUN
    assert [t.value for t in result.timexes] == ["2001-05-03"]


def test_slices_cover_the_document_and_end_at_paragraphs(blank_nlp):
    text = "\n\n".join([PARAGRAPH] * 40)
    doc = long_texts.make_doc(blank_nlp, text)
    bounds = long_texts.slice_bounds(doc, 100)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(doc)
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:], strict=False))
    assert all(0 < b - a <= 100 for a, b in bounds)
    assert all("\n\n" in doc[b - 1].text for _, b in bounds[:-1])


def test_a_long_document_goes_through_the_model_in_slices(shipped_nlp, monkeypatch):
    text = "\n\n".join(PARAGRAPH.replace("1850", str(1800 + k)) for k in range(30))
    whole = pipeline.extract(text, nlp=shipped_nlp)
    seen: list[int] = []
    real_pipe = shipped_nlp.pipe

    def recording_pipe(docs, **kwargs):
        for doc in real_pipe(docs, **kwargs):
            seen.append(len(doc))
            yield doc

    monkeypatch.setattr(shipped_nlp, "pipe", recording_pipe)
    monkeypatch.setattr(long_texts, "SLICE_TOKENS", 200)
    [sliced] = extract_documents(shipped_nlp, [DocumentInput("d", "s", text)], with_tokens=True)
    assert len(seen) > 3 and max(seen) <= 200 and sum(seen) == len(whole.tokens)
    assert sliced.document.status == "ok" and not sliced.errors
    _tiles(text, sliced.tokens)
    for table in ("entities", "timexes", "events"):
        rows = getattr(sliced, table)
        assert all(text[r.start:r.end] == (r.trigger if table == "events" else r.text)
                   for r in rows)
    # our components saw the whole text: the same times and names as without slices, and
    # one cluster for João Tavares across every slice
    assert [(t.start, t.value) for t in sliced.timexes] == \
        [(t.start, t.value) for t in whole.timexes]
    assert [(e.start, e.label) for e in sliced.entities] == \
        [(e.start, e.label) for e in whole.entities]
    tavares = {e.cluster_id for e in sliced.entities if "Tavares" in e.text}
    assert len(tavares) == 1

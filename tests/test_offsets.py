"""Offsets are character offsets into the original text, whatever the text is."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline

PIECES = st.sampled_from([
    "5 de outubro de 1910", "entre 1914 e 1918", "1807-1808", " ", "\n\n", "Lisboa", "José",
    "início de 1975", "às 15h30", "\u00a0", "😀", "e\u0301", "ﬁ", "\t", ".",
    "a menos de dois meses",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=12)), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=TEXTS)
def test_every_span_is_a_slice_of_the_original(blank_nlp, parts: list[str]) -> None:
    text = "".join(parts)
    result = pipeline.extract(text, nlp=blank_nlp, with_tokens=True)
    if result.document.status == "error":
        assert not text.strip()
        return
    for rows in (result.sentences, result.tokens, result.timexes, result.entities):
        for row in rows:
            assert text[row.start:row.end] == row.text
    assert [t.tok_id for t in result.tokens] == list(range(len(result.tokens)))
    assert result.document.n_chars == len(text)

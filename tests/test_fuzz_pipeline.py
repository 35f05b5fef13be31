"""The whole pipeline (shipped model, every layer) on adversarial text: no document is lost,
no exception escapes, no component fails, and every offset is exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extraction import extract_documents
from pipeline.reading import DocumentInput

WORDS = ["O", "single", "saiu", "em", "2001", "Lisboa", "a", "5", "de", "outubro", "de",
         "1910", "Getúlio", "Vargas", "foi", "eleito", "presidente", "no", "dia", "ontem",
         "sexta-feira", "às", "15h30", "entre", "e", "1914–1918", "Câmara", "Municipal"]
SCRIPTS = ["Москва", "Αθήνα", "القاهرة", "東京都", "서울", "मुंबई", "ירושלים", "ﬁnança",
           "Ǆemal", "e\u0301", "c\u0327a\u0303o", "İstanbul", "ß", "Ⅻ", "٣٤٥", "１９９８", "²³"]
EMOJI = ["😀", "🇵🇹", "👩\u200d👩\u200d👧", "👍🏽", "❤️", "🕐", "\U0001F9D1\u200d\U0001F680"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\u200b", "\u200e", "\u2028", "\u2029", "\ufeff",
            "\r\n", "\r", "\t", "\x0c", "\x85", "\ufffd", "\ud7ff"]

number_soup = st.text(alphabet="0123456789.,;:/-–()[]\"'ºª°%€$#+*=<>", min_size=1,
                      max_size=40)
long_line = st.builds(lambda piece, n: piece * n,
                      st.sampled_from(["(", "7a3F", "1,", "...", "-", "ab.cd", "Ç", "á-"]),
                      st.integers(200, 1500))
fragment = st.one_of(st.sampled_from(WORDS), st.sampled_from(SCRIPTS), st.sampled_from(EMOJI),
                     st.sampled_from(CONTROLS), number_soup, long_line,
                     st.text(max_size=12))
separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", "", ", ", ". ", "  "])


@st.composite
def documents(draw) -> str:
    parts = draw(st.lists(st.tuples(fragment, separator), min_size=1, max_size=25))
    text = "".join(f + s for f, s in parts)
    return text if text.strip() else "x" + text


def _exact(text: str, rows, surface: str = "text") -> None:
    for row in rows:
        assert 0 <= row.start <= row.end <= len(text), row
        assert text[row.start:row.end] == getattr(row, surface), row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=3))
def test_adversarial_documents_are_never_lost(shipped_nlp, texts):
    inputs = [DocumentInput(f"d{i}", "fuzz", text) for i, text in enumerate(texts)]
    out = list(extract_documents(shipped_nlp, inputs, with_tokens=True))
    assert [x.document.doc_id for x in out] == [i.doc_id for i in inputs]
    for text, x in zip(texts, out, strict=True):
        assert x.errors == [], x.errors
        assert x.document.status == "ok"
        assert x.document.n_chars == len(text)
        _exact(text, x.sentences)
        _exact(text, x.tokens)
        _exact(text, x.entities)
        _exact(text, x.timexes)
        _exact(text, x.events, "trigger")
        _exact(text, x.event_args)
        assert [t.tok_id for t in x.tokens] == list(range(len(x.tokens)))
        # the tokens tile the text: nothing between them but whitespace
        end = 0
        for t in x.tokens:
            assert t.start >= end and not text[end:t.start].strip()
            end = t.end
        assert not text[end:].strip()

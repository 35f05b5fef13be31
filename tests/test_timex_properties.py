"""Properties every output of the temporal tagger must have, on generated texts."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.timex import tag_text
from pipeline.timex.types import TIMEX_TYPES
from pipeline.timex.values import days_in_month

_DAY = re.compile(r"^(BC)?(\d{4}|XXXX)-(\d{2})-(\d{2})")

WORDS = [
    "em", "de", "no", "na", "a", "o", "entre", "e", "até", "desde", "há", "cerca", "mais",
    "menos", "início", "meados", "final", "fim", "século", "XX", "III", "a.C.", "anos", "ano",
    "30", "1822", "1961", "1974", "1500", "7", "5", "1º", "15h30", "07/09/1822", "1914–1918",
    "março", "outubro", "sexta-feira", "segundas-feiras", "verão", "manhã", "noite", "hoje",
    "ontem", "amanhã", "passado", "próximo", "seguinte", "depois", "antes", "dois", "vinte",
    "cinco", "meses", "semanas", "dias", "terceiro", "trimestre", "todos", "os", "meia", "hora",
    "soldados", "Rua", "página", ",", ".", "(", ")", "-", "Lisboa", "rei", "guerra", "\n",
    "–", "c.", "Natal", "Páscoa", "findo", "período", "homólogo", "mesmo", "nesse", "neste",
    "desta", "quarta", "terça", "2ª", "feira", "jan.", "2010/11", "'98", "22", "dias", "XV",
    "séculos", "décadas", "1960", "às", "9h", "das", "horas", "cada", "vezes", "véspera",
    "29", "31", "fevereiro", "abril", "2001", "31/04/2020", "2001-02-29", "dia", "esta",
]


def _check(text: str, timexes) -> None:
    for i, t in enumerate(timexes):
        assert text[t.start:t.end] == t.text
        assert t.start < t.end
        assert t.type in TIMEX_TYPES
        if t.type == "INTERVAL":
            assert t.value is None
            assert t.parent is None
        else:
            assert t.value
            day = _DAY.match(t.value)
            if day:  # a day the calendar has (an X year may still hold 29 February)
                y = None if day.group(2) == "XXXX" else \
                    int(day.group(2)) * (-1 if day.group(1) else 1)
                assert 1 <= int(day.group(4)) <= days_in_month(int(day.group(3)), y), t
            if t.type == "TIME":
                assert "T" in t.value, t
        if t.parent is not None:
            parent = timexes[t.parent]
            assert parent.type == "INTERVAL" and t.parent < i
            assert parent.start <= t.start and t.end <= parent.end
            assert t.role in ("begin", "end")
        if t.anchor is not None:
            assert t.anchor == "DCT" or 0 <= int(t.anchor[1:]) < len(timexes)
            assert t.anchor != f"t{i}"
    starts = [t.start for t in timexes]
    assert starts == sorted(starts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40),
       st.sampled_from([None, "1998-02-12", "2000-06-15"]),
       st.sampled_from(["auto", "news", "narrative"]))
# found by a CI run: a clock shift with no time before it was a TIME without a clock
@example(["30", "horas", "depois"], None, "auto")
def test_offsets_and_links_on_temporal_soup(words, dct, doc_type):
    text = " ".join(words)
    _check(text, tag_text(text, dct=dct, doc_type=doc_type))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_safe(text):
    _check(text, tag_text(text))
    _check(text, tag_text(text, dct="2020-01-01"))


def test_decomposed_accents_are_read_like_composed_ones():
    import unicodedata

    text = unicodedata.normalize("NFD", "Em março de 1910, no verão, à noite.")
    got = tag_text(text)
    _check(text, got)
    assert [t.value for t in got] == ["1910-03", "1910-SU", "XXXX-XX-XXTNI"]


def test_a_list_of_numbers_is_not_one_number():
    # `float('5.6.7.8')` raised: several decimal commas are a list of numbers
    text = 'O single "5,6,7,8" saiu em 2001.'
    got = tag_text(text)
    _check(text, got)
    assert [(t.text, t.value) for t in got] == [("2001", "2001")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,:/-ºª°h ", max_size=40))
def test_number_and_punctuation_soup_is_safe(text):
    _check(text, tag_text(text))
    _check(text, tag_text(text, dct="2020-01-01"))

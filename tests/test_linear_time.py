"""Every stage of ours does work in proportion to the document's length, not its square.

Work is counted, not timed: the number of lines of our own code each stage runs (a trace on
``pipeline/``), on a document of n and of 4n paragraphs of distinct people, places and dates.
Linear work grows about 4×, quadratic work 16×; a stage passes under 6×.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

import pipeline
from pipeline.extraction import doc_to_extraction
from pipeline.reading import DocumentInput

OURS = str(Path(pipeline.__file__).resolve().parent)
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi",
             "xo", "zu"]
MONTHS = ["janeiro", "março", "maio", "julho", "outubro", "dezembro"]
MEN = ["João", "Pedro", "Manuel", "António", "Carlos", "Francisco"]
CITIES = ["Lisboa", "Porto", "Coimbra", "Braga", "Évora", "Faro"]
SMALL, GROWTH, MAX_RATIO = 25, 4, 6.0


def _name(k: int) -> str:
    a, b = divmod(k, len(SYLLABLES) ** 2)
    b, c = divmod(b, len(SYLLABLES))
    return (SYLLABLES[a % len(SYLLABLES)] + SYLLABLES[b] + SYLLABLES[c]).capitalize()


def biographies(n: int) -> str:
    """``n`` paragraphs, each about a man of its own: his name recurs in it, the places recur
    across paragraphs, and a dropped subject (`Foi destruída`) agrees with none of them."""
    out = []
    for k in range(n):
        first, last = MEN[k % len(MEN)], _name(k) + "s"
        city = CITIES[k % len(CITIES)]
        out.append(f"O senhor {first} {last} nasceu em {city} a {k % 28 + 1} de "
                   f"{MONTHS[k % 6]} de {1800 + k % 200}. Foi destruída em {1830 + k % 150} e "
                   f"reconstruída depois. {first} {last} voltou a {city} no ano seguinte.")
    return "\n\n".join(out)


def lines_run(fn) -> Counter:
    """Lines of our code (``pipeline/``) that ``fn()`` runs, per file."""
    counts: Counter = Counter()

    def local(frame, event, arg):
        if event == "line":
            counts[frame.f_code.co_filename] += 1
        return local

    def on_call(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(OURS) else None

    sys.settrace(on_call)
    try:
        fn()
    finally:
        sys.settrace(None)
    return counts


@pytest.fixture(scope="module")
def parsed(shipped_nlp):
    """(small doc, big doc), run through the whole pipeline."""
    return [shipped_nlp(biographies(n)) for n in (SMALL, SMALL * GROWTH)]


def _growth(parsed, stage) -> dict[str, float]:
    """Work on the big document over work on the small one, per module of ours."""
    small, big = (lines_run(lambda d=doc: stage(d)) for doc in parsed)
    return {Path(f).relative_to(OURS).as_posix(): big[f] / small[f] for f in small}


def _too_slow(growth: dict[str, float]) -> dict[str, str]:
    return {f: f"{r:.1f}x the work for {GROWTH}x the text" for f, r in growth.items()
            if r >= MAX_RATIO}


@pytest.mark.parametrize("component", ["anais_timex", "anais_entities", "anais_events"])
def test_each_component_grows_linearly(shipped_nlp, parsed, component):
    assert parsed[1]._.entities and parsed[1]._.timexes and parsed[1]._.events
    growth = _growth(parsed, shipped_nlp.get_pipe(component))
    assert len(growth) > 1  # its own modules were traced, not only the wrapper
    assert _too_slow(growth) == {}


def test_table_rows_grow_linearly(parsed):
    growth = _growth(parsed, lambda doc: doc_to_extraction(
        doc, DocumentInput("d", "s", doc.text), with_tokens=True))
    assert _too_slow(growth) == {}

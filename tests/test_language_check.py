"""The language check identifies the language (with a confidence), rejects what is clearly
not Portuguese whatever its length, and keeps Portuguese that quotes other languages."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from pipeline.language_check import guess_language
from pipeline.reading import ReadOptions, iter_documents

FIXTURE = Path(__file__).parent / "fixtures" / "language_paragraphs.tsv"
SPANISH_NEWS = (  # 44 words: the old function-word check let it through
    "El Gobierno aprobó este martes en el Consejo de Ministros el proyecto de ley de "
    "presupuestos para el próximo año, que incluye una subida de las pensiones y del sueldo "
    "de los funcionarios, así como nuevas ayudas para los jóvenes que compran vivienda.")
SHORT_SPANISH = ("El alcalde anunció ayer que las obras del nuevo puente terminarán antes "
                 "del verano.")


def paragraphs() -> list[tuple[str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def test_fixture_paragraphs_are_identified() -> None:
    rows = paragraphs()
    wrong = Counter((lang, guess_language(text).language) for lang, text in rows
                    if guess_language(text).language != lang)
    assert len(rows) >= 100 and sum(wrong.values()) <= len(rows) // 100, wrong


def test_portuguese_quoting_english_titles_stays_portuguese() -> None:
    for lang, text in paragraphs():
        if lang == "pt":
            verdict = guess_language(text)
            assert verdict.is_portuguese and verdict.language == "pt", (verdict, text)


@pytest.mark.parametrize(("text", "lang"), [(SPANISH_NEWS, "es"), (SHORT_SPANISH, "es")])
def test_spanish_is_rejected_long_or_short(tmp_path: Path, text: str, lang: str) -> None:
    path = tmp_path / "es.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = iter_documents([str(path)])
    assert doc.error is not None and doc.error.error_type == "not_portuguese"
    assert "Spanish" in doc.error.message and doc.language == lang
    (kept,) = iter_documents([str(path)], ReadOptions(check_language=False))
    assert kept.error is None and kept.language == lang and kept.language_confidence > 0.9


def test_language_and_confidence_are_documents_columns(blank_nlp) -> None:
    from pipeline.extraction import extract_documents

    text = ("A República foi proclamada em Lisboa a 5 de outubro de 1910, depois de dois dias "
            "de combates entre os revoltosos e as tropas fiéis ao rei.")
    inputs = list(iter_documents(["-"], stdin=io.BytesIO(text.encode())))
    (ex,) = extract_documents(blank_nlp, inputs)
    assert ex.document.language == "pt" and 0.5 < ex.document.language_confidence <= 1


def test_too_little_text_decides_nothing() -> None:
    verdict = guess_language("Lisboa, 1910")
    assert verdict.language is None and verdict.is_portuguese

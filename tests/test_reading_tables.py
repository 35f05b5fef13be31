"""Inputs data teams have: Parquet and CSV tables, gzip-compressed files, glob patterns, and
DCTs written the ways people write them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.reading import ReadOptions, iter_documents, normalize_dct

TEXT = "O Governo anunciou ontem um novo plano para a habitação em Lisboa."


@pytest.mark.parametrize(("written", "iso"), [
    ("2024-03-14", "2024-03-14"), ("2024-03-14T10:00:00Z", "2024-03-14"),
    ("2024-03-14T23:30:00+01:00", "2024-03-14"), ("14/03/2024", "2024-03-14"),
    ("05/03/2024", "2024-03-05"), ("14 de março de 2024", "2024-03-14"),
    ("14 março 2024", "2024-03-14"),
])
def test_dct_in_the_formats_people_write(written: str, iso: str) -> None:
    assert normalize_dct(written) == iso


@pytest.mark.parametrize("bad", ["amanhã talvez", "março de 2024", "99/99/2024", ""])
def test_an_unparseable_or_partial_dct_is_an_error(bad: str) -> None:
    with pytest.raises(ValueError, match="dct must be a date"):
        normalize_dct(bad)


def test_parquet_rows_with_named_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    pq.write_table(pa.table({"uid": ["a1", None], "body": [TEXT, TEXT],
                             "published": ["14/03/2024", "2024-03-15T08:00:00Z"],
                             "section": ["pol", "eco"]}), path)
    opts = ReadOptions(text_column="body", id_column="uid", dct_column="published")
    docs = list(iter_documents([str(path)], opts))
    assert [d.doc_id for d in docs] == ["a1", "news:2"]
    assert [d.dct for d in docs] == ["2024-03-14", "2024-03-15"]
    assert docs[0].metadata == {"section": "pol"} and docs[1].source == f"{path}:2"
    assert all(d.error is None for d in docs)


def test_csv_gz_keeps_ids_as_written_and_reports_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "news.csv.gz"
    csv = f'id,text,dct\n0042,"{TEXT}",14 de março de 2024\n7,"{TEXT}",ontem à noite\n8,,\n'
    path.write_bytes(gzip.compress(csv.encode("utf-8")))
    docs = list(iter_documents([str(path)]))
    assert docs[0].doc_id == "0042" and docs[0].dct == "2024-03-14" and docs[0].error is None
    assert docs[1].error.error_type == "bad_dct"
    assert docs[2].error.error_type == "empty"


def test_a_broken_table_file_is_one_error_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    (doc,) = iter_documents([str(path)])
    assert doc.error is not None and doc.error.error_type == "bad_parquet"


def test_gzip_text_and_jsonl_and_glob_patterns(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt.gz").write_bytes(gzip.compress(TEXT.encode("utf-8")))
    (tmp_path / "a" / "y.txt").write_text(TEXT, "utf-8")
    line = json.dumps({"id": "j1", "text": TEXT, "dct": "14/03/2024"}, ensure_ascii=False)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress((line + "\n").encode("utf-8")))
    folder = list(iter_documents([str(tmp_path / "a")]))
    assert [d.doc_id for d in folder] == ["x.txt.gz", "y.txt"]
    assert all(d.text == TEXT for d in folder)
    (doc,) = iter_documents([str(tmp_path / "*.jsonl.gz")])
    assert doc.doc_id == "j1" and doc.dct == "2024-03-14"
    matched = list(iter_documents([str(tmp_path / "**" / "*.txt*")]))
    assert sorted(d.doc_id for d in matched) == ["x.txt.gz", "y.txt"]
    (nothing,) = iter_documents([str(tmp_path / "*.parquet")])
    assert nothing.error.error_type == "missing"
    broken = tmp_path / "z.txt.gz"
    broken.write_bytes(b"not gzip")
    (bad,) = iter_documents([str(broken)])
    assert bad.error.error_type == "bad_gzip"

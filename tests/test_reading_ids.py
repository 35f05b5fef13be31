"""Document ids are a key: a repeated id is renamed deterministically (``<id>#2``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pipeline.reading import InputReport, ReadOptions, iter_documents

PT = ("A Implantação da República Portuguesa foi o resultado de um golpe de Estado organizado "
      "pelo Partido Republicano Português a 5 de outubro de 1910.")


def ids(*inputs: str, stdin: bytes = b"") -> list[str]:
    return [d.doc_id for d in iter_documents(list(inputs), ReadOptions(),
                                             stdin=io.BytesIO(stdin))]


def test_repeated_jsonl_ids_and_number_vs_string(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    rows = [{"id": 42, "text": PT}, {"id": "42", "text": PT}, {"id": "42#2", "text": PT},
            {"id": 42, "text": PT}, {"id": "x", "text": PT}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = InputReport()
    docs = list(iter_documents([str(path)], ReadOptions(), report=report))
    assert [d.doc_id for d in docs] == ["42", "42#2", "42#2#2", "42#3", "x"]
    assert docs[1].metadata == {"given_id": "42"}
    assert report.renamed_ids == 3
    assert [d.doc_id for d in iter_documents([str(path)])] == [d.doc_id for d in docs]


def test_same_relative_path_under_two_folders(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(PT, encoding="utf-8")
    assert ids(str(tmp_path / "one"), str(tmp_path / "two")) == ["a.txt", "a.txt#2"]


def test_stdin_given_twice_is_reported_not_read_as_empty() -> None:
    docs = list(iter_documents(["-", "-"], ReadOptions(), stdin=io.BytesIO(PT.encode())))
    assert [d.doc_id for d in docs] == ["stdin", "stdin#2"]
    assert docs[0].text == PT
    assert docs[1].error.error_type == "repeated_stdin" and docs[1].error.doc_id == "stdin#2"


def test_run_tables_have_unique_keys(tmp_path: Path, blank_nlp) -> None:
    import pandas as pd

    from pipeline.run import run_corpus

    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": PT}) + "\n" for i in (1, "1", 1)),
                    encoding="utf-8")
    summary = run_corpus(blank_nlp, [str(path)], tmp_path / "out")
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    sents = pd.read_parquet(tmp_path / "out" / "sentences")
    assert docs.doc_id.is_unique and not sents.duplicated(["doc_id", "sent_id"]).any()
    assert summary.inputs["renamed_ids"] == 2

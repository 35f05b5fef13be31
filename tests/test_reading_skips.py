"""No input is dropped without a word: folders through symlinks, any-case `.TXT`, `.json`
files, JSONL on stdin; missing paths are error rows, warnings and a count."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from pipeline.reading import InputReport, ReadOptions, iter_documents

PT = ("A Implantação da República Portuguesa foi o resultado de um golpe de Estado organizado "
      "pelo Partido Republicano Português a 5 de outubro de 1910.")


def read(*inputs: str, stdin: bytes = b"", report: InputReport | None = None) -> list:
    return list(iter_documents(list(inputs), ReadOptions(), stdin=io.BytesIO(stdin),
                               report=report))


def test_symlinked_folders_are_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "b.txt").write_text(PT, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PT, encoding="utf-8")
    (corpus / "linked").symlink_to(real, target_is_directory=True)
    (real / "loop").symlink_to(corpus, target_is_directory=True)  # a cycle must end
    assert [d.doc_id for d in read(str(corpus))] == ["a.txt", "linked/b.txt"]


def test_upper_case_suffixes_are_text_files(tmp_path: Path) -> None:
    (tmp_path / "A.TXT").write_text(PT, encoding="utf-8")
    (tmp_path / "b.Txt").write_text(PT, encoding="utf-8")
    assert sorted(d.doc_id for d in read(str(tmp_path))) == ["A.TXT", "b.Txt"]


def test_other_files_in_folders_are_reported(tmp_path: Path, caplog) -> None:
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    report = InputReport()
    with caplog.at_level(logging.WARNING):
        assert [d.doc_id for d in read(str(tmp_path), report=report)] == ["a.txt"]
    assert report.skipped == {".json": 1, ".md": 1}
    assert "skipped 2 files" in caplog.text


def test_json_files_are_read_as_documents(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "text": PT, "dct": "2024-01-02"}), encoding="utf-8")
    many = tmp_path / "many.JSON"
    many.write_text(json.dumps([{"id": "y", "text": PT}, {"text": PT}, 3]), encoding="utf-8")
    docs = read(str(one), str(many))
    assert [(d.doc_id, d.text == PT) for d in docs] == [
        ("x", True), ("y", True), ("many:2", True), ("many:3", False)]
    assert docs[0].dct == "2024-01-02" and docs[3].error.error_type == "bad_json"


def test_jsonl_on_stdin_is_read_as_records() -> None:
    lines = b"".join(json.dumps({"id": f"s{i}", "text": PT}).encode() + b"\n" for i in range(2))
    assert [d.doc_id for d in read("-", stdin=lines)] == ["s0", "s1"]
    (plain,) = read("-", stdin=b"{ not json at all } " + PT.encode())
    assert plain.doc_id == "stdin" and plain.text.startswith("{ not json")


def test_missing_among_good_inputs(tmp_path: Path, caplog, blank_nlp) -> None:
    from pipeline.run import run_corpus

    good = tmp_path / "a.txt"
    good.write_text(PT, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        summary = run_corpus(blank_nlp, [str(good), str(tmp_path / "nope.txt"),
                                         str(tmp_path / "*.none")], tmp_path / "out")
    assert summary.documents == 3 and summary.failed == 2
    assert summary.inputs["missing_inputs"] == 2
    assert "nope.txt: no such file or folder" in caplog.text
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["inputs"]["missing_inputs"] == 2


def test_cli_summary_says_how_many_inputs_were_missing(tmp_path: Path, capsys) -> None:
    from pipeline.cli import main

    good = tmp_path / "a.txt"
    good.write_text(PT, encoding="utf-8")
    code = main(["run", str(good), str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"),
                 "--model", "blank"])
    assert code == 0
    assert "1 input missing" in capsys.readouterr().err

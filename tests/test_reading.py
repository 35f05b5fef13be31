"""Inputs of every kind, good and bad, become documents or readable error records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.reading import ReadOptions, iter_documents, normalize_dct

PT = ("A Implantação da República Portuguesa foi o resultado de um golpe de Estado organizado "
      "pelo Partido Republicano Português, que destituiu a monarquia e implantou um regime "
      "republicano em Portugal a 5 de outubro de 1910.")


def read(*inputs: str, stdin: bytes = b"", **options) -> list:
    return list(iter_documents(list(inputs), ReadOptions(**options), stdin=io.BytesIO(stdin)))


def test_text_file_and_folder_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text(PT, encoding="utf-8")
    (tmp_path / "ignored.md").write_text(PT, encoding="utf-8")
    docs = read(str(tmp_path))
    assert [d.doc_id for d in docs] == ["a.txt", "sub/b.txt"]
    assert all(d.error is None and d.text == PT for d in docs)
    assert read(str(tmp_path / "a.txt"))[0].doc_id == "a.txt"


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeff".encode() + PT.encode())
    assert read(str(tmp_path / "bom.txt"))[0].text == PT


@pytest.mark.parametrize(("content", "kind"), [
    (b"", "empty"),
    (b"  \n\t \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("Revolução de 1910".encode("latin-1") + PT.encode(), "undecodable"),
    (b"The revolution was organised by the Portuguese Republican Party and it was the result "
     b"of the crisis of the monarchy in the years that followed the British Ultimatum of 1890, "
     b"which had been a humiliation for the country and its king.", "not_portuguese"),
])
def test_bad_files_give_one_error_each(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (doc,) = read(str(path))
    assert doc.text is None and doc.error is not None
    assert doc.error.error_type == kind
    assert doc.error.doc_id == "bad.txt" and doc.error.message


def test_undecodable_message_says_where_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Revolução".encode("latin-1"))
    (doc,) = read(str(path), encoding="utf-8")
    assert "offset 6" in doc.error.message and "--encoding" in doc.error.message
    (again,) = read(str(path), encoding="latin-1", check_language=False)
    assert again.text == "Revolução" and again.encoding == "iso8859-1"


def test_missing_path_and_too_large(tmp_path: Path) -> None:
    (missing,) = read(str(tmp_path / "nope.txt"))
    assert missing.error.error_type == "missing"
    (tmp_path / "big.txt").write_text(PT * 10, encoding="utf-8")
    (big,) = read(str(tmp_path / "big.txt"), max_chars=100)
    assert big.error.error_type == "too_large" and "--max-chars" in big.error.message


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(PT, encoding="utf-8")
    path.chmod(0)
    try:
        if path.open("rb"):  # root can read anything: nothing to test then
            pytest.skip("running as a user who can read a mode-000 file")
    except PermissionError:
        (doc,) = read(str(path))
        assert doc.error.error_type == "unreadable"
    finally:
        path.chmod(0o644)


def test_jsonl_ids_dct_metadata_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "n1", "text": PT, "dct": "2024-03-14", "title": "T"}),
        "{not json",
        json.dumps({"id": "n2"}),
        json.dumps({"id": "n3", "text": PT, "dct": "no dia 14, creio"}),
        "",
        json.dumps({"text": PT, "dct": "2024-03-14T10:30:00"}),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = read(str(path))
    assert [(d.doc_id, d.error.error_type if d.error else None) for d in docs] == [
        ("n1", None), ("news:2", "bad_json"), ("n2", "no_text"), ("n3", "bad_dct"),
        ("news:6", None), ("news:7", "bad_json")]
    assert docs[0].dct == "2024-03-14" and docs[0].metadata == {"title": "T"}
    assert docs[1].source == f"{path}:2"
    assert docs[4].dct == "2024-03-14"


def test_stdin_text_and_jsonl() -> None:
    (doc,) = read("-", stdin=PT.encode())
    assert doc.doc_id == "stdin" and doc.text == PT
    line = json.dumps({"id": "x", "text": PT}).encode()
    (doc,) = read("-", stdin=line, input_format="jsonl")
    assert doc.doc_id == "x"


def test_default_dct_applies_to_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    assert read(str(tmp_path), default_dct="2020-01-02")[0].dct == "2020-01-02"


@pytest.mark.parametrize("bad", ["2024-13-01", "ontem", "", 20240314])
def test_normalize_dct_rejects(bad) -> None:
    with pytest.raises(ValueError, match="dct must be a date"):
        normalize_dct(bad)


def test_normalize_dct_accepts_datetimes() -> None:
    assert normalize_dct(" 1998-01-08T18:30:00 ") == "1998-01-08"

"""Each file's encoding is found (byte-order mark, UTF-8, then a detector) and recorded;
``--encoding`` overrides it but cannot silently garble a UTF-8 file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.reading import ReadOptions, iter_documents

PT = ("A Implantação da República Portuguesa foi o resultado de um golpe de Estado organizado "
      "pelo Partido Republicano Português, que destituiu a monarquia e implantou um regime "
      "republicano em Portugal a 5 de outubro de 1910. Não houve pão nem açúcar; “aqui”, disse.")


def read_file(path: Path, **options) -> object:
    (doc,) = iter_documents([str(path)], ReadOptions(**options))
    return doc


@pytest.mark.parametrize(("codec", "recorded"), [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"),
    ("utf-16", "utf-16-le"),          # Python writes the little-endian mark
    ("utf-32", "utf-32-le"),
    ("cp1252", "cp1252"),
    ("mac_roman", "mac-roman"),
])
def test_each_file_is_decoded_with_its_own_encoding(tmp_path: Path, codec: str,
                                                    recorded: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(PT.encode(codec))
    doc = read_file(path)
    assert doc.error is None, doc.error
    assert doc.text == PT and doc.encoding == recorded


@pytest.mark.parametrize("mark", ["\ufeff".encode("utf-16-be"), "\ufeff".encode("utf-16-le")])
def test_utf16_with_either_byte_order_mark(tmp_path: Path, mark: bytes) -> None:
    codec = "utf-16-be" if mark == b"\xfe\xff" else "utf-16-le"
    path = tmp_path / "u16.txt"
    path.write_bytes(mark + PT.encode(codec))
    doc = read_file(path)
    assert doc.text == PT and doc.encoding == codec


def test_short_latin1_portuguese_is_read_as_western_european(tmp_path: Path) -> None:
    # charset-normalizer alone ties `Ação` between cp1250 (Açăo) and cp1252
    path = tmp_path / "short.txt"
    path.write_bytes("Ação e coração em São Paulo".encode("latin-1"))
    doc = read_file(path, check_language=False)
    assert doc.text == "Ação e coração em São Paulo" and doc.encoding == "cp1252"


def test_an_override_that_would_garble_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf8.txt"
    path.write_bytes(PT.encode("utf-8"))
    doc = read_file(path, encoding="cp1252")
    assert doc.text is None and doc.error.error_type == "encoding_mismatch"
    assert "UTF-8" in doc.error.message
    cp = tmp_path / "cp.txt"
    cp.write_bytes(PT.encode("cp1252"))
    forced = read_file(cp, encoding="cp1252")
    assert forced.text == PT and forced.encoding == "cp1252"


def test_encoding_recorded_for_records_and_stdin(tmp_path: Path) -> None:
    (doc,) = iter_documents(["-"], ReadOptions(), stdin=io.BytesIO(PT.encode("utf-16")))
    assert doc.text == PT and doc.encoding == "utf-16-le"


def test_encoding_is_a_documents_column(tmp_path: Path, blank_nlp) -> None:
    from pipeline.extraction import extract_documents

    path = tmp_path / "cp.txt"
    path.write_bytes(PT.encode("cp1252"))
    (ex,) = extract_documents(blank_nlp, iter_documents([str(path)]))
    assert ex.document.encoding == "cp1252" and ex.document.status == "ok"


def test_unknown_encoding_is_a_usage_error(tmp_path: Path, capsys) -> None:
    from pipeline.cli import main

    path = tmp_path / "a.txt"
    path.write_text(PT, encoding="utf-8")
    code = main(["run", str(path), "-o", str(tmp_path / "out"), "--model", "blank",
                 "--encoding", "no-such-codec", "--quiet"])
    assert code == 2
    assert "no-such-codec" in capsys.readouterr().err

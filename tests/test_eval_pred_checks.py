"""`anais eval --pred` reads any table `anais run` writes (CSV with --tokens: newline tokens in
quoted fields) and refuses to score predictions made on another text than the gold's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.evaluation import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCS = ("fernando_pessoa", "implantacao_republica")


def gold_corpus(tmp_path: Path, edit=None) -> Path:
    """A corpus folder with two documents of corpus/ and their gold (texts maybe edited)."""
    root = tmp_path / "corpus"
    (root / "gold").mkdir(parents=True)
    (root / "history").mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / "gold" / f"{name}.json", root / "gold")
        text = (CORPUS / "history" / f"{name}.txt").read_text(encoding="utf-8")
        (root / "history" / f"{name}.txt").write_text(edit(text) if edit else text,
                                                       encoding="utf-8")
    return root


def run_tables(blank_nlp, folder: Path, out: Path, fmt: str) -> None:
    from pipeline.run import run_corpus

    run_corpus(blank_nlp, [str(folder)], out, formats=[fmt], with_tokens=True)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_pred_reads_tables_written_with_tokens(tmp_path, blank_nlp, capsys, fmt) -> None:
    root = gold_corpus(tmp_path)
    assert "\n" in (root / "history" / f"{DOCS[0]}.txt").read_text(encoding="utf-8")
    run_tables(blank_nlp, root / "history", tmp_path / "out", fmt)
    code = cli.main(["eval", "--gold", str(root / "gold"), "--pred", str(tmp_path / "out"),
                     "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert '"missing_docs": []' in captured.out


def test_pred_made_on_another_text_is_refused(tmp_path, blank_nlp, capsys) -> None:
    root = gold_corpus(tmp_path, edit=lambda t: "Nota prévia do editor. " + t)
    run_tables(blank_nlp, root / "history", tmp_path / "out", "parquet")
    pristine = gold_corpus(tmp_path / "clean")
    code = cli.main(["eval", "--gold", str(pristine / "gold"), "--pred", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 of 2" in err and "text" in err and DOCS[0] in err


def test_csv_with_newline_values_reads_back_whatever_its_size(tmp_path) -> None:
    # pyarrow's CSV reader cuts a file into 1 MB blocks at newlines unless told that values
    # may hold some: a tokens table of a few MB with "\n" tokens failed to parse
    from pipeline.schema import TokenRecord
    from pipeline.tables import TableWriter, read_table

    words = ["A", "República", "\n", "foi", "\n\n", "proclamada", "."]
    writer = TableWriter(tmp_path, "tokens", ["csv"])
    writer.add(TokenRecord("d", 0, i, i, i + 1, words[i % 7], None, None, None, None, None)
               for i in range(120_000))
    writer.close()
    assert (tmp_path / "tokens.csv").stat().st_size > 4_000_000
    back = read_table(tmp_path, "tokens")
    assert len(back) == 120_000 and back.text.tolist()[:7] == words

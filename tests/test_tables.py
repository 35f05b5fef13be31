"""Tables round-trip in every format, and output folders are replaced atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.schema import TABLES, ErrorRecord, TimexRecord
from pipeline.tables import OutputFolder, read_table, replaceable

ROWS = [
    TimexRecord("d1", 0, 0, 0, 13, "entre 1914 e 1918", "INTERVAL", None, "1914", "1918"),
    TimexRecord("d1", 1, 0, 6, 10, "1914", "DATE", "1914", parent_id=0, role="begin"),
    TimexRecord("d2", 0, 3, 10, 20, "fim de 1975, \"x\"", "DATE", "1975", mod="END", anchor="DCT"),
]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_round_trip_keeps_values_nulls_and_dtypes(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    with OutputFolder(out, [fmt], list(TABLES)) as folder:
        folder.add("timexes", ROWS)
        folder.write_json("manifest.json", {})
    frame = read_table(out, "timexes")
    assert len(frame) == 3
    assert frame["parent_id"].isna().tolist() == [True, False, True]
    assert frame.loc[1, "parent_id"] == 0 and frame.loc[1, "role"] == "begin"
    assert pd.isna(frame.loc[0, "value"]) and frame.loc[0, "begin_value"] == "1914"
    assert frame.loc[2, "text"] == "fim de 1975, \"x\""
    assert str(frame["start"].dtype) == "Int64" and str(frame["text"].dtype) == "string"
    # empty tables exist with their columns
    errors = read_table(out, "errors")
    assert errors.empty and list(errors.columns) == list(ErrorRecord.__dataclass_fields__)


def test_failed_run_leaves_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder(out, ["csv"], ["timexes"]) as folder:
        folder.add("timexes", ROWS)
        folder.write_json("manifest.json", {"run": 1})
    with pytest.raises(RuntimeError), OutputFolder(out, ["csv"], ["timexes"]) as folder:
        folder.add("timexes", ROWS[:1])
        raise RuntimeError("crash in the middle")
    assert len(read_table(out, "timexes")) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind


def test_successful_run_replaces_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for rows in (ROWS, ROWS[:1]):
        with OutputFolder(out, ["parquet"], ["timexes"]) as folder:
            folder.add("timexes", rows)
            folder.write_json("manifest.json", {})
    assert len(read_table(out, "timexes")) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_only_anais_outputs_are_replaceable(tmp_path: Path) -> None:
    assert replaceable(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    assert replaceable(tmp_path / "empty")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("x")
    assert not replaceable(tmp_path / "mine")
    (tmp_path / "mine" / "manifest.json").write_text("{}")
    assert replaceable(tmp_path / "mine")


def test_a_readme_in_the_output_folder_survives_runs(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "README.md").write_text("what appears here")
    assert replaceable(out)
    for _ in range(2):
        with OutputFolder(out, ["csv"], ["timexes"]) as folder:
            folder.add("timexes", ROWS)
            folder.write_json("manifest.json", {})
    assert (out / "README.md").read_text() == "what appears here"
    assert len(read_table(out, "timexes")) == 3

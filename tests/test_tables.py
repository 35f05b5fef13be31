"""Tables round-trip in every format; output folders are written part by part, resumably,
under a lock, and never lose a file anais did not write."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.partitions import (
    JOURNAL,
    OutputBusyError,
    PartitionedOutput,
    ResumeError,
    read_journal,
    replaceable,
)
from pipeline.schema import TABLES, DocumentRecord, ErrorRecord, Extraction, TimexRecord
from pipeline.tables import dataset_dir, read_table

ROWS = [
    TimexRecord("d1", 0, 0, 0, 13, "entre 1914 e 1918", "INTERVAL", None, "1914", "1918"),
    TimexRecord("d1", 1, 0, 6, 10, "1914", "DATE", "1914", parent_id=0, role="begin"),
    TimexRecord("d2", 0, 3, 10, 20, "fim de 1975, \"x\"", "DATE", "1975", mod="END", anchor="DCT"),
]
FINGERPRINT = {"inputs": ["x"], "formats": ["csv"]}


def doc(doc_id: str, timexes: list[TimexRecord]) -> Extraction:
    record = DocumentRecord(doc_id, doc_id, 10, 3, 1, "ok")
    return Extraction(record, timexes=timexes)


def docs() -> list[Extraction]:
    return [doc("d1", ROWS[:2]), doc("d2", ROWS[2:]), doc("d3", [])]


def write(out: Path, extractions: list[Extraction], formats=("csv",), **kw) -> PartitionedOutput:
    folder = PartitionedOutput(out, list(formats), ["documents", "timexes", "errors"],
                               fingerprint=FINGERPRINT, **kw)
    with folder:
        for x in extractions:
            folder.add(x)
        folder.finish({"documents": len(extractions)})
    return folder


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_round_trip_keeps_values_nulls_and_dtypes(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    write(out, docs(), formats=[fmt], part_docs=2)
    assert sorted(p.name for p in dataset_dir(out, "timexes", fmt).iterdir()) == [
        f"part-00000.{fmt}", f"part-00001.{fmt}"]
    for frame in (read_table(out, "timexes"),):
        assert len(frame) == 3
        assert frame["parent_id"].isna().tolist() == [True, False, True]
        assert frame.loc[1, "parent_id"] == 0 and frame.loc[1, "role"] == "begin"
        assert pd.isna(frame.loc[0, "value"]) and frame.loc[0, "begin_value"] == "1914"
        assert frame.loc[2, "text"] == "fim de 1975, \"x\""
        assert str(frame["start"].dtype) == "Int64" and str(frame["text"].dtype) == "string"
    errors = read_table(out, "errors")
    assert errors.empty and list(errors.columns) == list(ErrorRecord.__dataclass_fields__)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_merged_single_files_equal_the_parts(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    write(out, docs(), formats=[fmt], part_docs=2, merge="always")
    parts = dataset_dir(out, "timexes", fmt)
    parts.rename(tmp_path / "parts")
    single = read_table(out, "timexes")  # now only the merged file is there
    (tmp_path / "parts").rename(parts)
    assert single.equals(read_table(out, "timexes"))


def test_a_single_part_run_is_merged_by_default(tmp_path: Path) -> None:
    write(tmp_path / "out", docs())
    assert (tmp_path / "out" / "timexes.csv").is_file()
    write(tmp_path / "big", docs(), part_docs=1)
    assert not (tmp_path / "big" / "timexes.csv").exists()


def test_a_crash_keeps_finished_parts_and_resume_finishes_identically(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    write(whole, docs(), part_docs=1)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), PartitionedOutput(
            out, ["csv"], ["documents", "timexes", "errors"], fingerprint=FINGERPRINT,
            part_docs=1) as folder:
        folder.add(docs()[0])
        raise RuntimeError("crash in the middle")
    assert [e["documents"] for e in read_journal(out)] == [1]
    assert not [p for p in out.rglob(".part-*")]  # the part in progress left no debris
    assert not (out / "manifest.json").exists()
    folder = PartitionedOutput(out, ["csv"], ["documents", "timexes", "errors"],
                               fingerprint=FINGERPRINT, part_docs=1, resume=True)
    with folder:
        assert folder.done_documents == 1
        for x in docs()[folder.done_documents:]:
            folder.add(x)
        folder.finish({})
    for table in ("documents", "timexes"):
        assert read_table(out, table).equals(read_table(whole, table))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                    reason="needs /proc to tell the journal's file descriptor")
@pytest.mark.parametrize("moment", ["after the line", "before the line"])
def test_an_interruption_while_journaling_keeps_what_the_journal_lists(
        tmp_path: Path, monkeypatch, moment: str) -> None:
    # SIGTERM as the journal's line is synced (after it was written) or just before: the
    # files of every part the journal on disk lists stay, and --resume finishes identically
    import pipeline.partitions as partitions

    whole = tmp_path / "whole"
    write(whole, docs(), part_docs=1)
    out = tmp_path / "out"
    real_open = Path.open

    def interrupted_open(self, *args, **kwargs):
        if self.name == "_journal.jsonl" and args[:1] == ("a",) and moment == "before the line":
            raise KeyboardInterrupt
        return real_open(self, *args, **kwargs)

    real_fsync = os.fsync

    def interrupted_fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("_journal.jsonl"):
            raise KeyboardInterrupt
        real_fsync(fd)

    if moment == "after the line":
        monkeypatch.setattr(partitions.os, "fsync", interrupted_fsync)
    else:
        monkeypatch.setattr(Path, "open", interrupted_open)
    with pytest.raises(KeyboardInterrupt), PartitionedOutput(
            out, ["csv"], ["documents", "timexes", "errors"], fingerprint=FINGERPRINT,
            part_docs=1) as folder:
        folder.add(docs()[0])
    monkeypatch.undo()
    listed = read_journal(out)
    assert len(listed) == (1 if moment == "after the line" else 0)
    for entry in listed:
        for table in ("documents", "timexes", "errors"):
            assert (out / "csv" / table / f"part-{entry['part']:05d}.csv").is_file()
    with PartitionedOutput(out, ["csv"], ["documents", "timexes", "errors"],
                           fingerprint=FINGERPRINT, part_docs=1, resume=True) as folder:
        for x in docs()[folder.done_documents:]:
            folder.add(x)
        folder.finish({})
    for table in ("documents", "timexes"):
        assert read_table(out, table).equals(read_table(whole, table))


def test_resume_refuses_other_settings_and_finished_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, docs())
    with pytest.raises(ResumeError, match="already complete"), PartitionedOutput(
            out, ["csv"], ["timexes"], fingerprint=FINGERPRINT, resume=True):
        pass
    (out / "manifest.json").unlink()
    with pytest.raises(ResumeError, match="other settings"), PartitionedOutput(
            out, ["csv"], ["timexes"], fingerprint={"inputs": ["y"]}, resume=True):
        pass
    with pytest.raises(ResumeError, match="no interrupted"), PartitionedOutput(
            tmp_path / "new", ["csv"], ["timexes"], fingerprint=FINGERPRINT, resume=True):
        pass


def test_a_second_run_into_a_folder_in_use_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with PartitionedOutput(out, ["csv"], ["timexes"], fingerprint=FINGERPRINT) as first:
        with pytest.raises(OutputBusyError, match="in use"), PartitionedOutput(
                out, ["csv"], ["timexes"], fingerprint=FINGERPRINT):
            pass
        first.finish({})


def test_a_new_run_replaces_only_what_anais_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, docs(), part_docs=1)
    (out / "notes.txt").write_text("mine")
    (out / "analysis").mkdir()
    (out / "analysis" / "plot.png").write_bytes(b"x")
    (out / "csv" / "timexes" / "my-extra.csv").write_text("mine too")
    assert replaceable(out)
    write(out, docs()[:1])
    assert len(read_table(out, "timexes")) == 2
    assert [e["documents"] for e in read_journal(out)] == [1]
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "analysis" / "plot.png").exists()
    assert (out / "csv" / "timexes" / "my-extra.csv").exists()


def test_only_anais_outputs_are_replaceable(tmp_path: Path) -> None:
    assert replaceable(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    assert replaceable(tmp_path / "empty")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("x")
    assert not replaceable(tmp_path / "mine")
    (tmp_path / "mine" / JOURNAL).write_text("")
    assert replaceable(tmp_path / "mine")


def test_every_table_exists_even_without_documents(tmp_path: Path) -> None:
    write(tmp_path / "out", [])
    for table in ("documents", "timexes", "errors"):
        assert read_table(tmp_path / "out", table).empty
    assert set(TABLES) >= {"documents", "timexes", "errors"}

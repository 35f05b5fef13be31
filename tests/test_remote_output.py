"""`anais run -o URL`: output through fsspec (``file://`` here, the same code as ``s3://``):
the same files as a run into a folder, with either engine, and resumable after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import folder_table_files as files
from conftest import repeated_corpus, wait_for_parts
from conftest import url_run_command as command

from pipeline.partitions import is_anais_file
from pipeline.remote_output import drop_dead_stagings

pytest.importorskip("fsspec", reason="output to a URL needs fsspec")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return repeated_corpus(tmp_path_factory.mktemp("in") / "docs.jsonl", 120)


def staging_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("anais-stage-*")}


@pytest.fixture(scope="module")
def folder_run(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("folder") / "out"
    subprocess.run(command(corpus, str(out)), check=True, capture_output=True, timeout=600)
    return out


def test_a_url_gets_the_files_of_a_folder_run_and_no_staging_is_left(corpus, folder_run,
                                                                    tmp_path) -> None:
    before = staging_folders()
    out = tmp_path / "remote"
    subprocess.run(command(corpus, f"file://{out}"), check=True, capture_output=True,
                   timeout=600)
    assert files(out) == files(folder_run)
    assert json.loads((out / "manifest.json").read_text())["parts"] == 12
    assert len((out / "_journal.jsonl").read_text().splitlines()) == 12
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no hidden uploads
    assert staging_folders() <= before


def test_one_part_to_a_url_is_merged_into_single_files(corpus, tmp_path) -> None:
    out = tmp_path / "remote"
    subprocess.run(command(corpus, f"file://{out}", "--part-docs", "1000"), check=True,
                   capture_output=True, timeout=600)
    import pandas as pd

    merged = pd.read_parquet(out / "entities.parquet")
    assert merged.equals(pd.read_parquet(out / "entities"))
    assert (out / "timexes.csv").read_text().count("\n") > 1


def test_dask_workers_write_their_parts_to_the_url(corpus, folder_run, tmp_path) -> None:
    pytest.importorskip("distributed", reason="Dask is an optional extra")
    out = tmp_path / "remote"
    subprocess.run(command(corpus, f"file://{out}", "--engine", "dask", "--workers", "2"),
                   check=True, capture_output=True, timeout=600)
    assert files(out) == files(folder_run)


def test_kill_9_then_resume_into_a_url(corpus, folder_run, tmp_path) -> None:
    out = tmp_path / "remote"
    url = f"file://{out}"
    proc = subprocess.Popen(command(corpus, url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_parts(proc, out, 3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "manifest.json").exists(), "the run ended before it was killed"
    killed = {name for name in staging_folders() if name.startswith(f"anais-stage-{proc.pid}-")}
    assert killed, "the killed run had a staging folder"
    subprocess.run(command(corpus, url, "--resume"), check=True, capture_output=True,
                   timeout=600)
    assert files(out) == files(folder_run)
    assert not killed & staging_folders(), "the next run removes a dead run's staging folder"


def test_only_staging_folders_of_dead_processes_are_dropped(tmp_path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    gone = tmp_path / f"anais-stage-{dead.stdout.strip()}-abc"
    live = tmp_path / f"anais-stage-{os.getpid()}-def"
    unnamed = tmp_path / "anais-stage-xyz"  # no PID in the name: whose it is is unknown
    for folder in (gone, live, unnamed):
        (folder / "entities").mkdir(parents=True)
        (folder / "entities" / "part-00000.parquet").write_bytes(b"x")
    assert drop_dead_stagings(tmp_path) == [gone]
    assert not gone.exists() and live.is_dir() and unnamed.is_dir()


def test_a_url_holding_other_files_is_not_replaced(corpus, tmp_path) -> None:
    out = tmp_path / "remote"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    done = subprocess.run(command(corpus, f"file://{out}"), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 2 and "not an anais output folder" in done.stderr
    subprocess.run(command(corpus, f"file://{out}", "--force"), check=True,
                   capture_output=True, timeout=600)
    assert (out / "notes.txt").read_text() == "mine"  # --force never deletes what is not ours


def test_an_unknown_protocol_is_a_usage_error(corpus) -> None:
    done = subprocess.run(command(corpus, "nosuchproto://bucket/run"), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 2 and "-o:" in done.stderr, done.stderr


@pytest.mark.parametrize(("rel", "ours"), [
    ("manifest.json", True), ("_journal.jsonl", True), ("entities.parquet", True),
    ("entities/part-00003.parquet", True), ("csv/tokens/part-00000.csv", True),
    ("entities/.part-00001.parquet.upload", True), (".manifest.json.tmp", True),
    ("notes.txt", False), ("analysis/part-00000.parquet", False), ("entities/mine.parquet", False),
    ("csv/notes.csv", False),
])
def test_which_files_of_a_location_are_anais_files(rel: str, ours: bool) -> None:
    assert is_anais_file(rel) is ours


def test_workers_parts_reach_the_url_through_the_parent(corpus, folder_run, tmp_path) -> None:
    before = staging_folders()
    out = tmp_path / "remote"
    subprocess.run(command(corpus, f"file://{out}", "--workers", "2"), check=True,
                   capture_output=True, timeout=600)
    assert files(out) == files(folder_run)
    assert staging_folders() <= before

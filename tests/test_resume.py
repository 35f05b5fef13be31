"""Fault tests of `anais run`: kill -9 at random points, then --resume, gives the tables of an
uninterrupted run byte for byte; SIGTERM stops cleanly with a resumable folder."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import journal_lines, repeated_corpus, wait_for_parts
from conftest import part_files as table_files

PART_DOCS = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return repeated_corpus(tmp_path_factory.mktemp("in") / "docs.jsonl", 150)


def command(corpus: Path, out: Path, *extra: str, part_docs: int = PART_DOCS) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out),
            "--model", "blank", "--quiet", "--format", "parquet", "--format", "csv",
            "--tokens", "--part-docs", str(part_docs), *extra]


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("whole") / "out"
    subprocess.run(command(corpus, out), check=True, capture_output=True, timeout=600)
    return out


def _start_and_stop(corpus: Path, out: Path, parts_before: int, sig: int) -> subprocess.Popen:
    proc = subprocess.Popen(command(corpus, out), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for_parts(proc, out, parts_before, timeout=120)
    if proc.poll() is None:
        os.kill(proc.pid, sig)
    proc.wait(timeout=120)
    return proc


@pytest.mark.parametrize("trial", range(10))
def test_kill_9_then_resume_equals_an_uninterrupted_run(trial, corpus, uninterrupted,
                                                          tmp_path) -> None:
    total_parts = journal_lines(uninterrupted)
    out = tmp_path / "out"
    rng = random.Random(trial)
    proc = _start_and_stop(corpus, out, rng.randint(1, total_parts - 1), signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL or proc.returncode == 0
    done = subprocess.run(command(corpus, out, "--resume"), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert table_files(out) == table_files(uninterrupted)
    assert not list(out.rglob(".part-*"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"] == 150


def test_sigterm_stops_cleanly_and_leaves_a_resumable_folder(corpus, uninterrupted,
                                                              tmp_path) -> None:
    out = tmp_path / "out"
    proc = _start_and_stop(corpus, out, 2, signal.SIGTERM)
    assert proc.returncode == 130, proc.stderr.read()
    err = proc.stderr.read()
    assert "--resume" in err and "Traceback" not in err
    said = [line for line in err.splitlines() if not line.startswith("WARNING")]
    assert len(said) == 1 and said[0].startswith("anais: interrupted"), err  # one line
    assert not list(out.rglob(".part-*"))
    subprocess.run(command(corpus, out, "--resume"), check=True, capture_output=True,
                   timeout=600)
    assert table_files(out) == table_files(uninterrupted)


def test_resume_with_other_arguments_is_refused(corpus, tmp_path) -> None:
    out = tmp_path / "out"
    _start_and_stop(corpus, out, 1, signal.SIGKILL)
    done = subprocess.run(command(corpus, out, "--resume", part_docs=5), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 2 and "other settings (part_docs)" in done.stderr

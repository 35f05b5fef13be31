"""Shared test helpers: paths to the repo, the sample corpus and the shared data."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def blank_nlp():
    """anais on a blank Portuguese base: fast, and independent of the trained model."""
    import pipeline

    return pipeline.load("blank")


def repeated_corpus(path: Path, n_docs: int) -> Path:
    """A JSONL of ``n_docs`` documents: the sample history texts over and over, ids d000…"""
    import json

    texts = [p.read_text("utf-8") for p in sorted((CORPUS / "history").glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_docs):
            fh.write(json.dumps({"id": f"d{i:03d}", "text": texts[i % len(texts)]},
                                ensure_ascii=False) + "\n")
    return path


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when that folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora are not beside this checkout")
    return path


@pytest.fixture(scope="session")
def shipped_nlp():
    """anais on its shipped pipeline (``pipeline.load()``), loaded once for the session."""
    import pipeline

    return pipeline.load()


def journal_lines(out: Path) -> int:
    """Parts an ``anais run`` into ``out`` has journaled so far."""
    path = out / "_journal.jsonl"
    return len(path.read_text().splitlines()) if path.is_file() else 0


def wait_for_parts(proc: subprocess.Popen, out: Path, parts: int, timeout: float = 300) -> None:
    """Wait until the run ``proc`` has journaled ``parts`` parts in ``out``, or has ended; a
    run that makes no progress within ``timeout`` seconds is killed and fails the test."""
    deadline = time.monotonic() + timeout
    while journal_lines(out) < parts and proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the run made no progress")
        time.sleep(0.01)


def url_run_command(corpus: Path, out: str, *extra: str) -> list[str]:
    """``anais run`` of ``corpus`` into ``out`` (a folder or a URL), blank model, Parquet and
    CSV in parts of 10 documents: the runs the URL output tests compare."""
    import sys

    return [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", out, "--model",
            "blank", "--quiet", "--format", "parquet", "--format", "csv", "--part-docs", "10",
            *extra]


def part_files(out: Path) -> dict[str, bytes]:
    """Every part file under ``out``, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("part-*"))}


def table_files(paths: dict[str, bytes]) -> dict[str, bytes]:
    """The table files (parts, and merged files at the top) of ``paths`` (relative path →
    bytes, from a folder or an object store)."""
    return {rel: data for rel, data in paths.items()
            if rel.rsplit("/", 1)[-1].startswith("part-")
            or "/" not in rel and rel.endswith((".parquet", ".csv"))}


def folder_table_files(out: Path) -> dict[str, bytes]:
    """``table_files`` of the folder ``out``."""
    return table_files({str(p.relative_to(out)): p.read_bytes()
                        for p in sorted(out.rglob("*")) if p.is_file()})

"""`anais run --workers N`: workers write the parts (whole, or in pieces the parent joins),
the parent never loads the pipeline, and the files are those of one process, byte for byte,
also after SIGTERM or kill -9 and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import part_files, repeated_corpus, wait_for_parts

import pipeline.model_loading
import pipeline.partitions as partitions
import pipeline.tables as tables
from pipeline.cli import main
from pipeline.extraction import extract_documents, process_batch
from pipeline.parallel import split_part
from pipeline.partitions import PartWriter, join_pieces
from pipeline.reading import ReadOptions, as_document_inputs, iter_documents

#: characters per piece in these tests: parts of 25 sample documents come in several pieces
PIECE_CHARS = 8_000
#: the moments of a run the manifest records, which no two runs share
TIMING = ("wall_seconds", "words_per_second", "arguments")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Sample documents and two bad inputs (an empty text, a record without one)."""
    path = repeated_corpus(tmp_path_factory.mktemp("in") / "docs.jsonl", 70)
    lines = path.read_text("utf-8").splitlines()
    lines[12:12] = [json.dumps({"id": "empty", "text": ""}), json.dumps({"id": "no-text"})]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def command(corpus: Path, out: Path, *extra: str) -> list[str]:
    """``anais run`` in a fresh interpreter whose parent cuts parts in small pieces."""
    args = [str(corpus), "-o", str(out), "--model", "blank", "--quiet", "--tokens",
            "--format", "parquet", "--format", "csv", "--format", "jsonl",
            "--part-docs", "25", *extra]
    code = ("import sys; import pipeline.parallel as p; "
            f"p.PIECE_CHARS = {PIECE_CHARS}; from pipeline.cli import main; "
            "sys.exit(main(['run', *sys.argv[1:]]))")
    return [sys.executable, "-c", code, *args]


def manifest(out: Path) -> dict:
    data = json.loads((out / "manifest.json").read_text())
    data["model"].pop("load_seconds")
    return {k: v for k, v in data.items() if k not in TIMING}


@pytest.fixture(scope="module")
def one_process(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "out"
    subprocess.run(command(corpus, out), check=True, capture_output=True, timeout=600)
    return out


def test_workers_write_the_files_of_one_process(corpus, one_process, tmp_path) -> None:
    out = tmp_path / "out"
    subprocess.run(command(corpus, out, "--workers", "2"), check=True, capture_output=True,
                   timeout=600)
    assert part_files(out) == part_files(one_process)
    assert len(part_files(out)) == 3 * 3 * 8  # 72 documents in parts of 25, 8 tables
    first = list(islice(iter_documents([str(corpus)], ReadOptions()), 25))
    assert len(split_part(first, PIECE_CHARS)) > 3  # the parts were made in pieces
    assert manifest(out) == manifest(one_process)  # the model as a worker loaded it, too
    assert manifest(out)["documents_failed"] == 2
    assert not list(out.rglob(".part-*"))


def test_one_part_in_pieces_is_merged_as_by_one_process(corpus, tmp_path) -> None:
    """A run of one part (the default --part-docs on a small corpus) is still shared out."""
    one, two = tmp_path / "one", tmp_path / "two"
    for out, extra in ((one, []), (two, ["--workers", "2"])):
        subprocess.run(command(corpus, out, "--part-docs", "1000", *extra), check=True,
                       capture_output=True, timeout=600)
    merged = sorted(p.name for p in two.glob("*.*") if p.name != "manifest.json")
    assert merged == sorted(p.name for p in one.glob("*.*") if p.name != "manifest.json")
    assert "tokens.parquet" in merged
    for name in merged:
        assert (two / name).read_bytes() == (one / name).read_bytes(), name


def _extractions(nlp, n: int):
    items = list(as_document_inputs(
        [{"id": f"d{i}", "text": f"Em {1900 + i}, a reunião {i} foi em Lisboa. " * (i % 5 + 1)}
         for i in range(n)]))
    return process_batch(nlp, items, with_tokens=True)


def test_joined_pieces_are_the_bytes_of_one_writer(blank_nlp, tmp_path, monkeypatch) -> None:
    """Row groups included: the join cuts them where one writer of the part would have."""
    monkeypatch.setattr(tables, "FLUSH_ROWS", 37)
    monkeypatch.setattr(partitions, "FLUSH_ROWS", 37)
    extractions = _extractions(blank_nlp, 30)
    formats, names = ["parquet", "csv", "jsonl"], ["documents", "tokens", "timexes"]
    whole = PartWriter(tmp_path / "whole", 4, formats, names)
    for ex in extractions:
        whole.add(ex)
    expected = whole.commit()
    pieces = []
    for k, (a, b) in enumerate([(0, 7), (7, 8), (8, 30)]):
        writer = PartWriter(tmp_path / "joined", 4, formats, names, piece=k)
        for ex in extractions[a:b]:
            writer.add(ex)
        pieces.append(writer.commit())
    assert not list((tmp_path / "joined").rglob("part-*"))  # pieces stay hidden
    assert join_pieces(tmp_path / "joined", pieces, formats, names) == expected
    assert part_files(tmp_path / "joined") == part_files(tmp_path / "whole")
    assert not list((tmp_path / "joined").rglob(".part-*"))
    groups = pq.ParquetFile(tmp_path / "whole" / "tokens" / "part-00004.parquet")
    assert groups.metadata.num_row_groups > 3  # the test sees several row groups


def _spy_on_load(monkeypatch) -> list:
    calls: list = []
    real = pipeline.model_loading.load

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.model_loading, "load", spy)
    return calls


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_the_parent_does_not_load_the_pipeline(engine, corpus, one_process, tmp_path,
                                               monkeypatch) -> None:
    if engine == "dask":
        pytest.importorskip("distributed", reason="Dask is an optional extra")
    calls = _spy_on_load(monkeypatch)
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "--model", "blank", "--quiet",
                 "--tokens", "--format", "parquet", "--format", "csv", "--format", "jsonl",
                 "--part-docs", "25", "--workers", "2", "--engine", engine]) == 0
    assert calls == []
    assert manifest(out) == manifest(one_process)
    assert part_files(out) == part_files(one_process)


def test_a_pipeline_the_workers_cannot_load_is_a_usage_error(corpus, tmp_path,
                                                             capsys) -> None:
    out = tmp_path / "out"
    code = main(["run", str(corpus), "-o", str(out), "--model", "no_such_pipeline",
                 "--workers", "2", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "cannot load spaCy pipeline 'no_such_pipeline'" in err
    assert not (out / "manifest.json").exists()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_run_leaves_no_worker_and_resumes(sig, corpus, one_process,
                                                    tmp_path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen(command(corpus, out, "--workers", "2"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for_parts(proc, out, 1)
    assert proc.poll() is None, "the run ended before it could be stopped"
    workers = _children(proc.pid)
    assert workers
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived its run"
    if sig == signal.SIGTERM:
        assert proc.returncode == 130, err
        said = [line for line in err.splitlines() if not line.startswith("WARNING")]
        assert len(said) == 1 and said[0].startswith("anais: interrupted"), err
        assert not list(out.rglob(".part-*"))
        journaled = {f"part-{k:05d}" for k in range(len(
            (out / "_journal.jsonl").read_text().splitlines()))}
        assert {p.name.split(".")[0] for p in out.rglob("part-*")} <= journaled
    done = subprocess.run(command(corpus, out, "--workers", "2", "--resume"),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert part_files(out) == part_files(one_process)
    assert not list(out.rglob(".part-*"))


def test_extract_documents_in_processes_returns_the_records_of_one(blank_nlp) -> None:
    """The Python API (``extract_documents(…, workers=2)``) still hands back every record."""
    inputs = [{"id": f"d{i}", "text": f"Em {1900 + i}, a reunião {i} foi em Lisboa."}
              for i in range(9)] + [{"id": "empty", "text": ""}]
    one = [ex.rows() for ex in extract_documents(blank_nlp, inputs, batch_size=2)]
    two = [ex.rows() for ex in extract_documents(blank_nlp, inputs, batch_size=2, workers=2)]
    assert two == one and one[-1]["documents"][0].status == "error"


def test_the_parent_of_workers_does_not_even_import_spacy(corpus, tmp_path) -> None:
    """Importing spaCy (and the torch that thinc imports with it) costs seconds of CPU and
    hundreds of MB: a parent that only journals parts does without."""
    code = ("import sys; from pipeline.cli import main; "
            f"code = main(['run', {str(corpus)!r}, '-o', {str(tmp_path / 'out')!r}, "
            "'--model', 'blank', '--quiet', '--part-docs', '25', '--workers', '2']); "
            "sys.exit(code or 3 * ('spacy' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_interrupted_run_keeps_only_the_journaled_parts(blank_nlp, tmp_path) -> None:
    """Workers may finish part 2 before part 1: stopped then, the folder must not hold a
    part the journal does not list (nor pieces, nor hidden files)."""
    from pipeline.partitions import PartitionedOutput

    out = tmp_path / "out"
    extractions = _extractions(blank_nlp, 6)
    names = ["documents", "tokens"]
    with pytest.raises(KeyboardInterrupt):
        with PartitionedOutput(out, ["parquet", "csv"], names, fingerprint={},
                               part_docs=2) as output:
            done = PartWriter(out, 0, ["parquet", "csv"], names)
            for ex in extractions[:2]:
                done.add(ex)
            output.record_written([done.commit()])
            later = PartWriter(out, 2, ["parquet", "csv"], names)  # finished, not journaled
            for ex in extractions[4:]:
                later.add(ex)
            later.commit()
            piece = PartWriter(out, 1, ["parquet", "csv"], names, piece=0)
            piece.add(extractions[2])
            piece.commit()
            raise KeyboardInterrupt
    assert sorted(p.name for p in out.rglob("*part-*")) == [
        "part-00000.csv", "part-00000.csv", "part-00000.parquet", "part-00000.parquet"]


def _blas_threads_of(pool) -> set[int]:
    from threadpoolctl import threadpool_info

    return {lib["num_threads"] for lib in pool.submit(threadpool_info).result()
            if lib["user_api"] == "blas"}


def test_workers_share_the_cores_blas_threads(monkeypatch) -> None:
    # N workers each spreading their products over every core would run cores x N threads
    from pipeline.model_request import ModelRequest
    from pipeline.parallel import BLAS_VARIABLES, _pool, blas_share

    for name in BLAS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    cores = len(os.sched_getaffinity(0))
    assert blas_share(1) == cores and blas_share(cores * 4) == 1
    pool = _pool(ModelRequest("blank"), 2)
    try:
        assert _blas_threads_of(pool) == {max(1, cores // 2)}
    finally:
        pool.shutdown()
    if cores < 2:
        return  # the user's count (at most the cores) cannot differ from the share
    # a count the user set stands (OpenBLAS takes at most one per core)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", str(cores))
    pool = _pool(ModelRequest("blank"), 2)
    try:
        assert _blas_threads_of(pool) == {cores}
    finally:
        pool.shutdown()

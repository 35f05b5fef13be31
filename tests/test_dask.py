"""`anais run --engine dask` on a Dask LocalCluster: the same tables as the local engine, also
when a worker process is killed in the middle of the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import part_files, repeated_corpus, wait_for_parts

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'anais[dask]'")



@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return repeated_corpus(tmp_path_factory.mktemp("in") / "docs.jsonl", 400)


def command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out), "--model",
            "blank", "--quiet", "--tokens", "--format", "parquet", "--format", "csv",
            "--part-docs", "10", *extra]


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    subprocess.run(command(corpus, out), check=True, capture_output=True, timeout=600)
    return out


def test_dask_engine_gives_the_local_engines_tables(corpus, local_run, tmp_path) -> None:
    out = tmp_path / "out"
    subprocess.run(command(corpus, out, "--engine", "dask", "--workers", "2"), check=True,
                   capture_output=True, timeout=600)
    assert part_files(out) == part_files(local_run)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"] == 400 and manifest["parts"] == 40


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_a_killed_worker_loses_nothing(corpus, local_run, tmp_path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen(command(corpus, out, "--engine", "dask", "--workers", "2"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_parts(proc, out, 3)
    assert proc.poll() is None, "the run ended before a worker could be killed"
    # Dask worker processes are started by multiprocessing's spawn (their nannies restart
    # them); the resource tracker is not one
    workers = [p for p in _descendants(proc.pid)
               if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert part_files(out) == part_files(local_run)


def _worker_settings() -> tuple[str | None, str | None, bool, bool]:
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS"),
            dask.config.get("distributed.worker.profile.enabled"),
            sys.modules.get("torch", "absent") is None)


def test_local_cluster_workers_settings() -> None:
    from pipeline.dask_engine import DaskParts
    from pipeline.model_request import ModelRequest

    with DaskParts(ModelRequest("blank"), scheduler=None, workers=1) as parts:
        settings = list(parts.client.run(_worker_settings).values())
    # the nanny's trim threshold is gone (glibc keeps its dynamic malloc thresholds); its
    # one-thread BLAS setting and the profiler's switch-off stay; PyTorch is marked absent
    assert settings == [(None, "1", False, True)]

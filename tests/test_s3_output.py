"""`anais run -o s3://…` against an S3 server: the moto server, run locally (an object store
has no rename and no folders, unlike the ``file://`` URLs of test_remote_output.py). The same
files as a run into a folder, with either engine, resumable after kill -9, and other objects
under the prefix kept."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import folder_table_files as folder_files
from conftest import repeated_corpus, table_files
from conftest import url_run_command as command

pytest.importorskip("s3fs", reason="s3:// output needs s3fs (the dev extra)")
moto_server = pytest.importorskip("moto.server", reason="the S3 test server is moto (dev extra)")

BUCKET = "anais-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_env():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1",
           # fsspec passes FSSPEC_<PROTOCOL>_<ARGUMENT> to the file system it makes
           "FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    import s3fs

    fs = s3fs.S3FileSystem(key="testing", secret="testing",
                           endpoint_url=env["FSSPEC_S3_ENDPOINT_URL"])
    fs.mkdir(BUCKET)
    yield env, fs
    server.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return repeated_corpus(tmp_path_factory.mktemp("in") / "docs.jsonl", 60)


def bucket_files(fs, prefix: str) -> dict[str, bytes]:
    root = f"{BUCKET}/{prefix}"
    fs.invalidate_cache()
    return {path[len(root) + 1:]: fs.cat_file(path) for path in sorted(fs.find(root))}


@pytest.fixture(scope="module")
def folder_run(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("folder") / "out"
    subprocess.run(command(corpus, str(out)), check=True, capture_output=True, timeout=600)
    return out


def test_s3_gets_the_files_of_a_folder_run(s3_env, corpus, folder_run) -> None:
    env, fs = s3_env
    subprocess.run(command(corpus, f"s3://{BUCKET}/plain"), check=True, capture_output=True,
                   timeout=600, env=env)
    got = bucket_files(fs, "plain")
    assert table_files(got) == folder_files(folder_run)
    assert json.loads(got["manifest.json"])["parts"] == 6
    assert not [rel for rel in got if rel.rsplit("/", 1)[-1].startswith(".")]


def test_dask_workers_write_their_parts_to_s3(s3_env, corpus, folder_run) -> None:
    pytest.importorskip("distributed", reason="Dask is an optional extra")
    env, fs = s3_env
    subprocess.run(command(corpus, f"s3://{BUCKET}/dask", "--engine", "dask", "--workers",
                           "2"), check=True, capture_output=True, timeout=600, env=env)
    assert table_files(bucket_files(fs, "dask")) == folder_files(folder_run)


def test_kill_9_then_resume_into_s3(s3_env, corpus, folder_run) -> None:
    env, fs = s3_env
    url = f"s3://{BUCKET}/killed"
    proc = subprocess.Popen(command(corpus, url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 300
    journal = f"{BUCKET}/killed/_journal.jsonl"
    while proc.poll() is None and time.monotonic() < deadline:
        fs.invalidate_cache()
        if fs.exists(journal) and len(fs.cat_file(journal).splitlines()) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    fs.invalidate_cache()
    assert not fs.exists(f"{BUCKET}/killed/manifest.json"), "the run ended before it was killed"
    subprocess.run(command(corpus, url, "--resume"), check=True, capture_output=True,
                   timeout=600, env=env)
    assert table_files(bucket_files(fs, "killed")) == folder_files(folder_run)


def test_force_on_s3_keeps_objects_anais_did_not_write(s3_env, corpus) -> None:
    env, fs = s3_env
    fs.pipe_file(f"{BUCKET}/shared/notes.txt", b"mine")
    done = subprocess.run(command(corpus, f"s3://{BUCKET}/shared"), capture_output=True,
                          text=True, timeout=600, env=env)
    assert done.returncode == 2 and "not an anais output folder" in done.stderr, done.stderr
    for _ in range(2):      # the second run replaces the first one's files, and only those
        subprocess.run(command(corpus, f"s3://{BUCKET}/shared", "--force"), check=True,
                       capture_output=True, timeout=600, env=env)
    got = bucket_files(fs, "shared")
    assert got["notes.txt"] == b"mine"
    assert json.loads(got["manifest.json"])["parts"] == 6

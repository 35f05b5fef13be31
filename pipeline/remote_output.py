"""Output to an fsspec URL: ``-o s3://bucket/run``, ``gs://…``, ``file:///shared/run``.

A run into a URL works as into a folder (``pipeline.partitions``), with the part files made in
a local staging folder and then published: uploaded to an object store, where an object
becomes visible only once its upload is complete, or copied under a hidden name and renamed
on a file system. The journal, ``_run.json`` and the manifest are rewritten whole each time
(object stores cannot append). A Dask worker publishes its own parts the same way, so the
tables never pass through the client. Object stores have no lock: two runs into one URL at a
time are not detected there.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(target: Any) -> bool:
    """Whether an output target is a URL (``s3://…``, ``file://…``), not a plain path."""
    return isinstance(target, str) and bool(_URL.match(target))


class Remote:
    """The output location behind a URL, addressed by paths relative to it."""

    def __init__(self, url: str) -> None:
        try:
            import fsspec
            from fsspec.implementations.local import LocalFileSystem
        except ImportError as exc:  # fsspec comes with Dask; a plain install may lack it
            raise ValueError(f"writing to {url} needs fsspec: pip install fsspec (and the "
                             "package of its protocol, e.g. s3fs for s3://)") from exc
        self.url = url.rstrip("/")
        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.url)
        except (ImportError, ValueError) as exc:  # an unknown protocol or a missing s3fs
            raise ValueError(f"cannot write to {url}: {exc}") from exc
        self.root = self.root.rstrip("/")
        self.on_file_system = isinstance(self.fs, LocalFileSystem)

    def path(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def publish(self, local: Path, rel: str) -> None:
        """Put the finished local file at ``rel``, whole or not at all."""
        dest = self.path(rel)
        parent = dest.rsplit("/", 1)[0]
        self.fs.makedirs(parent, exist_ok=True)
        if self.on_file_system:  # copied under a hidden name, then renamed into place
            hidden = f"{parent}/.{dest.rsplit('/', 1)[1]}.upload"
            self.fs.put_file(str(local), hidden)
            self.fs.mv(hidden, dest)
        else:
            self.fs.put_file(str(local), dest)

    def read_text(self, rel: str) -> str | None:
        try:
            return self.fs.cat_file(self.path(rel)).decode("utf-8")
        except FileNotFoundError:
            return None

    def download(self, rel: str, local: Path) -> None:
        self.fs.get_file(self.path(rel), str(local))

    def files(self) -> list[str]:
        """Every file under the URL, as relative paths (none when it does not exist)."""
        try:
            found = self.fs.find(self.root)
        except FileNotFoundError:
            return []
        prefix = self.root + "/"
        return sorted(p.removeprefix(prefix) for p in found if p.startswith(prefix))

    def remove(self, rel: str) -> None:
        try:
            self.fs.rm_file(self.path(rel))
        except FileNotFoundError:
            pass


STAGING_PREFIX = "anais-stage-"


def staging_folder() -> Path:
    """A private local folder where parts are made before they are published, named after
    this process (``anais-stage-PID-…``). The folders of processes that died without
    dropping theirs (kill -9, out of memory, power loss) are removed first."""
    drop_dead_stagings()
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def drop_dead_stagings(root: Path | None = None) -> list[Path]:
    """Remove this user's staging folders whose process is gone; returns them. A folder
    whose PID now belongs to another live process is kept: leaving debris is safer than
    deleting a live run's files."""
    if os.name != "posix":  # os.kill(pid, 0) is no liveness test elsewhere
        return []
    root = Path(tempfile.gettempdir()) if root is None else root
    dropped = []
    for path in root.glob(f"{STAGING_PREFIX}*-*"):
        pid = path.name[len(STAGING_PREFIX):].split("-", 1)[0]
        try:
            mine = path.is_dir() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if pid.isdigit() and mine and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            dropped.append(path)
    return dropped


def drop_staging(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)

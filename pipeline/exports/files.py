"""Where each document's files go in an export folder, and the folder's index.

A document id becomes a relative path: ``/`` keeps sub-folders, characters file systems refuse
become ``_``, a trailing ``.txt`` is dropped (``history/pessoa.txt`` → ``history/pessoa``).
Two ids that end up with one name get ``~2``, ``~3``. The index, ``anais_export.jsonl``, has
one line per document (id, file, written or skipped and why), so readers of the folder (``anais
eval --gold``) give each file back its exact document id.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

INDEX = "anais_export.jsonl"
#: folder-wide files an export writes besides the documents' (brat's configuration)
CONF_FILES = ("annotation.conf", "visual.conf")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|#%]')
_TEXT_SUFFIX = re.compile(r"\.txt(\.gz)?$", re.IGNORECASE)


def file_stem(doc_id: str) -> str:
    """A safe relative path (without suffix) for the files of document ``doc_id``."""
    parts = []
    for part in _TEXT_SUFFIX.sub("", doc_id).split("/"):
        part = _UNSAFE.sub("_", part).strip()
        if part in ("", ".", ".."):
            part = "_"
        parts.append(part[:200])
    return "/".join(parts)


class ExportFolder:
    """Names files in one export folder uniquely and keeps its index."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: list[dict[str, Any]] = []
        self._taken: set[str] = set()

    def stem(self, doc_id: str) -> str:
        base = file_stem(doc_id)
        stem, n = base, 1
        while stem.casefold() in self._taken:  # case-insensitive file systems too
            n += 1
            stem = f"{base}~{n}"
        self._taken.add(stem.casefold())
        return stem

    def path(self, stem: str, suffix: str) -> Path:
        path = self.folder / f"{stem}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def written(self, doc_id: str, stem: str, files: Iterable[str]) -> None:
        self.entries.append({"doc_id": doc_id, "file": stem, "status": "written",
                             "files": list(files)})

    def skipped(self, doc_id: str, why: str) -> None:
        self.entries.append({"doc_id": doc_id, "file": None, "status": "skipped", "note": why})

    def write_index(self) -> None:
        tmp = self.folder / f".{INDEX}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            for entry in self.entries:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        os.replace(tmp, self.folder / INDEX)


def read_index(folder: Path) -> list[dict[str, Any]]:
    """The index of an export folder ([] when it has none)."""
    path = folder / INDEX
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def remove_export(folder: Path) -> None:
    """Delete the files an earlier export wrote into ``folder`` (listed in its index), and
    nothing else."""
    if not (folder / INDEX).is_file():
        return
    for entry in read_index(folder):
        for name in entry.get("files") or []:
            (folder / name).unlink(missing_ok=True)
    for name in CONF_FILES:  # brat's, written with every brat export
        (folder / name).unlink(missing_ok=True)
    (folder / INDEX).unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()


def ids_by_file(folder: Path) -> dict[str, str]:
    """file stem (relative to ``folder``) -> document id, from the folder's index."""
    return {e["file"]: e["doc_id"] for e in read_index(folder) if e.get("file")}

"""What the report shows of a run folder: its tables and manifest, summed up.

Everything here reads the tables of ``pipeline.schema`` through ``pipeline.tables`` (any format,
partitioned or merged); the tokens table is not read (only its row count, from the manifest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.schema import TABLES, columns
from pipeline.tables import read_tables

#: the tables the report reads (tokens are large and add nothing a reader looks at here)
READ = ("documents", "sentences", "entities", "timexes", "events", "event_args", "errors")
LABELS = ("PER", "LOC", "ORG")


@dataclass
class RunData:
    folder: Path
    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A table, empty with its columns when the run did not write it."""
        if name in self.tables:
            return self.tables[name]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(name)})


def load_run(folder: str | Path) -> RunData:
    """The tables and ``manifest.json`` of an ``anais run`` output folder."""
    folder = Path(folder)
    tables = read_tables(folder, READ)
    if "documents" not in tables:
        raise FileNotFoundError(f"{folder}: no documents table: not an `anais run` output")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
    return RunData(folder, tables, manifest)


def overview(run: RunData) -> dict[str, Any]:
    """The corpus at a glance: documents by status, failures by kind, rows, model, speed."""
    docs = run.table("documents")
    errors = run.table("errors")
    status = {s: int(n) for s, n in docs["status"].value_counts().sort_index().items()}
    kinds = []
    if len(errors):
        failed = docs.set_index("doc_id")["status"]
        grouped = errors.groupby(["stage", "error_type"], sort=True)["doc_id"]
        for (stage, kind), ids in grouped:
            statuses = failed.reindex(ids.unique()).fillna("error").value_counts()
            kinds.append({"stage": stage, "error_type": kind, "documents": int(ids.nunique()),
                          "status": ", ".join(f"{int(n)} {s}" for s, n in statuses.items()),
                          "example": str(errors.loc[ids.index[0], "message"])})
    rows = {name: len(run.tables[name]) for name in TABLES if name in run.tables}
    manifest_rows = run.manifest.get("rows", {})
    if "tokens" in manifest_rows:
        rows["tokens"] = int(manifest_rows["tokens"])
    rows = {name: rows[name] for name in TABLES if name in rows}
    words = run.manifest.get("words")
    if words is None:
        words = int(docs["n_tokens"].fillna(0).sum())
    model = run.manifest.get("model", {})
    return {
        "documents": len(docs),
        "status": status,
        "error_kinds": kinds,
        "failed_docs": docs[docs["status"] != "ok"][["doc_id", "status", "error"]]
        .head(50).to_dict("records"),
        "words": int(words),
        "chars": int(docs["n_chars"].fillna(0).sum()),
        "rows": rows,
        "model": {
            "name": model.get("base_name"), "version": model.get("base_version"),
            "variant": model.get("variant"), "components": model.get("components", []),
            "warnings": model.get("warnings", []),
        },
        "versions": {k: run.manifest.get(k) for k in
                     ("anais_version", "schema_version", "spacy_version", "python_version")
                     if run.manifest.get(k)},
        "throughput": {k: run.manifest.get(k) for k in
                       ("wall_seconds", "words_per_second", "parts", "resumed_documents")
                       if run.manifest.get(k) is not None},
    }


def entity_key(label: str, canonical: str) -> str:
    """One entity across documents: its label and canonical surface."""
    return f"{label}|{canonical}"


def top_entities(run: RunData, per_label: int = 15, variants: int = 6
                 ) -> dict[str, list[dict[str, Any]]]:
    """The most mentioned entities of each label, grouped across documents by canonical
    surface, with how many documents and in-document clusters they span and their surfaces."""
    ents = run.table("entities")
    out: dict[str, list[dict[str, Any]]] = {}
    for label in LABELS:
        rows = ents[ents["label"] == label]
        if rows.empty:
            out[label] = []
            continue
        groups = rows.groupby("canonical", sort=False)
        stats = pd.DataFrame({
            "mentions": groups.size(),
            "documents": groups["doc_id"].nunique(),
            "clusters": rows.drop_duplicates(["canonical", "doc_id", "cluster_id"])
            .groupby("canonical", sort=False).size(),
        })
        # ties broken by name, so the table is the same on every run
        stats = stats.reset_index().sort_values(["mentions", "documents", "canonical"],
                                                ascending=[False, False, True])
        top = []
        for rec in stats.head(per_label).itertuples(index=False):
            surfaces = rows.loc[rows["canonical"] == rec.canonical, "text"].value_counts()
            top.append({
                "canonical": rec.canonical, "key": entity_key(label, rec.canonical),
                "mentions": int(rec.mentions), "documents": int(rec.documents),
                "clusters": int(rec.clusters),
                "variants": [(str(s), int(n)) for s, n in surfaces.head(variants).items()],
                "more_variants": max(0, len(surfaces) - variants),
            })
        out[label] = top
    return out

"""Exports of a run's tables to the formats other tools read: TimeML, brat standoff, CoNLL-U.

    from pipeline.exports import export_run
    summary = export_run("outputs", "brat", "outputs/brat")

One file set per document, written from the tables of a finished run (``bundles``), with the
exact text of each document (``sources``). Documents that failed, or whose text cannot be had,
are skipped and listed, with the reason, in the folder's index (``files``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPORT_FORMATS = ("timeml", "brat", "conllu")


@dataclass(slots=True)
class ExportSummary:
    format: str
    folder: Path
    written: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        notes = "".join(f", {n:,} {k.replace('_', ' ')}" for k, n in self.counts.items() if n)
        skipped = f", {len(self.skipped):,} skipped" if self.skipped else ""
        return (f"{self.format}: {self.written:,} documents{skipped}{notes} -> "
                f"{self.folder}/")


class ExportError(ValueError):
    """The export cannot be made at all (no run folder, CoNLL-U without tokens)."""


def _write(path: Path, content: str) -> None:
    # bytes, so a text's CRLF stays CRLF on every platform
    path.write_bytes(content.encode("utf-8", "surrogatepass"))


def export_run(run_dir: str | Path, fmt: str, out_dir: str | Path) -> ExportSummary:
    """Write the ``fmt`` export of the run in ``run_dir`` into ``out_dir`` (replacing the files
    an earlier export wrote there)."""
    from pipeline.exports import brat, conllu, timeml
    from pipeline.exports.bundles import has_table, iter_documents
    from pipeline.exports.files import ExportFolder, remove_export
    from pipeline.exports.sources import RunTexts, TextUnavailable
    from pipeline.partitions import is_anais_output

    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    run_dir, out_dir = Path(run_dir), Path(out_dir)
    if not run_dir.is_dir() or not is_anais_output(run_dir):
        raise ExportError(f"{run_dir} is not an anais output folder")
    tables = ("sentences", "entities", "timexes", "events", "event_args", "texts") + (
        ("tokens",) if fmt == "conllu" else ())
    if fmt == "conllu" and not has_table(run_dir, "tokens"):
        raise ExportError(f"CoNLL-U needs the tokens table, which {run_dir} lacks: run "
                          "`anais run` with --tokens")
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_export(out_dir)
    folder = ExportFolder(out_dir)
    summary = ExportSummary(fmt, out_dir)
    texts = RunTexts(run_dir)
    for doc in iter_documents(run_dir, tables):
        if doc.document.get("status") == "error":
            why = f"the run could not process it ({doc.document.get('error')})"
            folder.skipped(doc.doc_id, why)
            summary.skipped.append((doc.doc_id, why))
            continue
        try:
            text = texts.text(doc.document, doc.of("texts") if "texts" in doc.present
                              else None)
            files = _document_files(fmt, doc, text, summary.counts, brat, conllu, timeml)
        except (TextUnavailable, timeml.NotExportable) as exc:
            folder.skipped(doc.doc_id, str(exc))
            summary.skipped.append((doc.doc_id, str(exc)))
            continue
        stem = folder.stem(doc.doc_id)
        names = []
        for suffix, content in files:
            _write(folder.path(stem, suffix), content)
            names.append(f"{stem}{suffix}")
        folder.written(doc.doc_id, stem, names)
        summary.written += 1
    if fmt == "brat":
        for name, content in brat.conf_files().items():
            _write(out_dir / name, content)
    folder.write_index()
    return summary


def _document_files(fmt: str, doc: Any, text: str, counts: dict[str, int], brat: Any,
                    conllu: Any, timeml: Any) -> list[tuple[str, str]]:
    if fmt == "timeml":
        xml, notes = timeml.to_timeml(doc, text)
        for k, n in notes.items():
            counts[k] = counts.get(k, 0) + n
        return [(timeml.SUFFIX, xml)]
    if fmt == "brat":
        return [(brat.TEXT_SUFFIX, text), (brat.ANN_SUFFIX, brat.to_ann(doc, text))]
    return [(conllu.SUFFIX, conllu.to_conllu(doc, text))]

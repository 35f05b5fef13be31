"""Put a report together: gather the run's data, fill the Jinja2 template, inline everything.

The page fetches nothing: the style sheet, our script, the chart's data and the Vega,
Vega-Lite and Vega-Embed libraries (from the ``vl-convert-python`` package, which ships them
for offline pages) are all written into the one HTML file.
"""

from __future__ import annotations

import functools
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from pipeline.report.document_view import document_views
from pipeline.report.eval_results import load_eval
from pipeline.report.run_data import load_run, overview, top_entities
from pipeline.report.timeline import DATE, EVENT, build_timeline, timeline_spec

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_MAX_DOCS = 200
_SCRIPT_END = re.compile(r"</(script)", re.I)


@dataclass
class ReportSummary:
    path: Path
    bytes: int
    documents: int
    documents_shown: int
    marks: int
    seconds: float


@functools.cache
def vega_javascript() -> str:
    """Vega-Embed with Vega and Vega-Lite, as one script (bundled once per process)."""
    import vl_convert

    return vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is written into: ``</script`` becomes
    ``<\\/script``, which means the same in a JavaScript string, regex or JSON."""
    return _SCRIPT_END.sub(r"<\\/\1", text)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["num"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["pct"] = lambda x: "" if x is None else f"{100 * x:.1f}"
    return env


def build_report(outdir: str | Path, output: str | Path | None = None,
                 eval_dir: str | Path | None = None,
                 max_docs: int = DEFAULT_MAX_DOCS) -> ReportSummary:
    """Write the HTML report of the run in ``outdir`` (default ``outdir/report.html``)."""
    started = time.perf_counter()
    outdir = Path(outdir)
    run = load_run(outdir)
    evaluation = load_eval(eval_dir) if eval_dir is not None else None
    docs = run.table("documents")
    readable = docs[docs["status"] != "error"]["doc_id"].tolist()
    shown = readable[:max_docs]
    doc_index = {doc_id: i for i, doc_id in enumerate(shown)}
    timeline = build_timeline(run, doc_index)
    keys_on_timeline = set(timeline.entities)
    payload = {
        "spec": timeline_spec(), "marks": timeline.marks, "docs": shown,
        "entities": timeline.entities,
    }
    context: dict[str, Any] = {
        "title": f"anais report: {outdir.resolve().name}",
        "folder": str(outdir),
        "overview": overview(run),
        "entities": top_entities(run),
        "on_timeline": keys_on_timeline,
        "timeline": {"dates": timeline.count(DATE), "events": timeline.count(EVENT),
                     "marks": len(timeline.marks),
                     "unplaced": sorted(timeline.unplaced.items(), key=lambda kv: -kv[1]),
                     "unplaced_events": timeline.unplaced_events,
                     "untimed_events": timeline.untimed_events},
        "views": document_views(run, shown),
        "shown": len(shown), "readable": len(readable), "max_docs": max_docs,
        "evaluation": evaluation,
        "css": (TEMPLATES / "report.css").read_text("utf-8"),
        "script": _script_safe((TEMPLATES / "report.js").read_text("utf-8")),
        "vega": _script_safe(vega_javascript()),
        # in JSON "<" may be written \u003c: no text of a document can then end the element
        "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c"),
    }
    html = _environment().get_template("report.html.j2").render(**context)
    path = Path(output) if output is not None else outdir / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return ReportSummary(path, path.stat().st_size, len(docs), len(shown), len(timeline.marks),
                         time.perf_counter() - started)

"""``anais report``: one self-contained HTML page to look at a run's output before trusting it.

Modules: ``run_data`` (tables and manifest, summed up), ``timex_dates`` (TIMEX3 values on a
time axis), ``timeline`` (the chart's marks), ``document_view`` (texts with their spans),
``eval_results`` (an ``anais eval --out`` folder), ``render`` (the page), ``cli``.
"""

from pipeline.report.render import DEFAULT_MAX_DOCS, ReportSummary, build_report

__all__ = ["DEFAULT_MAX_DOCS", "ReportSummary", "build_report"]

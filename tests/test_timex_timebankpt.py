"""A quick check of the temporal tagger on a slice of TimeBankPT (skipped without the data).

Gold is read and scored the way ``anais eval`` and ``benchmarks/timebankpt_timex.py`` do it
(``read_timeml``, ``score_timexes`` in TimeML mode); the full train split scores higher (see
``pipeline/timex/README.md``). The thresholds guard against regressions without being tuned
to the slice.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.evaluation import read_timeml, score_timexes
from pipeline.timex import tag_text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "timebankpt" / "train"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"TimeBankPT not found at {DATA} (../shared/data is absent)")


def _files(step: int) -> list[Path]:
    return sorted(DATA.glob("*.tml"))[::step]


@needs_data
def test_timebankpt_slice():
    gold = [read_timeml(f) for f in _files(8)]  # ~20 documents
    assert len(gold) >= 15 and sum(len(d.timexes or []) for d in gold) >= 100
    preds = {}
    for d in gold:
        timexes = tag_text(d.text, dct=d.dct[:10] if d.dct else None, doc_type="news")
        # the scorer's row fields: list index = timex_id, parent = parent_id (interval ends)
        preds[d.doc_id] = [{**t.as_dict(), "timex_id": i, "parent_id": t.parent}
                           for i, t in enumerate(timexes)]
    s = score_timexes(gold, preds, mode="timeml").summary()
    assert s["relaxed"]["f1"] > 0.85
    assert s["strict"]["f1"] > 0.75
    assert s["value"]["accuracy"] > 0.75
    assert s["type"]["accuracy"] > 0.85


@needs_data
def test_benchmark_script_runs(tmp_path):
    """``benchmarks/timebankpt_timex.py`` on three documents: figures and error list."""
    spec = importlib.util.spec_from_file_location("tbpt", ROOT / "benchmarks" /
                                                  "timebankpt_timex.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    slice_dir = tmp_path / "slice"
    slice_dir.mkdir()
    for f in _files(50):
        (slice_dir / f.name).write_bytes(f.read_bytes())
    errors = tmp_path / "errors.txt"
    sc = mod.main([str(slice_dir), "--errors", str(errors)])
    assert sc["n_gold"] > 0 and 0 < sc["relaxed_f1"] <= 1
    assert sc["strict_f1"] <= sc["relaxed_f1"] and 0 < sc["strict_conv_f1"] <= 1
    assert errors.read_text(encoding="utf-8").startswith("## FP (")

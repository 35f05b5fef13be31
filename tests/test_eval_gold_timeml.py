"""TimeML reader: offsets rebuilt from the XML text content."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.gold_timeml import read_timeml

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
TIMEBANKPT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "timebankpt" / "train"


def test_tiny_tml():
    doc = read_timeml(FIXTURES / "tiny.tml")
    assert doc.doc_id == "tiny" and doc.format == "timeml"
    assert doc.dct == "1998-01-08"
    assert [t.text for t in doc.timexes] == ["janeiro", "cerca de duas semanas", "1997", "1998"]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    t2 = doc.timexes[1]
    assert (t2.type, t2.value, t2.mod, t2.gold_id) == ("DURATION", "P2W", "APPROX", "t2")
    assert "a & b caiu." in doc.text  # entities decoded, EVENT text kept
    assert len(doc.sentences) == 2
    s0, e0 = doc.sentences[0]
    assert doc.text[s0:e0] == "Em janeiro a & b caiu."
    # The DCT is not a scored item: its span is ignored for predictions.
    (ds, de), = doc.ignore_spans
    assert doc.text[ds:de] == "19980108"
    assert doc.scored_spans == doc.sentences  # the header outside <s> is not scored


@pytest.mark.skipif(not TIMEBANKPT.is_dir(),
                    reason=f"TimeBankPT train not found at {TIMEBANKPT} (../shared/data absent)")
def test_timebankpt_train_offsets():
    files = sorted(TIMEBANKPT.glob("*.tml"))
    assert len(files) == 162
    total = 0
    for f in files:
        doc = read_timeml(f)
        assert doc.dct, f
        for t in doc.timexes:
            assert doc.text[t.start:t.end] == t.text, (f, t)
        total += len(doc.timexes)
    assert total == 1082

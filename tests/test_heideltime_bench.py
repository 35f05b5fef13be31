"""HeidelTime benchmark plumbing: TimeML output -> offsets -> our records (no Java, no venv)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.evaluation import GoldDocument, GoldTimex, score_timexes
from pipeline.schema import TimexRecord

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


runner = _load("heideltime_runner")
compare = _load("heideltime_compare")

TEXT = "\n\nO banco anunciou ontem que a inflação & o PIB < 3% em março de 2024.\nTodos os anos.\n"
OUTPUT = (
    '<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n'
    'O banco anunciou <TIMEX3 tid="t1" type="DATE" value="2024-03-13">ontem</TIMEX3> que a '
    'inflação & o PIB < 3% em <TIMEX3 tid="t2" type="DATE" value="2024-03">março de 2024'
    '</TIMEX3>.\n<TIMEX3 tid="t3" type="SET" value="P1Y" quant="EVERY">Todos os anos'
    '</TIMEX3>.\n\n</TimeML>\n'
)
EXPECTED = [("ontem", "DATE", "2024-03-13"), ("março de 2024", "DATE", "2024-03"),
            ("Todos os anos", "SET", "P1Y")]


def _check(text: str, timexes: list[dict]) -> None:
    assert [(t["text"], t["type"], t["value"]) for t in timexes] == EXPECTED
    for t in timexes:
        assert text[t["start"]:t["end"]] == t["text"]


def test_parse_keeps_unescaped_text_and_attributes():
    segs = runner.parse_timeml(runner.timeml_body(OUTPUT))
    assert "".join(s.text for s in segs) == TEXT.strip()
    tagged = [s for s in segs if s.attrs is not None]
    assert [s.text for s in tagged] == [e[0] for e in EXPECTED]
    assert tagged[2].attrs == {"tid": "t3", "type": "SET", "value": "P1Y", "quant": "EVERY"}


def test_exact_alignment_shifts_past_leading_whitespace():
    al = runner.align_timeml(TEXT, runner.parse_timeml(runner.timeml_body(OUTPUT)))
    assert al.method == "exact" and not al.unaligned
    _check(TEXT, al.timexes)
    assert al.timexes[0]["start"] == TEXT.index("ontem")
    assert al.timexes[2]["quant"] == "EVERY"


def test_whitespace_alignment_when_spaces_differ():
    text = TEXT.replace("banco anunciou", "banco   anunciou").replace("em março", "em\tmarço")
    al = runner.align_timeml(text, runner.parse_timeml(runner.timeml_body(OUTPUT)))
    assert al.method == "whitespace"
    _check(text, al.timexes)


def test_search_alignment_when_text_differs():
    # An escaped entity (or any rewritten character) defeats the exact and whitespace methods.
    out = OUTPUT.replace(" & o PIB", " &amp; o PIB")
    al = runner.align_timeml(TEXT, runner.parse_timeml(runner.timeml_body(out)))
    assert al.method == "search"
    _check(TEXT, al.timexes)


def test_search_skips_an_earlier_untagged_occurrence():
    text = "Em 1998 nada. Depois, em 1998, tudo."
    out = "<TimeML>\nEm 1998 nada.  Depois, em <TIMEX3 type=\"DATE\" value=\"1998\">1998</TIMEX3>" \
          ", tudo.\n</TimeML>"
    al = runner.align_timeml(text, runner.parse_timeml(runner.timeml_body(out)))
    assert al.method == "whitespace"
    assert [(t["start"], t["end"]) for t in al.timexes] == [(25, 29)]
    out = out.replace("nada.", "nad@.")
    al = runner.align_timeml(text, runner.parse_timeml(runner.timeml_body(out)))
    assert al.method == "search"
    assert [(t["start"], t["end"]) for t in al.timexes] == [(25, 29)]


def test_unfindable_timex_is_reported_not_invented():
    out = "<TimeML>\nNada <TIMEX3 type=\"DATE\" value=\"2001\">2001</TIMEX3>.\n</TimeML>"
    al = runner.align_timeml("Nada aqui.", runner.parse_timeml(runner.timeml_body(out)))
    assert al.timexes == [] and al.unaligned[0]["text"] == "2001"


def test_java_command_news_and_narratives(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "package_dir", lambda: tmp_path)
    news = runner.java_command(tmp_path / "d.txt", tmp_path / "c", "news", "2024-03-14")
    assert news[-2:] == ["-dct", "2024-03-14"] and "-t" in news and "portuguese" in news
    narr = runner.java_command(tmp_path / "d.txt", tmp_path / "c", "narratives", None)
    assert "-dct" not in narr and narr[narr.index("-t") + 1] == "narratives"


def test_records_are_scored_by_our_scorer():
    al = runner.align_timeml(TEXT, runner.parse_timeml(runner.timeml_body(OUTPUT)))
    s2 = TEXT.index("Todos")
    gold = GoldDocument(
        doc_id="d", text=TEXT, format="json",
        timexes=[GoldTimex(TEXT.index("ontem"), TEXT.index("ontem") + 5, "ontem", "DATE",
                           "2024-03-13"),
                 GoldTimex(TEXT.index("em março"), TEXT.index(" de 2024"), "em março", "DATE",
                           "2024-03")],
        sentences=[(2, s2 - 1), (s2, len(TEXT) - 1)],
    )
    bogus = {"start": 5, "end": 5, "type": "date", "value": "X"}  # empty span: dropped
    rows = compare.to_records(gold, [*al.timexes, bogus])
    assert all(isinstance(r, TimexRecord) for r in rows)
    assert [r.timex_id for r in rows] == [0, 1, 2]
    assert [r.sent_id for r in rows] == [0, 0, 1]
    assert rows[2].text == "Todos os anos" and rows[2].type == "SET"
    s = score_timexes([gold], {"d": rows}).summary()
    assert s["strict"]["tp"] == 1 and s["relaxed"]["tp"] == 2 and s["relaxed"]["n_pred"] == 3
    assert s["value"]["accuracy"] == pytest.approx(1.0)


def test_dct_and_token_helpers():
    assert compare.iso_dct("1998-01-08T18:30") == "1998-01-08"
    assert compare.iso_dct("19980108") is None and compare.iso_dct(None) is None
    assert compare.count_tokens("Em 5 de outubro, 1910.") == 7


def test_fixed_and_marginal_fit():
    fit = compare.fixed_and_marginal([100, 200, 400], [3.1, 3.2, 3.4])
    assert fit["fixed_s"] == pytest.approx(3.0)
    assert fit["marginal_tokens_per_s"] == pytest.approx(1000)
    assert compare.fixed_and_marginal([5, 5], [1.0, 2.0])["fixed_s"] is None

"""`anais report`: the page of the sample corpus, opened in headless Chromium and read as a
person would (counts, highlighted spans, timeline marks and filters, nothing fetched), plus the
pieces it is built from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import CORPUS
from headless_browser import Page, chromium

from pipeline.report import build_report
from pipeline.report.document_view import document_views, sentence_nodes
from pipeline.report.run_data import load_run
from pipeline.report.timex_dates import day_span, days_from_civil, interval_span
from pipeline.tables import read_tables

needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="chromium is not installed (apt-get install chromium): the "
    "report is checked in a real browser")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, shipped_nlp) -> Path:
    """The sample corpus through the shipped pipeline (≈ 10 s), with an evaluation of it."""
    from pipeline.evaluation.evaluate import evaluate_gold
    from pipeline.evaluation.report import write_outputs
    from pipeline.run import run_corpus

    root = tmp_path_factory.mktemp("report")
    out = root / "run"
    run_corpus(shipped_nlp, [str(CORPUS / "history"), str(CORPUS / "news.jsonl")], out)
    write_outputs(evaluate_gold(CORPUS / "gold", pred=out), root / "eval")
    return out


@pytest.fixture(scope="module")
def report(sample_run) -> Path:
    return build_report(sample_run, sample_run.parent / "report.html",
                        eval_dir=sample_run.parent / "eval").path


@pytest.fixture(scope="module")
def page(report):
    if chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the report is "
                    "checked in a real browser")
    with Page(report.as_uri()) as p:
        p.wait_for("document.getElementById('timeline').dataset.rendered")
        yield p


def _payload(html: str) -> dict:
    m = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', html,
                  re.S)
    assert m is not None
    return json.loads(m.group(1))


# in the browser

@needs_chromium
def test_the_page_draws_without_errors_and_a_screenshot_is_kept(page, report) -> None:
    assert page.console_errors == []
    assert page.evaluate("document.getElementById('timeline').dataset.error") is None
    shot = page.screenshot(report.with_suffix(".png"))
    print(f"screenshot of the sample report: {shot}")
    assert shot.stat().st_size > 50_000


@needs_chromium
def test_counts_shown_equal_the_tables(page, sample_run) -> None:
    tables = read_tables(sample_run)
    manifest = json.loads((sample_run / "manifest.json").read_text("utf-8"))

    def shown(element_id: str) -> int:
        return int(page.evaluate(f"document.getElementById({element_id!r}).dataset.count"))

    assert shown("count-documents") == len(tables["documents"])
    for status, n in tables["documents"]["status"].value_counts().items():
        assert shown(f"count-status-{status}") == n
    for name, frame in tables.items():
        if name != "tokens":
            assert shown(f"rows-{name}") == len(frame), name
    assert shown("count-words") == manifest["words"]
    assert page.evaluate("document.querySelectorAll('article.doc').length") == len(
        tables["documents"])


@needs_chromium
def test_a_known_entity_is_highlighted_in_its_document(page, sample_run) -> None:
    ents = read_tables(sample_run, ["entities"])["entities"]
    row = ents[(ents["doc_id"] == "albert_einstein.txt") & (ents["text"] == "Albert Einstein")]
    assert len(row), "the shipped model finds Albert Einstein in its biography"
    ent_id = int(row.iloc[0]["ent_id"])
    found = page.evaluate(f"""(() => {{
        const art = document.querySelector('article[data-doc-id="albert_einstein.txt"]');
        const m = art.querySelector('[id$="-e{ent_id}"]');
        return {{cls: m.className, text: m.firstChild.textContent,
                 label: m.querySelector('.lbl').textContent, title: m.title}};
    }})()""")
    assert found == {"cls": "ent ent-PER", "text": "Albert Einstein", "label": "PER",
                     "title": f"PER: {row.iloc[0]['canonical']} "
                              f"(cluster {row.iloc[0]['cluster_id']})"}


@needs_chromium
def test_a_timex_shows_its_value_on_hover(page, sample_run) -> None:
    tx = read_tables(sample_run, ["timexes"])["timexes"]
    row = tx[(tx["doc_id"] == "abolicao_brasil.txt") & (tx["text"] == "4 de setembro de 1850")]
    assert row.iloc[0]["value"] == "1850-09-04"
    title = page.evaluate(f"""document.querySelector(
        'article[data-doc-id="abolicao_brasil.txt"] [id$="-t{row.iloc[0]['timex_id']}"]').title""")
    assert title == "DATE 1850-09-04"


@needs_chromium
def test_the_timeline_has_a_mark_per_item_it_claims(page, sample_run) -> None:
    box = page.evaluate("Object.assign({}, document.getElementById('timeline').dataset)")
    claimed = int(box["marks"])
    assert claimed == int(box["dates"]) + int(box["events"]) > 0
    assert page.evaluate("document.querySelectorAll("
                         "'#timeline .mark-symbol.role-mark path').length") == claimed
    assert int(box["rendered"]) == claimed
    # every plain ISO date of the tables is among them (intervals' endpoints are their bar)
    tx = read_tables(sample_run, ["timexes"])["timexes"]
    iso = tx[tx["parent_id"].isna() & tx["value"].str.fullmatch(r"\d{4}(-\d\d){0,2}")
             .fillna(False).astype(bool)]
    assert int(box["dates"]) >= len(iso) > 100
    # events with no time are said apart, not plotted
    events = read_tables(sample_run, ["events"])["events"]
    untimed = int(events["time_id"].isna().sum())
    assert page.evaluate("document.getElementById('untimed').textContent").startswith(
        f"{untimed} events are attached to no time")
    # and each mark links to its span in a document view
    assert page.evaluate("""(() => {
        const data = JSON.parse(document.getElementById('report-data').textContent);
        return data.marks.filter(m => !document.getElementById('d' + m.d + '-' + m.i)).length;
    })()""") == 0


@needs_chromium
def test_the_timeline_filters_by_document_and_by_entity(page, sample_run) -> None:
    tables = read_tables(sample_run)
    events, args, ents, tx = (tables[n] for n in ("events", "event_args", "entities",
                                                  "timexes"))

    def placed(value, begin, end) -> bool:
        if not pd.isna(value):
            return day_span(value) is not None
        return interval_span(None if pd.isna(begin) else begin,
                             None if pd.isna(end) else end) is not None

    def choose(input_id: str, value: str) -> int:
        return page.evaluate(f"""(async () => {{
            const input = document.getElementById({input_id!r});
            input.value = {value!r};
            input.dispatchEvent(new Event('change'));
            await new Promise(r => setTimeout(r, 400));
            return Number(document.getElementById('timeline').dataset.rendered);
        }})()""")

    def click(selector: str) -> int:
        return page.evaluate(f"""(async () => {{
            document.querySelector({selector!r}).click();
            await new Promise(r => setTimeout(r, 400));
            return Number(document.getElementById('timeline').dataset.rendered);
        }})()""")

    doc = "abolicao_brasil.txt"
    own = tx[(tx["doc_id"] == doc) & tx["parent_id"].isna()]
    expected = sum(placed(r.value, r.begin_value, r.end_value) for r in own.itertuples())
    expected += sum(placed(r.time_value, r.time_begin, r.time_end)
                    for r in events[(events["doc_id"] == doc) & events["time_id"].notna()]
                    .itertuples())
    assert choose("doc-filter", doc) == expected > 0
    choose("doc-filter", "")
    # the same from the link in the document's header
    assert click(f'a.to-timeline[data-doc="{doc}"]') == expected
    choose("doc-filter", "")

    # the events of Portugal (a place, across documents), and the times they are at
    cluster = ents[(ents["label"] == "LOC") & (ents["canonical"] == "Portugal")]
    pairs = cluster[["doc_id", "cluster_id"]].drop_duplicates()
    linked = args.merge(pairs, on=["doc_id", "cluster_id"])[["doc_id", "event_id"]]
    mine = events.merge(linked.drop_duplicates(), on=["doc_id", "event_id"])
    mine = mine[mine["time_id"].notna()]
    n_events = sum(placed(r.time_value, r.time_begin, r.time_end) for r in mine.itertuples())
    times = tx.merge(mine[["doc_id", "time_id"]].drop_duplicates()
                     .rename(columns={"time_id": "timex_id"}), on=["doc_id", "timex_id"])
    times = times[times["parent_id"].isna()]
    n_times = sum(placed(r.value, r.begin_value, r.end_value) for r in times.itertuples())
    assert choose("entity-filter", "Portugal (LOC)") == n_events + n_times > 5
    choose("entity-filter", "")
    assert click('#entities a.to-timeline[data-entity="LOC|Portugal"]') == n_events + n_times
    page.evaluate("document.getElementById('filter-reset').click()")
    page.wait_for("Number(document.getElementById('timeline').dataset.rendered) == "
                  "Number(document.getElementById('timeline').dataset.marks)")


@needs_chromium
def test_the_page_fetches_nothing(page, report) -> None:
    assert page.requests == [report.as_uri()]
    outside = page.evaluate("""[...document.querySelectorAll('[src], [href]')]
        .map(e => e.getAttribute('src') || e.getAttribute('href'))
        .filter(u => /^(https?:)?\\/\\//i.test(u))""")
    assert outside == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", report.read_text("utf-8"))


@needs_chromium
def test_the_eval_section_shows_the_error_tables(page, sample_run) -> None:
    errors = pd.read_parquet(sample_run.parent / "eval" / "errors.parquet")
    for status in ("missed", "spurious"):
        shown = page.evaluate(f"document.getElementById('eval-{status}').dataset.count")
        assert int(shown) == int((errors["status"] == status).sum())
    assert page.evaluate("document.querySelectorAll('#scores tbody tr').length") > 10


# without a browser

@pytest.mark.parametrize("value, first, days", [
    ("1975", "1975-01-01", 365), ("1976", "1976-01-01", 366), ("1975-03", "1975-03-01", 31),
    ("1910-10-05", "1910-10-05", 1), ("1888-05-13TAF", "1888-05-13", 1),
    ("188", "1880-01-01", 3653), ("17", "1700-01-01", 36524), ("2024-W01", "2024-01-01", 7),
    ("1975-Q2", "1975-04-01", 91), ("1975-H2", "1975-07-01", 184),
    ("1975-WI", "1975-12-01", 91),  # to the end of February 1976, a leap year
])
def test_a_value_covers_the_days_it_names(value, first, days) -> None:
    import datetime

    start, end = day_span(value)
    assert datetime.date(1970, 1, 1) + datetime.timedelta(days=start) == \
        datetime.date.fromisoformat(first)
    assert end - start == days


def test_dates_before_year_one_place() -> None:
    assert day_span("BC0044") == (days_from_civil(-43, 1, 1), days_from_civil(-42, 1, 1))
    assert day_span("BC0044-03-15")[0] == days_from_civil(-43, 3, 15)
    assert days_from_civil(1, 1, 1) - days_from_civil(0, 12, 31) == 1


@pytest.mark.parametrize("value", ["PRESENT_REF", "PAST_REF", "P3Y", "PXY", "XXXX-07-01",
                                   "1975-02-30", "1975-13", "XXXX-WXX-1", "", None])
def test_values_with_no_fixed_place_do_not_place(value) -> None:
    assert day_span(value) is None


def test_an_interval_runs_from_its_begin_to_the_end_of_its_end() -> None:
    assert interval_span("1807", "1808") == (days_from_civil(1807, 1, 1),
                                             days_from_civil(1809, 1, 1))
    assert interval_span("1975", "PRESENT_REF") is None
    assert interval_span("1990", "1980") is None


def _flat(nodes) -> str:
    return "".join(n["text"] if "text" in n else _flat(n["children"]) for n in nodes)


def test_spans_nest_and_no_character_is_lost() -> None:
    text = "Em 1975, Marcelo Caetano caiu."
    spans = [{"start": 3, "end": 7, "kind": "timex"}, {"start": 9, "end": 24, "kind": "ent"},
             {"start": 17, "end": 24, "kind": "event"}, {"start": 20, "end": 29, "kind": "x"}]
    nodes = sentence_nodes(text[3:], 3, spans)  # a sentence starting at offset 3
    assert _flat(nodes) == text[3:]
    ent = nodes[2]
    assert ent["span"]["kind"] == "ent" and _flat(ent["children"]) == "Marcelo Caetano"
    assert _flat(ent["children"][1]["children"]) == "Caetano"  # the event inside the entity
    # the span crossing the entity's end is cut there, not dropped and not overflowing
    assert [_flat(n["children"]) for n in ent["children"][1]["children"] if "span" in n] == \
        ["tano"]


def test_document_views_rebuild_every_sentence_and_span(sample_run) -> None:
    run = load_run(sample_run)
    docs = run.table("documents")["doc_id"].tolist()
    views = document_views(run, docs)
    sentences = run.table("sentences")
    marked: dict[str, str] = {}

    def walk(nodes) -> None:
        for n in nodes:
            if "span" in n:
                marked[n["span"]["id"]] = _flat(n["children"])
                walk(n["children"])

    for view in views:
        texts = sentences[sentences["doc_id"] == view.doc_id].sort_values("start")["text"]
        assert [_flat(s) for p in view.paragraphs for s in p] == texts.tolist()
        for p in view.paragraphs:
            for s in p:
                walk(s)
    index = {d: i for i, d in enumerate(docs)}
    tables = read_tables(sample_run, ["entities", "timexes", "events"])
    surfaces = {f"d{index[r.doc_id]}-e{r.ent_id}": r.text
                for r in tables["entities"].itertuples()}
    surfaces |= {f"d{index[r.doc_id]}-t{r.timex_id}": r.text
                 for r in tables["timexes"].itertuples()}
    surfaces |= {f"d{index[r.doc_id]}-v{r.event_id}": r.trigger
                 for r in tables["events"].itertuples()}
    whole = [k for k in surfaces if marked.get(k) == surfaces[k]]
    assert len(whole) >= 0.99 * len(surfaces)  # a few may be cut where spans cross


def test_max_docs_limits_the_views_and_says_so(sample_run, tmp_path) -> None:
    summary = build_report(sample_run, tmp_path / "r.html", max_docs=3)
    html = summary.path.read_text("utf-8")
    assert html.count('<article class="doc"') == 3 == summary.documents_shown
    assert "Only the first 3 of 36 readable documents" in html
    assert {m["d"] for m in _payload(html)["marks"]} <= {0, 1, 2}


def test_the_command_writes_outdir_report_html(sample_run, tmp_path, capsys) -> None:
    import shutil

    from pipeline.cli import main

    run = tmp_path / "run"
    shutil.copytree(sample_run, run)
    assert main(["report", str(run), "--max-docs", "2"]) == 0
    assert (run / "report.html").stat().st_size > 500_000  # the inlined chart library
    assert "report.html" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "no documents table" in capsys.readouterr().err
    assert main(["report", str(run), "--eval", str(tmp_path)]) == 2
    assert "no scores.json" in capsys.readouterr().err


def test_document_text_cannot_end_the_data_script(blank_nlp, tmp_path) -> None:
    from pipeline.run import run_corpus

    src = tmp_path / "docs.jsonl"
    odd = "x</script><script>alert(1)</script>"
    src.write_text(json.dumps({"id": odd, "text": f"Em 1975 {odd} caiu."}) + "\n", "utf-8")
    run_corpus(blank_nlp, [str(src)], tmp_path / "run")
    html = build_report(tmp_path / "run").path.read_text("utf-8")
    assert _payload(html)["docs"] == [odd]
    assert "<script>alert(1)" not in html


def test_failed_documents_are_counted_by_kind_and_left_out_of_the_views(blank_nlp,
                                                                         tmp_path) -> None:
    from pipeline.run import run_corpus

    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in (
        {"id": "ok", "text": "Em 1975 houve eleições em Lisboa."},
        {"id": "empty", "text": ""}, {"id": "blank", "text": "  "}, {"id": "notext"})) + "\n",
        "utf-8")
    run_corpus(blank_nlp, [str(src)], tmp_path / "run")
    html = build_report(tmp_path / "run").path.read_text("utf-8")
    assert 'id="count-status-error" data-count="3"' in html
    kinds = re.findall(r"<tr><td>(\w+)</td><td><code>(\w+)</code></td><td class=\"num\">(\d+)",
                       html)
    errors = read_tables(tmp_path / "run", ["errors"])["errors"]
    assert sorted(kinds) == sorted(
        (s, k, str(n)) for (s, k), n in errors.groupby(["stage", "error_type"]).size().items())
    assert html.count('<article class="doc"') == 1
    assert "no PER entities" in html  # a blank model finds none: said, not an empty table

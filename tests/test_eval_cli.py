"""`anais eval` end to end on hand-made tables (--pred), --out/--json/--compare, and the
run-the-pipeline mode with a stub extractor (no model is loaded)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from pipeline.evaluation import cli, predictions
from pipeline.schema import (
    TABLES,
    EntityRecord,
    Extraction,
    TimexRecord,
    arrow_schema,
)

FIX = Path(__file__).parent / "fixtures" / "eval"
GOLD = FIX / "corpus" / "gold"
REPUBLICA = (FIX / "corpus" / "texts" / "republica.txt").read_text(encoding="utf-8")
NOTICIA = "O Banco de Portugal anunciou ontem a subida."


def at(text: str, surface: str) -> tuple[int, int]:
    i = text.index(surface)
    return i, i + len(surface)


def timex(doc_id, text, surface, tid, type="DATE", value=None, **kw):
    s, e = at(text, surface)
    return complete("timexes", dict(doc_id=doc_id, timex_id=tid, sent_id=0, start=s, end=e,
                                    text=surface, type=type, value=value, **kw))


def complete(table: str, row: dict) -> dict:
    """Fill the columns a test does not care about (the schema may grow)."""
    fields = {f.name: f for f in dataclasses.fields(TABLES[table])}
    out = {}
    for name, f in fields.items():
        if name in row or f.metadata["nullable"]:
            out[name] = row.get(name)
        else:
            out[name] = 0 if pa.types.is_integer(f.metadata["arrow"]) else ""
    return out


def entity(doc_id, text, surface, eid, label):
    s, e = at(text, surface)
    return complete("entities", {"doc_id": doc_id, "ent_id": eid, "sent_id": 0, "start": s,
                                 "end": e, "text": surface, "label": label})


def write_tables(folder: Path, timexes: list[dict], entities: list[dict], fmt="parquet"):
    folder.mkdir(parents=True, exist_ok=True)
    docs = [complete("documents", {"doc_id": d, "source": d, "status": "ok"})
            for d in ("texts/republica.txt", "noticia")]
    sents = [complete("sentences", {"doc_id": "noticia", "sent_id": 0, "start": 0,
                                    "end": len(NOTICIA), "text": NOTICIA})]
    for name, rows in (("documents", docs), ("timexes", timexes), ("entities", entities),
                       ("sentences", sents)):
        table = pa.Table.from_pylist(rows, schema=arrow_schema(name))
        if fmt == "parquet":
            pq.write_table(table, folder / f"{name}.parquet")
        else:
            pacsv.write_csv(table, folder / f"{name}.csv")


def predicted(end_value="1809", paris=True):
    r = "texts/republica.txt"
    t = [timex(r, REPUBLICA, "outubro de 1910", 0, value="1910-10"),
         timex(r, REPUBLICA, "1807-1808", 1, type="INTERVAL", begin_value="1807",
               end_value=end_value),
         timex(r, REPUBLICA, "1807", 2, value="1807", parent_id=1, role="begin"),
         timex("noticia", NOTICIA, "ontem", 0, value="2024-03-13", anchor="DCT")]
    e = [entity(r, REPUBLICA, "Eça de Queirós", 0, "PER"),
         entity("noticia", NOTICIA, "Banco de Portugal", 0, "ORG")]
    if paris:
        e.append(entity(r, REPUBLICA, "Paris", 1, "LOC"))
    return t, e


def run_cli(capsys, *argv) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_pred_mode_scores(tmp_path, capsys, fmt):
    write_tables(tmp_path / "run", *predicted(), fmt=fmt)
    code, out = run_cli(capsys, "eval", "--gold", str(GOLD), "--pred", str(tmp_path / "run"),
                        "--json")
    assert code == 0
    s = json.loads(out)
    assert s["missing_docs"] == []  # "texts/republica.txt" was paired with "republica.txt"
    t = s["timex"]
    # anais gold: the INTERVAL row is scored, its endpoint dropped: 3 gold, 3 pred, all matched.
    assert (t["strict"]["tp"], t["strict"]["n_gold"], t["strict"]["n_pred"]) == (3, 3, 3)
    assert t["value"]["accuracy"] == pytest.approx(2 / 3)  # end_value 1809 ≠ 1808
    assert t["all_correct"]["tp"] == 2
    spans = s["entities"]["spans"]["strict"]["micro"]  # only republica has spans
    assert (spans["tp"], spans["n_gold"], spans["n_pred"]) == (2, 3, 2)
    surf = s["entities"]["surfaces"]["micro"]
    assert (surf["tp"], surf["n_gold"], surf["n_pred"]) == (3, 4, 3)


def test_terminal_table_and_out_dir(tmp_path, capsys):
    write_tables(tmp_path / "run", *predicted())
    out_dir = tmp_path / "eval"
    code, out = run_cli(capsys, "--gold", str(GOLD), "--pred", str(tmp_path / "run"),
                        "--out", str(out_dir), "--errors", "5")
    assert code == 0
    assert "strict span" in out and "relaxed span" in out and "micro" in out
    assert "wrong (value)" in out and "1807/1808" in out and "1807/1809" in out
    for name in ("items", "errors", "per_doc"):
        assert (out_dir / f"{name}.csv").is_file() and (out_dir / f"{name}.parquet").is_file()
    errors = pd.read_parquet(out_dir / "errors.parquet")
    assert set(errors["status"]) == {"wrong", "missed"}
    assert "[[1807-1808]]" in errors.loc[errors["errors"] == "value", "context"].iloc[0]
    per_doc = pd.read_csv(out_dir / "per_doc.csv")
    assert {"timex_strict", "entity_strict", "entity_surface"} <= set(per_doc["metric"])
    assert json.loads((out_dir / "scores.json").read_text())["n_errors"] == len(errors)


def test_compare_shows_fixed_and_broken(tmp_path, capsys):
    write_tables(tmp_path / "run1", *predicted())
    write_tables(tmp_path / "run2", *predicted(end_value="1808", paris=False))
    assert run_cli(capsys, "--gold", str(GOLD), "--pred", str(tmp_path / "run1"), "--out",
                   str(tmp_path / "e1"), "-q")[0] == 0
    code, out = run_cli(capsys, "--gold", str(GOLD), "--pred", str(tmp_path / "run2"),
                        "--compare", str(tmp_path / "e1"), "--json")
    assert code == 0
    c = json.loads(out)["compare"]
    changes = {(r["change"], r["task"], r["gold_text"]) for r in c["items"]}
    assert ("fixed", "timex", "1807-1808") in changes
    assert ("broken", "entity", "Paris") in changes
    assert ("broken", "entity_surface", "Paris") in changes
    delta = {m["metric"]: m["delta"] for m in c["metrics"]}
    assert delta["timex.value.accuracy"] == pytest.approx(1 / 3)
    code, out = run_cli(capsys, "--gold", str(GOLD), "--pred", str(tmp_path / "run2"),
                        "--compare", str(tmp_path / "e1"))
    assert "newly broken" in out and "timex.all_correct.f1" in out


def test_add_parser_registers_eval():
    parser = argparse.ArgumentParser(prog="anais")
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "--gold", "g", "--pred", "p", "--errors", "3"])
    assert args.func is cli.run and args.errors == 3 and args.model == "auto"


def test_usage_errors(tmp_path, capsys):
    assert cli.main(["--gold", str(GOLD), "--pred", str(tmp_path / "nope")]) == 2
    assert cli.main(["--gold", str(FIX / "tiny.conllu"), "--pred", str(tmp_path)]) == 2
    assert cli.main(["--gold", str(tmp_path / "none.json")]) == 2
    assert "error" in capsys.readouterr().err


class _StubNLP:
    meta = {"anais": {"source": "stub"}}


def test_running_mode_with_timeml_gold(monkeypatch, capsys):
    """Mode 1: the gold's text and DCT go to the extractor; endpoints are scored for TimeML."""
    seen = []

    def fake_extract(nlp, inputs, *, with_tokens=False, batch_size=32):
        from pipeline.schema import DocumentRecord

        for item in inputs:
            seen.append(item)
            text = item.text
            s, e = at(text, "1997")
            s2, e2 = at(text, "1998.")
            rows = [TimexRecord(item.doc_id, 0, 1, s, e2 - 1, text[s:e2 - 1], "INTERVAL",
                                begin_value="1997", end_value="1998"),
                    TimexRecord(item.doc_id, 1, 1, s, e, "1997", "DATE", "1997", parent_id=0,
                                role="begin"),
                    TimexRecord(item.doc_id, 2, 1, s2, e2 - 1, "1998", "DATE", "1998",
                                parent_id=0, role="end"),
                    # The DCT header is not scored, so this is not spurious.
                    TimexRecord(item.doc_id, 3, 0, 4, 12, "19980108", "DATE", "1998-01-08")]
            doc = DocumentRecord(item.doc_id, item.source, len(text), 0, 2, "ok", item.dct)
            ent = complete("entities", {"doc_id": item.doc_id, "start": 0, "end": 3,
                                        "text": text[0:3], "label": "ORG"})
            yield Extraction(doc, timexes=rows, entities=[EntityRecord(**ent)])

    monkeypatch.setattr(predictions, "load_model", lambda model, doc_type: _StubNLP())
    monkeypatch.setattr("pipeline.extraction.extract_documents", fake_extract)
    code, out = run_cli(capsys, "--gold", str(FIX / "tiny.tml"), "--json", "--dct", "2000-01-01")
    assert code == 0
    assert seen[0].dct == "1998-01-08"  # the gold's DCT wins over --dct
    assert seen[0].text.startswith("\nDOC19980108")
    t = json.loads(out)["timex"]
    assert (t["strict"]["tp"], t["strict"]["n_gold"], t["strict"]["n_pred"]) == (2, 4, 2)
    assert t["all_correct"]["tp"] == 2


def test_conllu_report_says_mapping_breaks_down_and_lists_errors(capsys):
    # a blank pipeline tags nothing: every token is a UPOS error, listed with its sentence
    code = cli.main(["--gold", str(FIX / "tiny.conllu"), "--model", "blank"])
    out = capsys.readouterr().out
    assert code == 0
    for section in ("Label mapping", "relations: as written in the gold", "Per gold relation",
                    "Per gold UPOS", "Errors: first"):
        assert section in out, section
    assert "[[Porto]]" in out
    code = cli.main(["--gold", str(FIX / "tiny.conllu"), "--model", "blank", "--json"])
    c = json.loads(capsys.readouterr().out)["conllu"]
    assert c["per_pos"]["PROPN"]["n"] == 1 and c["per_relation"]["obl"]["n"] == 1
    assert "surface" in c["label_mapping"]["tokens"]

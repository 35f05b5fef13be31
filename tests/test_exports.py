"""Exports (TimeML, brat, CoNLL-U) of a run, read back by `anais eval`, and their edge cases."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import CORPUS
from conllu_rules import file_problems

from pipeline.cli import main
from pipeline.evaluation.evaluate import evaluate_gold
from pipeline.evaluation.gold_brat import read_brat
from pipeline.evaluation.gold_timeml import parse_timeml
from pipeline.exports.bundles import DocumentRows
from pipeline.exports.files import read_index
from pipeline.tables import read_table

SPECIAL = [
    {"id": "amp", "dct": "2024-05-02",
     "text": "A Câmara Municipal de Lisboa & <Companhia Carris> anunciou ontem que o "
             "presidente João Silva vai a Paris em 5 de outubro de 2025."},
    {"id": "emoji", "text": "🎉🎉 O presidente Marcelo Rebelo de Sousa visitou Lisboa em 2020. "
                            "🇵🇹 Depois foi ao Porto, em março de 2021."},
    {"id": "crlf", "text": "O rei D. Carlos visitou Coimbra\r\nem 1908.\r\n\r\nDepois   foi "
                           "ao Porto, onde ficou de 1910 a 1912."},
    {"id": "pasta/nota 1", "text": "O Benfica venceu o FC Porto em Lisboa a 3 de maio de 2023."},
    {"id": "empty", "text": ""},
    {"id": "broken"},
]


def _jsonl(path: Path) -> Path:
    rows = list(SPECIAL)
    for name in ("amalia_rodrigues", "ditadura_militar_brasil"):
        rows.append({"id": name, "text": (CORPUS / "history" / f"{name}.txt").read_text("utf-8")})
    rows += [json.loads(line) for line in (CORPUS / "news.jsonl").read_text("utf-8").splitlines()
             if line.strip()]
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """One run of the shipped pipeline that also exports the three formats."""
    tmp = tmp_path_factory.mktemp("exports")
    out = tmp / "out"
    code = main(["run", str(_jsonl(tmp / "docs.jsonl")), "-o", str(out), "--tokens", "-q",
                 "--format", "parquet", "--format", "timeml", "--format", "brat",
                 "--format", "conllu"])
    assert code == 0
    return out


def _texts(run_dir: Path) -> dict[str, str]:
    frame = read_table(run_dir, "texts")
    return dict(zip(frame["doc_id"], frame["text"], strict=True))


def test_timeml_export_scores_one_against_its_own_run(run_dir: Path) -> None:
    scores = evaluate_gold(run_dir / "timeml", pred=run_dir).scores
    timex = scores["timex"]
    assert timex["strict"]["n_gold"] > 40  # the intervals' endpoints are among them
    for metric in ("strict", "relaxed", "all_correct", "value", "type", "mod"):
        assert timex[metric]["f1"] == 1.0, metric
    events = scores["events"]
    assert events["trigger_strict"]["f1"] == 1.0 and events["trigger_strict"]["n_gold"] > 50
    for name in ("event_class", "pos", "tense", "aspect", "polarity"):
        assert events[f"{name}_accuracy"]["accuracy"] == 1.0, name
    for name in ("task_a_attachment", "task_a_relation", "task_b_relation"):
        assert events[name]["n"] > 0 and events[name]["accuracy"] == 1.0, name
    assert scores["missing_docs"] == []


def test_timeml_files_are_xml_whose_text_is_the_document(run_dir: Path) -> None:
    texts = _texts(run_dir)
    index = {e["doc_id"]: e for e in read_index(run_dir / "timeml")}
    for doc_id, text in texts.items():
        path = run_dir / "timeml" / index[doc_id]["files"][0]
        root = ET.parse(path).getroot()  # well-formed
        assert "".join(root.itertext()) == text, doc_id
    amp = (run_dir / "timeml" / "amp.tml").read_text("utf-8")
    assert "&amp; &lt;Companhia Carris&gt;" in amp
    crlf = (run_dir / "timeml" / "crlf.tml").read_text("utf-8")
    assert "&#13;\n" in crlf and "\r" not in crlf
    # the range is a non-consuming DURATION whose ends are the two DATEs of the text
    gold = parse_timeml(crlf.encode("utf-8"), "crlf")
    assert [t.text for t in gold.timexes if t.text in ("1910", "1912")] == ["1910", "1912"]
    interval = [el for el in ET.fromstring(crlf).iter("TIMEX3") if el.get("beginPoint")]
    assert len(interval) == 1 and interval[0].text is None
    ends = {el.get("tid"): el.text for el in ET.fromstring(crlf).iter("TIMEX3")}
    assert (ends[interval[0].get("beginPoint")], ends[interval[0].get("endPoint")]) == \
        ("1910", "1912")


def test_brat_export_scores_one_against_its_own_run(run_dir: Path) -> None:
    scores = evaluate_gold(run_dir / "brat", pred=run_dir).scores
    entities = scores["entities"]["spans"]["strict"]["micro"]
    assert entities["n_gold"] > 30 and entities["f1"] == 1.0
    for metric in ("strict", "all_correct", "value"):
        assert scores["timex"][metric]["f1"] == 1.0, metric
    assert (run_dir / "brat" / "annotation.conf").is_file()
    assert (run_dir / "brat" / "visual.conf").is_file()


def test_a_brat_file_corrected_by_hand_scores_what_was_changed(run_dir: Path,
                                                               tmp_path: Path) -> None:
    gold = tmp_path / "brat"
    shutil.copytree(run_dir / "brat", gold)
    ann = gold / "amalia_rodrigues.ann"
    lines = ann.read_text("utf-8").splitlines()
    ents = [i for i, ln in enumerate(lines) if ln.split("\t")[1].split(" ")[0] in
            ("PER", "LOC", "ORG")]
    removed, relabelled = ents[0], ents[1]
    kind = lines[relabelled].split("\t")[1].split(" ")[0]
    new = "LOC" if kind != "LOC" else "ORG"
    lines[relabelled] = lines[relabelled].replace(f"\t{kind} ", f"\t{new} ", 1)
    del lines[removed]
    ann.write_text("\n".join(lines) + "\n", "utf-8")
    before = evaluate_gold(run_dir / "brat", pred=run_dir).scores["entities"]["spans"]
    after = evaluate_gold(gold, pred=run_dir).scores["entities"]["spans"]
    n = before["strict"]["micro"]["n_gold"]
    micro = after["strict"]["micro"]
    assert (micro["n_gold"], micro["n_pred"], micro["tp"]) == (n - 1, n, n - 2)
    assert micro["f1"] == pytest.approx(2 * (n - 2) / (2 * n - 1))


def test_conllu_export_keeps_the_conllu_rules(run_dir: Path) -> None:
    files = sorted((run_dir / "conllu").rglob("*.conllu"))
    assert len(files) == len(_texts(run_dir))
    for path in files:
        assert file_problems(path.read_text("utf-8")) == [], path.name
    crlf = (run_dir / "conllu" / "crlf.conllu").read_text("utf-8")
    assert "SpacesAfter=\\r\\n" in crlf and "SpacesAfter=\\s\\s\\s" in crlf
    amp = (run_dir / "conllu" / "amp.conllu").read_text("utf-8")
    assert "NER=B-ORG" in amp and "TIMEX=B-DATE" in amp and "SpaceAfter=No" in amp
    nota = (run_dir / "conllu" / "pasta" / "nota 1.conllu").read_text("utf-8")
    assert "# newdoc id = pasta/nota 1\n# sent_id = pasta_nota_1-1\n" in nota


def _unescape(value: str) -> str:
    table = {"s": " ", "t": "\t", "r": "\r", "n": "\n", "\\": "\\", "p": "|"}
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append(table[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def test_conllu_words_and_their_spaces_give_the_text_back(run_dir: Path) -> None:
    for doc_id, text in _texts(run_dir).items():
        rebuilt = []
        for line in (run_dir / "conllu" / f"{doc_id}.conllu").read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            misc = dict(item.split("=", 1) for item in cols[9].split("|") if "=" in item)
            space = "" if misc.get("SpaceAfter") == "No" else " "
            rebuilt.append(cols[1] + _unescape(misc.get("SpacesAfter", space)))
        assert "".join(rebuilt) == text.lstrip(), doc_id


def test_failed_and_empty_documents_are_skipped_with_a_note(run_dir: Path) -> None:
    for fmt in ("timeml", "brat", "conllu"):
        index = {e["doc_id"]: e for e in read_index(run_dir / fmt)}
        for doc_id in ("empty", "broken"):
            assert index[doc_id]["status"] == "skipped"
            assert "could not process" in index[doc_id]["note"]
        assert index["amp"]["status"] == "written"
        assert not list((run_dir / fmt).glob("empty.*"))


def test_brat_offsets_count_code_points_as_python_does(run_dir: Path) -> None:
    text = (run_dir / "brat" / "emoji.txt").read_bytes().decode("utf-8")
    assert text == _texts(run_dir)["emoji"]
    for line in (run_dir / "brat" / "emoji.ann").read_text("utf-8").splitlines():
        if line.startswith("T"):
            _, where, surface = line.split("\t")
            start, end = map(int, where.split(" ")[1:3])
            assert text[start:end] == surface
    gold = read_brat(run_dir / "brat" / "emoji.ann")
    names = {e.text for e in gold.entities}
    assert "Lisboa" in names
    lisboa = next(e for e in gold.entities if e.text == "Lisboa")
    assert lisboa.start == text.index("Lisboa")  # 🎉 counts one, as in str, not two


# -- units: nesting, fragments, trees ---------------------------------------------------------


def _doc(**rows) -> DocumentRows:
    present = frozenset(rows) | {"documents"}
    return DocumentRows({"doc_id": "d", "status": "ok", "dct": None}, rows, present)


def _timex(i: int, start: int, end: int, text: str, **kw) -> dict:
    row = {"timex_id": i, "sent_id": 0, "start": start, "end": end, "text": text[start:end],
           "type": "DATE", "value": "X", "mod": None, "parent_id": None, "role": None,
           "anchor": None, "begin_value": None, "end_value": None}
    row.update(kw)
    return row


def _event(i: int, start: int, end: int) -> dict:
    return {"event_id": i, "sent_id": 0, "start": start, "end": end, "event_class": "STATE",
            "lemma": "x", "pos": "NOUN", "tense": "NONE", "aspect": "NONE", "polarity": "POS",
            "modality": None, "time_id": None, "time_relation": None, "dct_relation": None}


def test_nested_and_crossing_spans_give_well_formed_timeml() -> None:
    from pipeline.exports.timeml import to_timeml

    text = "no fim da guerra & depois, de 1964 a 1985. Outra frase."
    timexes = [_timex(0, 0, 16, text),  # "no fim da guerra" holds the event "fim"
               _timex(1, 10, 25, text),  # crosses the first: written empty
               _timex(2, 27, 41, text, type="INTERVAL", value=None, begin_value="1964",
                      end_value="1985"),
               _timex(3, 30, 34, text, parent_id=2, role="begin", value="1964"),
               _timex(4, 37, 41, text, parent_id=2, role="end", value="1985")]
    sentences = [{"sent_id": 0, "start": 0, "end": 42}, {"sent_id": 1, "start": 43,
                                                          "end": len(text)}]
    xml, counts = to_timeml(_doc(timexes=timexes, events=[_event(0, 3, 6)],
                                 sentences=sentences), text)
    root = ET.fromstring(xml)
    assert "".join(root.itertext()) == text
    assert counts["crossing"] == 1
    by_tid = {el.get("tid"): el for el in root.iter("TIMEX3")}
    assert by_tid["t1"].find("EVENT").text == "fim"
    assert by_tid["t2"].text is None  # crossing: empty where it starts
    assert by_tid["t3"].get("beginPoint") == "t4" and by_tid["t3"].get("endPoint") == "t5"
    assert len(root.findall(".//s")) == 2
    # a timex across the sentence boundary: the <s> tags are left out, the XML stays sound
    across = [_timex(0, 35, 48, text)]
    xml, counts = to_timeml(_doc(timexes=across, sentences=sentences), text)
    root = ET.fromstring(xml)
    assert counts["sentence_tags_dropped"] == 1 and not root.findall(".//s")
    assert "".join(root.itertext()) == text


def test_text_that_xml_cannot_hold_is_refused() -> None:
    from pipeline.exports.timeml import NotExportable, to_timeml

    with pytest.raises(NotExportable, match="U\\+000C"):
        to_timeml(_doc(), "page one\x0cpage two")


def test_a_span_across_a_line_break_becomes_brat_fragments(tmp_path: Path) -> None:
    from pipeline.exports.brat import fragments, to_ann

    text = "Veio do Rio\r\nde Janeiro em 1908."
    start, end = text.index("Rio"), text.index(" em")
    assert fragments(text, start, end) == [(8, 11), (13, 23)]
    ent = {"ent_id": 0, "start": start, "end": end, "label": "LOC"}
    ann = to_ann(_doc(entities=[ent]), text)
    assert ann == "T1\tLOC 8 11;13 23\tRio de Janeiro\n"
    (tmp_path / "d.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "d.ann").write_text(ann, "utf-8")
    gold = read_brat(tmp_path / "d.ann")
    assert [(e.start, e.end, e.text) for e in gold.entities] == [(start, end, "Rio\r\nde Janeiro")]


def test_heads_are_made_one_tree_per_sentence() -> None:
    from pipeline.exports.conllu import tree

    # word 1 hangs outside the sentence, words 2 and 4 both call themselves root
    heads, rels = tree([None, 0, 2, 0], ["nsubj", "ROOT", "obj", "ROOT"])
    assert heads == [2, 0, 2, 2] and rels == ["nsubj", "root", "obj", "dep"]
    # no root at all, and a cycle 2 <-> 3: the first word attached outside is the root
    heads, rels = tree([3, 3, 2, None], ["a", "b", "c", "d"])
    assert heads.count(0) == 1 and rels[heads.index(0)] == "root"
    assert heads[3] == 0
    for start in range(4):  # every word reaches the root
        j, steps = start, 0
        while heads[j] != 0 and steps < 5:
            j, steps = heads[j] - 1, steps + 1
        assert heads[j] == 0


# -- a run without a texts table: its inputs are read again ----------------------------------


def test_an_export_reads_the_inputs_again_and_checks_their_hash(tmp_path: Path,
                                                                capsys) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_bytes("Lisboa, 5 de outubro de 1910.\r\nFim.".encode("cp1252"))
    (docs / "b.txt").write_text("O Porto em 1820.", "utf-8")
    (docs / "c.txt").write_text("Coimbra em 1290.", "utf-8")
    out = tmp_path / "out"
    assert main(["run", str(docs), "-o", str(out), "--model", "blank", "-q"]) == 0
    assert not (out / "texts").exists()  # no export asked for: no texts table
    assert main(["export", str(out), "--to", "brat", "-q"]) == 0
    assert (out / "brat" / "a.txt").read_bytes().decode("utf-8") == \
        "Lisboa, 5 de outubro de 1910.\r\nFim."  # decoded as the run did, CRLF kept
    (docs / "b.txt").write_text("O Porto em 1821.", "utf-8")
    (docs / "c.txt").unlink()
    assert main(["export", str(out), "--to", "timeml", "-o", str(tmp_path / "tml")]) == 0
    notes = {e["doc_id"]: e.get("note") for e in read_index(tmp_path / "tml")}
    assert notes["a.txt"] is None
    assert "SHA-256 differs" in notes["b.txt"]
    assert "cannot be read again" in notes["c.txt"]
    assert "2 skipped" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "tml").iterdir()) == ["a.tml",
                                                                    "anais_export.jsonl"]


def test_conllu_needs_tokens_and_a_new_run_removes_earlier_exports(tmp_path: Path,
                                                                   capsys) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Lisboa em 1910.", "utf-8")
    out = tmp_path / "out"
    assert main(["run", str(docs), "-o", str(out), "--model", "blank", "-q",
                 "--format", "conllu"]) == 2
    assert "needs --tokens" in capsys.readouterr().err
    assert main(["run", str(docs), "-o", str(out), "--model", "blank", "-q",
                 "--format", "brat"]) == 0
    assert (out / "brat" / "a.ann").is_file() and (out / "texts").is_dir()
    assert main(["export", str(out), "--to", "conllu"]) == 2
    assert "--tokens" in capsys.readouterr().err
    (out / "brat" / "notes.md").write_text("mine", "utf-8")  # not ours: kept
    assert main(["run", str(docs), "-o", str(out), "--model", "blank", "-q"]) == 0
    assert sorted(p.name for p in (out / "brat").iterdir()) == ["notes.md"]


def test_conllu_scores_name_a_relation_only_the_parser_gave() -> None:
    # scoring an exported CoNLL-U as gold crashed: spaCy keys relations by hash, and one the
    # parser gave but the gold never has was looked up in the gold's vocabulary only
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.vocab import Vocab

    from pipeline.evaluation.conllu_scores import per_relation

    gold = Doc(Vocab(), words=["Ele", "saiu", "cedo"], heads=[1, 1, 1],
               deps=["nsubj", "ROOT", "advmod"])
    pred = Doc(Vocab(), words=["Ele", "saiu", "cedo"], heads=[1, 1, 1],
               deps=["nsubj", "ROOT", "obl:tmod"])
    rows = per_relation([Example(pred, gold)])
    assert rows["advmod"]["n"] == 1 and rows["advmod"]["both_right"] == 0


def test_a_resumed_run_in_parts_exports_every_document(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, place in enumerate(("Lisboa", "Porto", "Faro")):
        (docs / f"d{i}.txt").write_text(f"Chegou a {place} em 19{10 + i}.", "utf-8")
    out = tmp_path / "out"
    cmd = ["run", str(docs), "-o", str(out), "--model", "blank", "-q", "--part-docs", "1",
           "--format", "brat", "--format", "timeml"]
    assert main(cmd) == 0
    first = {p.relative_to(out).as_posix(): p.read_bytes()
             for fmt in ("brat", "timeml") for p in (out / fmt).rglob("*") if p.is_file()}
    assert not (out / "texts.parquet").exists()  # three parts, not merged: read part by part
    # as if the run had been stopped before its last part: resume finishes and exports
    (out / "manifest.json").unlink()
    lines = (out / "_journal.jsonl").read_text("utf-8").splitlines()
    (out / "_journal.jsonl").write_text("\n".join(lines[:2]) + "\n", "utf-8")
    for part in out.glob("*/part-00002.parquet"):
        part.unlink()
    for fmt in ("brat", "timeml"):
        shutil.rmtree(out / fmt)
    assert main([*cmd, "--resume"]) == 0
    again = {p.relative_to(out).as_posix(): p.read_bytes()
             for fmt in ("brat", "timeml") for p in (out / fmt).rglob("*") if p.is_file()}
    assert again == first and "brat/d2.ann" in again and "timeml/d2.tml" in again


def test_the_conllu_checker_finds_what_breaks_the_rules() -> None:
    from conllu_rules import sentence_problems

    def sentence(*rows: str, text: str = "a b") -> list[str]:
        return ["# sent_id = s-1", f"# text = {text}", *rows]

    good = sentence("1\ta\ta\tX\t_\t_\t0\troot\t_\t_", "2\tb\tb\tX\t_\t_\t1\tdep\t_\t_")
    assert sentence_problems(good) == []
    broken = {
        "2 roots": sentence("1\ta\ta\tX\t_\t_\t0\troot\t_\t_", "2\tb\tb\tX\t_\t_\t0\troot\t_\t_"),
        "out of range": sentence("1\ta\ta\tX\t_\t_\t0\troot\t_\t_",
                                 "2\tb\tb\tX\t_\t_\t3\tdep\t_\t_"),
        "a cycle": sentence("1\ta\ta\tX\t_\t_\t2\tdep\t_\t_", "2\tb\tb\tX\t_\t_\t1\tdep\t_\t_",
                            "3\tc\tc\tX\t_\t_\t0\troot\t_\t_", text="a b c"),
        "empty column": sentence("1\ta\ta\tX\t\t_\t0\troot\t_\t_",
                                 "2\tb\tb\tX\t_\t_\t1\tdep\t_\t_"),
        "whitespace in FORM": sentence("1\ta b\ta\tX\t_\t_\t0\troot\t_\t_", text="a b"),
        "id '3'": sentence("1\ta\ta\tX\t_\t_\t0\troot\t_\t_", "3\tb\tb\tX\t_\t_\t1\tdep\t_\t_"),
        "columns": sentence("1\ta\ta\tX\t_\t_\t0\troot\t_", "2\tb\tb\tX\t_\t_\t1\tdep\t_\t_"),
        "is not the words": sentence("1\ta\ta\tX\t_\t_\t0\troot\t_\tSpaceAfter=No",
                                     "2\tb\tb\tX\t_\t_\t1\tdep\t_\t_"),
        "with relation": sentence("1\ta\ta\tX\t_\t_\t0\tnsubj\t_\t_",
                                  "2\tb\tb\tX\t_\t_\t1\troot\t_\t_"),
    }
    for expected, block in broken.items():
        assert any(expected in p for p in sentence_problems(block)), expected


def test_conllu_of_a_sentence_spacy_left_broken_is_still_one_tree() -> None:
    from pipeline.exports.conllu import to_conllu

    text = "Ela  saiu.\nFoi\u00a0já embora."
    tokens = [  # tok_id, sent, start, end, head, dep
        (0, 0, 0, 3, 1, "nsubj"), (1, 0, 3, 4, None, None), (2, 0, 5, 9, 2, "ROOT"),
        (3, 0, 9, 10, 6, "punct"),  # attached in the next sentence
        (4, 0, 10, 11, None, None),  # the line break: a whitespace token
        (5, 1, 11, 17, 5, "ROOT"), (6, 1, 18, 24, 6, "ROOT"),  # two roots
        (7, 1, 24, 25, 5, "punct")]
    rows = [{"tok_id": i, "sent_id": s, "start": a, "end": b, "text": text[a:b],
             "lemma": text[a:b] if h is not None else None, "pos": "X" if h is not None else None,
             "morph": None, "head": h, "dep": d} for i, s, a, b, h, d in tokens]
    out = to_conllu(_doc(tokens=rows, entities=[], timexes=[]), text)
    assert file_problems(out) == []
    assert "SpacesAfter=\\s\\s" in out and "SpacesAfter=\\n" in out
    assert "\tFoi\u00a0já\t" in out  # a token holding a no-break space stays one FORM
    words = [ln.split("\t") for ln in out.splitlines() if ln and not ln.startswith("#")]
    assert [(w[1], w[6], w[7]) for w in words] == [
        ("Ela", "2", "nsubj"), ("saiu", "0", "root"), (".", "2", "punct"),
        ("Foi\u00a0já", "0", "root"), ("embora", "1", "dep"), (".", "1", "punct")]


def test_brat_gold_of_another_project_reads_its_labels_and_layers(tmp_path: Path) -> None:
    from pipeline.evaluation.gold_reader import read_gold

    text = "Maria nasceu em Braga."
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "a.ann").write_text("T1\tPessoa 0 5\tMaria\nT2\tLocal 16 21\tBraga\n"
                                    "T3\tEvento 6 12\tnasceu\n", "utf-8")
    fmt, docs = read_gold(tmp_path)
    assert fmt == "brat" and docs[0].doc_id == "a"
    assert [(e.label, e.text) for e in docs[0].entities] == [("PER", "Maria"), ("LOC", "Braga")]
    assert docs[0].timexes is None  # no timex annotated anywhere: timexes are not scored
    fmt, docs = read_gold(tmp_path, "brat")
    assert fmt == "brat" and len(docs) == 1
    (tmp_path / "a.ann").write_text("T1\tPessoa 0 50\tMaria\n", "utf-8")
    with pytest.raises(ValueError, match="outside the text"):
        read_gold(tmp_path)


def _brat_conf(path: Path) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        name, _, rest = line.partition("\t")
        current[name] = rest
    return sections


def test_every_brat_annotation_is_declared_in_annotation_conf(run_dir: Path) -> None:
    import re

    conf = _brat_conf(run_dir / "brat" / "annotation.conf")
    events = {k: {r.split(":")[0].rstrip("*?") for r in v.split(", ")}
              for k, v in conf["events"].items()}
    values = {k: set(v.split("Value:")[1].split("|")) for k, v in conf["attributes"].items()}
    seen = set()
    for ann in (run_dir / "brat").rglob("*.ann"):
        for line in ann.read_text("utf-8").splitlines():
            ident, rest = line.split("\t", 1)
            kind = rest.split(" ")[0]
            seen.add(ident[0])
            if ident[0] == "T":
                assert kind in conf["entities"] or kind in events, line
            elif ident[0] == "E":
                kind = kind.split(":")[0]
                for arg in rest.split(" ")[1:]:
                    role = re.sub(r"\d+$", "", arg.split(":")[0])
                    assert role in events[kind], line
            elif ident[0] == "A":
                assert rest.split(" ")[2] in values[kind], line
            elif ident[0] == "R":
                assert kind in conf["relations"], line
            else:
                assert ident[0] == "#" and kind == "AnnotatorNotes", line
    assert seen == {"T", "E", "A", "R", "#"}


def test_exported_conllu_reads_as_conllu_gold(run_dir: Path) -> None:
    from pipeline.evaluation.conllu_scores import read_conllu_docs

    docs = read_conllu_docs(run_dir / "conllu" / "amp.conllu")
    words = [t.text for d in docs for t in d]
    tokens = read_table(run_dir, "tokens")
    mine = tokens[(tokens["doc_id"] == "amp") & ~tokens["text"].str.isspace()]
    assert words == list(mine["text"])
    assert sum(t.dep_ == "ROOT" for d in docs for t in d) == len(list(docs[0].sents))

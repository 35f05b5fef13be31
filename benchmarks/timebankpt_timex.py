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


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--errors", default="/tmp/timebankpt_timex_errors.txt")
    args = ap.parse_args(argv)
    files = sorted(Path(args.data).glob("*.tml"))
    if not files:
        sys.exit(f"no .tml files in {args.data}")
    docs = [(f.name, *read_tml(f)) for f in files]
    n_tok = sum(len(text.split()) for _, text, _, _ in docs)
    t0 = time.perf_counter()
    preds = [tag_text(text, dct=dct, doc_type="news") for _, text, dct, _ in docs]
    elapsed = time.perf_counter() - t0

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
    type_acc = sum(p.type == g.type for p, g in relaxed_all) / n_rel
    value_acc = sum(p.value == g.value for p, g in relaxed_all) / n_rel
    mod_acc = sum((p.mod or None) == (g.mod or None) for p, g in relaxed_all) / n_rel
    print(f"TimeBankPT {Path(args.data).name}: {len(docs)} docs, {n_gold} gold timexes "
          f"(DCT excluded), {n_pred} predicted")
    print(f"strict   P={sp:.3f} R={sr:.3f} F1={sf:.3f}")
    print(f"strict, gold spans without leading articles/quantity modifiers (our convention): "
          f"P={cp:.3f} R={cr:.3f} F1={cf:.3f}")
    print(f"relaxed  P={rp:.3f} R={rr:.3f} F1={rf:.3f}")
    print(f"on relaxed matches: type acc={type_acc:.3f} value acc={value_acc:.3f} "
          f"mod acc={mod_acc:.3f}")
    print(f"speed: {n_tok} tokens in {elapsed:.2f}s = {n_tok / elapsed:,.0f} tokens/s "
          f"(tag_text, whitespace tokens)")
    with open(args.errors, "w", encoding="utf-8") as fh:
        for kind, lines in errors.items():
            fh.write(f"## {kind} ({len(lines)})\n")
            fh.writelines(line + "\n" for line in lines)
    print("error counts: " + ", ".join(f"{k}={len(v)}" for k, v in errors.items())
          + f" -> {args.errors}")
    return {"strict_f1": sf, "strict_conv_f1": cf, "relaxed_f1": rf, "type_acc": type_acc,
            "value_acc": value_acc, "mod_acc": mod_acc}


if __name__ == "__main__":
    main()

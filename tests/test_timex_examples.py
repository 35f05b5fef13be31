"""The example corpus (tests/timex_examples.tsv) and every rule's own examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.timex import tag_text
from pipeline.timex.rules import all_rules

CORPUS = Path(__file__).with_name("timex_examples.tsv")


def _load() -> list[tuple[str, str | None, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, dct, doc_type, expected = line.split("\t")
        rows.append((text.replace("\\n", "\n"), None if dct == "-" else dct, doc_type,
                     expected))
    return rows


def _parse_expected(spec: str) -> list[dict[str, str]]:
    if spec.strip() == "-":
        return []
    out = []
    for entry in spec.split(" | "):
        surface, _, rest = entry.partition(" => ")
        parts = rest.split()
        exp = {"text": surface, "type": parts[0], "value": parts[1]}
        for p in parts[2:]:
            k, _, v = p.partition("=")
            exp[k] = v
        out.append(exp)
    return out


def _describe(t) -> dict[str, str]:
    value = f"{t.begin_value}/{t.end_value}" if t.type == "INTERVAL" else t.value
    return {"text": t.text, "type": t.type, "value": value, "mod": t.mod or "",
            "anchor": t.anchor or "", "parent": "" if t.parent is None else str(t.parent),
            "role": t.role or ""}


@pytest.mark.parametrize("text,dct,doc_type,expected", _load(),
                         ids=[r[0][:50] for r in _load()])
def test_example_corpus(text, dct, doc_type, expected):
    got = [_describe(t) for t in tag_text(text, dct=dct, doc_type=doc_type)]
    want = _parse_expected(expected)
    assert [g["text"] for g in got] == [w["text"] for w in want], got
    for g, w in zip(got, want, strict=True):
        assert (g["type"], g["value"]) == (w["type"], w["value"]), (g, w)
        assert g["mod"] == w.get("mod", ""), (g, w)
        for key in ("anchor", "parent", "role"):
            if key in w:
                assert g[key] == w[key], (key, g, w)


RULE_EXAMPLES = [(r.name, text, value) for r in all_rules() for text, value in r.examples]


@pytest.mark.parametrize("rule,text,value", RULE_EXAMPLES,
                         ids=[f"{r}: {t}" for r, t, _ in RULE_EXAMPLES])
def test_rule_examples(rule, text, value):
    """Each rule's examples, read as news written on Thursday 2000-06-15."""
    got = tag_text(text, dct="2000-06-15", doc_type="news")
    values = {f"{t.begin_value}/{t.end_value}" if t.type == "INTERVAL" else t.value for t in got}
    assert value in values, [(t.text, t.value, t.rule) for t in got]


def test_every_rule_has_examples():
    missing = [r.name for r in all_rules() if not r.examples]
    assert not missing

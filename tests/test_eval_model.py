"""`anais eval` with the real pipeline: slow (loads a trained model), so opt-in.

Run with ``ANAIS_EVAL_MODEL_TESTS=1``; skipped otherwise, and when no model is available.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.evaluation import cli

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "eval"

pytestmark = pytest.mark.skipif(
    os.environ.get("ANAIS_EVAL_MODEL_TESTS") != "1",
    reason="loads the trained pipeline; set ANAIS_EVAL_MODEL_TESTS=1 to run",
)


def test_running_mode_on_fixture_corpus(capsys):
    code = cli.main(["--gold", str(FIX / "corpus" / "gold"), "--json"])
    assert code == 0, capsys.readouterr().err
    s = json.loads(capsys.readouterr().out)
    assert s["missing_docs"] == []
    for key in ("strict", "relaxed", "all_correct"):
        assert 0.0 <= s["timex"][key]["f1"] <= 1.0
    assert s["timex"]["relaxed"]["n_gold"] == 3


def test_running_mode_on_conllu_fixture(capsys):
    code = cli.main(["--gold", str(FIX / "tiny.conllu"), "--json"])
    assert code == 0, capsys.readouterr().err
    c = json.loads(capsys.readouterr().out)["conllu"]
    assert c["n_tokens"] == 5 and 0.0 <= c["pos_acc"] <= 1.0


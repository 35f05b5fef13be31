"""A process that runs one of our pipelines starts without PyTorch (pipeline/torch_free.py):
thinc would import it whenever installed, for nothing anais uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import model_loading
from pipeline.torch_free import OWN_MODELS

REPO = Path(__file__).resolve().parents[1]


def _in_fresh_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True, timeout=300)
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("model", "skipped"), [
    ("fast", True), ("accurate", True), ("auto", True), ("blank", True),
    ("pt_core_news_lg", False), ("/some/pipeline/folder", False), (None, False),
])
def test_only_our_pipelines_go_without_pytorch(model: str | None, skipped: bool) -> None:
    out = _in_fresh_python(
        "import sys; from pipeline.torch_free import skip_torch; "
        f"print(skip_torch({model!r}), sys.modules.get('torch', 'absent') is None)")
    assert out == f"{skipped} {skipped}"


def test_too_late_once_spacy_is_imported() -> None:
    out = _in_fresh_python("import spacy, sys; from pipeline.torch_free import skip_torch; "
                           "print(skip_torch('fast'))")
    assert out == "False"


def test_an_anais_run_never_imports_pytorch(tmp_path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "O rei chegou a Lisboa em 1910."}) + "\n")
    out = _in_fresh_python(
        "import sys; from pipeline.cli import main; "
        f"code = main(['run', {str(docs)!r}, '-o', {str(tmp_path / 'out')!r}, '--quiet', "
        "'--model', 'blank']); print(code, sys.modules.get('torch', 'absent') is None)")
    assert out == "0 True"


def test_the_list_names_the_loaders_own_models() -> None:
    own = {"auto", "blank", *model_loading.VARIANTS, model_loading._OWN_MODEL_NAME,
           model_loading._ACCURATE_NAME}
    assert own == OWN_MODELS

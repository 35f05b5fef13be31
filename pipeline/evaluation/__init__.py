"""Evaluation against gold annotations (``anais eval``).

Stable entry points for other code:
- ``score_timexes(gold_docs, pred_by_doc, mode=None)`` → ``TimexEvaluation``
- ``read_timeml(path)`` → ``GoldDocument``
- ``evaluate_gold(path, nlp=… | pred=…)`` → ``EvalResult`` (what ``anais eval`` computes)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> module; imported on first use so `anais --help` does not pay for pandas.
_EXPORTS = {
    "EvalResult": "evaluate",
    "evaluate_gold": "evaluate",
    "GoldDocument": "gold",
    "GoldEntity": "gold",
    "GoldTimex": "gold",
    "parse_timeml": "gold_timeml",
    "read_timeml": "gold_timeml",
    "TimexEvaluation": "timex_scores",
    "score_timexes": "timex_scores",
    "score_entities": "entity_scores",
    "read_gold": "gold_reader",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"pipeline.evaluation.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'pipeline.evaluation' has no attribute {name!r}")

"""Evaluation against gold annotations (``anais eval``).

Stable entry points for other code:
- ``score_timexes(gold_docs, pred_by_doc, mode=None)`` → ``TimexEvaluation``
- ``read_timeml(path)`` → ``GoldDocument``
"""

from pipeline.evaluation.gold import GoldDocument, GoldEntity, GoldTimex
from pipeline.evaluation.gold_timeml import parse_timeml, read_timeml
from pipeline.evaluation.timex_scores import TimexEvaluation, score_timexes

__all__ = [
    "GoldDocument",
    "GoldEntity",
    "GoldTimex",
    "TimexEvaluation",
    "parse_timeml",
    "read_timeml",
    "score_timexes",
]

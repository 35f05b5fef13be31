"""One row per scored item (a gold item, or a spurious prediction): the ``items`` table.

Error tables are the rows whose status is not ``correct``; ``--compare`` diffs two runs' items.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: Status values, from best to worst.
CORRECT = "correct"
WRONG = "wrong"  # relaxed match with a wrong span/type/value/mod (see ``errors``)
MISSED = "missed"
SPURIOUS = "spurious"


@dataclass(slots=True)
class ItemRow:
    task: str  # "timex" or "entity"
    doc_id: str
    status: str
    #: What is wrong, comma separated: span, type, value, mod (timex) or span, label (entity).
    errors: str | None = None
    gold_start: int | None = None
    gold_end: int | None = None
    gold_text: str | None = None
    gold_type: str | None = None  # entity label for entities
    gold_value: str | None = None
    gold_mod: str | None = None
    pred_start: int | None = None
    pred_end: int | None = None
    pred_text: str | None = None
    pred_type: str | None = None
    pred_value: str | None = None
    pred_mod: str | None = None
    context: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def key(self) -> tuple[Any, ...]:
        """Identity across two evaluations: the gold item, or the spurious prediction's span."""
        if self.gold_start is not None or self.gold_text is not None:
            return (self.task, self.doc_id, "gold", self.gold_start, self.gold_end,
                    self.gold_type, self.gold_text if self.gold_start is None else None)
        return (self.task, self.doc_id, "pred", self.pred_start, self.pred_end, self.pred_type,
                self.pred_text if self.pred_start is None else None)


ITEM_COLUMNS = list(ItemRow.__dataclass_fields__)

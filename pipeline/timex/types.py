"""The output record of the temporal tagger: one TIMEX3 expression (or interval) in a text."""

from __future__ import annotations

from dataclasses import dataclass

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET", "INTERVAL")


@dataclass(slots=True)
class Timex:
    """A temporal expression found in a text.

    ``text[start:end] == self.text`` always. The position of a Timex in the list returned by
    the tagger is its id: ``parent`` and ``anchor`` ("t<id>") refer to those positions.
    """

    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    begin_value: str | None = None
    end_value: str | None = None
    mod: str | None = None
    parent: int | None = None
    role: str | None = None
    anchor: str | None = None
    #: name of the grammar rule that built the expression (for debugging and error analysis)
    rule: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start, "end": self.end, "text": self.text, "type": self.type,
            "value": self.value, "begin_value": self.begin_value, "end_value": self.end_value,
            "mod": self.mod, "parent": self.parent, "role": self.role, "anchor": self.anchor,
        }

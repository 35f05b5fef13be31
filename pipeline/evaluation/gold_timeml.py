"""TimeML / TempEval ``.tml`` reader.

The document text is the XML's text content (tags removed, entities decoded); each TIMEX3 gets
the exact character offsets of its text in it, so ``text[start:end]`` is the TIMEX3's text. The
TIMEX3 whose ``functionInDocument`` is ``CREATION_TIME`` is the document's DCT, not a scored item.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.evaluation.gold import GoldDocument, GoldTimex


class _TextBuilder:
    """Walks the XML tree, concatenating text and remembering where each element sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[ET.Element, int, int]] = []

    def add(self, s: str | None) -> None:
        if s:
            self.parts.append(s)
            self.length += len(s)

    def walk(self, el: ET.Element) -> None:
        start = self.length
        self.add(el.text)
        for child in el:
            self.walk(child)
            self.add(child.tail)
        self.spans.append((el, start, self.length))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # drop an XML namespace if any


def parse_timeml(xml: str | bytes, doc_id: str, source: str = "") -> GoldDocument:
    """Parse TimeML markup into a ``GoldDocument`` (timexes, DCT, sentences)."""
    root = ET.fromstring(xml)
    builder = _TextBuilder()
    builder.walk(root)
    text = "".join(builder.parts)
    timexes: list[GoldTimex] = []
    sentences: list[tuple[int, int]] = []
    ignore: list[tuple[int, int]] = []
    dct: str | None = None
    for el, start, end in sorted(builder.spans, key=lambda x: (x[1], -x[2])):
        tag = _local(el.tag)
        if tag == "s":
            sentences.append((start, end))
        elif tag == "TIMEX3":
            a = el.attrib
            if a.get("functionInDocument") == "CREATION_TIME":
                dct = dct or a.get("value")
                ignore.append((start, end))
                continue
            if start == end:  # a non-consuming TIMEX3 has no span to find
                continue
            timexes.append(
                GoldTimex(
                    start=start,
                    end=end,
                    text=text[start:end],
                    type=a.get("type", ""),
                    value=a.get("value") or None,
                    mod=a.get("mod") or None,
                    gold_id=a.get("tid"),
                )
            )
    return GoldDocument(
        doc_id=doc_id,
        text=text,
        source=source,
        format="timeml",
        dct=dct,
        timexes=timexes,
        sentences=sentences,
        ignore_spans=ignore,
        scored_spans=list(sentences) if sentences else None,
    )


def read_timeml(path: str | Path) -> GoldDocument:
    """Read one ``.tml`` file; its doc id is the file name without ``.tml``."""
    p = Path(path)
    return parse_timeml(p.read_bytes(), doc_id=p.stem, source=str(p))

"""TimeML / TempEval ``.tml`` reader.

The document text is the XML's text content (tags removed, entities decoded); each TIMEX3 gets
the exact character offsets of its text in it, so ``text[start:end]`` is the TIMEX3's text. The
TIMEX3 whose ``functionInDocument`` is ``CREATION_TIME`` is the document's DCT, not a scored item.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from pipeline.evaluation.gold import GoldDocument, GoldEvent, GoldTimex, GoldTlink

_DATA = Path(__file__).parent / "data"
#: TimeML EVENT ``pos`` -> anais' four values.
_POS = {"VERB": "VERB", "NOUN": "NOUN", "ADJECTIVE": "ADJ"}


@cache
def timebankpt_tenses() -> dict[str, str]:
    """TimeBankPT's Portuguese tense labels -> TimeML tense (``data/timebankpt_tenses.tsv``)."""
    lines = (_DATA / "timebankpt_tenses.tsv").read_text("utf-8").splitlines()
    pairs = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {label: timeml for label, timeml in pairs}


def timeml_tense(label: str | None) -> str | None:
    """TimeML tense of a gold ``tense`` attribute, TimeML's own or TimeBankPT's."""
    if not label:
        return None
    return timebankpt_tenses().get(label, label)


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
    """Parse TimeML markup into a ``GoldDocument`` (timexes, DCT, sentences, events and
    event-time TLINKs)."""
    root = ET.fromstring(xml)
    builder = _TextBuilder()
    builder.walk(root)
    text = "".join(builder.parts)
    timexes: list[GoldTimex] = []
    sentences: list[tuple[int, int]] = []
    ignore: list[tuple[int, int]] = []
    dct: str | None = None
    dct_id: str | None = None
    events: list[GoldEvent] = []
    tlinks: list[GoldTlink] = []
    for el, start, end in sorted(builder.spans, key=lambda x: (x[1], -x[2])):
        tag = _local(el.tag)
        if tag == "s":
            sentences.append((start, end))
        elif tag == "TIMEX3":
            a = el.attrib
            if a.get("functionInDocument") == "CREATION_TIME":
                dct = dct or a.get("value")
                dct_id = dct_id or a.get("tid")
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
        elif tag == "EVENT" and start < end:
            a = el.attrib
            events.append(GoldEvent(
                start=start, end=end, text=text[start:end], lemma=a.get("stem") or None,
                event_class=a.get("class") or None,
                pos=_POS.get(a.get("pos", ""), "OTHER") if a.get("pos") else None,
                tense=timeml_tense(a.get("tense")), aspect=a.get("aspect") or None,
                polarity=a.get("polarity") or None, gold_id=a.get("eid"),
            ))
        elif tag == "TLINK":
            a = el.attrib
            time = a.get("relatedToTime")
            if a.get("eventID") and time:  # event-event links (task C) are not scored
                tlinks.append(GoldTlink(a["eventID"], time, a.get("relType", ""),
                                        a.get("task", "")))
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
        events=events if events or tlinks else None,
        tlinks=tlinks,
        dct_id=dct_id,
    )


def read_timeml(path: str | Path) -> GoldDocument:
    """Read one ``.tml`` file; its doc id is the file name without ``.tml``."""
    p = Path(path)
    return parse_timeml(p.read_bytes(), doc_id=p.stem, source=str(p))

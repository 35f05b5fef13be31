"""When each event happened: the time expression it is attached to, the TimeML relation to
it, and its relation to the document creation time.

An event takes the time expression its clause governs (`foi proclamada ... a 5 de outubro de
1910`); a verb without one takes the time of the verb it is coordinated with or subordinated
to, and failing that the sentence's time expression nearest to it (``time_source =
sentence``). An event whose sentence has no time takes the time the narrative carries forward:
the last time an earlier event of the same paragraph was attached to (``narrative``). Otherwise
its time is unknown (null): the document creation time never stands in for a missing one.
The relation comes from the word before the time expression (``data/time_signals.tsv``:
`antes de` → BEFORE, `desde` → BEGINS) or its type (a DURATION measures the event: DURING).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import cache

from spacy.tokens import Doc, Token

from pipeline.extensions import doc_text

from .lexicon import read_tsv
from .types import Event

#: TimeML relations, by TempEval's coarse classes
COARSE = {"BEFORE": "BEFORE", "IBEFORE": "BEFORE", "AFTER": "AFTER", "IAFTER": "AFTER"}
_POINT_TYPES = ("DATE", "TIME", "INTERVAL")


def coarse(relation: str | None) -> str | None:
    """TempEval's three-way relation: BEFORE, AFTER, or OVERLAP for every inclusion."""
    if relation is None:
        return None
    return COARSE.get(relation, "OVERLAP")


@cache
def _signals() -> list[tuple[str, str]]:
    rows = [(row[0], row[1]) for row in read_tsv("time_signals")]
    return sorted(rows, key=lambda r: -len(r[0]))


@cache
def _signal_patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """(signal, its pattern at the end of the words before a time, relation), longest first."""
    return [(signal, re.compile(rf"(?:^|[\s(,]){re.escape(signal)} ?$"), relation)
            for signal, relation in _signals()]


_SPACES = re.compile(r"\s+")


def signal_relation(text: str, start: int) -> str | None:
    """The relation a signal right before ``start`` gives (`antes de` 1910 → BEFORE)."""
    before = _SPACES.sub(" ", text[max(0, start - 30):start].lower())
    for signal, pattern, relation in _signal_patterns():
        # a signal that is not in the words before cannot end them: skip its pattern
        if signal in before and pattern.search(before):
            return relation
    return None


def relation_to(text: str, timex) -> str:
    signal = signal_relation(text, timex.start)
    if signal is not None:
        if timex.type == "DURATION" and signal not in ("DURING",):
            return "DURING"
        return signal
    if timex.type == "DURATION":
        return "DURING"
    if timex.type == "INTERVAL":
        return "DURING"
    return "IS_INCLUDED"


def governing_event(token: Token, events_at: dict[int, int]) -> int | None:
    """The event whose clause the word ``token`` belongs to: the first event head met going
    up the parse."""
    seen = set()
    current = token
    while current.i not in seen:
        seen.add(current.i)
        if current.i in events_at:
            return events_at[current.i]
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def attach_times(doc: Doc, events: list[Event], sentences: list[tuple[int, int]],
                 dct: dt.date | None = None) -> None:
    """Fill ``time_id``, ``time_relation`` and ``time_source`` of every event."""
    timexes = list(doc._.timexes or [])
    text = doc_text(doc)
    events_at = {e.token: k for k, e in enumerate(events)}
    direct: dict[int, list[int]] = {}
    for tid, t in enumerate(timexes):
        if t.parent is not None:  # an interval's endpoint: the interval is the time
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        k = governing_event(root.head if root.head.i != root.i else root, events_at)
        if k is not None:
            direct.setdefault(k, []).append(tid)

    starts = [s for s, _ in sentences]

    def sent_of(char: int) -> int:  # sentences are sorted: a bisection, not a scan
        n = bisect.bisect_right(starts, char) - 1
        return n if n >= 0 and char < sentences[n][1] else -1

    sent_times: dict[int, list[int]] = {}
    for tid, t in enumerate(timexes):
        if t.parent is None:
            sent_times.setdefault(sent_of(t.start), []).append(tid)
    for k, ev in enumerate(events):
        chosen = _pick(direct.get(k, []), timexes, ev)
        governed = chosen is not None
        if chosen is None:
            # the time of the clause this one depends on (`foi preso e deportado em 1929`)
            up = doc[ev.token]
            hops = 0
            while chosen is None and up.head.i != up.i and hops < 6:
                up = up.head
                hops += 1
                j = events_at.get(up.i)
                if j is not None and j != k:
                    chosen = _pick(direct.get(j, []), timexes, events[j], points_only=True)
        if chosen is None:
            here = sent_times.get(sent_of(ev.start), [])
            near = [t for t in here if timexes[t].type in _POINT_TYPES] or here
            if near:
                chosen = min(near, key=lambda t: (abs(timexes[t].start - ev.start), t))
        if chosen is not None:
            ev.time_id = chosen
            ev.time_relation = relation_to(text, timexes[chosen])
            ev.time_source = "sentence"
            if ev.time_relation == "IS_INCLUDED" and dct is not None:
                ev.time_relation = _news_relation(ev, timexes[chosen], dct, governed)
    _carry_forward(text, events, timexes, sentences)


def _news_relation(ev: Event, timex, dct: dt.date, governed: bool) -> str:
    """In news, a time in another clause of the sentence, or a past time with a present
    event, is seldom the event's own: `disse que em 1995 ...` reports after 1995, `está a
    aumentar ... há vários anos` goes on after it. The DCT tells which side the time is on."""
    side = _against(timex, dct)
    if side is None or side == "OVERLAP" or ev.pos == "NOUN":
        # an event noun sits inside the time its sentence gives (`o prejuízo do ano anterior`)
        return "IS_INCLUDED"
    if not governed or ev.tense in ("PRESENT", "FUTURE") or ev.event_class in (
            "REPORTING", "I_STATE"):
        if side == "BEFORE" and ev.tense != "PAST" or side == "BEFORE" and not governed:
            return "AFTER"
        if side == "AFTER" and (ev.tense == "PAST" or not governed):
            return "BEFORE"
    return "IS_INCLUDED"


def _pick(candidates: list[int], timexes, ev: Event, points_only: bool = False) -> int | None:
    if points_only:
        candidates = [t for t in candidates if timexes[t].type in _POINT_TYPES]
    if not candidates:
        return None
    # a date or time over a duration, the most specific one (`no ano seguinte, a 26 de abril
    # de 1916`: the day), then the nearest
    return min(candidates, key=lambda t: (timexes[t].type not in _POINT_TYPES,
                                          -_precision(timexes[t]),
                                          abs(timexes[t].start - ev.start), t))


def _precision(timex) -> int:
    """How finely a time is given: the length of its value (`1916-04-26` > `1916`)."""
    value = timex.value or timex.begin_value or ""
    return len(value) if value[:1].isdigit() else 0


def _carry_forward(text: str, events: list[Event], timexes, sentences) -> None:
    """Events of a sentence without a time take the narrative's current reference time: the
    last point in time an earlier event of the same paragraph was attached to."""
    reference: int | None = None
    last_end = 0
    for ev in sorted(events, key=lambda e: e.start):
        if "\n\n" in text[last_end:ev.start] or "\n" in text[last_end:ev.start].strip(" "):
            reference = None  # a new paragraph starts a new episode
        last_end = ev.end
        if ev.time_id is not None:
            if timexes[ev.time_id].type in _POINT_TYPES and ev.time_relation in (
                    "IS_INCLUDED", "DURING", None):
                reference = ev.time_id
            continue
        if reference is not None:
            ev.time_id = reference
            ev.time_source = "narrative"
            ev.time_relation = None


# --- relation to the document creation time --------------------------------------------------

_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def value_bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day a TIMEX3 date value covers (`1910` → 1910-01-01..1910-12-31)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-Q([1-4])", value)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    m = re.match(r"^(\d{4})-W(\d{2})", value)
    if m:
        try:
            lo = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return lo, lo + dt.timedelta(days=6)
    m = re.match(r"^(\d{4})-H([12])", value)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
    m = re.match(r"^(\d{3})$", value)  # a decade
    if m:
        y = int(m.group(1)) * 10
        return dt.date(max(y, 1), 1, 1), dt.date(y + 9, 12, 31)
    m = _VALUE.match(value)
    if not m:
        return None
    y = int(m.group(1))
    if y < 1:
        return None
    try:
        if m.group(3):
            d = dt.date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            return dt.date(y, mo, 1), _month_end(y, mo)
    except ValueError:
        return None
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def _month_end(y: int, m: int) -> dt.date:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


_TENSE_TO_DCT = {"PAST": "BEFORE", "FUTURE": "AFTER", "PRESENT": "OVERLAP",
                 "PASTPART": "BEFORE"}


def dct_relation(ev: Event, doc: Doc, events: list[Event], dct: dt.date | None,
                 events_at: dict[int, int], depth: int = 0) -> str | None:
    """BEFORE, AFTER or OVERLAP of the event against the DCT (None without a DCT)."""
    if dct is None:
        return None
    timexes = doc._.timexes or []
    if ev.time_id is not None and ev.time_source == "sentence":
        t = timexes[ev.time_id]
        rel = _against(t, dct)
        if rel is not None:
            if ev.time_relation == "BEFORE" and rel != "AFTER":
                return "BEFORE"
            if ev.time_relation == "AFTER" and rel != "BEFORE":
                return "AFTER"
            if rel == "OVERLAP" and ev.tense in ("PAST", "FUTURE"):
                # `disse hoje`: a time that holds the DCT does not make a past event current
                return _TENSE_TO_DCT[ev.tense]
            if ev.time_relation in ("IS_INCLUDED", "DURING", "BEGINS", "ENDS", None):
                return rel
    from_tense = _TENSE_TO_DCT.get(ev.tense)
    if from_tense is not None and not (ev.tense == "PRESENT" and ev.modality):
        return from_tense
    # an infinitive, gerund or noun: the clause it depends on decides, forward for
    # intentions and modals (`vai realizar`, `pretende sair`, `pode cair`)
    if ev.modality or ev.event_class in ("I_ACTION", "I_STATE") and ev.tense == "INFINITIVE":
        return "AFTER"
    token = doc[ev.token]
    up = token
    for _ in range(6):
        if up.head.i == up.i:
            break
        up = up.head
        j = events_at.get(up.i)
        if j is not None and depth < 4:
            head_ev = events[j]
            rel = dct_relation(head_ev, doc, events, dct, events_at, depth + 1)
            if head_ev.event_class in ("I_ACTION", "I_STATE") and ev.tense == "INFINITIVE":
                return "AFTER"
            return rel
    return "BEFORE" if ev.pos == "NOUN" else "OVERLAP"


def _against(timex, dct: dt.date) -> str | None:
    value = timex.value
    if timex.type == "INTERVAL":
        lo = value_bounds(timex.begin_value)
        hi = value_bounds(timex.end_value)
        bounds = (lo[0], hi[1]) if lo and hi else None
    elif value == "PRESENT_REF":
        return "OVERLAP"
    elif value == "PAST_REF":
        return "BEFORE"
    elif value == "FUTURE_REF":
        return "AFTER"
    elif timex.type == "DURATION":
        return None
    else:
        bounds = value_bounds(value)
    if bounds is None:
        return None
    if bounds[1] < dct:
        return "BEFORE"
    if bounds[0] > dct:
        return "AFTER"
    return "OVERLAP"

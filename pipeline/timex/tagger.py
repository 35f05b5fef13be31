"""``tag_text``: find and normalize the temporal expressions of a text (no spaCy needed)."""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Callable, Sequence

from . import lexicon
from .anchoring import Anchorer, parse_dct
from .grammar import run_layers
from .numbers import compose_numbers, life_date_mark, mark_years
from .rules import LAYERS
from .tense import guess_tense
from .tokens import Item, lexicalize, tokenize
from .types import Timex
from .values import Tv

_SENT_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+(?=[\"'«“(]?[A-ZÀ-Ý0-9])|\n\s*")
_TEMPORAL = frozenset({"DATE", "TIME", "DURATION", "SET", "INTERVAL"})
_TEMPORAL_OR_AGE = _TEMPORAL | {"AGE"}
# a birth date: "nasceu em", "nascido a", "(n. 1888", or the first date of a life span that
# opens the text ("Fernando Pessoa (Lisboa, 13 de junho de 1888 – ...")
_BORN = re.compile(r"(?:\b[Nn]asc(?:eu|id[oa]|e)\b|\(n\.)[^.;()]{0,40}$")
_OPENING_SPAN = re.compile(r"^[^()]{0,200}\((?:[A-ZÀ-Ú][\w\s.'-]{0,40},\s*)?$")
_CONTEXT = lexicon.word_classes("context")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans, used only for anchoring distances and tense when no parser."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def recognize(text: str) -> list[Item]:
    """Temporal items of ``text`` (before anchoring), in text order."""
    tokens = tokenize(text)
    items = compose_numbers(lexicalize(tokens))
    mark_years(items)
    items = run_layers(LAYERS, items)
    found = [it for it in items if it.kind in _TEMPORAL_OR_AGE and isinstance(it.val, Tv)]
    if not found:
        return found
    starts = [t.start for t in tokens]
    return [it for it in found if not _in_name_context(tokens, starts, it)]


def _in_name_context(tokens: list[Item], starts: list[int], it: Item) -> bool:
    """Street names (Rua 25 de Abril, Avenida 5 de Outubro) and page references."""
    k = bisect.bisect_left(starts, it.start) - 1
    seen = 0
    while k >= 0 and seen < 2:
        t = tokens[k]
        if t.text in (",", "."):
            k -= 1
            continue
        cls = _CONTEXT.get(t.text)
        if cls and "address" in cls and (seen == 0 or t.text != "de"):
            return True
        if cls and "page" in cls and it.val.type == "DATE" and seen == 0 and \
                not life_date_mark(tokens, k):
            return True
        seen += 1
        k -= 1
    return False


def tag_text(
    text: str,
    dct: str | None = None,
    doc_type: str = "auto",
    sentences: Sequence[tuple[int, int]] | None = None,
    tense: Callable[[int, int], int] | None = None,
) -> list[Timex]:
    """Temporal expressions of ``text`` as :class:`Timex` records (list index = timex id).

    ``dct``: the document creation time (ISO date) for news; ``doc_type``: ``news``,
    ``narrative`` or ``auto`` (news when a DCT is given). ``sentences`` (char spans) and
    ``tense`` (start, end -> -1/0/+1) can come from a parsed doc; otherwise they are guessed.
    """
    items = recognize(text)
    if not items:
        return []
    d = parse_dct(dct)
    news = doc_type == "news" or (doc_type in ("auto", None) and d is not None)
    sents = list(sentences) if sentences is not None else split_sentences(text)
    sent_starts = [s for s, _ in sents]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(sent_starts, pos) - 1)

    if tense is None:
        def tense(start: int, end: int) -> int:
            s, e = sents[sent_of(start)]
            return guess_tense(text, s, e, start, end)

    _decades_from_next_year(items)
    _coordinated_years(text, items)
    anchorer = Anchorer(d, news, tense)
    out: list[Timex] = []
    pending: list[int] = []
    cataphoric: list[tuple[int, int]] = []  # (timex id, start of the date that gave its year)
    ahead: _YearsAhead | None = None
    birth: tuple[int, int] | None = None  # (year, timex id) of the subject's birth
    for k, it in enumerate(items):
        tv: Tv = it.val
        sent = sent_of(it.start)
        if tv.type == "AGE":
            if birth is not None and not news:
                anchorer.set_reference({"y": birth[0] + int(tv.dur["year"])}, birth[1], sent)
            continue
        if tv.type == "INTERVAL":
            idx = len(out)
            iv = Timex(it.start, it.end, text[it.start:it.end], "INTERVAL", rule=tv.rule)
            out.append(iv)
            for role, ep in (("begin", tv.begin), ("end", tv.end)):
                eid = len(out)
                v, a = anchorer.resolve(ep.val, eid, sent, ep.start, ep.end)
                if role == "begin" and birth is None and _is_birth(
                        text, ep.start, ep.val, first=len(out) == 1):
                    birth = int(v[:4]), eid
                out.append(Timex(ep.start, ep.end, text[ep.start:ep.end], ep.val.type, v,
                                 mod=ep.val.mod, parent=idx, role=role, anchor=a,
                                 rule=tv.rule))
                if role == "begin":
                    iv.begin_value = v
                else:
                    iv.end_value = v
            _order_endpoints(iv, out[-2], out[-1], tv.begin.val)
            continue
        if tv.needs_focus and not news and not anchorer.has_focus(sent):
            continue  # "Nesse período foram criados ...": a narrative period, not a quarter
        idx = len(out)
        appositive = bool(out) and out[-1].type in ("DATE", "TIME") and (
            _APPOSITION.fullmatch(text, out[-1].end, it.start) is not None or
            "wd" in tv.f and _WEEKDAY_APPOSITION.fullmatch(text, out[-1].end, it.start)
            is not None)
        later = None
        if not news and anchorer.ref is None and d is None:
            if ahead is None:
                ahead = _YearsAhead(text, items)
            later = ahead.year_for(k)
        if later is not None:
            # nothing before anchors it: the year of the next full date of its paragraph
            tv = copy.copy(tv)
            tv.f = {**tv.f, "y": later[0]}
        v, a = anchorer.resolve(tv, idx, sent, it.start, it.end, appositive)
        if later is not None:
            anchorer.ref_explicit = False  # the year was not written here
            cataphoric.append((idx, later[1]))
        if birth is None and _is_birth(text, it.start, tv, first=not out):
            birth = int(v[:4]), idx
        out.append(Timex(it.start, it.end, text[it.start:it.end], tv.type, v, mod=tv.mod,
                         anchor=a, rule=tv.rule))
        if tv.ends_at_next:
            pending.append(idx)
    for idx in pending:
        _quarter_ending_on_next(text, out, idx)
    for idx, start in cataphoric:
        out[idx].anchor = next((f"t{j}" for j, t in enumerate(out)
                                if t.start == start and t.type != "INTERVAL"), None)
    return out


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")


def _dated(it: Item) -> tuple[Tv, int] | None:
    """(value, start) of the point of ``it`` that states a year, if any (an interval's end)."""
    point = it.val.end if it.val.type == "INTERVAL" else it
    tv = point.val
    if tv.type in ("DATE", "TIME") and tv.shift is None and isinstance(tv.f.get("y"), int):
        return tv, point.start
    return None


class _YearsAhead:
    """For an underspecified date that nothing before anchors ("a 2 de outubro"), the year of
    the next date of its paragraph that states one ("... madrugada do dia 5 de outubro de 1910"
    -> 1910). Built once per text in linear time: the next dated item of each position and the
    paragraph of each item."""

    def __init__(self, text: str, items: list[Item]):
        self.items = items
        breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
        self.paragraph = [bisect.bisect_right(breaks, it.start) for it in items]
        self.next_dated: list[int | None] = [None] * len(items)
        nxt = None
        for j in range(len(items) - 1, -1, -1):
            self.next_dated[j] = nxt
            if _dated(items[j]) is not None:
                nxt = j

    def year_for(self, k: int) -> tuple[int, int] | None:
        """(year, start of the date it comes from) for ``items[k]``; the year before when the
        month comes later in the year ("a 28 de dezembro ... a 3 de janeiro de 1911" -> 1910).
        None when that date has no month (a bare year may be another time altogether), is in
        another paragraph, or there is none."""
        tv = self.items[k].val
        f = tv.f
        if tv.type not in ("DATE", "TIME") or tv.shift is not None or \
                not isinstance(f.get("m"), int) or not set(f) <= {"m", "d", "pod", "hour",
                                                                  "minute"}:
            return None
        j = self.next_dated[k]
        if j is None or self.paragraph[j] != self.paragraph[k]:
            return None
        later, start = _dated(self.items[j])
        if not isinstance(later.f.get("m"), int):
            return None
        before = (f["m"], f.get("d") or 0) <= (later.f["m"], later.f.get("d") or 32)
        return (later.f["y"] if before else later.f["y"] - 1), start


_MONTH_VALUE = re.compile(r"^(\d{4})-(\d{2})$")


def _order_endpoints(iv: Timex, begin: Timex, end: Timex, begin_tv: Tv) -> None:
    """"entre janeiro e setembro" written in November: each month alone goes to its closest
    occurrence (next January, last September); a range runs forward, so the begin month is in
    the end month's year."""
    mb, me = _MONTH_VALUE.match(begin.value or ""), _MONTH_VALUE.match(end.value or "")
    if mb is None or me is None or "y" in begin_tv.f or (begin.value or "") <= (end.value or ""):
        return
    y = int(me.group(1)) - (1 if mb.group(2) > me.group(2) else 0)
    begin.value = iv.begin_value = f"{y:04d}-{mb.group(2)}"


_COORDINATION = re.compile(r"\s*(?:,|e|ou)\s*(?:(?:em|a|de|no|na)\s+)?")


def _coordinated_years(text: str, items: list[Item]) -> None:
    """"em março e abril de 1974", "a 3 e a 7 de maio de 1910": a month (or day and month)
    coordinated with a dated one takes its year (the year before if it is a later month)."""
    for k in range(len(items) - 2, -1, -1):
        tv, nxt = items[k].val, items[k + 1].val
        if tv.type != "DATE" or tv.shift is not None or set(tv.f) not in ({"m"}, {"m", "d"}):
            continue
        if nxt.type not in ("DATE", "TIME") or nxt.shift is not None or \
                not isinstance(nxt.f.get("y"), int) or not isinstance(nxt.f.get("m"), int):
            continue
        if _COORDINATION.fullmatch(text, items[k].end, items[k + 1].start) is None:
            continue
        tv.f["y"] = nxt.f["y"] - (1 if tv.f["m"] > nxt.f["m"] else 0)


def _is_birth(text: str, start: int, tv: Tv, first: bool) -> bool:
    """Is the date at ``start`` (with its year written) a birth date? ``first``: it is the
    first expression of the text."""
    if tv.type != "DATE" or tv.shift is not None or not isinstance(tv.f.get("y"), int) or \
            tv.f["y"] <= 0:
        return False
    if _BORN.search(text, max(0, start - 60), start):
        return True
    return first and _OPENING_SPAN.match(text[:start]) is not None


def _decades_from_next_year(items: list[Item]) -> None:
    """"Nos anos 50 surgiram os movimentos. O MPLA foi fundado em 1956": a two-digit decade
    takes the century of a year written soon after it that falls in that decade."""
    for k, it in enumerate(items):
        tv: Tv = it.val
        if tv.type != "DATE" or set(tv.f) != {"dec2"} or tv.shift is not None:
            continue
        for nxt in items[k + 1:k + 5]:
            if nxt.start - it.end > 250:
                break
            y = nxt.val.f.get("y") if nxt.val.type in ("DATE", "TIME") else None
            if isinstance(y, int) and y > 0 and nxt.val.shift is None and \
                    y // 10 % 10 == tv.f["dec2"]:
                tv.f = {"dec": y // 10}
                break


# "em 1668, vinte e oito anos depois", "em 1500, ou seja, seis anos depois": a restatement
_APPOSITION = re.compile(r"\s*,\s*(?:(?:ou seja|isto é|i\.e\.)\s*,?\s*)?")
# "3/6/2011, sexta-feira", "3 de junho de 2011, uma sexta-feira", "3 de junho (sexta-feira)"
_WEEKDAY_APPOSITION = re.compile(r"\s*[,(]\s*(?:(?:uma|um|numa|num|era|foi)\s+)?")
_ENDING_GAP = re.compile(r"\s+(?:\w+\s+){0,2}?(?:em|a|no dia)\s+$")
_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-\d{2}$")


def _quarter_ending_on_next(text: str, out: list[Timex], idx: int) -> None:
    """``trimestre findo em 30 de setembro``: the quarter is the one that contains that day."""
    if idx + 1 >= len(out):
        return
    t, nxt = out[idx], out[idx + 1]
    m = _DAY_VALUE.match(nxt.value or "")
    if m is None or not _ENDING_GAP.match(text[t.end:nxt.start]):
        return
    t.value = f"{m.group(1)}-Q{(int(m.group(2)) - 1) // 3 + 1}"
    t.anchor = f"t{idx + 1}"

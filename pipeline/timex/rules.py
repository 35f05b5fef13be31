"""The Portuguese temporal grammar: named rules, each with the examples it covers.

Layers run in order and each sees only what earlier layers built:

1. ``dates``    - absolute and underspecified calendar expressions (7 de setembro de 1822,
                  março, 1822, anos 30, século XX, terceiro trimestre, 15h30, sexta-feira)
2. ``relative`` - deictic and anaphoric expressions, durations and sets (ontem, ano passado,
                  há dois anos, no ano seguinte, sete meses, todos os anos)
3. ``compose``  - modifiers and combinations of the above (início de 1975, junho do ano
                  passado, quinta-feira à noite, mais de seis anos)
4. ``intervals``- ranges over two already-recognized points (entre 1961 e 1974, 1914-1918)

Examples are (text, value) pairs with the DCT 2000-06-15 (a Thursday) for relative ones; the
test suite checks every one of them.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from . import predicates  # noqa: F401  (registers the <KIND:pred> predicates)
from .grammar import Ctx, Layer, Rule
from .predicates import roman_value
from .tokens import Item
from .values import Tv, easter

# -- helpers --------------------------------------------------------------------------------


def _span(parts: list[Any]) -> tuple[int, int]:
    ps = [p for p in parts if p is not None]
    return ps[0].start, ps[-1].end


def mk(tv: Tv, parts: list[Any]) -> Item:
    """A temporal item spanning ``parts`` (None entries, i.e. skipped optionals, ignored)."""
    s, e = _span(parts)
    return Item(tv.type, s, e, "", tv)


def num(it: Item) -> float:
    return it.val


def ival(it: Item) -> int:
    return int(it.val)


RULES: dict[str, list[Rule]] = {"dates": [], "relative": [], "compose": [], "intervals": []}


def rule(layer: str, name: str, pattern: str, *examples: tuple[str, str]):
    """Decorator registering ``fn(m, ctx) -> Item | None`` as a rule of ``layer``."""
    def deco(fn):
        RULES[layer].append(Rule(name, pattern, fn, tuple(examples)))
        return fn
    return deco


def _bc(era: Item | None) -> bool:
    return era is not None and era.val == "BC"


def _year(it: Item, era: Item | None = None) -> int:
    y = ival(it)
    return -y if _bc(era) else y


# == layer 1: dates =========================================================================

@rule("dates", "<day> de <month> de <year>", "<NUM:day> de <MONTH> de|, <NUM:year4> <ERA>?",
      ("7 de setembro de 1822", "1822-09-07"), ("1º de maio de 1890", "1890-05-01"))
def day_month_year(m, ctx):
    return mk(Tv("DATE", {"y": _year(m[4], m[5]), "m": m[2].val, "d": ival(m[0])}), m)


@rule("dates", "<day> de <month>", "<NUM:day> de <MONTH>",
      ("5 de outubro", "2000-10-05"), ("primeiro de maio", "2000-05-01"))
def day_month(m, ctx):
    return mk(Tv("DATE", {"m": m[2].val, "d": ival(m[0])}), m)


@rule("dates", "dia <day>", "dia <NUM:day>", ("dia 5", "2000-06-05"))
def bare_day(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("de", "do") or m[1].extra.get("written") != "digits":
        return None
    return mk(Tv("DATE", {"d": ival(m[1])}), m)


@rule("dates", "<month> de <year>", "<MONTH> de|, <NUM:year4> <ERA>?",
      ("setembro de 1822", "1822-09"))
def month_year(m, ctx):
    return mk(Tv("DATE", {"y": _year(m[2], m[3]), "m": m[0].val}), m)


@rule("dates", "<month> <year>", "<MONTH> <NUM:year>", ("maio 1998", "1998-05"))
def month_year_nde(m, ctx):
    return mk(Tv("DATE", {"y": ival(m[1]), "m": m[0].val}), m)


@rule("dates", "<month>", "<MONTH>", ("março", "2000-03"))
def month(m, ctx):
    prev = ctx.prev()
    if m[0].cap and prev is not None and prev.kind == "w" and prev.cap and prev.text not in (
            "em", "de", "desde", "até", "a"):
        return None  # "Rua Maio", a name
    return mk(Tv("DATE", {"m": m[0].val}), m)


@rule("dates", "<year>", "<NUM:year> <ERA>?", ("1822", "1822"), ("em 1500, os", "1500"))
def bare_year(m, ctx):
    return mk(Tv("DATE", {"y": _year(m[0], m[1])}), m)


@rule("dates", "<number> a.C.", "<NUM:year4> <ERA>", ("44 a.C.", "BC0044"))
def year_era(m, ctx):
    return mk(Tv("DATE", {"y": _year(m[0], m[1])}), m)


@rule("dates", "ano de <year>", "ano de? <NUM:year4> <ERA>?", ("ano 2000", "2000"),
      ("ano de 1500", "1500"))
def year_with_noun(m, ctx):
    return mk(Tv("DATE", {"y": _year(m[2], m[3])}), m)


@rule("dates", "ano fiscal de <year>", "ano|exercício fiscal de <NUM:year4>",
      ("ano fiscal de 1989", "1989"))
def fiscal_year(m, ctx):
    return mk(Tv("DATE", {"y": ival(m[3])}), m)


@rule("dates", "yyyy-mm-dd", "<ISODATE>", ("1822-09-07", "1822-09-07"))
def iso_date(m, ctx):
    y, mo, d = (int(x) for x in m[0].val.split("-"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return mk(Tv("DATE", {"y": y, "m": mo, "d": d}), m)


@rule("dates", "dd/mm/yyyy", "<NUMDATE>", ("07/09/1822", "1822-09-07"),
      ("7.9.1822", "1822-09-07"))
def numeric_date(m, ctx):
    # day first, as written in Portuguese; two-digit years are placed in the 1900s/2000s
    # by the anchoring step when there is a reference, else read as 19xx/20xx around 2000.
    parts = [int(x) for x in _split_numeric(m[0].val)]
    d, mo, y = parts
    if len(_split_numeric(m[0].val)[2]) == 2:
        y += 2000 if y < 30 else 1900
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return mk(Tv("DATE", {"y": y, "m": mo, "d": d}), m)


def _split_numeric(s: str) -> list[str]:
    for sep in "./-":
        if sep in s:
            return s.split(sep)
    return [s]


@rule("dates", "<clock>", "<CLOCK>", ("15h30", "2000-06-15T15:30"), ("15:30", "2000-06-15T15:30"))
def clock(m, ctx):
    s = m[0].val.lower().replace("min", "")
    h, _, mi = s.replace(":", "h").partition("h")
    hour, minute = int(h), int(mi.rstrip("h") or 0)
    if hour > 24 or minute > 59:
        return None
    return mk(Tv("TIME", {"hour": hour, "minute": minute}), m)


@rule("dates", "às <hour> horas", "às|as|pelas|das|até <NUM:hour> horas|hora|h",
      ("às 10 horas", "2000-06-15T10:00"))
def hour_words(m, ctx):
    return mk(Tv("TIME", {"hour": ival(m[1]), "minute": 0}), m[1:])


_POD_SHIFT = {"tarde": 12, "noite": 12}


@rule("dates", "<hour> horas da <part of day>",
      "<NUM:hour> horas|hora|h? da|de|à <POD:pod>", ("10 horas da noite", "2000-06-15T22:00"),
      ("5 da tarde", "2000-06-15T17:00"))
def hour_pod(m, ctx):
    h = ival(m[0])
    pod = m[3].text
    if pod in _POD_SHIFT and h < 12:
        h += 12
    return mk(Tv("TIME", {"hour": h, "minute": 0}), m)


@rule("dates", "<clock> da <part of day>", "<TIME> da|de <POD:pod>",
      ("7h15 da tarde", "2000-06-15T19:15"))
def clock_pod(m, ctx):
    tv = copy.deepcopy(m[0].val)
    if "hour" not in tv.f:
        return None
    if m[2].text in _POD_SHIFT and tv.f["hour"] < 12:
        tv.f["hour"] += 12
    return mk(tv, m)


@rule("dates", "meio-dia / meia-noite", "<POD:clockpod>", ("meio-dia", "2000-06-15T12:00"))
def named_instant(m, ctx):
    h, mi = (int(x) for x in m[0].val.split(":"))
    return mk(Tv("TIME", {"hour": h, "minute": mi}), m)


def _holiday_fields(when: str, year: int | None) -> dict[str, Any] | None:
    if not when.startswith("easter"):
        mo, d = (int(x) for x in when.split("-"))
        return {"m": mo, "d": d} | ({"y": year} if year is not None else {})
    if year is None:
        return None  # a movable feast needs its year
    offset = int(when[6:] or 0)
    day = easter(year) + dt.timedelta(days=offset)
    return {"y": day.year, "m": day.month, "d": day.day}


@rule("dates", "<holiday> de <year>", "<HOLIDAY> de <NUM:year4>",
      ("Natal de 1914", "1914-12-25"), ("Páscoa de 2024", "2024-03-31"))
def holiday_year(m, ctx):
    f = _holiday_fields(m[0].val, ival(m[2]))
    return mk(Tv("DATE", f), m) if f else None


@rule("dates", "<holiday>", "<HOLIDAY>", ("Natal", "1999-12-25"),
      ("Dia do Trabalhador", "2000-05-01"))
def holiday(m, ctx):
    f = _holiday_fields(m[0].val, None)
    return mk(Tv("DATE", f), m) if f else None


@rule("dates", "<weekday>", "<WEEKDAY>", ("sexta-feira", "2000-06-09"))
def weekday(m, ctx):
    wd, plural = m[0].val
    if plural:
        return None
    prev = ctx.prev()
    if m[0].cap and prev is not None and prev.kind == "w" and prev.cap:
        return None  # "Plácido Domingo"
    return mk(Tv("DATE", {"wd": wd}), m)


@rule("dates", "na <short weekday>", "na|nesta|desta|da|à|a <WDSHORT>",
      ("na sexta", "2000-06-09"))
def short_weekday(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.kind not in ("p",) and nxt.text not in (
            "passada", "à", "de", "e", "ou", "pela", "próxima", "seguinte"):
        return None
    return mk(Tv("DATE", {"wd": m[1].alts["WDSHORT"]}), m[1:])


@rule("dates", "<weekday>, <day> de <month>", "<WEEKDAY> ,? dia? <NUM:day> de <MONTH>",
      ("sexta-feira, 13 de outubro", "2000-10-13"))
def weekday_day_month(m, ctx):
    return mk(Tv("DATE", {"m": m[5].val, "d": ival(m[3])}), m)


@rule("dates", "<season> de <year>", "<SEASON> de <NUM:year4>", ("verão de 1917", "1917-SU"))
def season_year(m, ctx):
    return mk(Tv("DATE", {"y": ival(m[2]), "s": m[0].val}), m)


@rule("dates", "<season>", "<SEASON>", ("verão", "2000-SU"))
def season(m, ctx):
    prev = ctx.prev()
    if m[0].cap and prev is not None and prev.kind == "w":
        return None  # "Primavera Árabe" mid-sentence: a name
    return mk(Tv("DATE", {"s": m[0].val}), m)


@rule("dates", "<ordinal> trimestre de <year>", "<NUM:ord4> trimestre fiscal? @de <NUM:year4>",
      ("terceiro trimestre de 1990", "1990-Q3"))
def quarter_year(m, ctx):
    return mk(Tv("DATE", {"q": ival(m[0]), "y": ival(m[4])}), m)


@rule("dates", "<ordinal> trimestre [fiscal]", "<NUM:ord4> trimestre fiscal?",
      ("terceiro trimestre", "2000-Q3"), ("segundo trimestre fiscal", "2000-Q2"))
def quarter(m, ctx):
    return mk(Tv("DATE", {"q": ival(m[0])}), m)


@rule("dates", "<ordinal> semestre de <year>", "<NUM:ord2> semestre fiscal? @de <NUM:year4>",
      ("primeiro semestre de 1990", "1990-H1"))
def half_year(m, ctx):
    return mk(Tv("DATE", {"h": ival(m[0]), "y": ival(m[4])}), m)


@rule("dates", "<ordinal> semestre", "<NUM:ord2> semestre fiscal?", ("segundo semestre", "2000-H2"))
def half(m, ctx):
    return mk(Tv("DATE", {"h": ival(m[0])}), m)


@rule("dates", "anos <decade>", "anos <NUM:decade>", ("anos 30", "193"), ("anos 1930", "193"),
      ("anos noventa", "199"))
def decade_years(m, ctx):
    v = ival(m[1])
    return mk(Tv("DATE", {"dec": v // 10} if v >= 1000 else {"dec2": v // 10}), m)


@rule("dates", "década de <decade>", "década|decada de <NUM:decade>",
      ("década de 1930", "193"), ("década de 30", "193"))
def decade_noun(m, ctx):
    v = ival(m[2])
    return mk(Tv("DATE", {"dec": v // 10} if v >= 1000 else {"dec2": v // 10}), m)


@rule("dates", "século <roman> [a.C.]", "século|séc .? <w:roman> <ERA>?",
      ("século XX", "19"), ("século III a.C.", "BC02"))
def century_roman(m, ctx):
    n = roman_value(m[2].text.upper())
    if not 1 <= n <= 22:
        return None
    return mk(Tv("DATE", {"cent": n - 1, "bc": _bc(m[3])}), m)


@rule("dates", "séculos <roman> e <roman>", "séculos <w:roman> e|a|ao <w:roman> <ERA>?",
      ("séculos XII e XV", "11/14"))
def centuries_range(m, ctx):
    a, b = roman_value(m[1].text.upper()), roman_value(m[3].text.upper())
    if not 1 <= a < b <= 22:
        return None
    bc = _bc(m[4])
    ia = Item("DATE", m[1].start, m[1].end, "", Tv("DATE", {"cent": a - 1, "bc": bc}))
    ib = Item("DATE", m[3].start, m[3].end, "", Tv("DATE", {"cent": b - 1, "bc": bc}))
    return mk(Tv("INTERVAL", begin=ia, end=ib), m)


@rule("dates", "décadas de <decade> e <decade>", "décadas de <NUM:decade> e|a <NUM:decade>",
      ("décadas de 1960 e 1970", "196/197"))
def decades_range(m, ctx):
    a, b = ival(m[2]), ival(m[4])
    if not a < b or (a >= 1000) != (b >= 1000):
        return None

    def dec(it: Item, v: int) -> Item:
        f = {"dec": v // 10} if v >= 1000 else {"dec2": v // 10}
        return Item("DATE", it.start, it.end, "", Tv("DATE", f))

    return mk(Tv("INTERVAL", begin=dec(m[2], a), end=dec(m[4], b)), m)


@rule("dates", "século <number>", "século <NUM:century> <ERA>?", ("século 19", "18"))
def century_number(m, ctx):
    return mk(Tv("DATE", {"cent": ival(m[1]) - 1, "bc": _bc(m[2])}), m)


# == layer 2: relative expressions, durations, sets ========================================

@rule("relative", "hoje / ontem / amanhã", "<DAYREF>", ("ontem", "2000-06-14"),
      ("hoje", "2000-06-15"), ("amanhã", "2000-06-16"))
def day_ref(m, ctx):
    return mk(Tv("DATE", shift=("day", m[0].val, "dct"), today=m[0].val == 0), m)


@rule("relative", "atualmente / recentemente / em breve", "<REF>",
      ("atualmente", "PRESENT_REF"), ("no passado", "PAST_REF"), ("em breve", "FUTURE_REF"))
def fixed_ref(m, ctx):
    value, typ, _ = m[0].val
    return mk(Tv(typ, value=value), m)


@rule("relative", "<set adverb>", "<SETW>", ("semanalmente", "P1W"))
def set_adverb(m, ctx):
    return mk(Tv("SET", value=m[0].val), m)


_THIS = {"this": ("dct", 0), "that": ("ref", 0), "next": ("dct", 1), "past": ("dct", -1),
         "after": ("ref", 1)}
_TRAIL = {"passado": ("dct", -1), "passada": ("dct", -1), "anterior": ("ref", -1),
          "seguinte": ("ref", 1), "próximo": ("dct", 1), "próxima": ("dct", 1),
          "que vem": ("dct", 1), "corrente": ("dct", 0), "em curso": ("dct", 0),
          "atual": ("dct", 0), "último": ("dct", -1), "última": ("dct", -1)}
_DEM_THIS = {"este", "esta", "neste", "nesta", "deste", "desta"}
_DEM_THAT = {"esse", "essa", "nesse", "nessa", "desse", "dessa", "aquele", "aquela",
             "naquele", "naquela", "daquele", "daquela", "mesmo", "mesma"}
_NEXT = {"próximo", "próxima"}
_LAST = {"último", "última", "passado", "passada"}


@rule("relative", "este|próximo|último|esse <unit>",
      "este|esta|neste|nesta|deste|desta|esse|essa|nesse|nessa|desse|dessa|aquele|aquela|"
      "naquele|naquela|daquele|daquela|próximo|próxima|último|última mesmo|mesma? <UNIT:sing> "
      "fiscal?",
      ("este ano", "2000"), ("próxima semana", "2000-W25"), ("último trimestre", "2000-Q1"),
      ("neste mês", "2000-06"))
def demonstrative_unit(m, ctx):
    w = m[0].text
    grain = m[2].val[0]
    if grain in ("hour", "minute", "second"):
        return None
    if w in _DEM_THIS:
        base, n = "dct", 0
    elif w in _DEM_THAT:
        base, n = "ref", 0
    elif w in _NEXT:
        base, n = "dct", 1
    else:
        base, n = "dct", -1
    if m[1] is not None and w not in _DEM_THAT:
        return None
    # "neste/esse trimestre" in a report is the quarter being reported (the one in focus)
    focus = grain == "quarter" and n == 0
    return _lead_item(Tv("DATE", shift=(grain, n, base), same_period=focus), m)


# em/de + demonstrative contractions cannot be split, so like prepositions they stay out of
# the span ("neste ano" -> "ano"); the production remembers them for "janeiro deste ano".
_CONTRACTED = {"neste", "nesta", "deste", "desta", "nesse", "nessa", "desse", "dessa", "naquele",
               "naquela", "daquele", "daquela"}


def _lead_item(tv: Tv, m: list[Any]) -> Item:
    if m[0].text in _CONTRACTED:
        item = mk(tv, m[1:])
        item.extra["lead"] = m[0].text
        return item
    return mk(tv, m)


@rule("compose", "o mesmo <unit>", "mesmo|mesma <UNIT:sing>", ("mesmo ano", "2000"))
def same_unit(m, ctx):
    grain = m[1].val[0]
    if grain in ("hour", "minute", "second"):
        return None
    return mk(Tv("DATE", shift=(grain, 0, "ref")), m)


@rule("relative", "<unit> passado|seguinte|que vem",
      "<UNIT:sing> fiscal? passado|passada|anterior|seguinte|próximo|próxima|que_vem|corrente|"
      "último|última|em_curso|atual",
      ("ano passado", "1999"), ("mês que vem", "2000-07"), ("semana passada", "2000-W23"))
def unit_trailing(m, ctx):
    base, n = _TRAIL[m[2].text]
    grain = m[0].val[0]
    if grain in ("hour", "minute", "second"):
        return None
    # "o ano anterior" after a quarter: that quarter a year earlier
    focus = grain == "year" and m[2].text == "anterior"
    return mk(Tv("DATE", shift=(grain, n, base), same_period=focus), m)


@rule("relative", "no fim de semana", "no|o|ao|durante <UNIT:sing>",
      ("no fim de semana", "2000-W23-WE"))
def bare_weekend(m, ctx):
    if m[1].val[0] != "weekend":
        return None
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("passado", "seguinte", "anterior", "próximo"):
        return None
    return mk(Tv("DATE", {"we": True}), m[1:])


@rule("relative", "ano fiscal", "ano|exercício fiscal", ("ano fiscal", "2000"))
def fiscal_this_year(m, ctx):
    return mk(Tv("DATE", shift=("year", 0, "dct")), m)


@rule("relative", "<weekday|month|season> passado|próximo",
      "<DATE:named> passado|passada|próximo|próxima|seguinte|que_vem",
      ("março passado", "2000-03"), ("sexta-feira passada", "2000-06-09"),
      ("domingo que vem", "2000-06-18"))
def named_trailing(m, ctx):
    w = m[1].text
    tv = copy.deepcopy(m[0].val)
    tv.direction = -1 if w.startswith("passad") else 1
    return mk(tv, m)


@rule("relative", "próximo|último <weekday|month|season>",
      "próximo|próxima|último|última <DATE:named>",
      ("próximo domingo", "2000-06-18"), ("última primavera", "2000-SP"))
def named_leading(m, ctx):
    tv = copy.deepcopy(m[1].val)
    tv.direction = 1 if m[0].text.startswith("próxim") else -1
    return mk(tv, m)


@rule("relative", "há <n> <unit>", "há|faz apenas|só? <MOD:bound>? <NUM:qty> <UNIT> atrás?",
      ("há dois anos", "1998"), ("há 10 dias", "2000-06-05"), ("há cinco meses", "2000-01"))
def ago(m, ctx):
    grain = m[4].val[0]
    n = num(m[3])
    if n != int(n):
        return None
    g = "day" if grain == "week" else grain
    k = int(n) * (7 if grain == "week" else 1)
    if grain in ("hour", "minute", "second"):
        return None
    mod = m[2].val[0] if m[2] is not None else None
    prev = ctx.prev()
    if prev is not None and prev.text == "desde":
        # "desde há dois anos" = for two years: a duration
        return mk(Tv("DURATION", dur={grain: n}, mod=mod), m)
    tv = Tv("DATE", shift=(g, -k, "dct"), mod=mod)
    tv.same_period = grain == "year" and k == 1
    return mk(tv, m)


@rule("relative", "há vários <units>",
      "há|faz vários|várias|alguns|algumas|muitos|muitas|poucos|poucas <UNIT:pl>",
      ("há vários anos", "PAST_REF"))
def vague_ago(m, ctx):
    return mk(Tv("DATE", value="PAST_REF"), m)


@rule("relative", "<n> <unit> atrás", "<NUM:qty> <UNIT> atrás", ("dois anos atrás", "1998"))
def ago_trailing(m, ctx):
    grain = m[1].val[0]
    n = num(m[0])
    if n != int(n) or grain in ("hour", "minute", "second"):
        return None
    g = "day" if grain == "week" else grain
    return mk(Tv("DATE", shift=(g, -int(n) * (7 if grain == "week" else 1), "dct")), m)


@rule("relative", "daqui a <n> <unit>", "daqui a <NUM:qty> <UNIT>", ("daqui a dois anos", "2002"))
def from_now(m, ctx):
    grain = m[3].val[0]
    n = num(m[2])
    if n != int(n) or grain in ("hour", "minute", "second"):
        return None
    g = "day" if grain == "week" else grain
    return mk(Tv("DATE", shift=(g, int(n) * (7 if grain == "week" else 1), "dct")), m)


@rule("relative", "<n> <unit> depois|antes", "<NUM:qty> <UNIT> depois|antes|após|mais_tarde",
      ("dois anos depois", "2002"), ("um ano antes", "1999"))
def anaphoric_shift(m, ctx):
    w = m[2].text
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("de", "do", "da", "dos", "das", "que"):
        return None  # "dois anos depois da guerra": a duration and a preposition
    if w == "após" and nxt is not None and nxt.kind != "p":
        return None  # "90 dias após a emissão"
    grain = m[1].val[0]
    n = num(m[0])
    if n != int(n) or grain in ("hour", "minute", "second"):
        return None
    sign = -1 if w == "antes" else 1
    g = "day" if grain == "week" else grain
    tv = Tv("DATE", shift=(g, sign * int(n) * (7 if grain == "week" else 1), "ref"))
    tv.same_period = grain == "year" and int(n) == 1 and sign < 0
    return mk(tv, m)


@rule("relative", "<n> <unit>", "<NUM:qty> <UNIT>",
      ("sete meses", "P7M"), ("duas semanas", "P2W"), ("meia hora", "PT30M"),
      ("vinte e cinco anos", "P25Y"))
def duration(m, ctx):
    if m[1].val[0] == "year" and _is_age(m, ctx):
        return None
    return mk(Tv("DURATION", dur={m[1].val[0]: num(m[0])}), m)


def _is_age(m: list[Any], ctx: Ctx) -> bool:
    """Ages are not temporal expressions: "Hernandez, de 49 anos", "aos 20 anos",
    "uma instituição de 136 anos de idade"."""
    prev, prev2, nxt = ctx.prev(), ctx.prev(2), ctx.next()
    if nxt is not None and nxt.text == "de" and ctx.next(1) is not None and \
            ctx.next(1).text == "idade":
        return True
    if prev is None:
        return False
    if prev.text in ("aos", "com") and (nxt is None or nxt.kind == "p" or nxt.text == "e"):
        return True
    return prev.text == "de" and prev2 is not None and (prev2.text == "," or prev2.cap)


@rule("relative", "<n> <unit> e meio", "<DURATION> e meio|meia",
      ("2 anos e meio", "P2Y6M"), ("um minuto e meio", "PT1M30S"))
def duration_and_half(m, ctx):
    tv = copy.deepcopy(m[0].val)
    if len(tv.dur) != 1:
        return None
    (g, n), = tv.dur.items()
    if n is None or n != int(n):
        return None
    tv.dur = {g: n + 0.5}
    return mk(tv, m)


@rule("relative", "<unit> e meio", "<UNIT:sing> e meio|meia", ("ano e meio", "P1Y6M"))
def unit_and_half(m, ctx):
    return mk(Tv("DURATION", dur={m[0].val[0]: 1.5}), m)


@rule("relative", "vários <units>",
      "vários|várias|alguns|algumas|muitos|muitas|poucos|poucas|longos|longas|largos <UNIT:pl>",
      ("vários anos", "PXY"), ("alguns minutos", "PTXM"))
def vague_duration(m, ctx):
    return mk(Tv("DURATION", dur={m[1].val[0]: None}), m)


@rule("relative", "últimos <n> <units>",
      "últimos|últimas|próximos|próximas|primeiros|primeiras <NUM:qty>? <UNIT:pl>",
      ("últimos três meses", "P3M"), ("próximos dias", "PXD"))
def edge_duration(m, ctx):
    n = num(m[1]) if m[1] is not None else None
    return mk(Tv("DURATION", dur={m[2].val[0]: n}), m)


@rule("relative", "<n> primeiros <units>",
      "<NUM:qty> primeiros|primeiras|últimos|últimas <UNIT:pl>",
      ("dois primeiros anos", "P2Y"))
def edge_duration_post(m, ctx):
    return mk(Tv("DURATION", dur={m[2].val[0]: num(m[0])}), m)


@rule("relative", "durante <units>", "durante|por|há|em|dentro_de <UNIT:pl>",
      ("durante anos", "PXY"), ("pela primeira vez em anos", "PXY"))
def bare_plural_duration(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.kind == "w" and nxt.text not in _FOLLOW_OK:
        return None
    return mk(Tv("DURATION", dur={m[1].val[0]: None}), m[1:])


@rule("relative", "anos anteriores",
      "<UNIT:pl> anteriores|passados|passadas|recentes|futuros|futuras",
      ("anos anteriores", "PAST_REF"), ("meses futuros", "FUTURE_REF"))
def plural_ref(m, ctx):
    future = m[1].text.startswith("futur")
    return mk(Tv("DATE", value="FUTURE_REF" if future else "PAST_REF"), m)


@rule("relative", "nos meses seguintes", "<UNIT:pl> seguintes|subsequentes",
      ("nos meses seguintes", "PXM"))
def following_units(m, ctx):
    return mk(Tv("DURATION", dur={m[0].val[0]: None}), m)


@rule("relative", "o ano findo em", "<UNIT:sing> findo|encerrado|terminado|que",
      ("o ano findo em 30 de junho", "P1Y"), ("no trimestre findo em 31 de julho", "2000-Q3"))
def period_ending(m, ctx):
    grain = m[0].val[0]
    if m[1].text == "que":
        nxt = ctx.next()
        if nxt is None or not nxt.text.startswith("termin"):
            return None
    if grain == "quarter":
        tv = Tv("DATE", shift=("quarter", 0, "ref"), same_period=True, ends_at_next=True)
        return mk(tv, m[:1])
    if grain not in ("year", "half", "month", "week"):
        return None
    return mk(Tv("DURATION", dur={grain: 1}), m[:1])


@rule("compose", "último período", "último|neste|nesse período", ("último período", "2000-QX"))
def last_period(m, ctx):
    return mk(Tv("DATE", shift=("quarter", 0, "ref"), same_period=True), m)


@rule("relative", "último trimestre de <year>", "último|última <UNIT:sing> @de <DATE:plainyear>",
      ("último semestre de 1989", "1989-H2"), ("último trimestre de 1990", "1990-Q4"))
def last_part_of_year(m, ctx):
    last = {"quarter": ("q", 4), "half": ("h", 2), "month": ("m", 12)}.get(m[1].val[0])
    if last is None:
        return None
    tv = copy.deepcopy(m[3].val)
    tv.f[last[0]] = last[1]
    return mk(tv, m)


_FOLLOW_OK = {"e", "ou", "a", "o", "de", "que", "em", "para", "com", "sem", "até", "depois",
              "antes", "seguidos", "seguidas", "consecutivos"}


@rule("relative", "todos os <units>", "todos|todas os|as <UNIT:pl>",
      ("todos os anos", "P1Y"), ("todas as semanas", "P1W"))
def every_unit(m, ctx):
    return mk(Tv("SET", dur={m[2].val[0]: 1}), m)


@rule("relative", "todas as <weekdays>", "todos|todas os|as <WEEKDAY:pl>",
      ("todas as quintas-feiras", "XXXX-WXX-4"))
def every_weekday(m, ctx):
    return mk(Tv("SET", value=f"XXXX-WXX-{m[2].val[0]}"), m)


@rule("relative", "às <weekdays>", "às|aos|nas|nos <WEEKDAY:pl>",
      ("às segundas-feiras", "XXXX-WXX-1"))
def on_weekdays(m, ctx):
    return mk(Tv("SET", value=f"XXXX-WXX-{m[1].val[0]}"), m[1:])


@rule("relative", "a cada <n> <units>", "cada <NUM:card> <UNIT:pl>", ("a cada dois anos", "P2Y"))
def each_n_units(m, ctx):
    return mk(Tv("SET", dur={m[2].val[0]: num(m[1])}), m)


@rule("relative", "de <n> em <n> <units>", "de <NUM:card> em <NUM:card> <UNIT:pl>",
      ("de dois em dois anos", "P2Y"))
def every_n_units(m, ctx):
    if num(m[1]) != num(m[3]):
        return None
    return mk(Tv("SET", dur={m[4].val[0]: num(m[1])}), m)


@rule("relative", "cada <unit>", "cada <UNIT:sing>", ("cada mês", "P1M"))
def each_unit(m, ctx):
    return mk(Tv("SET", dur={m[1].val[0]: 1}), m)


@rule("dates", "cada <weekday>", "cada <WEEKDAY>", ("cada domingo", "XXXX-WXX-7"))
def each_weekday(m, ctx):
    return mk(Tv("SET", value=f"XXXX-WXX-{m[1].val[0]}"), m)


@rule("relative", "<n> vezes por <unit>", "<NUM:card> vez|vezes por|ao|a|cada <UNIT:sing>",
      ("duas vezes por semana", "P1W"), ("uma vez por ano", "P1Y"))
def times_per_unit(m, ctx):
    return mk(Tv("SET", dur={m[3].val[0]: 1}), m)


@rule("relative", "esta <part of day>", "esta|nesta|esse|nessa <POD:pod>",
      ("esta manhã", "2000-06-15TMO"), ("esta noite", "2000-06-15TNI"))
def this_pod(m, ctx):
    return mk(Tv("TIME", {"pod": m[1].val}, shift=("day", 0, "dct")), m)


@rule("relative", "de manhã", "de|pela|à|durante|na|ao <POD:pod>",
      ("de manhã", "2000-06-15TMO"), ("à noite", "2000-06-15TNI"))
def bare_pod(m, ctx):
    prev = ctx.prev()
    if prev is not None and prev.text in ("mais", "muito", "tão", "bem", "demasiado", "boa"):
        return None
    return mk(Tv("TIME", {"pod": m[1].val}), m[1:])


@rule("compose", "o trimestre (the quarter in focus)", "o|no|do|neste|nesse|deste|desse trimestre",
      ("no trimestre", "2000-QX"))
def bare_quarter(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("homólogo", "correspondente", "fiscal", "anterior",
                                        "passado", "seguinte", "de", "do", "da"):
        return None
    tv = Tv("DATE", shift=("quarter", 0, "ref"), same_period=True)
    tv.f["focus"] = True
    return mk(tv, m[1:] if m[0].text in ("o", "no", "do") else m)


# == layer 3: modifiers and combinations =====================================================

_HALF_MOD = {1: "START", 2: "END"}


@rule("compose", "início de <date>", "<MOD:pos> @de? <DATE:point>",
      ("início de 1975", "1975"), ("meados de outubro", "2000-10"), ("final de 1990", "1990"))
def position_mod(m, ctx):
    tv = copy.deepcopy(m[2].val)
    if tv.mod:
        return None
    if m[1] is None and not m[2].extra.get("lead", "").startswith("d"):
        return None
    tv.mod = m[0].val[0]
    return mk(tv, m)


@rule("compose", "início do <unit>", "<MOD:pos> @de <UNIT:sing>",
      ("início do ano", "2000"), ("fim do mês", "2000-06"))
def position_mod_unit(m, ctx):
    grain = m[2].val[0]
    if grain in ("hour", "minute", "second"):
        return None
    tv = Tv("DATE", shift=(grain, 0, "dct"), mod=m[0].val[0])
    return mk(tv, m)


@rule("compose", "primeira metade de <date>", "primeira|segunda|última metade @de <DATE:point>",
      ("primeira metade de 1990", "1990-H1"), ("segunda metade do século XX", "19"))
def half_of(m, ctx):
    tv = copy.deepcopy(m[3].val)
    which = 1 if m[0].text == "primeira" else 2
    if set(tv.f) == {"y"} and tv.shift is None:
        tv.f["h"] = which
    elif tv.shift is not None and tv.shift[0] == "year" and not tv.f:
        tv.f["h"] = which
    else:
        tv.mod = _HALF_MOD[which]
    return mk(tv, m)


@rule("compose", "cerca de <date>", "<MOD:approx> <DATE:point>",
      ("por volta de 1500", "1500"), ("por volta de 1 de novembro", "2000-11-01"))
def approx_date(m, ctx):
    tv = copy.deepcopy(m[1].val)
    if tv.mod:
        return None
    tv.mod = m[0].val[0]
    return mk(tv, m)


@rule("compose", "c. <year>", "<MOD:circa> <DATE:point>", ("c. 1500", "1500"))
def circa_date(m, ctx):
    tv = copy.deepcopy(m[1].val)
    if tv.mod:
        return None
    tv.mod = "APPROX"
    return mk(tv, m)


@rule("compose", "cerca de <time>", "<MOD:approx> <TIME>",
      ("por volta das 15h", "2000-06-15T15:00"))
def approx_time(m, ctx):
    tv = copy.deepcopy(m[1].val)
    tv.mod = tv.mod or m[0].val[0]
    return mk(tv, m)


@rule("compose", "<date> e depois", "<DATE:point> e|ou até? depois|mais_tarde",
      ("1990 e depois", "1990"), ("1994 ou até mais tarde", "1994"))
def on_or_after(m, ctx):
    tv = copy.deepcopy(m[0].val)
    if tv.mod:
        return None
    if m[1].text == "e" and (m[2] is not None or m[3].text != "depois"):
        return None  # "em 1984 e mais tarde em 1990" narrates; it bounds nothing
    nxt = ctx.next()
    if nxt is not None and nxt.kind != "p":
        return None  # "em 1990 e depois cresceu": "and then"
    tv.mod = "ON_OR_AFTER"
    return mk(tv, m)


@rule("compose", "<date> ou por aí", "<DATE|DURATION> ou por aí|volta|assim disso?",
      ("próximo ano ou por aí", "2001"))
def trailing_approx(m, ctx):
    tv = copy.deepcopy(m[0].val)
    if m[2].text == "volta" and m[4] is None:
        return None
    tv.mod = tv.mod or "APPROX"
    return mk(tv, m)


@rule("compose", "mais de <duration>", "<MOD:bound> <DURATION>",
      ("mais de seis anos", "P6Y"), ("a menos de dois meses", "P2M"))
def bound_duration(m, ctx):
    tv = copy.deepcopy(m[1].val)
    tv.mod = m[0].val[0]
    return mk(tv, m[1:])


@rule("compose", "<duration> e <duration>", "<DURATION> e <DURATION>",
      ("dois anos e três meses", "P2Y3M"))
def duration_sum(m, ctx):
    a, b = m[0].val, m[2].val
    if a.dur is None or b.dur is None or set(a.dur) & set(b.dur) or a.mod or b.mod:
        return None
    if None in a.dur.values() or None in b.dur.values():
        return None
    tv = Tv("DURATION", dur={**a.dur, **b.dur})
    return mk(tv, m)


@rule("compose", "<month> do ano passado", "<DATE:subyear> @de <DATE:year_only>",
      ("junho do ano passado", "1999-06"), ("terceiro trimestre deste ano", "2000-Q3"))
def partial_of_year(m, ctx):
    tv = copy.deepcopy(m[2].val)
    tv.f.update(m[0].val.f)
    return mk(tv, m)


@rule("compose", "<partial> deste ano", "<DATE:subyear> <DATE:year_only>",
      ("janeiro deste ano", "2000-01"), ("terceiro trimestre deste ano", "2000-Q3"))
def partial_of_year_contracted(m, ctx):
    if not m[1].extra.get("lead", "").startswith("d"):
        return None
    tv = copy.deepcopy(m[1].val)
    tv.f.update(m[0].val.f)
    return mk(tv, m)


@rule("compose", "mesmo período do ano passado",
      "mesmo|mesma período|trimestre|semestre @de <DATE:year_only>",
      ("mesmo período do ano passado", "1999"))
def same_period_of(m, ctx):
    tv = copy.deepcopy(m[3].val)
    tv.same_period = True
    return mk(tv, m)


@rule("compose", "período homólogo do ano passado",
      "período|trimestre|semestre homólogo|correspondente? @de <DATE:year_only>",
      ("período homólogo do ano passado", "1999"), ("período de 1988", "1988"))
def period_of(m, ctx):
    tv = copy.deepcopy(m[3].val)
    tv.same_period = True
    return mk(tv, m)


@rule("compose", "<time> de <date>", "<TIME> de|do|da <DATE:day_level>",
      ("meio-dia de sábado", "2000-06-10T12:00"), ("17h de 6 de novembro", "2000-11-06T17:00"))
def time_of_date(m, ctx):
    t, d = m[0].val, m[2].val
    if "hour" not in t.f and "pod" not in t.f or t.shift is not None:
        return None
    tv = copy.deepcopy(d)
    tv.type = "TIME"
    tv.f.update({k: v for k, v in t.f.items() if k in ("hour", "minute", "pod")})
    tv.mod = tv.mod or t.mod
    return mk(tv, m)


@rule("compose", "noite de <date>", "<POD:pod> de|do|da <DATE:day_level>",
      ("noite de sábado", "2000-06-10TNI"))
def pod_of_date(m, ctx):
    tv = copy.deepcopy(m[2].val)
    tv.type = "TIME"
    tv.f["pod"] = m[0].val
    return mk(tv, m)


@rule("compose", "<date> à noite", "<DATE:day_level> à|de|pela|ao|a <POD:pod>",
      ("quinta-feira à noite", "2000-06-15TNI"), ("ontem à tarde", "2000-06-14TAF"))
def date_pod(m, ctx):
    tv = copy.deepcopy(m[0].val)
    tv.type = "TIME"
    tv.f["pod"] = m[2].val
    return mk(tv, m)


@rule("compose", "<date> à noite (already a time)", "<DATE:day_level> <TIME>",
      ("sábado à noite", "2000-06-10TNI"))
def date_then_time(m, ctx):
    t = m[1].val
    if t.shift is not None or not (set(t.f) <= {"hour", "minute", "pod"}):
        return None
    between = ctx.items[ctx.i + 1] if ctx.i + 1 < len(ctx.items) else None
    if between is None:
        return None
    tv = copy.deepcopy(m[0].val)
    tv.type = "TIME"
    tv.f.update(t.f)
    return Item("TIME", m[0].start, m[1].end, "", tv)


@rule("compose", "<date> às <time>", "<DATE:day_level> ,? às|pelas|à <TIME>",
      ("ontem às 15h", "2000-06-14T15:00"))
def date_at_time(m, ctx):
    t = m[3].val
    if t.shift is not None or not (set(t.f) <= {"hour", "minute", "pod"}):
        return None
    tv = copy.deepcopy(m[0].val)
    tv.type = "TIME"
    tv.f.update(t.f)
    return mk(tv, m)


@rule("compose", "<weekday>, dia <day>", "<DATE:day_level> ,? dia? <DATE:daymonth>",
      ("domingo, dia 8 de março", "2000-03-08"))
def date_apposition(m, ctx):
    a, b = m[0].val, m[3].val
    if "wd" not in a.f or a.shift is not None:
        return None
    tv = copy.deepcopy(b)
    return Item("DATE", m[0].start, m[3].end, "", tv)


# == layer 4: intervals ======================================================================

def _interval(a: Item, b: Item, parts: list[Any]) -> Item | None:
    ta, tb = copy.deepcopy(a.val), copy.deepcopy(b.val)
    if ta.value or tb.value or ta.type not in ("DATE", "TIME") or tb.type not in ("DATE", "TIME"):
        return None
    # the begin point inherits what only the end point states: de abril a junho de 1975
    if ta.shift is None and tb.shift is None:
        for key in ("y", "m"):
            if key in tb.f and key not in ta.f and (key == "y" or "d" in ta.f):
                if key == "y" and ("dec" in ta.f or "cent" in ta.f or "dec2" in ta.f):
                    continue
                ta.f[key] = tb.f[key]
                if key == "y" and "m" in ta.f and "m" in tb.f and ta.f["m"] > tb.f["m"]:
                    ta.f["y"] -= 1
        if "dec2" in ta.f and "dec" in tb.f:
            ta.f = {"dec": tb.f["dec"] // 10 * 10 + ta.f["dec2"]}
    a2 = Item(a.kind, a.start, a.end, "", ta)
    b2 = Item(b.kind, b.start, b.end, "", tb)
    tv = Tv("INTERVAL", begin=a2, end=b2)
    return mk(tv, parts)


@rule("intervals", "entre <date> e <date>", "entre <DATE|TIME> e <DATE|TIME>",
      ("entre 1961 e 1974", "1961/1974"),
      ("entre 9h e 17h", "2000-06-15T09:00/2000-06-15T17:00"))
def between(m, ctx):
    return _interval(m[1], m[3], m)


@rule("intervals", "de <date> a <date>",
      "de|desde|do|da|dos|das <DATE|TIME> a|até|ao|à|aos|às|as <DATE|TIME>",
      ("de 1961 a 1974", "1961/1974"), ("de abril a junho de 1975", "1975-04/1975-06"),
      ("dos anos 20 aos anos 30", "192/193"))
def from_to(m, ctx):
    return _interval(m[1], m[3], m)


@rule("intervals", "<year>-<year>", "<DATE:plainyear> -|–|—|/ <DATE:plainyear>",
      ("1807-1808", "1807/1808"), ("1914–1918", "1914/1918"))
def year_range(m, ctx):
    a, b = m[0].val.f["y"], m[2].val.f["y"]
    if not a < b or m[1].text == "/" and b != a + 1:
        return None
    return _interval(m[0], m[2], m)


@rule("intervals", "<year>-<yy>", "<DATE:plainyear> -|–|/ <NUM:twodigits>",
      ("1914-18", "1914/1918"), ("2010/11", "2010/2011"))
def year_range_short(m, ctx):
    a = m[0].val.f["y"]
    b = a // 100 * 100 + ival(m[2])
    if b <= a:
        return None
    end = Item("DATE", m[2].start, m[2].end, "", Tv("DATE", {"y": b}))
    return _interval(m[0], end, m)


@rule("intervals", "anos <decade> e <decade>", "<DATE> e|a|ao <NUM:decade>",
      ("anos 60 e 70", "196/197"))
def decades_pair(m, ctx):
    a = m[0].val
    v = ival(m[2])
    if set(a.f) == {"dec2"} and v < 100:
        f = {"dec2": v // 10}
    elif set(a.f) == {"dec"} and v >= 1000:
        f = {"dec": v // 10}
    else:
        return None
    end = Item("DATE", m[2].start, m[2].end, "", Tv("DATE", f))
    return _interval(m[0], end, m)


@rule("intervals", "entre <day> e <date>",
      "entre|de|desde|dias <NUM:day> e|a|até|ao <DATE:daymonth>",
      ("entre 5 e 10 de maio", "2000-05-05/2000-05-10"),
      ("nos dias 20 e 21 de setembro", "2000-09-20/2000-09-21"))
def day_range(m, ctx):
    b = m[3].val
    f = {k: v for k, v in b.f.items() if k in ("y", "m")}
    f["d"] = ival(m[1])
    if f["d"] >= b.f["d"]:
        return None
    begin = Item("DATE", m[1].start, m[1].end, "", Tv("DATE", f, shift=b.shift))
    return _interval(begin, m[3], m[1:] if m[0].text == "dias" else m)


LAYERS = [Layer(name, rules) for name, rules in RULES.items()]


def all_rules() -> list[Rule]:
    return [r for rs in RULES.values() for r in rs]

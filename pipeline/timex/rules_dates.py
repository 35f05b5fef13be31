"""Layer 1, dates: absolute and underspecified calendar expressions and clock times.

7 de setembro de 1822, março, 1822, anos 30, século XX, terceiro trimestre, 15h30, sexta-feira,
Natal de 1914.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from . import lexicon
from .predicates import roman_value
from .rulebook import is_bc, ival, mk, rule, year_value
from .tokens import Item
from .values import Tv, easter


@rule("dates", "<day> de <month> de <year>", "<NUM:day> de <MONTH> de|, <NUM:year4> <ERA>?",
      ("7 de setembro de 1822", "1822-09-07"), ("1º de maio de 1890", "1890-05-01"))
def day_month_year(m, ctx):
    return mk(Tv("DATE", {"y": year_value(m[4], m[5]), "m": m[2].val, "d": ival(m[0])}), m)


_ROMAN_DAYS = {row[0]: (int(row[1]), int(row[2])) for row in lexicon.read_tsv("roman_days")}
_ROMAN_DAYS_WORDS = "|".join(_ROMAN_DAYS)
_LONG_ROMAN_MONTHS = frozenset((3, 5, 7, 10))


@rule("dates", "idos de <month> [de <year>]",
      f"{_ROMAN_DAYS_WORDS} de <MONTH> de|, <NUM:year4> <ERA>?",
      ("nos idos de março de 44 a.C.", "BC0044-03-15"), ("calendas de janeiro de 45 a.C.",
                                                          "BC0045-01-01"))
def roman_day_year(m, ctx):
    d = _ROMAN_DAYS[m[0].text][0 if m[2].val in _LONG_ROMAN_MONTHS else 1]
    return mk(Tv("DATE", {"y": year_value(m[4], m[5]), "m": m[2].val, "d": d}), m)


@rule("dates", "idos de <month>", f"{_ROMAN_DAYS_WORDS} de <MONTH>",
      ("idos de março", "2000-03-15"))
def roman_day(m, ctx):
    d = _ROMAN_DAYS[m[0].text][0 if m[2].val in _LONG_ROMAN_MONTHS else 1]
    return mk(Tv("DATE", {"m": m[2].val, "d": d}), m)


@rule("dates", "<day> de <month>", "<NUM:day> de <MONTH>",
      ("5 de outubro", "2000-10-05"), ("primeiro de maio", "2000-05-01"))
def day_month(m, ctx):
    named = _NAMED_DATES.get((ival(m[0]), m[2].val))
    prev = ctx.prev()
    if named is not None and m[2].cap and prev is not None and prev.text in _ARTICLES:
        nxt, nxt2 = ctx.next(), ctx.next(1)
        if nxt is None or not (nxt.text == "de" or nxt.text == "," and nxt2 is not None and
                               nxt2.kind == "NUM"):
            y, mo, d = (int(x) for x in named.split("-"))
            return mk(Tv("DATE", {"y": y, "m": mo, "d": d}), m)  # "Depois do 25 de Abril"
    return mk(Tv("DATE", {"m": m[2].val, "d": ival(m[0])}), m)


_ARTICLES = frozenset("o do no ao pelo".split())
_CONTEXT = lexicon.word_classes("context")
_MONTH_NUMBER = {w: int(v) for w, v in lexicon.mapping("months").items()}
_NAMED_DATES = {}
for _dm, _value in lexicon.mapping("named_dates").items():
    _d, _, _mo = _dm.split(" ", 2)
    _NAMED_DATES[(int(_d), _MONTH_NUMBER[_mo])] = _value


@rule("dates", "dia <day>", "dia <NUM:day>", ("dia 5", "2000-06-05"))
def bare_day(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("de", "do") or m[1].extra.get("written") != "digits":
        return None
    return mk(Tv("DATE", {"d": ival(m[1])}), m)


@rule("dates", "<month> de <year>", "<MONTH> de|, <NUM:year4> <ERA>?",
      ("setembro de 1822", "1822-09"))
def month_year(m, ctx):
    if month_in_name(m[0], ctx):
        return None  # "(São Borja, 1882 – Rio de Janeiro, 1954)": a place, then a year
    return mk(Tv("DATE", {"y": year_value(m[2], m[3]), "m": m[0].val}), m)


def month_in_name(month, ctx) -> bool:
    """A capitalized month after "<Name> de" is part of a name: "Rio de Janeiro", "Praça de
    Maio" (a day or a preposition before "de" is a date: "5 de Outubro", "em Maio")."""
    prev, prev2 = ctx.prev(), ctx.prev(2)
    return bool(month.cap and prev is not None and prev.text == "de" and prev2 is not None
                and prev2.kind == "w" and prev2.cap and ctx.i > 2)


_ABBR = {w: int(v) for w, v in lexicon.mapping("month_abbreviations").items()}
_ABBR_WORDS = "|".join(_ABBR)


@rule("dates", "<day> <month abbr.> <year>",
      f"<NUM:day> -|/|de? {_ABBR_WORDS} .? -|/|de? <NUM:year4>",
      ("15 jan. 2020", "2020-01-15"), ("15-dez-1998", "1998-12-15"))
def day_abbr_year(m, ctx):
    return mk(Tv("DATE", {"y": ival(m[5]), "m": _ABBR[m[2].text], "d": ival(m[0])}), m)


@rule("dates", "<month abbr.> <year>", f"{_ABBR_WORDS} .|/|- <NUM:year>",
      ("jan/2020", "2020-01"), ("set. 1998", "1998-09"))
def abbr_year(m, ctx):
    if not m[0].text.isalpha():
        return None
    return mk(Tv("DATE", {"y": ival(m[2]), "m": _ABBR[m[0].text]}), m)


@rule("dates", "2ª feira", "<NUM:ord> -? feira", ("2ª feira", "2000-06-12"),
      ("na 6.ª-feira", "2000-06-09"))
def ordinal_weekday(m, ctx):
    n = ival(m[0])
    if not 2 <= n <= 6:
        return None
    return mk(Tv("DATE", {"wd": n - 1}), m)


@rule("dates", "<month> <year>", "<MONTH> <NUM:year>", ("maio 1998", "1998-05"))
def month_year_nde(m, ctx):
    return mk(Tv("DATE", {"y": ival(m[1]), "m": m[0].val}), m)


@rule("dates", "<month>", "<MONTH>", ("março", "2000-03"))
def month(m, ctx):
    prev = ctx.prev()
    if m[0].cap and prev is not None and prev.kind == "w" and prev.cap and prev.text not in (
            "em", "de", "desde", "até", "a"):
        return None  # "Rua Maio", a name
    if month_in_name(m[0], ctx):
        return None  # "Rio de Janeiro", "Praça de Maio"
    return mk(Tv("DATE", {"m": m[0].val}), m)


@rule("dates", "<year>", "<NUM:year> <ERA>?", ("1822", "1822"), ("em 1500, os", "1500"))
def bare_year(m, ctx):
    return mk(Tv("DATE", {"y": year_value(m[0], m[1])}), m)


@rule("dates", "em '22", "em|desde|até|de '|’? <NUM:twodigits>", ("em 98.", "1998"),
      ("desde '98,", "1998"))
def two_digit_year(m, ctx):
    if m[0].text == "de" and m[1] is None:
        return None  # "um grupo de 50.", "Wonham, de 58,": a quantity or an age
    nxt = ctx.next()
    if nxt is not None and not (nxt.kind == "p" and nxt.text in ",.;:)!?"):
        return None  # "em 22 de março", "em 22 países": a day or a quantity
    return mk(Tv("DATE", {"yy": ival(m[2])}), m[1:] if m[1] is not None else m[2:])


@rule("dates", "<number> a.C.", "<NUM:year4> <ERA>", ("44 a.C.", "BC0044"))
def year_era(m, ctx):
    return mk(Tv("DATE", {"y": year_value(m[0], m[1])}), m)


@rule("dates", "ano de <year>", "ano de? <NUM:year4> <ERA>?", ("ano 2000", "2000"),
      ("ano de 1500", "1500"))
def year_with_noun(m, ctx):
    return mk(Tv("DATE", {"y": year_value(m[2], m[3])}), m)


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
    s = m[0].val.lower().replace("min", "").rstrip("m")
    h, _, mi = s.replace(":", "h").partition("h")
    hour, minute = int(h), int(mi.rstrip("h") or 0)
    if hour > 24 or minute > 59:
        return None
    return mk(Tv("TIME", {"hour": hour, "minute": minute}), m)


@rule("dates", "às <hour> horas", "<NUM:hour> horas|hora|h",
      ("às 10 horas", "2000-06-15T10:00"), ("das 9 horas às 17 horas", "2000-06-15T09:00"))
def hour_words(m, ctx):
    # a clock time only after "às/pelas/das/até" (left outside the span, and not consumed, so
    # "das 9 horas às 17 horas" stays an interval); otherwise "10 horas" is a duration
    prev = ctx.prev()
    if prev is None or prev.text not in ("às", "pelas", "das", "até", "após", "antes"):
        return None
    return mk(Tv("TIME", {"hour": ival(m[0]), "minute": 0}), m)


@rule("dates", "por volta das <hour> horas", "<MOD:approx> <NUM:hour> horas|hora|h",
      ("por volta das 16 horas", "2000-06-15T16:00"))
def approx_hour_words(m, ctx):
    if not m[0].text.endswith(("das", "da")):
        return None  # "cerca de 16 horas" is a duration
    return mk(Tv("TIME", {"hour": ival(m[1]), "minute": 0}, mod="APPROX"), m)


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
    offset = int(when[6:] or 0)
    if year is None:
        return {"easter": offset}  # a movable feast: the anchoring step finds its year
    day = easter(year) + dt.timedelta(days=offset)
    return {"y": day.year, "m": day.month, "d": day.day}


@rule("dates", "<holiday> de <year>", "<HOLIDAY> de <NUM:year4>",
      ("Natal de 1914", "1914-12-25"), ("Páscoa de 2024", "2024-03-31"))
def holiday_year(m, ctx):
    f = _holiday_fields(m[0].val, ival(m[2]))
    return mk(Tv("DATE", f), m) if f else None


@rule("dates", "<holiday>", "<HOLIDAY>", ("Natal", "1999-12-25"), ("na Páscoa", "2000-04-23"),
      ("Dia do Trabalhador", "2000-05-01"))
def holiday(m, ctx):
    prev = ctx.prev()
    if " " not in m[0].text and prev is not None and prev.text in ("em", "para", "a", "até"):
        return None  # "em Natal", "para Natal": the Brazilian city
    before = ctx.prev(2)
    if " " not in m[0].text and prev is not None and prev.text == "de" and before is not None \
            and "place" in _CONTEXT.get(before.text, ()):
        return None  # "clube de Natal", "prefeito de Natal": the city too
    nxt = ctx.next()
    if " " not in m[0].text and nxt is not None and nxt.kind == "w" and nxt.cap:
        return None  # "Natal Shopping", a name
    if prev is not None and prev.text in ("o", "a", "os", "as") and (
            nxt is None or nxt.kind == "p" or nxt.text not in ("de", "do", "da")):
        return None  # "O Carnaval, que termina na terça-feira, foi cancelado": the festivity
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
    nxt = ctx.next()
    if m[0].cap and prev is not None and prev.kind == "w" and nxt is not None and \
            nxt.kind == "w" and nxt.cap:
        return None  # "o massacre do Domingo Sangrento": a capitalized name mid-sentence
    tv = Tv("DATE", {"wd": wd})
    if prev is not None and (prev.text == "até" or prev.text == "de" and ctx.prev(2) is not None
                             and ctx.prev(2).text == "partir"):
        tv.lean = 1  # "mais chuva até quarta-feira", "a partir de segunda-feira"
    return mk(tv, m)


@rule("dates", "na <short weekday>", "na|nesta|desta|da|à|a <WDSHORT>",
      ("na sexta", "2000-06-09"))
def short_weekday(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.kind not in ("p",) and nxt.text not in _WDSHORT_NEXT and not (
            nxt.text == "que" and ctx.next(1) is not None and ctx.next(1).text == "vem"):
        return None
    if _ordinal_antecedent(ctx.items, ctx.i, m[0].start, int(m[1].val)):
        return None  # "A primeira guerra acabou em 241 a.C. Na segunda, Aníbal ...": an ordinal
    f = {"wd": m[1].alts["WDSHORT"]}
    if m[0].text in ("nesta", "desta"):
        f["thisweek"] = True  # "nesta quarta": the one in the DCT's week
    item = mk(Tv("DATE", f), m[1:])
    item.extra["lead"] = m[0].text
    return item


_WDSHORT_NEXT = frozenset(("passada", "à", "de", "e", "ou", "pela", "próxima", "seguinte",
                           "que vem"))
# how far back (characters) an ordinal can be what an elided "na segunda" counts on
_ANTECEDENT_REACH = 400


def _ordinal_antecedent(items: list[Item], i: int, start: int, n: int) -> bool:
    """Is there something the ordinal ``n`` at ``start`` can count, shortly before it: a
    feminine ordinal ("a primeira guerra", "a 1.ª fase") or at least ``n`` things ("as três
    Guerras Púnicas")? Then "na segunda", "na quinta" continue the count with the noun left
    out; with nothing to count, "Na sexta, o presidente discursou" is a weekday, with or
    without a DCT ("Três pessoas morreram. Na sexta, ..." has no sixth person)."""
    for k in range(i - 1, -1, -1):
        it = items[k]
        if start - it.end > _ANTECEDENT_REACH:
            break
        if it.kind != "NUM":
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        if not it.extra.get("ord"):
            # a few things, in words, are a list one counts through; "40 feridos" is not
            if it.text not in ("um", "uma", "dois") and it.extra.get("written") == "words" and \
                    isinstance(it.val, int) and n <= it.val <= 10 and nxt is not None and \
                    nxt.kind == "w" and \
                    nxt.text.endswith("s") and len(nxt.text) > 2:
                return True
            continue
        if not (it.text.endswith(("a", "as")) or "ª" in it.text):
            continue
        if nxt is not None and nxt.text in ("feira", "-"):
            continue  # "2ª feira": a weekday itself
        if it.alts and "WDSHORT" in it.alts and (
                nxt is None or nxt.kind != "w" or nxt.text in _WDSHORT_NEXT or nxt.text == "que"):
            continue  # "na segunda, votou": itself a weekday, not a count
        return True
    return False


@rule("dates", "<weekday>, <day> de <month>", "<WEEKDAY> ,? dia? <NUM:day> de <MONTH>",
      ("sexta-feira, 13 de outubro", "2000-10-13"))
def weekday_day_month(m, ctx):
    return mk(Tv("DATE", {"m": m[5].val, "d": ival(m[3])}), m)


@rule("dates", "<weekday>, <day> de <month> de <year>",
      "<WEEKDAY> ,? dia? <NUM:day> de <MONTH> de|, <NUM:year4> <ERA>?",
      ("domingo, 13 de agosto de 1961", "1961-08-13"))
def weekday_day_month_year(m, ctx):
    return mk(Tv("DATE", {"y": year_value(m[7], m[8]), "m": m[5].val, "d": ival(m[3])}), m)


@rule("dates", "inverno de 1777-1778", "<SEASON> de <NUM:year4> -|–|/ <NUM:year4>",
      ("inverno de 1777-1778", "1777-WI"))
def season_across_years(m, ctx):
    """A season named by the two years it straddles is the season of the first."""
    if ival(m[4]) != ival(m[2]) + 1:
        return None
    return mk(Tv("DATE", {"y": ival(m[2]), "s": m[0].val}), m)


@rule("dates", "<season> de <year>", "<SEASON> de <NUM:year4>", ("verão de 1917", "1917-SU"))
def season_year(m, ctx):
    if m[0].text.endswith("s") or _season_kind(ctx):
        return None
    return mk(Tv("DATE", {"y": ival(m[2]), "s": m[0].val}), m)


def _season_kind(ctx) -> bool:
    """ "Jogos Olímpicos de inverno", "horário de verão": the season names a kind of thing."""
    prev, before = ctx.prev(), ctx.prev(2)
    return prev is not None and prev.text == "de" and before is not None and \
        "season_kind" in _CONTEXT.get(before.text.lower(), ())


@rule("dates", "<season>", "<SEASON>", ("verão", "2000-SU"))
def season(m, ctx):
    if m[0].text.endswith("s"):
        return None  # plural: only in sets (todos os verões)
    prev = ctx.prev()
    if m[0].cap and prev is not None and prev.kind == "w":
        return None  # "Primavera Árabe" mid-sentence: a name
    if _season_kind(ctx):
        return None
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
    return mk(Tv("DATE", {"cent": n - 1, "bc": is_bc(m[3])}), m)


_CENTURY_WORDS = frozenset(("século", "séculos", "séc"))


@rule("dates", "início do XX (a century just named)", "<MOD:pos> do <w:roman>",
      ("no século XIX e no início do XX", "19"))
def elliptic_century(m, ctx):
    """"no século XIX e no início do XX": the second century is written without its noun."""
    n = roman_value(m[2].text.upper())
    back = ctx.items[max(0, ctx.i - 10):ctx.i]
    if not 1 <= n <= 22 or not any(it.text in _CENTURY_WORDS for it in back):
        return None
    return mk(Tv("DATE", {"cent": n - 1}, mod=m[0].val[0]), m)


@rule("dates", "séculos <roman> e <roman>", "séculos <w:roman> e|a|ao <w:roman> <ERA>?",
      ("séculos XII e XV", "11/14"))
def centuries_range(m, ctx):
    a, b = roman_value(m[1].text.upper()), roman_value(m[3].text.upper())
    if not 1 <= a < b <= 22:
        return None
    bc = is_bc(m[4])
    ia = Item("DATE", m[1].start, m[1].end, "", Tv("DATE", {"cent": a - 1, "bc": bc}))
    ib = Item("DATE", m[3].start, m[3].end, "", Tv("DATE", {"cent": b - 1, "bc": bc}))
    return mk(Tv("INTERVAL", begin=ia, end=ib), m)


@rule("dates", "séculos XV–XVI", "séculos|século|sécs|séc .? <w:roman> -|–|/ <w:roman> <ERA>?",
      ("século XV–XVI", "14/15"), ("séculos XV / XVI", "14/15"))
def centuries_dash(m, ctx):
    return centuries_range([m[0], m[2], None, m[4], m[5]], ctx)


_ROMAN_PAIR = re.compile(r"^([ivxlc]+)-([ivxlc]+)$")


@rule("dates", "séculos XV-XVI (one token)", "séculos|século|sécs|séc .? <w>",
      ("nos sécs. XV-XVI", "14/15"))
def centuries_hyphen(m, ctx):
    w = m[2]
    pair = _ROMAN_PAIR.match(w.text) if w.cap else None
    if pair is None:
        return None
    la, lb = len(pair.group(1)), len(pair.group(2))
    ia = Item("w", w.start, w.start + la, pair.group(1), None, cap=True)
    ib = Item("w", w.end - lb, w.end, pair.group(2), None, cap=True)
    return centuries_range([m[0], ia, None, ib, None], ctx)


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
    return mk(Tv("DATE", {"cent": ival(m[1]) - 1, "bc": is_bc(m[2])}), m)

"""Layer 3, compose: modifiers and combinations of already-built expressions.

início de 1975, junho do ano passado, quinta-feira à noite, mais de seis anos, o mesmo período
do ano passado.
"""

from __future__ import annotations

import copy

from .rulebook import ival, mk, rule
from .tokens import Item
from .values import Tv

_HALF_MOD = {1: "START", 2: "END"}


@rule("compose", "início de <date>", "<MOD:pos> @de? <DATE|TIME:point>",
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


@rule("compose", "primeira quinzena de <month>", "primeira|segunda quinzena @de <DATE:point>",
      ("segunda quinzena de julho", "2000-07"))
def fortnight_of(m, ctx):
    tv = copy.deepcopy(m[3].val)
    if tv.mod or not ("m" in tv.f or tv.shift is not None and tv.shift[0] == "month"):
        return None
    tv.mod = "START" if m[0].text == "primeira" else "END"
    return mk(tv, m)


@rule("compose", "primeiros anos de <date>", "<DURATION> @de <DATE|TIME:point>",
      ("nos primeiros anos do século XX", "19"), ("nos últimos dias de 1999", "1999"))
def first_units_of(m, ctx):
    """The first or last stretch of a period: its value, mod START or END."""
    edge = m[0].extra.get("edge")
    tv = copy.deepcopy(m[2].val)
    if edge is None or tv.mod:
        return None
    tv.mod = edge
    return mk(tv, m)


@rule("compose", "primeira década do século XX", "<NUM:ord> década @de <DATE>",
      ("primeira década do século XX", "190"), ("terceira década do século XIX", "182"))
def nth_decade_of(m, ctx):
    c = m[3].val.f
    n = int(m[0].val)
    if set(c) - {"bc"} != {"cent"} or c.get("bc") or not 1 <= n <= 10 or m[3].val.mod:
        return None
    return mk(Tv("DATE", {"dec": c["cent"] * 10 + n - 1}), m)


@rule("compose", "1.ª metade de <date>", "<NUM:ord2> metade @de <DATE:point>",
      ("1.ª metade do século XX", "19"), ("2ª metade de 1990", "1990-H2"))
def numbered_half_of(m, ctx):
    return half_of(m, ctx)


@rule("compose", "primeira metade de <date>", "primeira|segunda|última metade @de <DATE:point>",
      ("primeira metade de 1990", "1990-H1"), ("segunda metade do século XX", "19"))
def half_of(m, ctx):
    tv = copy.deepcopy(m[3].val)
    if m[0].kind == "NUM":
        which = int(m[0].val)
    else:
        which = 1 if m[0].text == "primeira" else 2
    if set(tv.f) == {"y"} and tv.shift is None:
        tv.f["h"] = which
    elif tv.shift is not None and tv.shift[0] == "year" and not tv.f:
        tv.f["h"] = which
    else:
        tv.mod = _HALF_MOD[which]
    return mk(tv, m)


@rule("compose", "primeira metade do <unit>", "primeira|segunda|última metade @de <UNIT:sing>",
      ("na segunda metade do século", "20"), ("primeira metade do ano", "2000-H1"))
def half_of_unit(m, ctx):
    """The half of the century, year or decade in the reference: like "meados do século"."""
    grain = m[3].val[0]
    if grain not in ("year", "decade", "century", "millennium"):
        return None
    which = 1 if m[0].text == "primeira" else 2
    tv = Tv("DATE", shift=(grain, 0, "dct"))
    if grain == "year":
        tv.f["h"] = which
    else:
        tv.mod = _HALF_MOD[which]
    return mk(tv, m)


_QUARTEL_MOD = {1: "START", 2: "MID", 3: "MID", 4: "END"}


@rule("compose", "último quartel do século",
      "primeiro|segundo|terceiro|quarto|último quartel @de século",
      ("no último quartel do século", "20"))
def quarter_of_this_century(m, ctx):
    """The century of the reference, like "meados do século"."""
    which = {"primeiro": 1, "segundo": 2, "terceiro": 3}.get(m[0].text, 4)
    return mk(Tv("DATE", shift=("century", 0, "dct"), mod=_QUARTEL_MOD[which]), m)


@rule("compose", "último quartel do século XIX",
      "primeiro|segundo|terceiro|quarto|último quartel @de <DATE:point>",
      ("no último quartel do século XIX", "18"), ("primeiro quartel do século XX", "19"))
def quarter_century(m, ctx):
    """A quarter of a century ("quartel"): the century, with where in it as the mod."""
    tv = copy.deepcopy(m[3].val)
    if tv.mod or set(tv.f) - {"bc"} != {"cent"}:
        return None
    which = {"primeiro": 1, "segundo": 2, "terceiro": 3}.get(m[0].text, 4)
    tv.mod = _QUARTEL_MOD[which]
    return mk(tv, m)


@rule("compose", "dia <day> de <month>", "dia <DATE:daymonth>",
      ("no dia 8 de março de 1914", "1914-03-08"), ("o dia 25 de abril", "2000-04-25"))
def day_noun(m, ctx):
    """"no dia 8 de março": the noun names the date, like "dia 5" and "data de 30 de
    setembro"."""
    if m[1].val.type != "DATE" or m[1].val.mod:
        return None
    return mk(copy.deepcopy(m[1].val), m)


@rule("compose", "cerca de <date>", "<MOD:approx> <DATE:point>",
      ("por volta de 1500", "1500"), ("por volta de 1 de novembro", "2000-11-01"))
def approx_date(m, ctx):
    tv = copy.deepcopy(m[1].val)
    if tv.mod:
        return None
    tv.mod = m[0].val[0]
    return mk(tv, m)


@rule("compose", "data de <date>", "data de <DATE:daymonth>",
      ("a data de 30 de setembro", "2000-09-30"))
def date_noun(m, ctx):
    """"a data de 30 de setembro": the noun names the date, like "ano" in "ano de 1500"."""
    return mk(copy.deepcopy(m[2].val), m)


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


@rule("compose", "<duration> e <duration>", "<DURATION> e|, <DURATION>",
      ("dois anos e três meses", "P2Y3M"), ("seis anos, seis meses e 23 dias", "P6Y6M23D"))
def duration_sum(m, ctx):
    a, b = m[0].val, m[2].val
    if a.dur is None or b.dur is None or set(a.dur) & set(b.dur) or a.mod or b.mod:
        return None
    if None in a.dur.values() or None in b.dur.values():
        return None
    if m[1].text == ",":
        nxt, nxt2 = ctx.next(), ctx.next(1)
        if nxt is None or nxt.text != "e" or nxt2 is None or nxt2.kind != "DURATION":
            return None  # only a list that ends in "e <duration>"
    tv = Tv("DURATION", dur={**a.dur, **b.dur})
    return mk(tv, m)


@rule("compose", "<month> do ano passado", "<DATE:subyear_mod> @de <DATE:year_only>",
      ("junho do ano passado", "1999-06"), ("terceiro trimestre deste ano", "2000-Q3"),
      ("início de janeiro do ano seguinte", "2001-01"))
def partial_of_year(m, ctx):
    if m[2].val.mod:
        return None
    tv = copy.deepcopy(m[2].val)
    tv.f.update(m[0].val.f)
    tv.mod = m[0].val.mod
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


@rule("compose", "o trimestre homólogo", "trimestre|semestre|período homólogo|correspondente",
      ("face ao trimestre homólogo", "1999"))
def homologous_period(m, ctx):
    """The period in focus, a year earlier ("lucro do primeiro trimestre ... face ao trimestre
    homólogo" -> last year's Q1)."""
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("de", "do", "da", "dos", "das"):
        return None  # "período homólogo do ano passado" is the rule below
    return mk(Tv("DATE", shift=("year", -1, "dct"), same_period=True), m)


@rule("compose", "<weekday> (12)", "<DATE> ( <NUM:day> )",
      ("nesta terça (13) em Brasília", "2000-06-13"), ("neste domingo (11)", "2000-06-11"))
def weekday_with_day(m, ctx):
    """Brazilian news give the day after the weekday: the weekday's date with that day."""
    tv = copy.deepcopy(m[0].val)
    if "wd" not in tv.f or "d" in tv.f or "m" in tv.f or tv.shift is not None or \
            m[2].extra.get("digits") is None:
        return None
    tv.f["d"] = int(m[2].val)
    item = mk(tv, m[:1])
    item.extra.update(m[0].extra)
    return item


@rule("compose", "período homólogo do ano passado",
      "período|trimestre|semestre homólogo|correspondente? @de <DATE:year_only>",
      ("período homólogo do ano passado", "1999"), ("período de 1988", "1988"))
def period_of(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("a", "até", "ao", "e"):
        return None  # "o período de 2019 a 2022": an interval
    tv = copy.deepcopy(m[3].val)
    tv.same_period = True
    return mk(tv, m)


@rule("compose", "<time> desta <date>", "<TIME|POD> <DATE:day_level>",
      ("às 10h desta quarta", "2000-06-14T10:00"), ("noite desta segunda-feira", "2000-06-12TNI"))
def time_of_this_date(m, ctx):
    if not m[1].extra.get("lead", "").startswith("d"):
        return None  # only "desta/deste <date>", whose "de" was folded into the date
    return time_of_date([m[0], None, m[1]], ctx)


@rule("compose", "<time> de <date>", "<TIME> de|do|da <DATE:day_level>",
      ("meio-dia de sábado", "2000-06-10T12:00"), ("17h de 6 de novembro", "2000-11-06T17:00"))
def time_of_date(m, ctx):
    if m[0].kind == "POD":
        if ":" in m[0].val:
            return None
        m = [Item("TIME", m[0].start, m[0].end, "", Tv("TIME", {"pod": m[0].val})), *m[1:]]
    t, d = m[0].val, m[2].val
    if "hour" not in t.f and "pod" not in t.f or t.shift is not None:
        return None
    tv = copy.deepcopy(d)
    tv.type = "TIME"
    tv.f.update({k: v for k, v in t.f.items() if k in ("hour", "minute", "pod")})
    tv.mod = tv.mod or t.mod
    prev, prev2 = ctx.prev(), ctx.prev(2)
    if "wd" in tv.f and (prev is not None and prev.text == "até" or prev2 is not None and
                         prev2.text == "até" and prev.text in ("às", "as", "à", "a")):
        tv.lean = 1  # "prolonga-se até às 24h00 de domingo": the coming Sunday
    return mk(tv, m)


@rule("compose", "4 do próximo mês", "<NUM:day> do|de <DATE>",
      ("a 4 do próximo mês", "2000-07-04"), ("dia 10 do mês passado", "2000-05-10"))
def day_of_relative_month(m, ctx):
    """A day of a month named by its position (próximo, passado, seguinte, este)."""
    tv = m[2].val
    if m[0].extra.get("digits") is None or tv.shift is None or tv.shift[0] != "month" or tv.f:
        return None
    tv = copy.deepcopy(tv)
    tv.f["d"] = ival(m[0])
    return mk(tv, m)


@rule("compose", "noite de 24 para 25 de abril", "<TIME> de <NUM:day> para <DATE:daymonth>",
      ("na noite de 24 para 25 de abril de 1974", "1974-04-24TNI"))
def night_across_days(m, ctx):
    """A night named by the two days it joins: the part of the day of the first day."""
    t, d = m[0].val, m[4].val
    first = int(m[2].val)
    if not (set(t.f) == {"pod"} or set(t.f) <= {"hour", "minute"} and t.f) or \
            t.shift is not None or d.f["d"] - first not in (1, 0) and \
            not (first >= 28 and d.f["d"] == 1):
        return None
    tv = copy.deepcopy(d)
    tv.type = "TIME"
    tv.f["d"] = first
    if d.f["d"] < first:  # "de 31 de março para 1 de abril"
        tv.f["m"] = d.f["m"] - 1 if d.f["m"] > 1 else 12
        if d.f["m"] == 1 and isinstance(tv.f.get("y"), int):
            tv.f["y"] -= 1
    tv.f.update(t.f)  # the part of the day, or the clock time of "meia-noite"
    return mk(tv, m)


@rule("compose", "na manhã seguinte", "<TIME> seguinte|anterior",
      ("na manhã seguinte", "2000-06-16TMO"), ("na noite anterior", "2000-06-14TNI"))
def next_part_of_day(m, ctx):
    """The part of the day after (before) the reference day."""
    t = m[0].val
    if set(t.f) != {"pod"} or t.shift is not None:
        return None
    step = 1 if m[1].text == "seguinte" else -1
    return mk(Tv("TIME", {"pod": t.f["pod"]}, shift=("day", step, "ref")), m)


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


@rule("compose", "<weekday>, dia <day>", "<DATE:day_level> ,? dia? <DATE>",
      ("domingo, dia 8 de março", "2000-03-08"), ("até quinta-feira, dia 22", "2000-06-22"))
def date_apposition(m, ctx):
    a, b = m[0].val, m[3].val
    if "wd" not in a.f or a.shift is not None:
        return None
    if set(b.f) == {"d"} and b.shift is None:
        # "até quinta-feira, dia 10": the weekday whose date is the 10th
        tv = copy.deepcopy(a)
        tv.f["d"] = b.f["d"]
        tv.f.pop("thisweek", None)
        return Item("DATE", m[0].start, m[3].end, "", tv)
    tv = copy.deepcopy(b)
    return Item("DATE", m[0].start, m[3].end, "", tv)

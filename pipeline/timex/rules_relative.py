"""Layer 2, relative: deictic and anaphoric expressions, durations, sets.

ontem, ano passado, há dois anos, no ano seguinte, sete meses, todos os anos, de manhã.
"""

from __future__ import annotations

import copy
from typing import Any

from . import lexicon
from .grammar import Ctx
from .rulebook import mk, num, rule
from .tense import looks_like_verb
from .tokens import Item
from .values import Tv


@rule("relative", "hoje / ontem / amanhã", "<DAYREF>", ("ontem", "2000-06-14"),
      ("hoje", "2000-06-15"), ("amanhã", "2000-06-16"))
def day_ref(m, ctx):
    return mk(Tv("DATE", shift=("day", m[0].val, "dct"), today=m[0].val == 0), m)


@rule("relative", "atualmente / recentemente / em breve", "<REF>",
      ("atualmente", "PRESENT_REF"), ("no passado", "PAST_REF"), ("em breve", "FUTURE_REF"))
def fixed_ref(m, ctx):
    value, typ, _ = m[0].val
    return mk(Tv(typ, value=value), m)


@rule("relative", "no passado domingo", "<REF> <DATE>", ("no passado domingo", "2000-06-11"),
      ("no passado dia 3", "2000-06-03"))
def past_named(m, ctx):
    if m[0].text != "no passado":
        return None
    f = m[1].val.f
    if m[1].val.shift is not None or m[1].val.value is not None or "y" in f or \
            set(f) not in ({"m"}, {"wd"}, {"s"}, {"m", "d"}, {"d"}):
        return None
    tv = copy.deepcopy(m[1].val)
    tv.direction = -1
    return mk(tv, m)


@rule("relative", "<set adverb>", "<SETW>", ("semanalmente", "P1W"))
def set_adverb(m, ctx):
    return mk(Tv("SET", value=m[0].val), m)


_REL = lexicon.relative_words()
# em/de + demonstrative contractions cannot be split, so like prepositions they stay out of
# the span ("neste ano" -> "ano"); the production remembers them for "janeiro deste ano".
_CONTRACTED = {w for (w, _), (_, _, contracted) in _REL.items() if contracted}


@rule("relative", "este|próximo|último|esse <unit>", "@rel_before mesmo|mesma? <UNIT:sing> fiscal?",
      ("este ano", "2000"), ("próxima semana", "2000-W25"), ("último trimestre", "2000-Q1"),
      ("neste mês", "2000-06"))
def demonstrative_unit(m, ctx):
    base, n, _ = _REL[(m[0].text, "before")]
    grain = m[2].val[0]
    if grain in ("hour", "minute", "second"):
        return None
    if m[1] is not None and (base, n) != ("ref", 0):
        return None  # "nesse mesmo mês", not "próximo mesmo mês"
    # "neste/esse trimestre" in a report is the quarter being reported (the one in focus)
    focus = grain == "quarter" and n == 0
    return _lead_item(Tv("DATE", shift=(grain, n, base), same_period=focus), m)



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
      "<UNIT:sing> fiscal? @rel_after",
      ("ano passado", "1999"), ("mês que vem", "2000-07"), ("semana passada", "2000-W23"))
def unit_trailing(m, ctx):
    base, n, _ = _REL[(m[2].text, "after")]
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


def _current_whole(grain: str, m):
    """`todo o ano` / `o ano inteiro`: the current unit, for units a calendar names."""
    if grain not in ("year", "month", "week", "quarter", "half"):
        return None
    return mk(Tv("DATE", shift=(grain, 0, "dct")), m)


@rule("relative", "todo o ano", "todo|toda o|a <UNIT:sing>", ("todo o ano", "2000"))
def whole_unit(m, ctx):
    return _current_whole(m[2].val[0], m)


@rule("relative", "o ano inteiro", "<UNIT:sing> inteiro|inteira", ("o ano inteiro", "2000"))
def unit_whole(m, ctx):
    return _current_whole(m[0].val[0], m)


@rule("relative", "ano fiscal", "ano|exercício fiscal", ("ano fiscal", "2000"))
def fiscal_this_year(m, ctx):
    return mk(Tv("DATE", shift=("year", 0, "dct")), m)


@rule("relative", "<weekday|month|season> passado|próximo",
      "<DATE:named> @rel_after",
      ("março passado", "2000-03"), ("sexta-feira passada", "2000-06-09"),
      ("domingo que vem", "2000-06-18"))
def named_trailing(m, ctx):
    _, n, _ = _REL[(m[1].text, "after")]
    if n == 0:
        return None
    tv = copy.deepcopy(m[0].val)
    tv.direction = n
    return mk(tv, m)


@rule("relative", "próximo|último <weekday|month|season>",
      "@rel_before <DATE:named>",
      ("próximo domingo", "2000-06-18"), ("última primavera", "2000-SP"))
def named_leading(m, ctx):
    _, n, _ = _REL[(m[0].text, "before")]
    if n == 0:
        return None  # "esta sexta-feira": see this_weekday
    tv = copy.deepcopy(m[1].val)
    tv.direction = n
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
    if prev is not None and prev.text == "desde" and n > 1:
        # "desde há dois anos" = for two years: a duration ("desde há um ano" = since a year ago)
        return mk(Tv("DURATION", dur={grain: n}, mod=mod), m)
    tv = Tv("DATE", shift=(g, -k, "dct"), mod=mod)
    tv.same_period = grain == "year" and k == 1
    return mk(tv, m)


@rule("relative", "nessa data", "@rel_before data", ("nessa data", "2000-06-15"),
      ("a partir daquela data", "2000-06-15"))
def demonstrative_date(m, ctx):
    """"a partir daquela data": the day of the reference (the DCT for "esta data")."""
    base, n, contracted = _REL[(m[0].text, "before")]
    if n != 0:
        return None
    return mk(Tv("DATE", shift=("day", 0, base)), m[1:] if contracted else m)


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
    if n != int(n) or grain == "second":
        return None
    sign = -1 if w == "antes" else 1
    if grain in ("hour", "minute"):
        # "quarenta minutos depois": a clock time counted from the last one
        return mk(Tv("TIME", shift=(grain, sign * int(n), "ref")), m)
    g = "day" if grain == "week" else grain
    tv = Tv("DATE", shift=(g, sign * int(n) * (7 if grain == "week" else 1), "ref"))
    tv.same_period = grain == "year" and int(n) == 1 and sign < 0
    return mk(tv, m)


@rule("relative", "<n> <unit>", "<NUM:qty> <UNIT>",
      ("sete meses", "P7M"), ("duas semanas", "P2W"), ("meia hora", "PT30M"),
      ("vinte e cinco anos", "P25Y"))
def duration(m, ctx):
    if m[1].val[0] == "year" and _is_age(m, ctx):
        # not a timex; kept (never output) so that a biography can count from the birth date:
        # "Nasceu em 1874. Aos sete anos ...; dois anos depois" -> 1883
        n = num(m[0])
        return mk(Tv("AGE", dur={"year": n}), m) if n == int(n) else None
    prev = ctx.prev()
    if m[1].val[0] == "minute" and prev is not None and prev.text in ("aos", "ao"):
        return None  # "marcou aos 90 minutos": a moment of the match, not a duration
    if m[1].cap and m[0].cap and prev is not None and prev.kind == "w":
        return None  # "a Guerra dos Cem Anos", "dos Sete Anos": part of a name
    return mk(Tv("DURATION", dur={m[1].val[0]: num(m[0])}), m)


_AGE_VERBS = frozenset("aos com tem tinha terá teria tenho tens completou completa completará "
                       "completava completar completaria fazer fez fará faria".split())


def _is_age(m: list[Any], ctx: Ctx) -> bool:
    """Ages are not temporal expressions: "Hernandez, de 49 anos", "aos 20 anos",
    "uma instituição de 136 anos de idade"."""
    k = 1  # "com apenas sete anos", "com mais de 60 anos": look past the quantity words
    while ctx.prev(k) is not None and (ctx.prev(k).kind == "MOD" or ctx.prev(k).text in (
            "apenas", "só", "quase", "cerca")):
        k += 1
    if k > 1 and (ctx.prev(k) is None or ctx.prev(k).text not in ("com", "aos") and not (
            ctx.prev(k).text in _AGE_VERBS and k == 2 and ctx.prev().text in ("apenas", "só"))):
        k = 1  # "a pedra tem cerca de dois mil anos" is the stone's age: a duration;
        # "tinha apenas dois anos" is a person's
    prev, prev2, nxt = ctx.prev(k), ctx.prev(k + 1), ctx.next()
    if nxt is not None and nxt.text == "de" and ctx.next(1) is not None and \
            ctx.next(1).text == "idade":
        return True
    if prev is None:
        return False
    if prev.text in _AGE_VERBS and (nxt is None or nxt.kind == "p" or nxt.text in ("e", "quando")):
        return True  # "aos 20 anos", "com 37 anos,", "Ele tem 45 anos e ..."
    if prev.text == "aos" or prev.text == "com" and nxt is not None and nxt.text in (
            "à", "quando", "já", "apenas", "só"):
        return True  # "Aos 20 anos partiu para Paris", "com 37 anos à altura do rapto"
    if k > 1 and prev.text == "com" and (nxt is None or nxt.text not in ("de", "do", "da")):
        return True  # "crianças com menos de nove anos nas fábricas" ("de experiência" is not)
    return prev.text == "de" and prev2 is not None and (prev2.text == "," or prev2.cap)


@rule("relative", "meio <unit>", "meio|meia <UNIT:sing>",
      ("meio século", "P50Y"), ("meio ano", "P6M"), ("meia década", "P5Y"))
def half_unit(m, ctx):
    """"meio" is also the MID modifier ("meio da tarde"); before a unit it is a half."""
    if m[1].val[0] in ("day", "weekend"):
        return None  # "meio dia" is mostly noon written without its hyphen
    return mk(Tv("DURATION", dur={m[1].val[0]: 0.5}), m)


@rule("relative", "duas a três semanas", "<NUM:card> a|ou <NUM:card> <UNIT:pl>",
      ("dentro de duas a três semanas", "PXW"), ("os próximos 12 a 18 meses", "PXM"))
def duration_range(m, ctx):
    """A measure given as a range is one expression; its exact amount is unknown."""
    if not num(m[0]) < num(m[2]):
        return None
    return mk(Tv("DURATION", dur={m[3].val[0]: None}), m)


@rule("relative", "semanas ou meses", "<UNIT:pl> ou <UNIT:pl>", ("semanas ou meses", "PXW"))
def units_either(m, ctx):
    prev = ctx.prev()
    if prev is not None and prev.text in _DETERMINERS:
        return None
    return mk(Tv("DURATION", dur={m[0].val[0]: None}), m)


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
    item = mk(Tv("DURATION", dur={m[2].val[0]: n}), m)
    if n is None and m[0].text.startswith(("primeir", "últim")):
        # "nos primeiros anos do século XX": the compose layer may read it as START of a date
        item.extra["edge"] = "START" if m[0].text.startswith("primeir") else "END"
    return item


@rule("relative", "<n> primeiros <units>",
      "<NUM:qty> primeiros|primeiras|últimos|últimas <UNIT:pl>",
      ("dois primeiros anos", "P2Y"))
def edge_duration_post(m, ctx):
    return mk(Tv("DURATION", dur={m[2].val[0]: num(m[0])}), m)


@rule("relative", "durante <units>", "durante|por|há|em|dentro_de <UNIT:pl>",
      ("durante anos", "PXY"), ("pela primeira vez em anos", "PXY"),
      ("durante séculos fora considerado", "PXC"))
def bare_plural_duration(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.kind == "w" and nxt.text not in _FOLLOW_OK and not (
            m[0].text == "durante" and (looks_like_verb(nxt.text) or nxt.text in (
                "do", "da", "dos", "das", "no", "na", "nos", "nas"))):
        return None  # "em dias úteis", "por meses de verão"; "durante séculos fora" is fine
    return mk(Tv("DURATION", dur={m[1].val[0]: None}), m[1:])


@rule("relative", "ao longo dos <units>", "longo|passar|decorrer|correr dos|das <UNIT:pl>",
      ("ao longo dos séculos", "PXC"), ("com o passar dos anos", "PXY"))
def over_the_units(m, ctx):
    """"ao longo dos anos", "com o passar dos dias": an unspecified stretch; the span is the
    unit, like "durante anos"."""
    nxt = ctx.next()
    if nxt is not None and nxt.kind == "w" and nxt.text in ("de", "do", "da", "dos", "das"):
        return None  # "ao longo dos anos de guerra" names the years
    return mk(Tv("DURATION", dur={m[2].val[0]: None}), m[2:])


@rule("relative", "após anos de luta", "após|depois|antes|fim|cabo de? <UNIT:pl>",
      ("após anos de luta", "PXY"), ("ao fim de meses de negociação", "PXM"))
def after_units(m, ctx):
    """An unspecified number of units after a preposition of time: the unit. ("uma questão de
    semanas" is not tagged: TimeBankPT leaves "questão de dias" out.)"""
    if m[0].text in ("depois", "antes", "fim", "cabo") and m[1] is None:
        return None  # "anos depois" is another rule; these need their "de"
    nxt = ctx.next()
    if nxt is not None and nxt.kind == "w" and nxt.text not in _FOLLOW_OK:
        return None
    return mk(Tv("DURATION", dur={m[2].val[0]: None}), m[2:])


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


@rule("relative", "nas duas décadas seguintes", "<DURATION> seguintes|subsequentes",
      ("nas duas décadas seguintes", "P2E"))
def counted_following(m, ctx):
    tv = m[0].val
    if tv.mod or tv.dur is None:
        return None
    return mk(copy.deepcopy(tv), m)


@rule("relative", "nos anos que se seguiram", "<UNIT:pl> que se? seguiram|seguiu|sucederam",
      ("nos anos que se seguiram", "PXY"), ("nas semanas que se seguiram", "PXW"))
def units_that_followed(m, ctx):
    """Like "nos anos seguintes", with a relative clause."""
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
    return mk(Tv("DATE", shift=("quarter", 0, "ref"), same_period=True, needs_focus=True), m)


_EDGE_OF_YEAR = {("day", 1): {"m": 12, "d": 31}, ("day", 0): {"m": 1, "d": 1},
                 ("month", 1): {"m": 12}, ("month", 0): {"m": 1}}


@rule("relative", "último dia desse ano",
      "último|última|primeiro|primeira <UNIT:sing> deste|desse|daquele|do ano",
      ("no último dia desse ano", "2000-12-31"), ("o primeiro dia do ano", "2000-01-01"))
def edge_of_this_year(m, ctx):
    """The first or last day (month) of the year in focus."""
    f = _EDGE_OF_YEAR.get((m[1].val[0], int(m[0].text.startswith("últim"))))
    if f is None:
        return None
    base = _REL[(m[2].text, "before")][0] if m[2].text != "do" else "ref"
    return mk(Tv("DATE", dict(f), shift=("year", 0, base)), m)


@rule("relative", "último trimestre de <year>", "último|última <UNIT:sing> @de <DATE:plainyear>",
      ("último semestre de 1989", "1989-H2"), ("último trimestre de 1990", "1990-Q4"))
def last_part_of_year(m, ctx):
    last = {"quarter": ("q", 4), "half": ("h", 2), "month": ("m", 12)}.get(m[1].val[0])
    tv = copy.deepcopy(m[3].val)
    if m[1].val[0] == "day":  # "último dia de 1705"
        tv.f.update({"m": 12, "d": 31})
        return mk(tv, m)
    if last is None:
        return None
    tv.f[last[0]] = last[1]
    return mk(tv, m)


_FOLLOW_OK = {"e", "ou", "a", "o", "de", "que", "em", "para", "com", "sem", "até", "depois",
              "antes", "seguidos", "seguidas", "consecutivos"}


@rule("relative", "todos os <units>", "todos|todas os|as <UNIT:pl>",
      ("todos os anos", "P1Y"), ("todas as semanas", "P1W"))
def every_unit(m, ctx):
    return mk(Tv("SET", dur={m[2].val[0]: 1}), m)


_POD_PLURAL = {w + "s": code for w, code in lexicon.mapping("parts_of_day").items()
               if code.isalpha()}
_POD_PLURAL_WORDS = "|".join(sorted(w for w in _POD_PLURAL if " " not in w))


@rule("relative", "todas as noites", f"todos|todas os|as {_POD_PLURAL_WORDS}",
      ("todas as noites", "XXXX-XX-XXTNI"), ("todas as manhãs", "XXXX-XX-XXTMO"))
def every_part_of_day(m, ctx):
    return mk(Tv("SET", value=f"XXXX-XX-XXT{_POD_PLURAL[m[2].text]}"), m)


@rule("relative", "anos depois", "<UNIT:pl> depois|antes|mais_tarde",
      ("anos depois", "PXY"), ("semanas mais tarde", "PXW"))
def bare_units_later(m, ctx):
    """"Anos mais tarde, ...", "Décadas depois": an unspecified measure before a shift; like
    "poucos dias depois" (TimeBankPT: "Poucos dias" PXD), the span is the measure."""
    prev = ctx.prev()
    if prev is not None and prev.text in _DETERMINERS:
        return None  # "os anos depois da guerra"; "dez anos antes" is another rule
    return mk(Tv("DURATION", dur={m[0].val[0]: None}), m[:1])


_DETERMINERS = frozenset("os as dos das nos nas aos às pelos pelas esses essas estes estas "
                         "aqueles aquelas uns umas seus suas meus minhas".split())


@rule("relative", "todos os verões", "todos|todas os|as <SEASON>", ("todos os verões", "XXXX-SU"))
def every_season(m, ctx):
    if not m[2].text.endswith("s"):
        return None
    return mk(Tv("SET", value=f"XXXX-{m[2].val}"), m)


@rule("relative", "na véspera", "na|da|à|a véspera", ("na véspera", "2000-06-14"),
      ("marcada para a véspera", "2000-06-14"))
def eve(m, ctx):
    nxt = ctx.next()
    if nxt is not None and nxt.text in ("de", "do", "da", "dos", "das"):
        return None  # "véspera de Natal", "véspera da eleição"
    prev = ctx.prev()
    if m[0].text == "a" and (prev is None or prev.text not in ("para", "até", "desde")):
        return None  # "a véspera" only after a preposition ("marcada para a véspera")
    return mk(Tv("DATE", shift=("day", -1, "ref")), m[1:])


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
    tv = Tv("TIME", {"pod": m[1].val}, shift=("day", 0, "dct"))
    # "nessa manhã" -> "manhã": a contraction stays out like a preposition
    return mk(tv, m[1:] if m[0].text in _CONTRACTED else m)


@rule("relative", "esta sexta-feira", "@rel_before <DATE:named>",
      ("esta sexta-feira", "2000-06-16"), ("nesta segunda-feira", "2000-06-12"))
def this_weekday(m, ctx):
    if _REL[(m[0].text, "before")][:2] != ("dct", 0):
        return None
    tv = copy.deepcopy(m[1].val)
    if set(tv.f) != {"wd"}:
        return None
    tv.f["thisweek"] = True  # the one in the DCT's (or reference's) week
    return _lead_item(tv, m)


@rule("relative", "de manhã", "de|pela|à|durante|na|ao|da a? <POD:pod>",
      ("de manhã", "2000-06-15TMO"), ("à noite", "2000-06-15TNI"))
def bare_pod(m, ctx):
    prev = ctx.prev()
    if prev is not None and prev.text in ("mais", "muito", "tão", "bem", "demasiado", "boa"):
        return None
    item = mk(Tv("TIME", {"pod": m[2].val}), m[2:])
    item.extra["lead"] = m[0].text  # "meio da tarde": a modifier may need the "da"
    return item


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

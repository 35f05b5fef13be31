"""Verb tense near an expression, to place ``em março`` or ``sexta-feira`` before or after the
DCT in news. With a tagged spaCy doc the component uses the morphology; without one this
module guesses from Portuguese verb endings (good enough for the common perfect/future forms).
"""

from __future__ import annotations

import re

_PAST = re.compile(
    r"\b(?:foi|foram|fora|houve|teve|tiveram|fez|fizeram|disse|disseram|esteve|estiveram|deu|"
    r"deram|veio|vieram|pôde|quis|soube|trouxe|"
    r"\w{3,}(?<!est)ou|\w{2,}aram|\w{2,}eram|\w{2,}iram|\w{2,}(?<![mst])eu|\w{2,}iu|"
    r"\w{3,}ava|\w{3,}avam|tinha|tinham|havia)\b"
)
_FUTURE = re.compile(
    r"\b(?:vai|vão|irá|irão|\w{2,}rá|\w{2,}rão|\w{2,}remos|deverá|deverão|pretende|pretendem|"
    r"planeia|planeiam|prevê|preveem|"
    r"(?<!tinha sido )(?<!havia sido )(?:marcad|agendad|previst|programad)[oa]s? para|"
    r"(?:está|estão|é|são) (?:previst|agendad|programad)[oa]s?|"
    # present tense of scheduling verbs: news use it for what is planned ("viaja na terça")
    r"viaja|viajam|regressa|regressam|chega|chegam|começa|começam|termina|"
    r"terminam|acontece|acontecem|decorre|decorrem|realiza-se|realizam-se|vota|votam|"
    r"retoma|retomam|joga|jogam|inaugura|inauguram|"
    r"reúne-se|reúnem-se|esperam|espera-se|prevê-se|preveem-se|prolonga-se|prolongam-se|"
    r"vigora|vigoram|(?:continua|continuam|mantém-se|mantêm-se) até)\b"
)
# present tense of -erar verbs looks like the -eram past (esperam, consideram): not past
_NOT_PAST = frozenset("esperam consideram operam geram alteram aceleram lideram superam "
                      "recuperam moderam toleram deliberam ponderam liberam cooperam exageram "
                      "reiteram desesperam prosperam".split())
_NOT_VERBS = frozenset("pouco sou estou vou dou ou europeu museu judeu já lá cá está "
                       "será".split())


def guess_tense(text: str, sent_start: int, sent_end: int, start: int, end: int) -> int:
    """-1 past, +1 future, 0 unknown: the verb form closest to [start, end) in the sentence."""
    best, best_dist = 0, None
    # a bounded window, so a text without sentence punctuation stays linear
    sent_start = max(sent_start, start - 300)
    sent_end = min(sent_end, end + 300)
    seg = text[sent_start:sent_end].lower()
    for rx, val in ((_PAST, -1), (_FUTURE, 1)):
        for m in rx.finditer(seg):
            w = m.group(0)
            if w in _NOT_VERBS and w != "será" or val < 0 and w in _NOT_PAST:
                continue
            a, b = sent_start + m.start(), sent_start + m.end()
            dist = start - b if b <= start else a - end  # from the verb's nearer edge
            if best_dist is None or dist < best_dist:
                best, best_dist = val, dist
    return best


def looks_like_verb(word: str) -> bool:
    """A past or future finite verb form by its ending (``fora``, ``viveu``, ``esperaram``)."""
    w = word.lower()
    if w in _NOT_VERBS:
        return False
    return bool(_PAST.fullmatch(w) or _FUTURE.fullmatch(w))

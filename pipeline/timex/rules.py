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
test suite checks every one of them. The rules themselves live in ``rules_dates.py``,
``rules_relative.py``, ``rules_compose.py`` and ``rules_intervals.py``; ``rulebook.py`` has
the registry and the builders they share.
"""

# The rule modules register their rules when imported, in layer order; within a layer the
# registration order only breaks ties between equally long matches.
from . import rules_dates  # noqa: F401, I001
from . import rules_relative  # noqa: F401
from . import rules_compose  # noqa: F401
from . import rules_intervals  # noqa: F401
from .grammar import Layer, Rule
from .rulebook import RULES

LAYERS = [Layer(name, rules) for name, rules in RULES.items()]


def all_rules() -> list[Rule]:
    return [r for rs in RULES.values() for r in rs]

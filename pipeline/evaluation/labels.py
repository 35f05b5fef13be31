"""Entity labels we score (PER, LOC, ORG) and the names other corpora give them."""

from __future__ import annotations

LABELS = ("PER", "LOC", "ORG")

_ALIASES = {
    "PER": "PER", "PERSON": "PER", "PESSOA": "PER", "PESSOAS": "PER",
    "LOC": "LOC", "LOCATION": "LOC", "LOCAL": "LOC", "LOCALIDADE": "LOC", "GPE": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANIZACAO": "ORG", "ORGANIZAÇÃO": "ORG",
}


def normalise_label(label: str) -> str | None:
    """PER/LOC/ORG for a label we score, None for the others (OTH, MISC, TEMPO, …)."""
    return _ALIASES.get(label.strip().upper())

"""anais: Portuguese NLP extraction pipeline.

    import pipeline
    nlp = pipeline.load()                       # our trained pipeline (pt_anais)
    result = pipeline.extract("Em outubro de 1910 …", dct=None, nlp=nlp)
    result.timexes, result.entities, result.events   # lists of pipeline.schema records
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "extract_documents", "load"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import pipeline` (and `anais --help`) do not pay for importing spaCy.
    if name == "load":
        from pipeline.model_loading import load

        return load
    if name in ("extract", "extract_documents"):
        from pipeline import extraction

        return getattr(extraction, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")

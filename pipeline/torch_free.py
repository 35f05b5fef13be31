"""A process that runs only anais's own pipelines starts without PyTorch.

thinc, under spaCy, imports PyTorch whenever it is installed, to offer its wrappers of PyTorch
models; anais's pipelines use none (the accurate encoder runs in numpy). Where PyTorch is
installed (a training environment, many a data team's), that import cost each process about
1.8 s and 180 MB. So before spaCy is imported, a process about to load one of our pipelines
marks ``torch`` as absent, which thinc reads as "not installed". Any other pipeline (an
installed package, a folder: it may be a transformer) keeps PyTorch.
"""

from __future__ import annotations

import sys

#: what ``--model`` may name that is ours (``pipeline.model_loading``: the variants, their
#: package names, ``auto`` and ``blank``)
OWN_MODELS = frozenset({"auto", "blank", "fast", "accurate", "pt_anais", "pt_anais_accurate"})


def skip_torch(model: str | None) -> bool:
    """Mark PyTorch absent for this process if ``model`` is ours and neither PyTorch nor thinc
    is imported yet; returns whether it did."""
    if model not in OWN_MODELS or "torch" in sys.modules or "thinc" in sys.modules:
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    return True

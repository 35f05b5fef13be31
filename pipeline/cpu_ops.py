"""The matrix products of a loaded pipeline's thinc models on numpy's BLAS.

thinc's CPU backend computes them with blis, on one thread whatever the machine has. numpy's
BLAS (OpenBLAS) was faster on one thread on the machine anais is measured on, and spreads the
same products over the BLAS threads in effect (every core in one process; a worker's share
under ``--workers`` or Dask): that helps short documents, whose time is mostly large products,
more than long ones (``benchmarks/README.md``). The results are the same: Bosque dev's tags,
lemmas, trees and entities do not change on any token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


def spread_products(nlp: Language) -> int:
    """Give every thinc model of ``nlp`` that runs on the plain CPU backend the numpy-BLAS
    one; returns how many models were switched. Other backends (a GPU's) are left alone."""
    from thinc.api import Model, NumpyOps

    ops = NumpyOps(use_blis=False)
    switched = 0
    for _name, component in nlp.components:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps and node.ops.use_blis:
                node.ops = ops
                switched += 1
    return switched

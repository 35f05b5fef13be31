"""pipeline/cpu_ops.py: the thinc models of a loaded pipeline compute their matrix products
with numpy's BLAS (threads as BLAS is given them), with the results blis gives."""

from __future__ import annotations

import spacy
from thinc.api import NumpyOps, Ops

from pipeline.cpu_ops import spread_products

# Written for these tests.
TEXTS = [
    "A comissão reuniu-se em Coimbra, em março de 1975, com o ministro Mário Soares.",
    "O Banco do Brasil anunciou ontem que vai abrir agências em Manaus e em Belém.",
    "Depois da guerra, a família mudou-se para Paris, onde o pai trabalhou numa fábrica.",
]


def _models(nlp):
    return [node for _name, component in nlp.components
            if hasattr(getattr(component, "model", None), "walk")
            for node in component.model.walk()]


def _annotations(nlp) -> list[tuple]:
    return [(t.text, t.pos_, t.lemma_, t.head.i, t.dep_, t.ent_iob_, t.ent_type_)
            for doc in nlp.pipe(TEXTS) for t in doc]


def test_every_model_of_a_loaded_pipeline_uses_numpy_blas(shipped_nlp) -> None:
    nodes = _models(shipped_nlp)
    assert nodes and all(type(n.ops) is NumpyOps and not n.ops.use_blis for n in nodes)


def test_the_same_annotations_as_with_blis(shipped_nlp) -> None:
    spread = _annotations(shipped_nlp)
    nodes = _models(shipped_nlp)
    blis = NumpyOps(use_blis=True)
    previous = [n.ops for n in nodes]
    try:
        for node in nodes:
            node.ops = blis
        assert _annotations(shipped_nlp) == spread
        assert spread_products(shipped_nlp) == len(nodes)
    finally:
        for node, ops in zip(nodes, previous, strict=True):
            node.ops = ops
    assert any(ent for doc in shipped_nlp.pipe(TEXTS) for ent in doc.ents)


class OtherOps(Ops):  # a backend that is not thinc's plain CPU one (a GPU's, say)
    name = "other"


def test_other_backends_are_left_alone() -> None:
    nlp = spacy.blank("pt")
    nlp.add_pipe("tok2vec")
    nlp.initialize()
    nodes = _models(nlp)
    other = OtherOps()
    nodes[0].ops = other
    assert spread_products(nlp) == len(nodes) - 1
    assert nodes[0].ops is other
    assert spread_products(nlp) == 0   # already switched

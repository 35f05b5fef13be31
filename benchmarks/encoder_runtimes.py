"""Runtimes for the accurate pipeline's encoder: numpy (what anais runs) against onnxruntime
with float32 and with int8 weights.

The ONNX graph is built from the same float32 matrices the numpy forward pass uses (the
shipped weights with the fine-tuned updates merged); onnxruntime's dynamic quantization turns
the weight matrices into int8 (activations quantized per call). Embeddings and their layer
norm stay in numpy. Prints, per runtime: agreement of the last layer's states with numpy,
entity F1 of the shipped head on UNER dev documents (the model alone; the documents of the
convert stage's `ner_dev.spacy`, without sentence boundaries, so each is one window), and
encoder tokens per CPU second. Needs `pip install onnx onnxruntime` (not anais dependencies).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/encoder_runtimes.py [--docs 200]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def build_model(layers: list[dict[str, tuple[np.ndarray, np.ndarray]]], hidden: int,
                heads: int, eps: float, keep: Sequence[int]) -> Any:
    """An ONNX model of ``layers`` (as ``transformer.Encoder`` holds them: ``qkv``, ``ao``,
    ``fi``, ``fo`` as (in, out) matrices with biases, ``aln``/``oln`` layer norms)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    head_dim = hidden // heads

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    const("shape_split", np.array([0, 0, 3, heads, head_dim], np.int64))
    const("shape_join", np.array([0, 0, hidden], np.int64))
    const("scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    const("half", np.array(0.5, np.float32))
    const("one", np.array(1.0, np.float32))
    const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), np.float32))
    for k in range(3):
        const(f"idx{k}", np.array(k, np.int64))
    x = "x"
    outputs = []
    for i, layer in enumerate(layers):
        p = f"l{i}."

        def dense(inp: str, name: str, p: str = p, layer: dict = layer) -> str:
            w, b = layer[name]
            mm = node("MatMul", [inp, const(p + name + ".w", w.astype(np.float32))],
                      p + name + ".mm")
            return node("Add", [mm, const(p + name + ".b", b.astype(np.float32))],
                        p + name + ".out")

        def norm(inp: str, name: str, p: str = p, layer: dict = layer) -> str:
            g, b = layer[name]
            return node("LayerNormalization",
                        [inp, const(p + name + ".g", g.astype(np.float32)),
                         const(p + name + ".beta", b.astype(np.float32))],
                        p + name + ".out", axis=-1, epsilon=float(eps))

        qkv = node("Reshape", [dense(x, "qkv"), "shape_split"], p + "qkv5")
        qkv = node("Transpose", [qkv], p + "qkvT", perm=[2, 0, 3, 1, 4])
        q, k, v = (node("Gather", [qkv, f"idx{j}"], p + n, axis=0)
                   for j, n in enumerate(("q", "k", "v")))
        q = node("Mul", [q, "scale"], p + "qs")
        kt = node("Transpose", [k], p + "kT", perm=[0, 1, 3, 2])
        scores = node("Add", [node("MatMul", [q, kt], p + "qk"), "mask"], p + "scores")
        probs = node("Softmax", [scores], p + "probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], p + "ctx")], p + "ctxT",
                   perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "shape_join"], p + "ctx3")
        x1 = norm(node("Add", [x, dense(ctx, "ao")], p + "res1"), "aln")
        mid = dense(x1, "fi")
        # exact GELU: x/2 · (1 + erf(x/√2)), what the encoder was trained with
        erf = node("Erf", [node("Mul", [mid, "inv_sqrt2"], p + "gs")], p + "erf")
        gelu = node("Mul", [node("Mul", [mid, "half"], p + "gh"),
                            node("Add", [erf, "one"], p + "g1")], p + "gelu")
        x = norm(node("Add", [x1, dense(gelu, "fo")], p + "res2"), "oln")
        if i + 1 in keep:
            outputs.append(node("Identity", [x], f"h{i + 1}"))
    if not keep:
        outputs.append(node("Identity", [x], "last"))
    graph = helper.make_graph(
        nodes, "anais_encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", hidden]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT,
                                       ["batch", 1, 1, "length"])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", "length", hidden])
         for name in outputs], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


class LayerSession:
    """An onnxruntime session of the encoder's layers; ``int8`` quantizes their weights."""

    def __init__(self, layers: list[dict], hidden: int, heads: int, eps: float,
                 keep: Sequence[int] = (), int8: bool = True, threads: int | None = None
                 ) -> None:
        import onnx
        import onnxruntime as ort

        model = build_model(layers, hidden, heads, eps, keep)
        options = ort.SessionOptions()
        if threads is None:
            threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        with tempfile.TemporaryDirectory(prefix="anais-encoder-") as tmp:
            plain = Path(tmp) / "encoder.onnx"
            onnx.save(model, plain)
            path = plain
            if int8:
                from onnxruntime.quantization import QuantType, quantize_dynamic

                path = Path(tmp) / "encoder-int8.onnx"
                # only products with a weight matrix: attention scores stay float
                quantize_dynamic(plain, path, weight_type=QuantType.QInt8, per_channel=True,
                                 extra_options={"MatMulConstBOnly": True})
            self.session = ort.InferenceSession(str(path), options,
                                                providers=["CPUExecutionProvider"])
        self.outputs = [o.name for o in self.session.get_outputs()]

    def run(self, x: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        return self.session.run(self.outputs, {"x": x.astype(np.float32, copy=False),
                                               "mask": mask.astype(np.float32, copy=False)})


def _forward(encoder: Any, session: LayerSession | None, ids: np.ndarray, lengths: np.ndarray,
             plain: Any) -> np.ndarray:
    if session is None:
        return plain(ids, lengths)
    from pipeline.encoder.transformer import layer_norm

    batch, length = ids.shape
    x = encoder.embed(ids.reshape(-1)).reshape(batch, length, encoder.hidden)
    x = layer_norm(x + encoder.position[:length][None] + encoder.token_type, *encoder.emb_norm,
                   encoder.eps)
    pad = np.arange(length)[None, :] >= lengths[:, None]
    mask = np.where(pad, np.float32(-1e9), np.float32(0.0))[:, None, None, :]
    return session.run(x, mask)[0]


def main() -> None:
    import argparse
    import time

    import spacy
    from spacy.tokens import DocBin

    from pipeline.encoder.component import EncoderTagger

    root = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=0, help="first N dev documents (0: all)")
    ap.add_argument("--dev", type=Path, default=root / "models/.work/corpus/ner_dev.spacy")
    args = ap.parse_args()
    tagger = EncoderTagger().from_disk(root / "models/pt_anais_accurate/anais_encoder_ner")
    encoder = tagger.encoder
    numpy_forward = encoder.forward
    nlp = spacy.blank("pt")
    gold = list(DocBin().from_disk(args.dev).get_docs(nlp.vocab))
    gold = gold[:args.docs] if args.docs else gold
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 20000, size=(8, 48))
    lengths = np.array([48, 40, 33, 20, 48, 12, 5, 48])
    reference = numpy_forward(ids, lengths)
    valid = np.arange(48)[None, :] < lengths[:, None]
    for name, int8 in (("numpy", None), ("onnxruntime float32", False),
                       ("onnxruntime int8", True)):
        started = time.time()
        session = None if int8 is None else LayerSession(
            encoder.layers, encoder.hidden, encoder.heads, encoder.eps, int8=int8)
        built = time.time() - started
        states = _forward(encoder, session, ids, lengths, numpy_forward)
        a, b = reference[valid], states[valid]
        cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        encoder.forward = (lambda i, n, mixes=None, s=session:
                           _forward(encoder, s, i, n, numpy_forward))
        pred = [d.copy() for d in gold]
        for d in pred:
            d.ents = []
        cpu = time.process_time()
        for i in range(0, len(pred), 16):
            tagger.tag_docs(pred[i:i + 16])
        cpu = time.process_time() - cpu
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gs = {(e.start, e.end, e.label_) for e in g.ents}
            ps = {(e.start, e.end, e.label_) for e in p.ents}
            tp, fp, fn = tp + len(gs & ps), fp + len(ps - gs), fn + len(gs - ps)
        tokens = sum(len(d) for d in gold)
        print(f"{name:22} build {built:4.1f} s  min cosine to numpy {cos.min():.5f}  "
              f"entity F1 {2 * tp / (2 * tp + fp + fn):.4f}  "
              f"{tokens / cpu:,.0f} tokens per CPU second", flush=True)


if __name__ == "__main__":
    main()

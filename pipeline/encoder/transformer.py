"""The encoder's forward pass in numpy (BERT-style post-layer-norm transformer).

Sentences are sorted by length and run in padded batches, so the matrix products see a few
thousand rows at once (BLAS does the work) and padding stays small. Weights are float32,
dequantized once; fine-tuned parameters (low-rank updates merged in, layer norms, biases)
replace the shipped ones at load time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
from threadpoolctl import ThreadpoolController

from pipeline.encoder.weights import EncoderWeights

# Abramowitz-Stegun 7.1.26 erf (|error| < 1.5e-7): numpy has no erf and exact GELU is what the
# encoder was trained with.
_P = 0.3275911
_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


@cache
def blas_controller() -> ThreadpoolController:
    # finding the loaded BLAS libraries takes milliseconds: once per process
    return ThreadpoolController()


def blas_threads() -> int:
    """The BLAS threads in effect now (``OPENBLAS_NUM_THREADS``, a ``threadpool_limits``
    block, a worker's single thread): the encoder runs as many slices of a batch at once."""
    return max((lib["num_threads"] for lib in blas_controller().select(user_api="blas").info()),
               default=1)


@cache
def _pool(threads: int, process: int) -> ThreadPoolExecutor:
    # one per process: a forked child (spaCy's n_process) has its parent's pool object but
    # none of its threads, and would wait for them for ever
    return ThreadPoolExecutor(threads, thread_name_prefix="anais-encoder")


def gelu(x: np.ndarray, rows: int = 256) -> np.ndarray:
    """Exact (erf) GELU of a 2-D array, a few rows at a time so that the dozen elementwise
    passes stay in cache (written plainly, it took a quarter of the encoder's time)."""
    out = np.empty_like(x)
    for i in range(0, x.shape[0], rows):
        out[i:i + rows] = _gelu(x[i:i + rows])
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    z = np.abs(x)
    z *= np.float32(0.7071067811865476)
    t = z * np.float32(_P)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(_A[4])
    for a in (_A[3], _A[2], _A[1], _A[0]):
        poly += np.float32(a)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z                      # 1 - erf(|x| / sqrt 2)
    np.subtract(1.0, poly, out=poly)
    np.copysign(poly, x, out=poly)  # erf(x / sqrt 2)
    poly += 1.0
    poly *= 0.5
    poly *= x
    return poly


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=-1, keepdims=True)
    return centered / np.sqrt(var + eps) * weight + bias


LINEAR = ("q", "k", "v", "ao", "fi", "fo")
NORMS = ("aln", "oln")


class Encoder:
    def __init__(self, weights: EncoderWeights, layers: int | None = None,
                 overrides: dict[str, np.ndarray] | None = None) -> None:
        """``layers``: keep only the first N layers (the heads are trained on that depth).
        ``overrides``: parameter name → array (``l3.q.w`` as (out, in), ``l3.aln.w``, …)."""
        self.weights = weights
        self.hidden, self.heads = weights.hidden, weights.heads
        self.eps = weights.eps
        self.depth = layers or weights.layers
        overrides = overrides or {}

        def tensor(name: str) -> np.ndarray:
            if name in overrides:
                return np.asarray(overrides[name], dtype=np.float32)
            if name in weights.tensors:
                return np.array(weights.tensors[name], dtype=np.float32)
            return weights.matrix(name)

        self.position = tensor("emb.pos").reshape(weights.max_positions, self.hidden)
        self.token_type = tensor("emb.type").reshape(-1, self.hidden)[0]
        self.emb_norm = (tensor("emb.ln.w"), tensor("emb.ln.b"))
        self.layers = []
        for i in range(self.depth):
            # stored (out, in); kept transposed so x @ w is a plain row-major product; q, k
            # and v share their input, so they are one product
            layer = {"qkv": (
                np.ascontiguousarray(np.concatenate(
                    [tensor(f"l{i}.{n}.w") for n in ("q", "k", "v")]).T),
                np.concatenate([tensor(f"l{i}.{n}.b") for n in ("q", "k", "v")]))}
            for name in ("ao", "fi", "fo"):
                layer[name] = (np.ascontiguousarray(tensor(f"l{i}.{name}.w").T),
                               tensor(f"l{i}.{name}.b"))
            for name in NORMS:
                layer[name] = (tensor(f"l{i}.{name}.w"), tensor(f"l{i}.{name}.b"))
            self.layers.append(layer)

    def embed(self, ids: np.ndarray) -> np.ndarray:
        return self.weights.embedding_rows(ids)

    def forward(self, ids: np.ndarray, lengths: np.ndarray,
                mixes: np.ndarray | None = None, out: np.ndarray | None = None) -> np.ndarray:
        """``ids``: (batch, length) piece ids padded with anything; ``lengths``: real lengths.
        Returns the last layer's states, (batch, length, hidden). With ``mixes``, weights of
        the layers' outputs ((n, layers), column 0 = the first layer's output, at most
        ``depth`` columns), each row's weighted sum of the layers' states instead,
        (n, batch, length, hidden), float32: summed as the layers are computed, so no layer
        is kept. A row with a single 1 is that layer's states exactly. ``out``: an array of the
        result's shape to write it in (and return)."""
        batch, length = ids.shape
        h, nh = self.hidden, self.heads
        hd = h // nh
        if mixes is not None:
            mixes = np.asarray(mixes, dtype=np.float32)
            if mixes.ndim != 2 or mixes.shape[1] > self.depth:
                raise ValueError(f"layer mixes of shape {mixes.shape}: want (n, layers) with "
                                 f"at most {self.depth} layers")
            if out is None:
                mixed = np.zeros((len(mixes), batch, length, h), np.float32)
            else:
                mixed = out
                mixed[...] = 0
            scratch = np.empty((batch, length, h), np.float32)
        x = self.embed(ids.reshape(-1)).reshape(batch, length, h)
        x += self.position[:length][None] + self.token_type
        x = layer_norm(x, *self.emb_norm, self.eps)
        pad = np.arange(length)[None, :] >= lengths[:, None]
        mask = np.where(pad, np.float32(-1e9), np.float32(0.0))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for number, layer in enumerate(self.layers, 1):
            flat = x.reshape(-1, h)
            w, b = layer["qkv"]
            qkv = (flat @ w + b).reshape(batch, length, 3, nh, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, h)
            w, b = layer["ao"]
            flat = layer_norm(flat + (context @ w + b), *layer["aln"], self.eps)
            w, b = layer["fi"]
            mid = gelu(flat @ w + b)
            w, b = layer["fo"]
            flat = layer_norm(flat + (mid @ w + b), *layer["oln"], self.eps)
            x = flat.reshape(batch, length, h)
            if mixes is not None and number <= mixes.shape[1]:
                for row, weight in zip(mixed, mixes[:, number - 1], strict=True):
                    if weight == 1:
                        row += x
                    elif weight != 0:
                        row += np.multiply(x, weight, out=scratch)
        if mixes is not None:
            return mixed
        if out is not None:
            out[...] = x
            return out
        return x

    def forward_split(self, ids: np.ndarray, lengths: np.ndarray,
                      mixes: np.ndarray | None = None) -> np.ndarray:
        """``forward`` in as many threads as BLAS may use, each on a slice of the batch with
        one BLAS thread. A BLAS product spread over threads leaves the elementwise passes,
        the attention's small products and the layer norms (a third of the time) on one
        core; slices run every step side by side (numpy releases the GIL in its loops). Each
        slice is computed exactly as it is with one thread, so the states do not depend on
        the thread count."""
        threads = min(blas_threads(), len(ids))
        if threads < 2:
            return self.forward(ids, lengths, mixes)
        batch, length = ids.shape
        shape = (batch, length, self.hidden)
        states = np.empty(shape if mixes is None else (len(mixes), *shape), np.float32)
        bounds = [batch * k // threads for k in range(threads + 1)]
        with blas_controller().limit(limits=1, user_api="blas"):
            futures = [_pool(threads, os.getpid()).submit(
                self.forward, ids[a:b], lengths[a:b], mixes,
                states[a:b] if mixes is None else states[:, a:b])
                for a, b in zip(bounds, bounds[1:], strict=False)]
            for future in futures:
                future.result()
        return states

    def encode(self, sequences: Sequence[Sequence[int]], max_tokens: int = 4096,
               mixes: np.ndarray | None = None) -> list[np.ndarray]:
        """States for each sequence of piece ids (``<s>`` and ``</s>`` added here and
        stripped from the result), batched by length; ``mixes`` as for ``forward`` (each
        sequence's states are then (len(mixes), length, hidden))."""
        vocab = self.weights.vocab
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        out: list[np.ndarray] = [np.zeros((0, self.hidden), np.float32)] * len(sequences)
        start = 0
        while start < len(order):
            longest = len(sequences[order[start]]) + 2
            end = start + 1
            while end < len(order):
                longest_next = len(sequences[order[end]]) + 2
                if longest_next * (end - start + 1) > max_tokens:
                    break
                longest = longest_next
                end += 1
            chunk = order[start:end]
            ids = np.full((len(chunk), longest), vocab.pad, dtype=np.int64)
            lengths = np.zeros(len(chunk), dtype=np.int64)
            for row, i in enumerate(chunk):
                seq = [vocab.bos, *sequences[i], vocab.eos]
                ids[row, :len(seq)] = seq
                lengths[row] = len(seq)
            states = self.forward_split(ids, lengths, mixes)
            for row, i in enumerate(chunk):
                out[i] = (states[:, row, 1:lengths[row] - 1] if mixes is not None
                          else states[row, 1:lengths[row] - 1])
            start = end
        return out

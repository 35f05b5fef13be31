"""``anais_encoder_syntax``: POS tags and dependency trees from the encoder's states (the
accurate pipeline).

Each task reads its own mix of the encoder's layers (trained weights, gamma and softmax
folded in). ``anais_encoder_ner`` sums the two mixes while its encoder runs, pools them to
tokens like the last layer and keeps them for one batch, so the encoder runs once and its
layers are never stacked; if they are not there (the entity component disabled or run on other
documents) it is asked to compute them. UPOS is an MLP over its mix; the parser scores every
(dependent, head) pair with a biaffine product of two projections and keeps the best
spanning tree with a single root (``trees.best_tree``), then labels each arc with a bilinear
product. Only what was trained is saved (``syntax_head.npz``,
models/scripts/train_encoder_syntax.py).

A sentence split over several encoder windows keeps the heads the base parser gave it
(its words cannot all see each other); whitespace tokens hang from the word before them (the
word after, at a sentence's start) with the POS ``SPACE``.
With a sentence-start head in the file (``split.w``, trained on pairs of sentences given as
one), a base sentence in which it finds more sentences (a headline run into the text after
it, as the base parser often leaves them) is parsed as that many trees, one root each, so
spaCy's sentences follow them. The encoder never sees line breaks, so two rules guard it: a
word after a blank line always starts a sentence, and no sentence starts inside an entity
the entity component found. Otherwise the sentence boundaries stay those of the base parser.
Lemmas and morphological features stay the base pipeline's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.encoder.component import EncoderTagger
from pipeline.encoder.transformer import blas_controller, gelu
from pipeline.encoder.trees import best_tree

HEAD_FILE = "syntax_head.npz"
META_FILE = "syntax_head.json"
ROOT_LABEL = "ROOT"
SPACE_LABEL = "dep"
# the layer mixes the heads read (``mix_tag``, ``mix_dep`` in the head file)
MIXES = ("tag", "dep")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def lstm(xs: list[np.ndarray], wi: np.ndarray, wh: np.ndarray, b: np.ndarray,
         reverse: bool = False) -> list[np.ndarray]:
    """One direction of an LSTM over each of the sequences ``xs`` (rows are steps), all of
    them stepped together (gates in the order input, forget, cell, output, as the training
    library stores them). ``reverse``: from each sequence's last row to its first."""
    width = wh.shape[0]
    lengths = [len(x) for x in xs]
    steps = max(lengths, default=0)
    gates_in = np.zeros((len(xs), steps, 4 * width), np.float32)
    projected = np.concatenate(xs) @ wi + b if xs else gates_in
    start = 0
    for k, n in enumerate(lengths):
        rows = projected[start:start + n]
        gates_in[k, :n] = rows[::-1] if reverse else rows
        start += n
    h = np.zeros((len(xs), width), np.float32)
    c = np.zeros((len(xs), width), np.float32)
    out = np.empty((len(xs), steps, width), np.float32)
    # a shorter sequence runs on into padding after its end; its own steps are not touched
    for t in range(steps):
        z = gates_in[:, t] + h @ wh
        gate = _sigmoid(z)
        c = gate[:, width:2 * width] * c + gate[:, :width] * np.tanh(z[:, 2 * width:3 * width])
        h = gate[:, 3 * width:] * np.tanh(c)
        out[:, t] = h
    return [out[k, :n][::-1] if reverse else out[k, :n] for k, n in enumerate(lengths)]


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


class EncoderSyntax:
    def __init__(self, nlp: Language, name: str = "anais_encoder_syntax",
                 encoder: str = "anais_encoder_ner") -> None:
        self.nlp = nlp
        self.name = name
        self.encoder_name = encoder
        self.meta: dict = {}
        self.params: dict[str, np.ndarray] = {}
        self.mixes: dict[str, np.ndarray] = {}

    # -- loading -------------------------------------------------------------------------
    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> EncoderSyntax:
        path = Path(path)
        with np.load(path / HEAD_FILE) as data:
            self.params = {key: data[key].astype(np.float32) for key in data.files}
        self.meta = json.loads((path / META_FILE).read_text("utf-8"))
        self._prepare()
        return self

    def _prepare(self) -> None:
        self._root_label = self.meta["dep"].index(ROOT_LABEL)
        # weights of layers 1..meta["layers"], what the entity component sums for us
        self.mixes = {name: self.params[f"mix_{name}"] for name in MIXES}
        lab_u = self.params["lab_u"]
        self._lab_left = np.ascontiguousarray(
            lab_u.transpose(1, 0, 2).reshape(lab_u.shape[1], -1))

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path / HEAD_FILE, **self.params)
        (path / META_FILE).write_text(json.dumps(self.meta, indent=2), "utf-8")

    def link(self) -> EncoderTagger:
        """The entity component whose encoder states are read; from now on it computes and
        keeps this component's mixes of them."""
        encoder = self.nlp.get_pipe(self.encoder_name)
        encoder.mixes = self.mixes
        return encoder

    # -- running -------------------------------------------------------------------------
    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.params[f"{name}.w"] + self.params[f"{name}.b"]

    def mix(self, states: np.ndarray) -> dict[str, np.ndarray]:
        """Each task's mix of one window's per-layer token states, (layers, n, hidden): what
        the entity component computes while its encoder runs (as trained)."""
        return {name: np.tensordot(weights, np.asarray(states, np.float32), axes=1)
                for name, weights in self.mixes.items()}

    def analyse(self, windows: list[dict[str, np.ndarray]],
                rules: list[tuple[set[int], set[int]]] | None = None
                ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]]:
        """POS ids, heads (0 = root, words 1..n) and relation ids of each sentence (or
        window) from its tokens' mixed states (``"tag"`` and ``"dep"``, (n, hidden) each),
        and the words at which its sentences start (``[0]`` without a sentence-start head:
        one tree; with more, one tree per sentence). ``rules``: per window, the words that
        must start a sentence and those that must not, whatever the head says."""
        p = self.params
        tagged = [np.asarray(states["tag"], np.float32) for states in windows]
        mixed = [np.asarray(states["dep"], np.float32) for states in windows]
        if "lstm_fwd.wi" in p:
            forward = lstm(mixed, p["lstm_fwd.wi"], p["lstm_fwd.wh"], p["lstm_fwd.b"])
            backward = lstm(mixed, p["lstm_bwd.wi"], p["lstm_bwd.wh"], p["lstm_bwd.b"],
                            reverse=True)
            mixed = [np.concatenate(pair, axis=1) for pair in zip(forward, backward,
                                                                   strict=True)]
            if tagged and p["tag1.w"].shape[0] > tagged[0].shape[1]:
                # the tagger reads the LSTM too
                tagged = [np.concatenate(pair, axis=1) for pair in zip(tagged, mixed,
                                                                        strict=True)]
        rules = rules or [(set(), set())] * len(windows)
        return [self._sentence(x_tag, x, self._ruled(self._starts(x), *rule))
                for x_tag, x, rule in zip(tagged, mixed, rules, strict=True)]

    @staticmethod
    def _ruled(starts: list[int], forced: set[int], barred: set[int]) -> list[int]:
        """The head's starts with the rules' ``forced`` ones added and ``barred`` ones
        taken out (the first word always starts)."""
        return [0, *sorted(k for k in (set(starts) | forced) - barred if k > 0)]

    def _starts(self, x: np.ndarray) -> list[int]:
        """The words that start a sentence: the first, and those the sentence-start head
        scores above even odds."""
        if "split.w" not in self.params or len(x) < 2:
            return [0]
        logits = x[1:] @ self.params["split.w"] + self.params["split.b"]
        return [0, *(int(k) + 1 for k in np.flatnonzero(logits > 0))]

    def _sentence(self, x_tag: np.ndarray, x: np.ndarray, starts: list[int]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        p = self.params
        pos = self._dense(gelu(self._dense(x_tag, "tag1")), "tag2").argmax(axis=1)
        x = np.concatenate([p["root"][None], x])
        dep, head = gelu(self._dense(x, "arc_dep")), gelu(self._dense(x, "arc_head"))
        arcs = (dep @ p["arc_u"]) @ head.T + head @ p["arc_b"]
        heads = np.zeros(len(x) - 1, np.int64)
        # one tree per sentence: its words' arcs among themselves and to the root alone
        for first, end in zip(starts, [*starts[1:], len(x) - 1], strict=True):
            keep = np.r_[0, first + 1:end + 1]
            scores = np.full((len(keep), len(keep)), -1e9)
            scores[1:] = _log_softmax(arcs[first + 1:end + 1][:, keep])
            local = best_tree(scores)[1:]
            heads[first:end] = np.where(local == 0, 0, local + first)
        ones = np.ones((len(x), 1), np.float32)
        ld = np.concatenate([gelu(self._dense(x, "lab_dep")), ones], axis=1)[1:]
        lh = np.concatenate([gelu(self._dense(x, "lab_head")), ones], axis=1)[heads]
        n_labels, size = p["lab_u"].shape[:2]
        # ld · U_l · lh for every label l, as one product
        labels = ((ld @ self._lab_left).reshape(len(ld), n_labels, size)
                  * lh[:, None, :]).sum(axis=2)
        root = heads == 0
        labels[root] = -np.inf
        labels[root, self._root_label] = 0.0
        labels[~root, self._root_label] = -np.inf
        return pos, heads, labels.argmax(axis=1), starts

    def set_annotations(self, doc: Doc,
                        windows: list[tuple[list[int], dict[str, np.ndarray]]]) -> None:
        pos_labels, dep_labels = self.meta["pos"], self.meta["dep"]
        strings = self.nlp.vocab.strings
        heads = np.asarray([t.head.i for t in doc], dtype=np.int64)
        deps = doc.to_array([DEP]).astype(np.uint64)
        sentences = {}
        for sent in (doc.sents if doc.has_annotation("SENT_START") else [doc[:]]):
            words = [t.i for t in sent if not t.is_space]
            if words:
                sentences[words[0]] = (sent, words)
        parsed = False
        new_starts: list[int] = []
        rules = None
        if "split.w" in self.params:
            inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
            rules = [_start_rules(doc, tokens, sentences, inside) for tokens, _ in windows]
        analysed = self.analyse([states for _, states in windows], rules)
        for (tokens, _), (pos, word_heads, labels, starts) in zip(windows, analysed,
                                                                   strict=True):
            for i, tag in zip(tokens, pos, strict=True):
                doc[i].pos_ = pos_labels[tag]
            sent, words = sentences.get(tokens[0], (None, None))
            if words != tokens:
                continue        # a window of a longer sentence: the base parse stays
            for k, i in enumerate(words):
                heads[i] = i if word_heads[k] == 0 else words[word_heads[k] - 1]
                deps[i] = strings.add(dep_labels[labels[k]])
            new_starts += [words[k] for k in starts[1:]]
            previous = None
            for t in sent:
                if t.is_space:
                    heads[t.i] = previous if previous is not None else words[0]
                    deps[t.i] = strings.add(SPACE_LABEL)
                else:
                    previous = t.i
            parsed = True
        for token in doc:
            if token.is_space:
                token.pos_ = "SPACE"
        if parsed:
            relative = (heads - np.arange(len(doc))).astype(np.uint64)
            doc.from_array([HEAD, DEP], np.stack([relative, deps], axis=1))
        if new_starts:
            _cut_entities(doc, new_starts)

    def __call__(self, doc: Doc) -> Doc:
        encoder = self.link()
        windows = encoder.states_for(doc, self.mixes)
        # the heads' products are small (an LSTM step over one document's windows): a second
        # BLAS thread adds only its synchronisation, which on a loaded machine costs several
        # times the work itself; the encoder above keeps every thread
        with blas_controller().limit(limits=1, user_api="blas"):
            self.set_annotations(doc, windows)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        # one document at a time: the entity component keeps the states of its current
        # batch only, and the documents of that batch all pass here before it moves on
        for doc in stream:
            yield self(doc)


def _start_rules(doc: Doc, tokens: list[int], sentences: dict, inside: set[int]
                 ) -> tuple[set[int], set[int]]:
    """The words of a window that start a sentence whatever the head says (after a blank
    line: the encoder does not see line breaks) and those that never do (``inside`` an
    entity); none for a window of a longer sentence, which keeps the base parse."""
    if sentences.get(tokens[0], (None, None))[1] != tokens:
        return set(), set(range(1, len(tokens)))
    forced, barred = set(), set()
    for k in range(1, len(tokens)):
        # what lies between two words: the first's trailing space and whitespace tokens
        gap = doc[tokens[k - 1]].whitespace_ + "".join(
            t.text_with_ws for t in doc[tokens[k - 1] + 1:tokens[k]])
        if gap.count("\n") >= 2:
            forced.add(k)
        elif tokens[k] in inside:
            barred.add(k)
    return forced, barred


def _cut_entities(doc: Doc, starts: list[int]) -> None:
    """An entity across a sentence start found here keeps its part before it."""
    cuts = set(starts)
    ents = []
    for ent in doc.ents:
        inside = [i for i in range(ent.start + 1, ent.end) if i in cuts]
        ents.append(Span(doc, ent.start, inside[0], ent.label_, kb_id=ent.kb_id_)
                    if inside else ent)
    doc.ents = ents


@Language.factory("anais_encoder_syntax", assigns=["token.pos", "token.head", "token.dep"],
                  default_config={"encoder": "anais_encoder_ner"})
def make_encoder_syntax(nlp: Language, name: str, encoder: str) -> EncoderSyntax:
    return EncoderSyntax(nlp, name, encoder)

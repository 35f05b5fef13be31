"""Train POS and dependency heads on the entity encoder's frozen token states (the
`encoder_syntax` stage of the `accurate` workflow).

Input: the states `encoder_states.py` cached (every layer of the shipped entity encoder, per
token). Each task mixes the layers with learnt weights; UPOS is an MLP over the mix; the
parser scores every (dependent, head) pair with a biaffine product of two MLP projections
(an artificial root has a learnt vector of its own) and each arc's relation with a bilinear
product of two smaller projections. Decoding, here as at run time, is the best spanning tree
(`pipeline/encoder/trees.py`). PyTorch is needed here only; what is saved
(`syntax_head.npz`, plain arrays) runs in numpy (`pipeline/encoder/syntax.py`).

    python scripts/train_encoder_syntax.py --train bosque_train --dev bosque_dev   (from models/)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from common import DEFAULT_WORK, length_batches  # noqa: E402

from pipeline.encoder.trees import best_tree  # noqa: E402

PUNCT = "punct"


class Corpus:
    def __init__(self, folder: Path, name: str, pos_labels: list[str], dep_labels: list[str]
                 ) -> None:
        self.feats = np.load(folder / f"{name}.npy")
        data = np.load(folder / f"{name}.npz")
        meta = json.loads((folder / f"{name}.json").read_text("utf-8"))
        self.offsets = data["offsets"]
        # labels of this corpus → the model's label ids (unknown relation → -1)
        pos_map = np.asarray([pos_labels.index(p) if p in pos_labels else -1
                              for p in meta["pos"]] + [-1])
        dep_map = np.asarray([dep_labels.index(d) if d in dep_labels else -1
                              for d in meta["dep"]])
        self.pos = pos_map[data["pos"]]          # -1 (missing) indexes the appended -1
        self.dep = dep_map[data["dep"]]
        self.head = data["head"]
        self.words = meta["words"]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sentence(self, k: int) -> slice:
        return slice(int(self.offsets[k]), int(self.offsets[k + 1]))


def label_sets(folder: Path, names: list[str]) -> tuple[list[str], list[str]]:
    pos, dep = set(), set()
    for name in names:
        meta = json.loads((folder / f"{name}.json").read_text("utf-8"))
        pos.update(meta["pos"])
        dep.update(meta["dep"])
    return sorted(pos), sorted(dep)


class Mix(nn.Module):
    """Learnt softmax-weighted sum of the layers, scaled."""

    def __init__(self, layers: int) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(layers))
        self.gamma = nn.Parameter(torch.ones(()))

    def forward(self, x):                    # (B, T, layers, H) → (B, T, H)
        return self.gamma * (x.transpose(-1, -2) @ torch.softmax(self.w, 0))

    def export(self) -> np.ndarray:
        return (self.gamma * torch.softmax(self.w, 0)).detach().numpy()


class SyntaxHeads(nn.Module):
    def __init__(self, layers: int, hidden: int, n_pos: int, n_dep: int, tag: int, arc: int,
                 lab: int, dropout: float, lstm: int = 0, tag_context: bool = False) -> None:
        super().__init__()
        self.mix_tag, self.mix_dep = Mix(layers), Mix(layers)
        # optional: a bidirectional LSTM over the parser's mix (width ``lstm`` each way)
        self.lstm = nn.LSTM(hidden, lstm, batch_first=True, bidirectional=True) if lstm else None
        parser_in = 2 * lstm if lstm else hidden
        self.drop = nn.Dropout(dropout)
        # with ``tag_context`` the tagger also reads the LSTM's states
        self.tag_context = bool(lstm and tag_context)
        tag_in = hidden + 2 * lstm if self.tag_context else hidden
        self.tag1, self.tag2 = nn.Linear(tag_in, tag), nn.Linear(tag, n_pos)
        self.root = nn.Parameter(torch.zeros(parser_in))
        self.arc_dep, self.arc_head = nn.Linear(parser_in, arc), nn.Linear(parser_in, arc)
        self.lab_dep, self.lab_head = nn.Linear(parser_in, lab), nn.Linear(parser_in, lab)
        self.arc_u = nn.Parameter(torch.zeros(arc, arc))
        self.arc_b = nn.Parameter(torch.zeros(arc))
        self.lab_u = nn.Parameter(torch.zeros(n_dep, lab + 1, lab + 1))
        self.act = nn.GELU()

    def forward(self, feats, mask):
        """feats (B, T, layers, H); mask (B, T). Returns POS logits (B, T, P), arc scores
        (B, T, T+1) (head 0 = root) and the label projections (B, T+1, lab+1) of dependents
        and heads."""
        return self.score(*self.context(feats, mask), mask)

    def context(self, feats, mask):
        """The tagger's and the parser's inputs: their mixes, the LSTM's states (B, T, 2 ×
        lstm) in the parser's (and the tagger's, with ``tag_context``)."""
        x_tag = self.drop(self.mix_tag(feats))
        x = self.mix_dep(feats)
        if self.lstm is not None:
            lengths = mask.sum(1).cpu()
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), lengths, batch_first=True,
                                                       enforce_sorted=False)
            x, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True,
                                                    total_length=mask.shape[1])
        if self.tag_context:
            x_tag = torch.cat([x_tag, self.drop(x)], -1)
        return x_tag, x

    def score(self, x_tag, x, mask):
        pos = self.tag2(self.drop(self.act(self.tag1(x_tag))))
        root = self.root.expand(x.shape[0], 1, -1)
        x = self.drop(torch.cat([root, x], 1))
        dep = self.drop(self.act(self.arc_dep(x)))
        head = self.drop(self.act(self.arc_head(x)))
        arcs = (dep @ self.arc_u) @ head.transpose(1, 2) + (head @ self.arc_b)[:, None, :]
        head_mask = torch.cat([torch.ones_like(mask[:, :1]), mask], 1)
        arcs = arcs.masked_fill(~head_mask[:, None, :], -1e9)[:, 1:]
        ones = torch.ones_like(x[..., :1])
        ld = torch.cat([self.drop(self.act(self.lab_dep(x))), ones], -1)
        lh = torch.cat([self.drop(self.act(self.lab_head(x))), ones], -1)
        return pos, arcs, ld, lh

    def labels(self, ld, lh, heads):
        """Relation logits (B, T, L) of each dependent with the given heads (B, T)."""
        chosen = torch.gather(lh, 1, heads[..., None].expand(-1, -1, lh.shape[-1]))
        n_dep, size = self.lab_u.shape[0], self.lab_u.shape[1]
        left = ld[:, 1:] @ self.lab_u.permute(1, 0, 2).reshape(size, n_dep * size)
        return (left.view(*left.shape[:2], n_dep, size) * chosen[:, :, None, :]).sum(-1)

    def export(self) -> dict[str, np.ndarray]:
        out = {"mix_tag": self.mix_tag.export(), "mix_dep": self.mix_dep.export()}
        for name in ("tag1", "tag2", "arc_dep", "arc_head", "lab_dep", "lab_head"):
            layer = getattr(self, name)
            out[f"{name}.w"] = layer.weight.detach().numpy().T.copy()
            out[f"{name}.b"] = layer.bias.detach().numpy().copy()
        for name in ("root", "arc_u", "arc_b", "lab_u"):
            out[name] = getattr(self, name).detach().numpy().copy()
        if self.lstm is not None:
            # PyTorch's gate order (input, forget, cell, output), weights as (in, 4 × width)
            for suffix, direction in (("", "fwd"), ("_reverse", "bwd")):
                out[f"lstm_{direction}.wi"] = getattr(
                    self.lstm, f"weight_ih_l0{suffix}").detach().numpy().T.copy()
                out[f"lstm_{direction}.wh"] = getattr(
                    self.lstm, f"weight_hh_l0{suffix}").detach().numpy().T.copy()
                out[f"lstm_{direction}.b"] = (
                    getattr(self.lstm, f"bias_ih_l0{suffix}")
                    + getattr(self.lstm, f"bias_hh_l0{suffix}")).detach().numpy().copy()
        return out


def batches(corpus: Corpus, max_tokens: int, rng: random.Random | None) -> list[list[int]]:
    return length_batches(np.diff(corpus.offsets).tolist(), max_tokens, rng)


def tensors(corpus: Corpus, group: list[int]):
    longest = max(int(corpus.offsets[k + 1] - corpus.offsets[k]) for k in group)
    layers, hidden = corpus.feats.shape[1:]
    feats = np.zeros((len(group), longest, layers, hidden), np.float32)
    pos = np.full((len(group), longest), -1, np.int64)
    head = np.zeros((len(group), longest), np.int64)
    dep = np.full((len(group), longest), -1, np.int64)
    mask = np.zeros((len(group), longest), bool)
    for row, k in enumerate(group):
        s = corpus.sentence(k)
        n = s.stop - s.start
        feats[row, :n] = corpus.feats[s]
        pos[row, :n] = corpus.pos[s]
        head[row, :n] = corpus.head[s] + 1       # 0 = root; words 1..n
        dep[row, :n] = corpus.dep[s]
        mask[row, :n] = True
    return (torch.from_numpy(feats), torch.from_numpy(pos), torch.from_numpy(head),
            torch.from_numpy(dep), torch.from_numpy(mask))


def evaluate(model: SyntaxHeads, corpus: Corpus, dep_labels: list[str]) -> dict:
    model.eval()
    punct = dep_labels.index(PUNCT) if PUNCT in dep_labels else -2
    pos_ok = pos_n = 0
    uas = las = n_arcs = uas_all = las_all = n_all = 0
    with torch.no_grad():
        for group in batches(corpus, 4000, None):
            feats, pos, head, dep, mask = tensors(corpus, group)
            pos_logits, arcs, ld, lh = model(feats, mask)
            pred_pos = pos_logits.argmax(-1)
            known = pos >= 0
            pos_ok += int((pred_pos == pos)[known].sum())
            pos_n += int(known.sum())
            log_arcs = torch.log_softmax(arcs, -1).numpy()
            pred_heads = torch.zeros_like(head)
            for row in range(len(group)):
                n = int(mask[row].sum())
                scores = np.full((n + 1, n + 1), -1e9)
                scores[1:, :] = log_arcs[row, :n, :n + 1]
                pred_heads[row, :n] = torch.from_numpy(best_tree(scores)[1:])
            pred_dep = model.labels(ld, lh, pred_heads).argmax(-1)
            head_ok = (pred_heads == head) & mask
            both = head_ok & (pred_dep == dep)
            scored = mask & (dep != punct)
            uas += int(head_ok[scored].sum())
            las += int(both[scored].sum())
            n_arcs += int(scored.sum())
            uas_all += int(head_ok[mask].sum())
            las_all += int(both[mask].sum())
            n_all += int(mask.sum())
    model.train()
    return {"upos": pos_ok / max(pos_n, 1), "uas": uas / n_arcs, "las": las / n_arcs,
            "uas_with_punct": uas_all / n_all, "las_with_punct": las_all / n_all}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", nargs="+", default=["bosque_train"])
    ap.add_argument("--dev", default="bosque_dev")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--out", type=Path, default=None, help="default WORK/encsyn/syntax_head.npz")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=6)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-tokens", type=int, default=2500)
    ap.add_argument("--tag", type=int, default=256)
    ap.add_argument("--arc", type=int, default=256)
    ap.add_argument("--lab", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--lstm", type=int, default=0,
                    help="width of a BiLSTM over the parser's input (0: none)")
    ap.add_argument("--tag-context", action="store_true",
                    help="the tagger reads the BiLSTM's states too")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    folder = args.work / "encsyn"
    out = args.out or folder / "syntax_head.npz"

    pos_labels, dep_labels = label_sets(folder, args.train)
    train = [Corpus(folder, name, pos_labels, dep_labels) for name in args.train]
    dev = Corpus(folder, args.dev, pos_labels, dep_labels)
    layers, hidden = train[0].feats.shape[1:]
    model = SyntaxHeads(layers, hidden, len(pos_labels), len(dep_labels), args.tag, args.arc,
                        args.lab, args.dropout, args.lstm, args.tag_context)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.9),
                            weight_decay=0.0)
    plan = [(c, g) for c in train for g in batches(c, args.batch_tokens, None)]
    total = args.epochs * len(plan)
    warmup = min(300, max(1, total // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / warmup) * max(0.05, 1 - step / total))
    ce = nn.CrossEntropyLoss(ignore_index=-1)
    best, best_score, stale = None, -1.0, 0
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        plan = [(c, g) for c in train for g in batches(c, args.batch_tokens, rng)]
        rng.shuffle(plan)
        loss_sum = 0.0
        for corpus, group in plan:
            feats, pos, head, dep, mask = tensors(corpus, group)
            pos_logits, arcs, ld, lh = model(feats, mask)
            head_target = head.masked_fill(~mask, -1)
            loss = (ce(arcs.reshape(-1, arcs.shape[-1]), head_target.reshape(-1))
                    + ce(model.labels(ld, lh, head).reshape(-1, len(dep_labels)),
                         dep.masked_fill(~mask, -1).reshape(-1)))
            if bool((pos >= 0).any()):      # GSD and Porttinari give no POS
                loss = loss + ce(pos_logits.reshape(-1, pos_logits.shape[-1]), pos.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            loss_sum += float(loss.detach())
        scores = evaluate(model, dev, dep_labels)
        score = (scores["upos"] + scores["las"]) / 2
        print(json.dumps({"epoch": epoch, "loss": round(loss_sum / len(plan), 4),
                          **{k: round(v, 4) for k, v in scores.items()},
                          "seconds": round(time.time() - started)}), flush=True)
        if score > best_score:
            best_score, stale = score, 0
            best = {"params": model.export(), "scores": scores, "epoch": epoch}
        else:
            stale += 1
            if stale >= args.patience:
                break
    assert best is not None
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **best["params"])
    meta = {"pos": pos_labels, "dep": dep_labels, "layers": int(layers),
            "train": args.train, "dev": args.dev, "epoch": best["epoch"],
            "dev_scores": {k: round(v, 4) for k, v in best["scores"].items()},
            "settings": {k: getattr(args, k) for k in
                         ("epochs", "lr", "batch_tokens", "tag", "arc", "lab", "dropout",
                          "lstm", "tag_context", "seed")}}
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2), "utf-8")
    print(json.dumps({"best_epoch": best["epoch"], **best["scores"]}), flush=True)


if __name__ == "__main__":
    main()

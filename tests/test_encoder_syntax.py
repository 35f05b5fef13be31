"""The accurate pipeline's syntax heads (pipeline/encoder/syntax.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.encoder.syntax import EncoderSyntax
from pipeline.encoder.trees import best_tree

SCRIPTS = Path(__file__).resolve().parent.parent / "models" / "scripts"


@pytest.mark.parametrize(("lstm", "tag_context"), [(0, False), (16, False), (16, True)])
def test_numpy_heads_give_what_the_trained_model_gives(lstm, tag_context):
    # the training extra (PyTorch) is not installed in CI: then this is skipped
    torch = pytest.importorskip("torch")
    sys.path.insert(0, str(SCRIPTS))
    from train_encoder_syntax import SyntaxHeads

    torch.manual_seed(lstm)
    model = SyntaxHeads(3, 24, 5, 7, 16, 16, 8, 0.0, lstm, tag_context)
    with torch.no_grad():
        for param in model.parameters():
            param.normal_(0, 0.5)
    model.eval()
    feats = torch.randn(1, 9, 3, 24)
    with torch.no_grad():
        pos, arcs, ld, lh = model(feats, torch.ones(1, 9, dtype=torch.bool))
    syntax = EncoderSyntax(None)
    syntax.params = {k: np.asarray(v, np.float32) for k, v in model.export().items()}
    syntax.meta = {"layers": 3, "dep": ["ROOT"] + [f"rel{i}" for i in range(6)]}
    syntax._prepare()
    # with a shorter sentence beside it: the LSTM steps both together
    short = feats[0, :4].permute(1, 0, 2).numpy()
    (got_pos, got_heads, got_labels, got_starts), beside = syntax.analyse(
        [syntax.mix(feats[0].permute(1, 0, 2).numpy()), syntax.mix(short)])
    alone = syntax.analyse([syntax.mix(short)])[0]
    assert all(np.array_equal(a, b) for a, b in zip(beside, alone, strict=True))
    assert got_starts == [0]        # no sentence-start head in this file: one tree
    assert got_pos.tolist() == pos[0].argmax(-1).tolist()
    scores = np.full((10, 10), -1e9)
    scores[1:] = torch.log_softmax(arcs[0], -1).numpy()
    assert got_heads.tolist() == best_tree(scores)[1:].tolist()
    with torch.no_grad():
        labels = model.labels(ld, lh, torch.from_numpy(got_heads)[None].long())[0].numpy()
    root = got_heads == 0
    labels[root] = -np.inf
    labels[root, 0] = 0.0
    labels[~root, 0] = -np.inf
    assert got_labels.tolist() == labels.argmax(-1).tolist()


def _random_heads(seed: int = 0, lstm: int = 8) -> EncoderSyntax:
    """Heads of the shipped file's shapes, small and random (numpy only)."""
    rng = np.random.default_rng(seed)
    hidden, tag, arc, lab, n_pos, n_dep = 12, 10, 10, 6, 5, 7
    shapes = {"mix_tag": (3,), "mix_dep": (3,), "lstm_fwd.wi": (hidden, 4 * lstm),
              "lstm_fwd.wh": (lstm, 4 * lstm), "lstm_fwd.b": (4 * lstm,),
              "lstm_bwd.wi": (hidden, 4 * lstm), "lstm_bwd.wh": (lstm, 4 * lstm),
              "lstm_bwd.b": (4 * lstm,), "tag1.w": (hidden + 2 * lstm, tag), "tag1.b": (tag,),
              "tag2.w": (tag, n_pos), "tag2.b": (n_pos,), "root": (2 * lstm,),
              "arc_dep.w": (2 * lstm, arc), "arc_dep.b": (arc,), "arc_head.w": (2 * lstm, arc),
              "arc_head.b": (arc,), "arc_u": (arc, arc), "arc_b": (arc,),
              "lab_dep.w": (2 * lstm, lab), "lab_dep.b": (lab,), "lab_head.w": (2 * lstm, lab),
              "lab_head.b": (lab,), "lab_u": (n_dep, lab + 1, lab + 1)}
    syntax = EncoderSyntax(None)
    syntax.params = {k: rng.normal(0, 0.7, v).astype(np.float32) for k, v in shapes.items()}
    syntax.meta = {"layers": 3, "dep": ["ROOT"] + [f"rel{i}" for i in range(n_dep - 1)]}
    syntax._prepare()
    return syntax


def test_sentence_start_head_gives_one_tree_per_sentence():
    syntax = _random_heads()
    states = np.random.default_rng(1).normal(0, 1, (3, 9, 12)).astype(np.float32)
    whole = syntax.analyse([syntax.mix(states)])[0]
    assert whole[3] == [0] and (whole[1] == 0).sum() == 1
    # a head that finds a sentence start at word 4 (of 0..8) and nowhere else
    syntax.params["split.w"] = np.zeros(16, np.float32)
    syntax.params["split.b"] = np.array([-1.0], np.float32)
    syntax._starts = lambda x: [0, 4]
    pos, heads, labels, starts = syntax.analyse([syntax.mix(states)])[0]
    assert starts == [0, 4]
    assert (pos == whole[0]).all()              # the tags do not depend on the trees
    first, second = heads[:4], heads[4:]
    # heads are 1-based words, 0 the root: no arc crosses the start, one root on each side
    assert ((first == 0) | ((first >= 1) & (first <= 4))).all() and (first == 0).sum() == 1
    assert ((second == 0) | (second >= 5)).all() and (second == 0).sum() == 1
    assert (labels[heads == 0] == 0).all() and (labels[heads != 0] != 0).all()


def test_sentence_start_threshold_is_even_odds():
    syntax = _random_heads()
    x = np.random.default_rng(2).normal(0, 1, (6, 16)).astype(np.float32)
    syntax.params["split.w"] = np.zeros(16, np.float32)
    syntax.params["split.b"] = np.array([-0.01], np.float32)
    assert syntax._starts(x) == [0]
    syntax.params["split.b"] = np.array([0.01], np.float32)
    assert syntax._starts(x) == [0, 1, 2, 3, 4, 5]
    del syntax.params["split.w"]
    assert syntax._starts(x) == [0]

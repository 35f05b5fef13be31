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
    (got_pos, got_heads, got_labels), beside = syntax.analyse(
        [syntax.mix(feats[0].permute(1, 0, 2).numpy()), syntax.mix(short)])
    alone = syntax.analyse([syntax.mix(short)])[0]
    assert all((a == b).all() for a, b in zip(beside, alone, strict=True))
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

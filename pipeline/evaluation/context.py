"""The text around an item, so an error row can be read without opening the document."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


def context(
    text: str | None,
    start: int,
    end: int,
    sentences: Sequence[tuple[int, int]] = (),
    window: int = 80,
    max_len: int = 300,
) -> str:
    """The sentence holding ``text[start:end]`` (or a window around it), the item in [[ ]]."""
    if not text:
        return ""
    lo, hi = max(0, start - window), min(len(text), end + window)
    if sentences:
        # The sentences are sorted; take those the item touches.
        starts = [s for s, _ in sentences]
        i = max(0, bisect_right(starts, start) - 1)
        s0, e0 = sentences[i]
        if s0 <= start < e0 or (start == end == e0):
            lo, hi = s0, max(e0, end)
            j = i
            while hi < end and j + 1 < len(sentences):
                j += 1
                hi = sentences[j][1]
    if hi - lo > max_len:  # long sentence: keep a window around the item
        lo, hi = max(lo, start - window), min(hi, end + window)
    snippet = text[lo:start] + "[[" + text[start:end] + "]]" + text[end:hi]
    return " ".join(snippet.split())  # one line, whatever the layout

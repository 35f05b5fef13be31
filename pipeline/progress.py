"""A one-line progress display on stderr: documents done, words/s, ETA when the total is known."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws at most every ``interval`` seconds; silent when ``enabled`` is false."""

    def __init__(self, total: int | None, enabled: bool, stream: TextIO | None = None,
                 interval: float = 0.25) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.interval = interval
        self.docs = 0
        self.words = 0
        self.errors = 0
        self.started = time.perf_counter()
        self._last = 0.0

    def update(self, words: int, failed: bool | int, docs: int = 1) -> None:
        """``docs`` more documents done (one by default), holding ``words`` tokens, ``failed``
        of them (a bool for one document) failed."""
        self.docs += docs
        self.words += words
        self.errors += int(failed)
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.words / elapsed
        done = f"{self.docs:,}" + (f"/{self.total:,}" if self.total else "")
        line = f"anais: {done} docs, {rate:,.0f} words/s"
        if self.total:
            remaining = (self.total - self.docs) * elapsed / max(self.docs, 1)
            line += f", ETA {int(remaining // 60)}:{int(remaining % 60):02d}"
        if self.errors:
            line += f", {self.errors:,} failed"
        self.stream.write("\r" + line.ljust(70))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()

"""Progress of long work on one terminal line: done/total, characters per second, ETA.

Shown only to a person watching: on a terminal, outside CI, unless asked to be quiet.
Logs and CI output get nothing, as a carriage-return line only makes sense on a screen.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from typing import TextIO


class Progress:
    """A one-line report rewritten in place on stream; no stream means quiet."""

    def __init__(self, stream: TextIO | None, label: str = "annotating", unit: str = "documents",
                 measure: str = "chars") -> None:  # fmt: skip
        self.stream = stream
        self.label = label
        self.unit = unit  # what total counts
        self.measure = measure  # what the rate counts
        self.total = self.chars = self.done = self.done_chars = 0
        self.started = time.monotonic()

    def stage(self, label: str, unit: str, measure: str) -> Progress:
        """Progress of the next stage of the work, on the same stream."""
        return Progress(self.stream, label, unit, measure)

    @classmethod
    def for_terminal(cls, stream: TextIO = sys.stderr, *, quiet: bool = False,
                     environ: Mapping[str, str] = os.environ) -> Progress:
        """Progress on stream if it is a terminal, not in CI (the CI variable set) and not quiet."""
        shown = not quiet and not environ.get("CI") and stream.isatty()
        return cls(stream if shown else None)

    def start(self, total: int, chars: int) -> None:
        """Begin work on total items holding chars characters."""
        self.total, self.chars = total, chars
        self.done = self.done_chars = 0
        self.started = time.monotonic()
        if total:
            self._show()

    def advance(self, items: int, chars: int) -> None:
        """items more are done, holding chars characters."""
        self.done += items
        self.done_chars += chars
        self._show()

    def say(self, text: str) -> None:
        """One line for a person watching (a step with no count to show); nothing otherwise."""
        if self.stream:
            self.stream.write(text + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.stream and self.total:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The current report, e.g. 'annotating 40/300 documents, 2,150 chars/s, ETA 2:41'."""
        elapsed = time.monotonic() - self.started
        rate = self.done_chars / elapsed if elapsed > 0 and self.done_chars else 0.0
        eta = _duration((self.chars - self.done_chars) / rate) if rate else "--:--"
        return f"{self.label} {self.done:,}/{self.total:,} {self.unit}, {rate:,.0f} {self.measure}/s, ETA {eta}"

    def _show(self) -> None:
        if self.stream:
            self.stream.write("\r" + self.line() + "\x1b[K")  # erase what a longer line left
            self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"

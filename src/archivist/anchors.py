"""Text anchors: a place in a document named by its words, as a W3C TextQuoteSelector.

An anchor is the exact words (``exact``) with, optionally, a few characters before
(``prefix``) and after (``suffix``) them. It names a place by what the text says, not
by offsets, so it still finds its words after text is inserted elsewhere or the
parser splits the blocks differently.

The rule for finding an anchor in a document:

- ``exact`` is looked for inside each block (a mention never crosses blocks);
- without prefix or suffix, every occurrence is the anchor's place;
- with context, each occurrence scores the characters of prefix and suffix that
  agree with the text around it, read outwards from the words, with blocks joined by
  a space and every run of whitespace read as one space. Every occurrence whose
  context agrees in full is a place (the context says no more than that). Failing
  that, the best score wins if it reaches half of the context given (a quarter when
  ``exact`` occurs only once), so a small edit next to the words does not lose them;
  several occurrences tied for it raise AmbiguousAnchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 16  # characters of prefix and suffix written for a new anchor
_SPACES = re.compile(r"\s+")


class AmbiguousAnchor(ValueError):
    """An anchor's context, changed since it was written, fits several places equally."""

    def __init__(self, places: int) -> None:
        super().__init__(f"fits {places} places equally")
        self.places = places


@dataclass(frozen=True)
class Anchor:
    exact: str  # the words, exactly as written in one block
    prefix: str = ""  # text just before them (optional)
    suffix: str = ""  # text just after them (optional)


@dataclass(frozen=True)
class Span:
    block: int  # index of the block
    start: int  # first code point of the words in the block text
    end: int  # code point after them


def normalize(text: str) -> str:
    """Text as context is compared: each run of whitespace one space."""
    return _SPACES.sub(" ", text)


def find_anchor(anchor: Anchor, blocks: list[str]) -> list[Span]:
    """The places of anchor in blocks, by the rule in the module docstring."""
    spans = [Span(b, start, start + len(anchor.exact))
             for b, text in enumerate(blocks) for start in _occurrences(text, anchor.exact)]
    prefix, suffix = normalize(anchor.prefix), normalize(anchor.suffix)
    given = len(prefix) + len(suffix)
    if not given or not spans:
        return spans
    joined = _Joined(blocks)
    scores = [_agreement(prefix, joined.before(s, len(prefix)), reverse=True)
              + _agreement(suffix, joined.after(s, len(suffix))) for s in spans]
    best = max(scores)
    needed = given / 2 if len(spans) > 1 else given / 4
    if best == 0 or best < needed:
        return []
    places = [span for span, score in zip(spans, scores) if score == best]
    if len(places) > 1 and best < given:
        raise AmbiguousAnchor(len(places))
    return places


def make_anchor(blocks: list[str], span: Span, context: int = CONTEXT) -> Anchor:
    """An anchor for span with context characters of text on each side."""
    joined = _Joined(blocks)
    return Anchor(
        exact=blocks[span.block][span.start:span.end],
        prefix=joined.before(span, context).lstrip(),
        suffix=joined.after(span, context).rstrip(),
    )


def _occurrences(text: str, words: str) -> list[int]:
    starts, at = [], text.find(words)
    while words and at >= 0:
        starts.append(at)
        at = text.find(words, at + 1)
    return starts


def _agreement(wanted: str, found: str, reverse: bool = False) -> int:
    """How many characters of wanted agree with found, from the words outwards."""
    if reverse:
        wanted, found = wanted[::-1], found[::-1]
    count = 0
    for a, b in zip(wanted, found):
        if a != b:
            break
        count += 1
    return count


class _Joined:
    """The document's blocks as one text, for reading context across block edges."""

    def __init__(self, blocks: list[str]) -> None:
        self.text = " ".join(blocks)
        self.offsets = []
        at = 0
        for block in blocks:
            self.offsets.append(at)
            at += len(block) + 1

    def before(self, span: Span, length: int) -> str:
        """The length characters (normalized) before span."""
        start = self.offsets[span.block] + span.start
        window = self.text[max(0, start - 4 * length - 16):start]
        return normalize(window)[-length:] if length else ""

    def after(self, span: Span, length: int) -> str:
        """The length characters (normalized) after span."""
        end = self.offsets[span.block] + span.end
        return normalize(self.text[end:end + 4 * length + 16])[:length]

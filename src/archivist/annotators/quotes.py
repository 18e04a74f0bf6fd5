"""Quotes: 「」 (with 『』 nested inside), 『』 alone, “ ” and straight "…" quotes.

The outermost pair is the quote; pairs nested inside belong to it. A bracket that
never closes in its block is ignored (it does not swallow the rest of the block),
and so is an empty pair. Quote offsets exclude the brackets. Each quote gets a kind
(``direct``, ``partial``, ``term`` or ``document``), a cue (the reporting phrase: と語った,
次のように述べています, said) and the words naming its speaker with their offset
(speaker_text, speaker_start), all read from the words around it: quotes_ja.py for
Japanese (with Sudachi's morphemes, morphemes.py, in every profile), quotes_en.py for
English. A quote whose speaker is named in another block (an announcing paragraph
above it, an earlier quote it goes on from) has no speaker words; resolve.py finds that
speaker with quote_speakers.py.

Over the whole document: a quote making up a block that repeats words of a longer
quote (a heading quoting a speaker's words below it) is ``partial``.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType

from ..model import Annotations, Document, Quote
from . import morphemes, quotes_en, quotes_ja

NAME = "quotes"
VERSION = "2"
PAIRS = MappingProxyType({"「": "」", "『": "』", "“": "”"})
CLOSERS = frozenset(PAIRS.values())
ECHO_LEAST = 8  # a quote shorter than this (normalised) is not taken for an echo of another


def settings(ctx) -> str:
    return morphemes.settings()


def find_pairs(text: str) -> list[tuple[int, int]]:
    """(opening, closing) bracket positions of the outermost quotes in text."""
    pairs = []
    position = 0
    while position < len(text):
        if text[position] in PAIRS:
            close = _closing(text, position)
            if close is not None:
                if close > position + 1:
                    pairs.append((position, close))
                position = close + 1
                continue
        position += 1
    return sorted(pairs + _straight_pairs(text, pairs))


def unclosed(text: str) -> list[int]:
    """Positions of the brackets in text that never close (find_pairs reads them as text)."""
    brackets = [(m.start(), m[0]) for m in _BRACKET.finditer(text)]  # only these matter
    return _unclosed(brackets, 0, len(brackets))


_BRACKET = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")


def _unclosed(brackets: list[tuple[int, str]], low: int, high: int) -> list[int]:
    """unclosed() over brackets[low:high], as _closing reads a text: a pair's inside on its own."""
    found, index = [], low
    while index < high:
        position, char = brackets[index]
        if char in PAIRS:
            close = _closing_bracket(brackets, index, high)
            if close is not None:
                found += _unclosed(brackets, index + 1, close)
                index = close + 1
                continue
            found.append(position)
        index += 1
    return found


def _closing_bracket(brackets: list[tuple[int, str]], opening: int, high: int) -> int | None:
    """_closing over the brackets alone: the index of the one closing brackets[opening]."""
    expected = [PAIRS[brackets[opening][1]]]
    for index in range(opening + 1, high):
        char = brackets[index][1]
        if char in PAIRS:
            expected.append(PAIRS[char])
        elif char in expected:
            while expected.pop() != char:
                pass
            if not expected:
                return index
    return None


def _closing(text: str, opening: int) -> int | None:
    """Where the bracket at opening closes; an inner bracket left open is skipped over."""
    expected = [PAIRS[text[opening]]]
    for position in range(opening + 1, len(text)):
        char = text[position]
        if char in PAIRS:
            expected.append(PAIRS[char])
        elif char in CLOSERS and char in expected:
            while expected.pop() != char:
                pass
            if not expected:
                return position
    return None


def _straight_pairs(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Straight "..." pairs outside the bracketed quotes: an opener after a space or start."""
    pairs = []
    marks = [i for i, c in enumerate(text) if c == '"' and not any(a < i < b for a, b in taken)]
    index = 0
    while index + 1 < len(marks):
        opening, close = marks[index], marks[index + 1]
        if (opening == 0 or not text[opening - 1].isalnum()) and close > opening + 1:
            pairs.append((opening, close))
            index += 2
        else:
            index += 1
    return pairs


def find_quotes(text: str, lang: str, block: int = 0, *, tokenizer=None, previous: str = "") -> list[Quote]:
    """Every quote in one block's text; previous is the text of the block before it.

    Japanese is read with a Sudachi tokenizer (morphemes.load_tokenizer), loaded here
    when none is given."""
    pairs = find_pairs(text)
    if not pairs:
        return []
    if lang == "en":
        found = quotes_en.read_block(text, pairs, previous)
    else:
        tokenizer = tokenizer or morphemes.load_tokenizer()
        found = quotes_ja.read_block(text, pairs, morphemes.morphemes(tokenizer, text), previous)
    for quote in found:
        quote.block = block
    return found


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()


def mark_echoes(doc: Document, quotes: list[Quote]) -> None:
    """A quote making up a whole block (a heading, say) whose words are inside a longer quote
    becomes partial: it repeats what someone said."""
    spoken = [_normal(q.text) for q in quotes if q.kind in ("direct", "partial")]
    for quote in quotes:
        words = _normal(quote.text)
        alone = not doc.blocks[quote.block].text[:quote.start - 1].strip() and not doc.blocks[
            quote.block].text[quote.end + 1:].strip()
        if alone and not quote.speaker_text and len(words) >= ECHO_LEAST and any(
                words in other and len(other) > len(words) for other in spoken):
            quote.kind = "partial"


def annotate(doc: Document, ctx) -> Annotations:
    """Quotes in every block of doc."""
    tokenizer = ctx.models.get(morphemes.MODEL, morphemes.load_tokenizer) if doc.lang != "en" else None
    quotes = []
    for index, block in enumerate(doc.blocks):
        previous = doc.blocks[index - 1].text if index else ""
        quotes.extend(find_quotes(block.text, doc.lang, index, tokenizer=tokenizer, previous=previous))
    mark_echoes(doc, quotes)
    return Annotations(quotes=quotes)

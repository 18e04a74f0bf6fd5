"""Quotes: 「」 (with 『』 nested inside), 『』 alone, “ ” and straight "…" quotes.

The outermost pair is the quote; pairs nested inside belong to it. A “ that never
closes, followed by another with no bracket between (“切腹“, as many Japanese keyboards
type it), makes a pair with it, and so does a ” that closes nothing before it (”共感“,
the marks the wrong way round) (paired_marks). A bracket that
never closes in its block is ignored (it does not swallow the rest of the block),
and so is an empty pair, unless a later paragraph closes it: a long quote in
Japanese runs over paragraphs (「… ¶ …」, or 「… ¶ 「… ¶ 「…」 with each paragraph
opening again), and is then one quote per paragraph (spanning). Quote offsets exclude the brackets. Each quote gets a kind
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
VERSION = "14"
PAIRS = MappingProxyType({"「": "」", "『": "』", "“": "”"})
CLOSERS = frozenset(PAIRS.values())
ECHO_LEAST = 8  # a quote shorter than this (normalised) is not taken for an echo of another
MAX_SPANNED = 6  # paragraphs one quote may run over


def settings(ctx) -> str:
    return morphemes.settings()


def paired_marks(text: str) -> str:
    """text with “ read as ” where a “ that never closes is followed by another with no
    bracket between them: “X“ is a quote typed with one mark; and ”X“, the marks typed
    the wrong way round, read as “X” where the ” closes nothing. Offsets stay as they are."""
    if "“" not in text:
        return text
    return _marks_typed_twice(_reversed_marks(text))


def _reversed_marks(text: str) -> str:
    """”X“ read as “X”: the “ never closes and the nearest bracket before it is a ” that
    closes nothing (turned round, the pair leaves no other bracket open)."""
    if "”" not in text:
        return text
    lone = unclosed(text)
    for closing in reversed([position for position in lone if text[position] == "“"]):
        before = list(_BRACKET.finditer(text, 0, closing))
        if not before or before[-1][0] != "”":
            continue
        opening = before[-1].start()
        turned = text[:opening] + "“" + text[opening + 1:closing] + "”" + text[closing + 1:]
        left = unclosed(turned)
        if set(left) == set(lone) - {closing}:
            text, lone = turned, left
    return text


def _marks_typed_twice(text: str) -> str:
    """text with the second of two “ that never close read as ”, when no bracket is
    between them."""
    if text.count("“") < 2:
        return text
    lone = [position for position in unclosed(text) if text[position] == "“"]
    index = 0
    while index + 1 < len(lone):
        opening, closing = lone[index], lone[index + 1]
        if _BRACKET.search(text, opening + 1, closing):
            index += 1
            continue
        text = text[:closing] + "”" + text[closing + 1:]
        index += 2
    return text


def block_texts(doc: Document) -> list[str]:
    """The texts of doc's blocks as quotes are read in them (see paired_marks)."""
    return [paired_marks(block.text) for block in doc.blocks]


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
    if "「" not in text and "『" not in text and "“" not in text:
        return []  # most paragraphs: nothing opens (a scan in C, not a regular expression)
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
    texts = block_texts(doc)
    spanned = spanning(texts)
    quotes = []
    for index, text in enumerate(texts):
        previous = texts[index - 1] if index else ""
        if index in spanned:
            read, shift = spanned[index]
            found = find_quotes(read, doc.lang, index, tokenizer=tokenizer, previous=previous)
            quotes.extend(_shifted(quote, shift, len(text)) for quote in found)
        else:
            quotes.extend(find_quotes(text, doc.lang, index, tokenizer=tokenizer, previous=previous))
    for quote in quotes:
        _as_written(quote, doc.blocks[quote.block].text)
    mark_echoes(doc, quotes)
    return Annotations(quotes=quotes)


def spanning(texts: list[str]) -> dict[int, tuple[str, int]]:
    """The paragraphs a quote runs over (see the module's docstring): block index -> its
    text with the brackets it lacks added, and how many were put before it."""
    spanned: dict[int, tuple[str, int]] = {}
    index = 0
    while index < len(texts):
        run = _spanned_run(texts, index)
        if run is None:
            index += 1
            continue
        last, stray, opening = run
        closer = PAIRS[opening]
        for number in range(index, last + 1):
            text = texts[number]
            if number == last and stray is not None:
                spanned[number] = (opening + text, 1)  # its closer had no opener
            elif number == index or text.startswith(opening):
                spanned[number] = (text + closer, 0)
            else:
                spanned[number] = (opening + text + closer, 1)
        index = last + 1
    return spanned


def _spanned_run(texts: list[str], first: int) -> tuple[int, int | None, str] | None:
    """(last block, position of the closer there, or None when the quote's last
    paragraph opens again and closes; the opening bracket) of a quote opening in
    texts[first] and running on.

    Paragraphs between hold no bracket left open or closing nothing, unless each opens
    the quote again; the closing paragraph holds one closer only, of the right kind."""
    opened = unclosed(texts[first])
    if len(opened) != 1 or texts[first][opened[0]] not in ("「", "『", "“"):
        return None
    opening = texts[first][opened[0]]
    plain = False  # a paragraph between that does not open the quote again
    for number in range(first + 1, min(first + MAX_SPANNED, len(texts))):
        text = texts[number]
        stray, still_open, reopened = unopened(text), unclosed(text), text.startswith(opening)
        if stray:
            closes = len(stray) == 1 and text[stray[0]] == PAIRS[opening] and not still_open
            return (number, stray[0], opening) if closes else None
        if reopened and still_open != [0]:  # a quote of its own, closed: the last paragraph
            return None if plain else (number - 1, None, opening)
        if still_open and not (reopened and still_open == [0]):
            return None
        plain = plain or not reopened
    return None


def unopened(text: str) -> list[int]:
    """Positions of the closing brackets in text that close nothing opened before them."""
    depth: list[str] = []
    stray = []
    for match in _BRACKET.finditer(text):
        char = match[0]
        if char in PAIRS:
            depth.append(PAIRS[char])
        elif char in depth:
            while depth.pop() != char:
                pass
        else:
            stray.append(match.start())
    return stray


def _as_written(quote: Quote, text: str) -> None:
    """The quote's words as its block writes them, found in the text paired_marks read."""
    quote.text = text[quote.start:quote.end]
    if quote.speaker_text is not None and quote.speaker_start is not None:
        quote.speaker_text = text[quote.speaker_start:quote.speaker_start + len(quote.speaker_text)]


def _shifted(quote: Quote, shift: int, length: int) -> Quote:
    """A quote found in a text with shift brackets put before it, placed in the text itself."""
    quote.start, quote.end = quote.start - shift, min(quote.end - shift, length)
    if quote.speaker_start is not None:
        quote.speaker_start -= shift
    return quote

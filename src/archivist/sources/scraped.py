"""The scraped-page layout: body paragraphs joined into one line by single spaces, the
byline in brackets closing the body, the title after it, then related headlines.

A page scraped to text looks like::

    |
    First paragraph。 Second paragraph。 A heading Third paragraph。 (Byline) |
    Title
    関連するおすすめ記事
    -
    A related headline
    -
    Another related headline
"""

from __future__ import annotations

import re

from ..model import Block, Related
from .parsed import Parsed, make_blocks

RELATED_MARKERS = frozenset({"関連するおすすめ記事", "おすすめ記事", "関連記事", "関連ニュース"})
SEPARATOR_LINE = re.compile(r"[|｜]|[-‐–—―ー─]+")
PIPE = re.compile(r"(?:^|\s+)[|｜](?=\s|$)")  # a "|" standing alone between spaces
SPACES = re.compile(r"[ \t\u3000]+")
URL = re.compile(r"https?://\S+")
SENTENCE_END = "。．！？!?」』"
BREAK_AFTER = "。．！？」』"  # a space after these always ends a paragraph
NO_BREAK_AFTER = "「『（(［[【〈《、，,・：:"  # a space after these is inside a sentence
NO_BREAK_BEFORE = "」』）)］]】〉》、，,。．・：:"
HEADING_MAX = 60  # headings are short; longer unpunctuated text is a paragraph
BYLINE_MAX = 40
TITLE_MAX = 200
BRACKETS = (("(", ")"), ("（", "）"))


def parse(text: str) -> Parsed:
    """Parse a scraped page: title, blocks, byline and related headlines."""
    lines = [line.strip() for line in text.split("\n")]
    content, related = _split_related(lines)
    byline = None
    if content and (name := _bracketed(content[-1])):
        byline = name
        content = content[:-1]
    title, body = _title_and_body(content)
    segments = [segment for line in body for segment in split_paragraphs(line)]
    if byline is None and segments and (name := _bracketed(segments[-1])):
        byline = name
        segments.pop()
    return Parsed(title=title, blocks=_blocks(segments), byline=byline, related=related)


def split_paragraphs(line: str) -> list[str]:
    """Split a line of space-joined paragraphs into paragraphs, each a substring of line.

    A space ends a paragraph after sentence-final punctuation (。！？」』), or between
    two Japanese characters; never next to ASCII (so "Mixture of Experts" stays whole),
    nor after an opening bracket or comma or before a closing one. Lone "|" are dropped.
    """
    segments = []
    for piece in PIPE.split(line):
        start = 0
        for space in SPACES.finditer(piece):
            before = piece[space.start() - 1] if space.start() else ""
            if before and _is_break(before, piece[space.end() : space.end() + 1]):
                segments.append(piece[start : space.start()])
                start = space.end()
        segments.append(piece[start:])
    return [segment.strip() for segment in segments if segment.strip()]


def _is_break(before: str, after: str) -> bool:
    if not after:
        return False
    if before in BREAK_AFTER:
        return True
    if before.isascii() or after.isascii() or _is_latin(before) or _is_latin(after):
        return False
    return before not in NO_BREAK_AFTER and after not in NO_BREAK_BEFORE


def _is_latin(char: str) -> bool:
    """Latin letters and digits, including accented and full-width ones."""
    code = ord(char)
    return char.isalnum() and (code < 0x250 or 0xFF10 <= code <= 0xFF5A)


def _split_related(lines: list[str]) -> tuple[list[str], list[Related]]:
    """Content lines before the related-articles marker, and the headlines after it."""
    marker = next((i for i, line in enumerate(lines) if line in RELATED_MARKERS), len(lines))
    content = [line for line in lines[:marker] if line and not SEPARATOR_LINE.fullmatch(line)]
    related: list[Related] = []
    for line in lines[marker + 1 :]:
        if not line or SEPARATOR_LINE.fullmatch(line):
            continue
        if URL.fullmatch(line) and related and related[-1].url is None:
            related[-1] = Related(related[-1].title, line)
        else:
            related.append(Related(line))
    return content, related


def _title_and_body(content: list[str]) -> tuple[str, list[str]]:
    """The title is the short line after the body, or else the short line before it."""
    if not content:
        return "", []
    longest = max(len(line) for line in content)
    if len(content) > 1 and len(content[-1]) <= TITLE_MAX and len(content[-1]) < longest:
        return content[-1], content[:-1]
    if len(content) > 1 and len(content[0]) <= TITLE_MAX:
        return content[0], content[1:]
    return "", content


def _bracketed(segment: str) -> str | None:
    """The name inside a short bracketed credit such as "(シャオ・シャオ)", else None."""
    if len(segment) > BYLINE_MAX:
        return None
    for opening, closing in BRACKETS:
        if segment.startswith(opening) and segment.endswith(closing):
            name = segment[1:-1].strip()
            if name and not any(c in name for c in "()（）"):
                return name
    return None


def _blocks(segments: list[str]) -> list[Block]:
    """Short unpunctuated segments followed by more text are headings."""
    pieces = []
    for index, segment in enumerate(segments):
        heading = (
            len(segment) < HEADING_MAX
            and segment[-1] not in SENTENCE_END
            and index + 1 < len(segments)
        )
        pieces.append(("heading" if heading else "paragraph", segment))
    return make_blocks(pieces)

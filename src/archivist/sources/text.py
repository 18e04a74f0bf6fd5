"""The plain-text layout: the first non-empty line is the title, the rest paragraphs."""

from __future__ import annotations

import re

from .parsed import Parsed, make_blocks

BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
LINE_BREAK = re.compile(r"\n")


def parse(text: str) -> Parsed:
    """Title from the first non-empty line; paragraphs split on blank lines, or on
    single line breaks when the text has no blank line."""
    stripped = text.strip()
    title, _, rest = stripped.partition("\n")
    rest = rest.strip("\n")
    separator = BLANK_LINE if BLANK_LINE.search(rest) else LINE_BREAK
    pieces = [("paragraph", paragraph) for paragraph in separator.split(rest)]
    return Parsed(title=title.strip(), blocks=make_blocks(pieces))

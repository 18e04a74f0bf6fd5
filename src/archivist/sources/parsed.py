"""What a layout parser returns: a document's parts, before file facts are added."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Block, BlockKind, Related


class ParseError(ValueError):
    """The text cannot be decoded or parsed; the caller adds the file's path."""


@dataclass
class Parsed:
    title: str  # title as written, or "" when the text gives none
    blocks: list[Block]  # body text in reading order
    byline: str | None = None  # author or credit line, without brackets
    date: str | None = None  # publication date, ISO 8601
    url: str | None = None  # original address of the document
    related: list[Related] = field(default_factory=list)  # related headlines
    tags: list[str] = field(default_factory=list)  # tags from front matter
    lang: str | None = None  # language code, when the source states it
    meta: dict[str, str] = field(default_factory=dict)  # other facts, as strings


def make_blocks(pieces: Iterable[tuple[BlockKind, str]]) -> list[Block]:
    """Blocks from (kind, text) pairs: edges trimmed of whitespace, empty ones dropped."""
    blocks = []
    for kind, text in pieces:
        text = text.strip()
        if text:
            blocks.append(Block(kind, text))
    return blocks

"""Registry matching: every occurrence of a registry name or alias in the text.

Longer names are matched first and a match never overlaps an earlier one, so
"ジョン・ビラセノール" wins over "ビラセノール" inside it. A name that starts or ends
with a Latin letter or digit must not touch another one there, so "AI" does not
match inside "OpenAI". Full-width and half-width letters match alike.
"""

from __future__ import annotations

import unicodedata

from ..model import Annotations, Document, Entity, Mention
from ..registry import Registry

NAME = "registry"
VERSION = "1"


def settings(ctx) -> str:
    return ctx.registry.digest()


def width_folded(text: str) -> str:
    """text with each character NFKC-folded when that keeps it one character (offsets stay)."""
    return "".join(n if len(n := unicodedata.normalize("NFKC", c)) == 1 else c for c in text)


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether a Latin-edged match at start:end stands as a word of its own."""
    if _is_word_char(text[start]) and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (_is_word_char(text[end - 1]) and end < len(text) and _is_word_char(text[end]))


def _occurrences(text: str, surface: str) -> list[int]:
    starts = []
    position = text.find(surface)
    while position >= 0:
        if _bounded(text, position, position + len(surface)):
            starts.append(position)
        position = text.find(surface, position + 1)
    return starts


def _surfaces(registry: Registry) -> list[tuple[str, Entity]]:
    """(folded surface, entity) pairs, longest first, each surface once."""
    seen: dict[str, Entity] = {}
    for surface, entity in registry.surfaces():
        seen.setdefault(width_folded(surface.strip()), entity)
    return sorted(seen.items(), key=lambda item: (-len(item[0]), item[0]))


def find_mentions(text: str, block: int, surfaces: list[tuple[str, Entity]]) -> list[Mention]:
    """Registry mentions in one block text, longest match first, none overlapping."""
    folded = width_folded(text)
    taken: list[tuple[int, int]] = []
    mentions = []
    for surface, entity in surfaces:
        for start in _occurrences(folded, surface):
            end = start + len(surface)
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            mentions.append(Mention(block, start, end, text[start:end], entity.type, entity.id, NAME, 1.0))
    return sorted(mentions, key=lambda m: m.start)


def annotate(doc: Document, ctx) -> Annotations:
    """Mentions of the registry's entities, linked to them."""
    surfaces = _surfaces(ctx.registry)
    if not surfaces:
        return Annotations()
    mentions = []
    for index, block in enumerate(doc.blocks):
        mentions.extend(find_mentions(block.text, index, surfaces))
    return Annotations(mentions=mentions)

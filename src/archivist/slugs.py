"""Readable, never-empty URL segments, Japanese kept as written."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=1 << 16)  # every build slugs each entity's name again
def make_slug(text: str) -> str:
    """A URL segment for text: Unicode letters and _ kept (no kanji transliteration), never empty."""
    slug = slugify(text, allow_unicode=True, max_length=80, regex_pattern=r"[^\w-]+")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def unique_slugs(names: list[str]) -> list[str]:
    """Slugs for names in order; a repeated slug gets -2, -3, ... deterministically."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        slug = make_slug(name)
        count = seen.get(slug, 0) + 1
        seen[slug] = count
        result.append(slug if count == 1 else f"{slug}-{count}")
    return result

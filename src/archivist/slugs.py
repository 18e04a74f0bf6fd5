"""Readable, never-empty URL segments, Japanese kept as written."""

from __future__ import annotations

import hashlib

from slugify import slugify

MAX_KNOWN = 1 << 17  # slugs a long-running process keeps
# text -> its slug, made in this process or by an earlier one (source_store.py keeps
# them): every build slugs each entity's name again, 0.4 s for the livedoor archive.
_known: dict[str, str] = {}


def make_slug(text: str) -> str:
    """A URL segment for text: Unicode letters and _ kept (no kanji transliteration), never empty."""
    slug = _known.get(text)
    if slug is None:
        if len(_known) >= MAX_KNOWN:
            _known.clear()
        slug = _known[text] = _make_slug(text)
    return slug


def _make_slug(text: str) -> str:
    slug = slugify(text, allow_unicode=True, max_length=80, regex_pattern=r"[^\w-]+")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def known_slugs() -> dict[str, str]:
    """Every slug this process knows, by text (not to be changed)."""
    return _known


def offer_slugs(slugs: dict[str, str]) -> None:
    """Slugs made by an earlier process with the same python-slugify, by text."""
    for text, slug in slugs.items():
        _known.setdefault(text, slug)


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

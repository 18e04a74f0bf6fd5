"""Which layout a text is written in, told from the text and its file suffix."""

from __future__ import annotations

import re

MARKDOWN_SUFFIXES = (".md", ".markdown")
URL_LINE = re.compile(r"https?://\S+")
ISO_DATE_LINE = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
)
RELATED_MARKERS = ("関連するおすすめ記事", "おすすめ記事")
LONG_LINE = 1000  # a body whose paragraphs were joined into one line
JOINED_PARAGRAPHS = re.compile(r"[。！？」』] \S")


def detect_layout(text: str, suffix: str = "") -> str:
    """The layout of text: markdown, livedoor, scraped or text."""
    lines = text.strip().split("\n")
    if starts_with_front_matter(text) or suffix.lower() in MARKDOWN_SUFFIXES:
        return "markdown"
    if (
        len(lines) >= 3
        and URL_LINE.fullmatch(lines[0].strip())
        and ISO_DATE_LINE.fullmatch(lines[1].strip())
    ):
        return "livedoor"
    if looks_scraped(lines):
        return "scraped"
    return "text"


def starts_with_front_matter(text: str) -> bool:
    """Whether text opens with a YAML (---) or TOML (+++) front matter fence."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    return first.rstrip() in ("---", "+++")


def looks_scraped(lines: list[str]) -> bool:
    """Signs of a page scraped to text: "|" lines, "-" separators, a related-articles
    marker, or a very long line holding several paragraphs joined by spaces."""
    stripped = [line.strip() for line in lines]
    if "|" in stripped or any(line in RELATED_MARKERS for line in stripped[1:]):
        return True
    if stripped.count("-") >= 2:
        return True
    return any(
        len(line) >= LONG_LINE and len(JOINED_PARAGRAPHS.findall(line)) >= 3 for line in stripped
    )

"""Merging the annotators' results into one set of spans.

The rule for mentions that overlap (within one block, whichever annotators found
them): mentions are ranked by

1. authority: the registry and the editor first, model and rule guesses after;
2. confidence, higher first;
3. length, longer first;
4. annotator order, earlier first (as listed in the results);
5. position, earlier first.

Going down that ranking, a mention is kept unless it overlaps one already kept, so
no two output mentions overlap (nesting counts as overlap; only quotes may contain
mentions). Before ranking, every mention is tidied: cut back to the part of its text before an
unclosed bracket, a web address or an account's handle, without outer spaces and
punctuation; a copyright line or an e-mail domain is no name. Quotes from every annotator
are concatenated and duplicates (same block, start and end) dropped, the first kept. Output is sorted by (block, start, end).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from ..model import Annotations, Mention, Quote

VERSION = "3"  # merged results are cached (annotators/__init__.py): change it with the rule
AUTHORITATIVE = ("registry", "editor")
BRACKETS = (("(", ")"), ("（", "）"), ("[", "]"), ("「", "」"), ("『", "』"), ("【", "】"), ("“", "”"))
LOOSE = " \u3000\t\n、。，．,;:：；・\"'“”「」『』＊…‥"  # never the first or last character of a name
# What ends a name where a page runs on into an address (iTunes Store：http://…) or
# an account (上倉賢 @kamikura); @nifty, a name, has no space before it.
NOT_NAME_FROM = re.compile(r"https?://|www\.|\s@\w+$")
# An e-mail domain (@ezweb.ne.jp) or a copyright line is no name at all.
NO_NAME = re.compile(r"^@[\w-]+(\.[\w-]+)+$|[Cc]opyright|[Aa]ll [Rr]ights [Rr]eserved")


def _rank(item: tuple[int, Mention]) -> tuple:
    order, mention = item
    return (
        mention.source not in AUTHORITATIVE,
        -mention.confidence,
        -(mention.end - mention.start),
        order,
        mention.block,
        mention.start,
    )


def tidy(mention: Mention) -> Mention | None:
    """The mention cut back to a well-formed name, or None if nothing is left.

    A model's span may end inside brackets (Mixture of Experts(MoE) or take in
    punctuation around a name, or a web address after it; the name is the part
    before an unclosed bracket or after an unopened one, before a web address or an
    account's handle, without outer spaces and punctuation (ellipses included); a
    name has a letter, a kana, a kanji or a digit."""
    text, start = mention.text, mention.start
    if NO_NAME.search(text):
        return None
    if address := NOT_NAME_FROM.search(text):
        text = text[:address.start()]
    for opening, closing in BRACKETS:
        if text.count(opening) > text.count(closing):
            text = text[:text.rindex(opening)]
        elif text.count(closing) > text.count(opening):
            cut = text.index(closing) + 1
            text, start = text[cut:], start + cut
    stripped = text.lstrip(LOOSE)
    start += len(text) - len(stripped)
    text = stripped.rstrip(LOOSE)
    if not any(char.isalnum() for char in text):
        return None  # nothing but symbols: a face drawn in text (´▽｀)
    if text == mention.text:
        return mention
    return replace(mention, start=start, end=start + len(text), text=text)


class Taken:
    """Disjoint spans of one block, sorted, so an overlap is found in logarithmic time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Only the last span starting before end can overlap: the ones before it end before it starts.
        index = bisect_left(self.starts, end) - 1
        return index >= 0 and self.ends[index] > start

    def add(self, start: int, end: int) -> None:
        index = bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def merge_mentions(groups: list[list[Mention]]) -> list[Mention]:
    """One list of non-overlapping mentions from several annotators' lists, by the rule above."""
    groups = [[t for m in group if (t := tidy(m)) is not None] for group in groups]
    ranked = sorted(((order, m) for order, group in enumerate(groups) for m in group), key=_rank)
    taken: dict[int, Taken] = {}
    kept = []
    for _, mention in ranked:
        spans = taken.setdefault(mention.block, Taken())
        if spans.overlaps(mention.start, mention.end):
            continue
        spans.add(mention.start, mention.end)
        kept.append(mention)
    return sorted(kept, key=lambda m: (m.block, m.start, m.end))


def merge_quotes(groups: list[list[Quote]]) -> list[Quote]:
    """All quotes once each, sorted by position."""
    seen: set[tuple[int, int, int]] = set()
    quotes = []
    for quote in (q for group in groups for q in group):
        key = (quote.block, quote.start, quote.end)
        if key not in seen:
            seen.add(key)
            quotes.append(quote)
    return sorted(quotes, key=lambda q: (q.block, q.start, q.end))


def merge_annotations(results: list[Annotations]) -> Annotations:
    """The annotators' results (in annotator order) merged into one Annotations."""
    return Annotations(
        mentions=merge_mentions([r.mentions for r in results]),
        quotes=merge_quotes([r.quotes for r in results]),
    )

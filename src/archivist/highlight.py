"""HTML for one block of text with its entity mentions and quotes highlighted.

This module is the only producer of ``Markup`` in archivist: every piece of text and
every attribute value is escaped here, and the tags around them are fixed strings.

The rule for overlapping and nested spans, applied before anything is written:

1. Spans that are empty or fall outside the text are dropped.
2. Quotes are the outer layer. Taken in order of start (ties: the longer first), a
   quote is kept when it lies wholly inside or wholly outside every quote kept so
   far; a quote that crosses a kept quote's boundary, or starts where a kept quote
   starts, is dropped. Kept quotes nest as the text does (a term inside a direct
   quote becomes an inner element).
3. Mentions never nest in one another. Taken in the same order, a mention that
   overlaps a mention kept so far is dropped: the earlier start wins, ties go to the
   longer mention.
4. Mentions nest inside quotes. A kept mention that crosses a quote boundary is split
   into parts at that boundary; every part is a full link with the same target.

The text content of the output (tags stripped, entities unescaped) equals the input.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape

from .model import Mention, Quote
from .template_output import escape_text


@dataclass(frozen=True)
class EntityLink:
    """How a mention is shown: its target, the entity's name and its type."""

    href: str | None  # relative address of the entity page, or None for no link
    name: str  # the entity's canonical name, shown on hover and focus
    type: str  # one of ENTITY_TYPES; decides the class and underline style
    type_label: str  # the type in the reader's language ("人物", "Person")
    badge: str = ""  # a short mark shown before the mention ("人", "P")

    @cached_property
    def attributes(self) -> str:
        """The escaped attributes every part of the mention has: a page that reuses one
        EntityLink for all mentions of an entity writes them once."""
        tip = escape_text(f"{self.name} — {self.type_label}")
        attributes = (
            f' class="ent ent-{escape_text(self.type.lower())}"'
            f' data-type="{escape_text(self.type)}"'
            f' data-badge="{escape_text(self.badge)}"'
            f' data-tip="{tip}"'
            f' title="{tip}"'
        )
        return attributes if self.href is None else f' href="{escape_text(self.href)}"{attributes}'


LinkFunction = Callable[[Mention], EntityLink | None]
QuoteLabel = Callable[[Quote], str | None]


def plain_link(mention: Mention) -> EntityLink:
    """The default: no link, the mention's own text and type."""
    return EntityLink(None, mention.text, mention.type, mention.type.title())


def no_label(quote: Quote) -> str | None:
    """The default quote label: none."""
    return None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    open_tag: str
    close_tag: str
    inner: bool  # a mention part: always inside any quote with the same extent


def highlight(
    text: str,
    mentions: list[Mention],
    quotes: list[Quote],
    link: LinkFunction = plain_link,
    quote_label: QuoteLabel = no_label,
) -> Markup:
    """Escaped HTML of text with mentions linked and quotes marked (see module rule).

    link(mention) gives the mention's target and labels, or None to leave it plain;
    quote_label(quote) gives the words shown on hover (e.g. the speaker), or None.
    """
    if not mentions and not quotes:
        return escape(text)
    kept_quotes, kept_mentions = select_spans(len(text), mentions, quotes)
    spans = [_quote_span(quote, quote_label(quote)) for quote in kept_quotes]
    edges = sorted({p for q in kept_quotes for p in (q.start, q.end)})
    for mention in kept_mentions:
        target = link(mention)
        if target is None:
            continue
        for start, end in _split(mention.start, mention.end, edges):
            spans.append(_mention_span(start, end, text[start:end], target))
    return _assemble(text, spans)


def select_spans(
    length: int, mentions: list[Mention], quotes: list[Quote]
) -> tuple[list[Quote], list[Mention]]:
    """The quotes and mentions the rule keeps, in order of start, for a text of length."""
    kept_quotes: list[Quote] = []
    open_quotes: list[Quote] = []  # kept quotes around the current position, innermost last
    for quote in sorted(_valid(quotes, length), key=_order):
        while open_quotes and open_quotes[-1].end <= quote.start:
            open_quotes.pop()
        # Kept quotes nest, so a quote that fits inside the innermost open one fits inside all.
        if not open_quotes or _nests(quote, open_quotes[-1]):
            kept_quotes.append(quote)
            open_quotes.append(quote)
    kept_mentions: list[Mention] = []
    for mention in sorted(_valid(mentions, length), key=_order):
        if not kept_mentions or mention.start >= kept_mentions[-1].end:
            kept_mentions.append(mention)
    return kept_quotes, kept_mentions


def _valid(spans, length: int) -> list:
    return [s for s in spans if 0 <= s.start < s.end <= length]


def _order(span: Mention | Quote) -> tuple[int, int]:
    return (span.start, -span.end)


def _nests(quote: Quote, kept: Quote) -> bool:
    """Whether quote may stand beside kept: disjoint, or strictly inside with a later start."""
    if quote.end <= kept.start or quote.start >= kept.end:
        return True
    return kept.start < quote.start and quote.end <= kept.end


def _split(start: int, end: int, edges: list[int]) -> list[tuple[int, int]]:
    """[start, end) cut at every quote edge (sorted positions) strictly inside it."""
    cuts = edges[bisect_right(edges, start):bisect_left(edges, end)]
    points = [start, *cuts, end]
    return list(zip(points, points[1:]))


def _quote_span(quote: Quote, label: str | None) -> _Span:
    kind = escape_text(quote.kind)
    attributes = f' class="quote quote-{kind}" id="q-{quote.block}-{quote.start}"'
    if label:
        attributes += f' title="{escape_text(label)}" data-speaker="{escape_text(label)}"'
    return _Span(quote.start, quote.end, f"<span{attributes}>", "</span>", inner=False)


def _mention_span(start: int, end: int, part: str, target: EntityLink) -> _Span:
    if target.href is None:
        return _Span(start, end, f"<span{target.attributes}>", "</span>", inner=True)
    if target.name == part:
        spoken = f"{part} ({target.type_label})"
    else:
        spoken = f"{part} ({target.type_label}: {target.name})"
    return _Span(start, end, f'<a{target.attributes} aria-label="{escape_text(spoken)}">', "</a>", inner=True)


def _assemble(text: str, spans: list[_Span]) -> Markup:
    """Write text with spans, which the rule has made properly nested."""
    if not spans:
        return escape(text)
    # At one position every close comes before every open; closes innermost first,
    # opens outermost first.
    events: list[tuple[tuple, str]] = []
    for span in spans:
        events.append(((span.start, 1, -span.end, span.inner), span.open_tag))
        events.append(((span.end, 0, -span.start, not span.inner), span.close_tag))
    events.sort(key=_event_order)
    pieces: list[str] = []
    position = 0
    for (at, *_), tag in events:
        if at > position:
            pieces.append(escape_text(text[position:at]))
        pieces.append(tag)
        position = at
    pieces.append(escape_text(text[position:]))
    return Markup("".join(pieces))


def _event_order(event: tuple[tuple, str]) -> tuple:
    return event[0]

"""The pieces several page contexts share: chips, dates, quotes, chrome, highlighted blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .archive import ENTITIES_PATH, INDEX_PATH, QUOTES_PATH, Archive
from .citations import page_url, quote_citation
from .highlight import EntityLink, highlight, select_spans
from .i18n import Strings
from .model import Document, Entity, Mention, Quote
from .pages import (
    FEED_PATH, OPEN_DATA_ANCHOR, SEARCH_PATH, BlockView, Chrome, DateView, EntityChip, Link,
    Linker, NavItem, QuoteView, TypeView,
)  # fmt: skip

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Views:
    """Builds the views shared by several page kinds."""

    archive: Archive
    t: Strings
    kinds: dict[str, TypeView] = field(default_factory=dict)  # type -> its view without a count, once made
    kept: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # see kept_quotes, once asked for
    dates: dict[str, DateView] = field(default_factory=dict)  # ISO date -> its view, once made

    @classmethod
    def of(cls, archive: Archive, t: Strings) -> Views:
        return cls(archive, t)

    def kept_quotes(self, doc: Document) -> set[tuple[int, int]]:
        """(block, start) of the document's quotes the highlight keeps: worked out when a
        page needs them, so that a build that makes few pages does not read every text."""
        if doc.id not in self.kept:
            self.kept[doc.id] = _kept_quotes(self.archive, doc)
        return self.kept[doc.id]

    def kind(self, entity_type: str, count: int = 0) -> TypeView:
        if count:
            return self._kind(entity_type, count)
        if entity_type not in self.kinds:  # one view per type for every chip of the site
            self.kinds[entity_type] = self._kind(entity_type, 0)
        return self.kinds[entity_type]

    def _kind(self, entity_type: str, count: int) -> TypeView:
        t = self.t
        return TypeView(entity_type, entity_type.lower(), t.type_label(entity_type),
                        t.badge(entity_type), count)  # fmt: skip

    def chip(self, entity: Entity, link: Linker, count: int) -> EntityChip:
        href = link(self.archive.entity_path(entity))
        return EntityChip(href, entity.name, self.kind(entity.type), count)

    def date(self, iso: str | None) -> DateView | None:
        if not iso:
            return None
        view = self.dates.get(iso)
        if view is None:  # each document's date is shown on many pages
            view = self.dates[iso] = DateView(iso, self.t.date(iso))
        return view

    def lang(self, doc: Document) -> str | None:
        return doc.lang if doc.lang and doc.lang != self.t.lang else None

    def document_link(self, doc: Document, link: Linker, anchor: str = "") -> Link:
        return Link(link(self.archive.document_path(doc), anchor), doc.title)

    def quote_anchor(self, doc: Document, quote: Quote) -> str:
        """The id of a quote in its document page: its highlight, else its block."""
        if (quote.block, quote.start) in self.kept_quotes(doc):
            return f"q-{quote.block}-{quote.start}"
        return f"b-{quote.block}"

    def quote(self, doc: Document, quote: Quote, link: Linker, limit: int = 0) -> QuoteView:
        """A quote with its speaker, a link to it in its document and a citation line."""
        anchor = self.quote_anchor(doc, quote)
        path = self.archive.document_path(doc)
        speaker = self.archive.entities.get(quote.speaker or "")
        text = quote.text if not limit or len(quote.text) <= limit else quote.text[:limit] + "…"
        url = page_url(self.archive.config, path, anchor)
        name = speaker.name if speaker else quote.speaker_text
        return QuoteView(
            href=link(path, anchor),
            anchor=_SPACE.sub("-", f"q-{doc.id}-{quote.block}-{quote.start}"),
            text=text,
            kind=quote.kind,
            kind_label=self.t.quote_kind(quote.kind),
            speaker=self.chip(speaker, link, 0) if speaker else None,
            speaker_text=None if speaker else quote.speaker_text,
            document=self.document_link(doc, link),
            lang=self.lang(doc),
            citation=quote_citation(name, quote.text, doc, url, self.t),
        )

    def mention_type(self, mention: Mention) -> str:
        """A mention's type as shown: its entity's when the entity is listed."""
        entity = self.archive.entities.get(mention.entity or "")
        return entity.type if entity else mention.type

    def entity_link(self, mention: Mention, link: Linker) -> EntityLink:
        """How a mention in a document is shown: linked when its entity is listed."""
        entity = self.archive.entities.get(mention.entity or "")
        kind = entity.type if entity else mention.type
        href = link(self.archive.entity_path(entity)) if entity else None
        name = entity.name if entity else mention.text
        return EntityLink(href, name, kind, self.t.type_label(kind), self.t.badge(kind))

    def chrome(self, link: Linker, title: str, current: str | None) -> Chrome:
        t, config = self.t, self.archive.config
        nav = [
            NavItem(link(path), label, path == current)
            for path, label in (
                (INDEX_PATH, t.documents),
                (ENTITIES_PATH, t.entities),
                (QUOTES_PATH, t.quotes),
                (SEARCH_PATH, t.search),
            )
        ]
        page_title = f"{title} — {config.title}" if title != config.title else title
        return Chrome(
            lang=t.lang,
            site_title=config.title,
            description=config.description,
            page_title=page_title,
            home=link(INDEX_PATH),
            nav=nav,
            feed=link(FEED_PATH),
            stylesheet=link("static/style.css"),
            icon=link("static/favicon.svg"),
            script=link("static/script.js"),
            data=link(INDEX_PATH, OPEN_DATA_ANCHOR),
        )


def _kept_quotes(archive: Archive, doc: Document) -> set[tuple[int, int]]:
    _, quotes = _by_block(archive, doc)
    kept: set[tuple[int, int]] = set()
    for index, block in enumerate(doc.blocks):
        if quotes[index]:  # which quotes are kept does not depend on the mentions
            chosen, _ = select_spans(len(block.text), [], quotes[index])
            kept.update((q.block, q.start) for q in chosen)
    return kept


def _by_block(archive: Archive, doc: Document) -> tuple[list[list[Mention]], list[list[Quote]]]:
    """The document's mentions and quotes, one list per block."""
    notes = archive.annotations[doc.id]
    mentions: list[list[Mention]] = [[] for _ in doc.blocks]
    quotes: list[list[Quote]] = [[] for _ in doc.blocks]
    for mention in notes.mentions:
        if 0 <= mention.block < len(doc.blocks):
            mentions[mention.block].append(mention)
    for quote in notes.quotes:
        if 0 <= quote.block < len(doc.blocks):
            quotes[quote.block].append(quote)
    return mentions, quotes


def document_blocks(views: Views, doc: Document, link: Linker) -> list[BlockView]:
    """The document's blocks with highlights, each with its anchor."""
    mentions, quotes = _by_block(views.archive, doc)
    t = views.t

    def quote_label(quote: Quote) -> str:
        speaker = views.archive.entities.get(quote.speaker or "")
        name = speaker.name if speaker else quote.speaker_text
        return t.said_by.format(name=name) if name else t.quote_kind(quote.kind)

    entity_links: dict[str, EntityLink] = {}  # one per listed entity (see EntityLink.attributes)

    def entity_link(mention: Mention) -> EntityLink:
        if mention.entity not in views.archive.entities:
            return views.entity_link(mention, link)
        target = entity_links.get(mention.entity)
        if target is None:
            target = entity_links[mention.entity] = views.entity_link(mention, link)
        return target

    blocks = []
    for index, block in enumerate(doc.blocks):
        html = highlight(block.text, mentions[index], quotes[index], entity_link, quote_label)
        blocks.append(BlockView(block.kind, f"b-{index}", html))
    return blocks

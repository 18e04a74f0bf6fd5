"""One typed context per page kind, and the links they hold.

Every href a context holds is already relative to the page it is for (or, on the
404 page, absolute from the site's base path), so templates never compute links.
The contexts are built in render.py, from the shared pieces of views.py.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup

from .archive import url_path
from .model import Document, Entity

TOP_CHIPS = 5  # entities shown under each document in the list
TOP_FACETS = 12  # entities offered as filters on the index
TOP_CO_MENTIONS = 24  # co-mentioned entities shown on an entity page
QUOTE_PREVIEW = 90  # code points of a quote shown in a document's side panel
SEARCH_PATH = "search/index.html"
FEED_PATH = "feed.xml"
DATA_INDEX_PATH = "data/index.json"  # what the data folder holds, per document
ENTITIES_DATA_PATH = "data/entities.json"
MENTIONS_CSV_PATH = "data/mentions.csv"
QUOTES_CSV_PATH = "data/quotes.csv"
OPEN_DATA_ANCHOR = "open-data"  # id of the open data section of the index
_QID = re.compile(r"^Q[1-9][0-9]*$")


def relative(from_page: str, to_path: str) -> str:
    """The href from the page at from_page to to_path (both relative to the site root)."""
    start = _folder_parts(from_page)
    if start is None or ".." in to_path or to_path.startswith("/"):
        return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
    # posixpath.relpath without its cwd lookups: it is called for every link of the site.
    target = to_path.split("/")
    if "" in target or "." in target:
        target = [part for part in target if part and part != "."]
    common = 0
    for a, b in zip(start, target):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + target[common:]
    return "/".join(parts) if parts else "."


@lru_cache(maxsize=4096)
def _folder_parts(page: str) -> tuple[str, ...] | None:
    """The folders of a page's path, or None when it needs posixpath.relpath (.., absolute)."""
    base = posixpath.dirname(page) or "."
    if ".." in base or base.startswith("/"):
        return None
    return tuple(part for part in base.split("/") if part and part != ".")


def document_data_path(doc: Document) -> str:
    """Output path of a document's JSON (the contract of `annotate --format json`)."""
    return url_path(f"data/documents/{doc.slug}.json")


def annotations_path(doc: Document) -> str:
    """Output path of a document's W3C Web Annotations."""
    return url_path(f"data/annotations/{doc.slug}.jsonld")


def web_url(url: str | None) -> str | None:
    """url when it is an http(s) address with a host, else None (never a link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def wikidata_id(entity: Entity) -> str | None:
    """The entity's Wikidata item id ("Q42") when its links give a well-formed one."""
    for key, value in sorted(entity.links.items()):
        if key.lower() == "wikidata" and _QID.match(value):
            return value
    return None


def external_links(entity: Entity) -> list[Link]:
    """The entity's Wikidata page and other web addresses; anything else is dropped."""
    links = []
    for key, value in sorted(entity.links.items()):
        if key.lower() == "wikidata" and _QID.match(value):
            links.append(Link(f"https://www.wikidata.org/wiki/{value}", f"Wikidata {value}"))
        elif web_url(value):
            links.append(Link(web_url(value), key))
    return links


@dataclass(frozen=True)
class Linker:
    """Makes hrefs for one page: relative to it, or absolute under root (404 page)."""

    page: str  # output path of the page the links are on
    root: str | None = None  # "/base/" for absolute links, None for relative ones

    def __call__(self, to_path: str, anchor: str = "") -> str:
        href = self.root + to_path if self.root is not None else relative(self.page, to_path)
        return f"{href}#{anchor}" if anchor else href


@dataclass(frozen=True)
class Link:
    href: str | None  # where it leads, or None for plain text
    label: str  # what it says


@dataclass(frozen=True)
class NavItem:
    href: str  # relative address
    label: str  # what it says
    current: bool  # whether it is the page being shown


class TypeView(NamedTuple):  # a tuple: a site makes and hashes hundreds of thousands of chips
    type: str  # "PERSON"
    css: str  # "person", for class names
    label: str  # the type's name in the interface language
    badge: str  # the type's short mark
    count: int = 0  # how many entities (or mentions) of it, where it matters


class EntityChip(NamedTuple):  # a tuple, as TypeView
    href: str  # address of the entity page
    name: str  # its name
    kind: TypeView  # its type
    count: int  # mentions (or documents in common), by context


@dataclass(frozen=True)
class DateView:
    iso: str  # for <time datetime>
    text: str  # as readers write it


@dataclass(frozen=True)
class Chrome:
    """What every page shares: names, navigation and assets."""

    lang: str  # interface language, for <html lang>
    site_title: str  # the archive's name
    description: str  # one sentence about it
    page_title: str  # this page's <title>
    home: str  # href of the document list
    nav: list[NavItem]  # main navigation
    feed: str  # href of the archive's Atom feed
    stylesheet: str  # href of style.css
    icon: str  # href of the site's icon
    script: str  # href of script.js
    data: str  # href of the open data section of the index


Maker = Callable[[], tuple[Chrome, object]]  # makes a page's chrome and context


@dataclass(frozen=True)
class DocumentSummary:
    href: str  # the document page
    title: str  # its title
    lang: str | None  # its language when it differs from the interface
    date: DateView | None  # its date
    byline: str | None  # "By …", formatted
    counts: str  # "3 entities · 2 quotes"
    chips: list[EntityChip]  # most mentioned entities
    types: str  # entity types present, space separated, for the filters
    entity_keys: str  # filter keys of the entities present, space separated
    year: str  # year of its date, or ""
    anchor: str  # id of the first document of its year on its page, else ""


@dataclass(frozen=True)
class Facet:
    key: str  # value of data-entities in the document list
    chip: EntityChip  # the entity offered as a filter


@dataclass(frozen=True)
class TypeFacet:
    kind: TypeView  # the type, count = documents with that type
    href: str  # its section of the entity index, for lists of several pages


@dataclass(frozen=True)
class Pager:
    """Links between the pages of a long document list."""

    number: int  # this page, from 1
    count: int  # pages in all
    previous: str | None  # href of the page before, None on the first
    next: str | None  # href of the page after, None on the last
    pages: list[NavItem | None]  # nearby, first and last pages; None marks a gap
    label: str  # "page 2 of 5"


@dataclass(frozen=True)
class IndexPage:
    documents: list[DocumentSummary]  # this page's documents, newest first
    types: list[TypeFacet]  # types present in the archive
    facets: list[Facet]  # entities offered as filters
    years: list[Link]  # years with documents, newest first; href leads to the first one
    total: str  # "12 documents"
    data: list[Link]  # the archive's data files (first page only)
    pager: Pager | None  # None when every document fits on one page


@dataclass(frozen=True)
class BlockView:
    kind: str  # "paragraph" or "heading"
    anchor: str  # id="b-<index>"
    html: Markup  # the highlighted text


@dataclass(frozen=True)
class QuoteView:
    href: str  # the quote in its document
    anchor: str  # id of this entry where quotes are listed
    text: str  # the quote (shortened in side panels)
    kind: str  # quote kind, for class names
    kind_label: str  # quote kind, for readers
    speaker: EntityChip | None  # who said it, when known
    speaker_text: str | None  # the words naming the speaker when unresolved
    document: Link  # the document it is in
    lang: str | None  # the document's language when it differs
    citation: str  # speaker, quote, document, date and address, to copy


@dataclass(frozen=True)
class EntityGroup:
    kind: TypeView  # the type, count = entities in the group
    entities: list[EntityChip]  # most mentioned first
    more: Link | None = None  # the type's own list, when the group shows only the leading names


@dataclass(frozen=True)
class Citation:
    """One document cited three ways; no access date, so builds stay identical."""

    text: str  # a reference in the interface language's usual form
    bibtex: str  # a BibTeX @misc entry
    csl: str  # CSL-JSON (an array of one item), as read by Zotero and pandoc


@dataclass(frozen=True)
class DocumentPage:
    title: str  # as written
    lang: str | None  # document language when it differs from the interface
    byline: str | None  # "By …"
    date: DateView | None  # publication date
    year: str  # year of the date, or "", for the search filter
    original: str | None  # http(s) address of the original, else None
    types: list[TypeView]  # types present (legend and switches), count = mentions
    quote_count: int  # quotes highlighted in the text
    blocks: list[BlockView]  # the text
    related: list[Link]  # related headlines, href only for http(s) addresses
    groups: list[EntityGroup]  # the document's entities by type
    filters: list[tuple[str, list[str]]]  # (type label, names of its entities the search filters by)
    quotes: list[QuoteView]  # its quotes with speakers
    citation: Citation  # how to cite it
    structured: dict[str, Any]  # schema.org JSON-LD of the document
    data: list[Link]  # its JSON and Web Annotation files


@dataclass(frozen=True)
class EntitiesPage:
    groups: list[EntityGroup]  # every type with entities, most mentioned first
    total: str  # "42 entities"


@dataclass(frozen=True)
class TypePage:
    """One page of a type's own list of names (entity_listing.py)."""

    kind: TypeView  # the type, count = its names
    entities: list[EntityChip]  # this page's names, most mentioned first
    total: str  # "8,644 names"
    index: Link  # the entity index
    pager: Pager | None  # links to the other pages, when there are several


@dataclass(frozen=True)
class MentionView:
    """A mention in its sentence, with the entity's other mentions in that sentence."""

    href: str  # the block of the document holding the mention
    before: str  # sentence before the mention
    text: str  # the mention
    after: str  # sentence after it (after the last of more, when there are more)
    more: tuple[tuple[str, str], ...] = ()  # (the words between, the next mention) for each further one


@dataclass(frozen=True)
class MentionGroup:
    document: Link  # the document
    date: DateView | None  # its date
    lang: str | None  # its language when it differs
    mentions: list[MentionView]  # in reading order


@dataclass(frozen=True)
class Bar:
    x: float  # left edge in the chart's coordinates
    y: float  # top edge
    width: float  # bar width
    height: float  # bar height
    label: str  # the period, for readers
    count: int  # mentions in the period


@dataclass(frozen=True)
class Chart:
    width: int  # viewBox width
    height: int  # viewBox height
    bars: list[Bar]  # one per period, empty periods included
    summary: str  # the text alternative
    first: str  # label of the first period
    last: str  # label of the last period
    peak: int  # the largest count


@dataclass(frozen=True)
class EntityPage:
    name: str  # canonical name
    kind: TypeView  # its type
    description: str | None  # from the registry
    links: list[Link]  # Wikidata and other web addresses
    aliases: list[str]  # other names
    counts: str  # "12 mentions · 3 quotes" on the first page, else ""
    groups: list[MentionGroup]  # this page's mentions, by document
    quotes: list[QuoteView]  # quotes by this entity (first page only)
    co_mentions: list[EntityChip]  # count = documents in common (first page only)
    chart: Chart | None  # mentions over time, when any document is dated (first page only)
    feed: str  # href of the entity's Atom feed
    structured: dict[str, Any] | None  # schema.org JSON-LD of the entity (first page only)
    pager: Pager | None = None  # links to the entity's other pages, when there are several


@dataclass(frozen=True)
class SpeakerGroup:
    speaker: EntityChip | None  # None for unknown speakers and terms
    label: str  # the heading
    anchor: str  # id of the group
    quotes: list[QuoteView]  # in archive order; on a page, the part of them it holds
    count: int = 0  # quotes of the group in all pages, shown where it starts (not where it goes on)
    continued: bool = False  # the group began on an earlier page


@dataclass(frozen=True)
class SpeakerJump:
    href: str  # the group's start, on its page
    label: str  # the speaker's name, or the unknown group's label
    speaker: EntityChip | None  # None for the unknown group
    count: int  # quotes of the group


@dataclass(frozen=True)
class QuotesPage:
    groups: list[SpeakerGroup]  # this page's groups, most quoted first; unknown speaker last
    total: str  # "30 quotes" on the first page; "" on the others, which show no count of the whole archive
    jumps: list[SpeakerJump] = field(default_factory=list)  # the most quoted speakers (page 1)
    pager: Pager | None = None  # None when every quote fits on one page


@dataclass(frozen=True)
class SearchPage:
    stylesheet: str  # href of Pagefind's default interface styles
    script: str  # href of Pagefind's default interface
    open_filter: str  # name of the filter shown open (entity types)
    documents: int  # documents in the index; none means no search box
    merged: list[str]  # hrefs of the index's other shards, which the interface merges (search.py)
    excerpt_words: int | None = None  # words a result's excerpt shows, None for Pagefind's default


@dataclass(frozen=True)
class NotFoundPage:
    links: list[Link]  # where to go instead

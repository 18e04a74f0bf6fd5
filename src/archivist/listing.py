"""The document list: the index, cut into pages so that it stays light at any size.

Page 1 is index.html, page n is page/<n>/index.html; each holds PAGE_SIZE documents,
newest first. While every document fits on one page, the facets filter the list in the
browser (script.js). Once the list has several pages, the facets are links that work
without script: an entity leads to its page (every document mentioning it), a type to
its section of the entity index, a year to the page and place where its documents start
(documents are ordered by date, so a year's documents are consecutive). Only the
first page says how many documents each facet leads to: an edit that changes a count
then makes that page again, not every page of the list (page_keys.py).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from .archive import ENTITIES_PATH, INDEX_PATH
from .model import ENTITY_TYPES, Document
from .page_keys import summary_source
from .pages import (
    DATA_INDEX_PATH, ENTITIES_DATA_PATH, MENTIONS_CSV_PATH, QUOTES_CSV_PATH, TOP_CHIPS,
    TOP_FACETS, Chrome, DocumentSummary, Facet, IndexPage, Link, Linker, NavItem, Pager,
    TypeFacet,
)  # fmt: skip
from .views import Views

PAGE_SIZE = 50  # documents per page of the list
PAGE_LINKS = 2  # pages linked on each side of the current one
_YEAR = re.compile(r"^\d{4}")


def list_page_path(number: int) -> str:
    """Output path of page `number` (from 1) of the document list."""
    return INDEX_PATH if number == 1 else f"page/{number}/index.html"


def year_of(doc: Document) -> str:
    """The year of the document's date, or ""."""
    year = _YEAR.match(doc.date or "")
    return year[0] if year else ""


def index_pages(views: Views) -> list[tuple[str, Callable[[], tuple[Chrome, IndexPage]], tuple[str, ...]]]:
    """(output path, maker of its chrome and context, sources: see page_keys.py) for
    every page of the document list."""
    docs = views.archive.documents
    count = max(1, -(-len(docs) // PAGE_SIZE))
    # What the facets offer is the same on every page; only their hrefs differ.
    facets = Facets(_facet_keys(views), _type_counts(views), _year_starts(views))
    entities = tuple(f"e:{e}" for e in facets.keys)
    counted = summary_source("list", (facets, count, len(docs)))
    uncounted = summary_source("list", (list(facets.keys), list(facets.type_counts), facets.year_starts,
                                        count, len(docs)))  # fmt: skip
    return [(list_page_path(number), partial(index_page, views, facets, number, count),
             (counted if number == 1 else uncounted, *entities,
              *(f"d:{doc.id}" for doc in docs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])))
            for number in range(1, count + 1)]  # fmt: skip


@dataclass(frozen=True)
class Facets:
    """What the facets of every page of the list offer."""

    keys: dict[str, tuple[str, int]]  # entity id -> (filter key, documents mentioning it)
    type_counts: dict[str, int]  # entity type -> documents mentioning one of its kind
    year_starts: dict[str, int]  # year -> position of its first document


def index_page(views: Views, facets: Facets, number: int, count: int) -> tuple[Chrome, IndexPage]:
    """Page number (from 1) of count of the document list: its chrome and context."""
    archive = views.archive
    docs = archive.documents
    link = Linker(list_page_path(number))
    chunk = docs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    counted = number == 1  # see the module doc
    page = IndexPage(
        documents=_summaries(views, chunk, link, facets.keys),
        types=[TypeFacet(views.kind(k, n if counted else 0), link(ENTITIES_PATH, f"type-{k.lower()}"))
               for k, n in facets.type_counts.items()],  # fmt: skip
        facets=[Facet(key, views.chip(archive.entities[e], link, n if counted else 0))
                for e, (key, n) in facets.keys.items()],  # fmt: skip
        years=[Link(link(list_page_path(start // PAGE_SIZE + 1), f"year-{year}"), year)
               for year, start in facets.year_starts.items()],  # fmt: skip
        total=views.t.count(views.t.documents_count, len(docs)),
        data=_data_links(views, link) if number == 1 else [],
        pager=pager(views, link, number, count, list_page_path) if count > 1 else None,
    )
    title = archive.config.title
    if number > 1:
        title = f"{views.t.documents} ({views.t.page_of.format(n=number, total=count)})"
    current = INDEX_PATH if number == 1 else None
    return views.chrome(link, title, current), page


def _facet_keys(views: Views) -> dict[str, tuple[str, int]]:
    """The entities offered as filters: id -> (filter key, documents mentioning it)."""
    archive = views.archive
    in_documents = archive.documents_naming
    # Only entities in as many documents as the last of the top can be in it.
    least = min(heapq.nlargest(TOP_FACETS, in_documents.values()), default=0)
    contenders = [e for e, n in in_documents.items() if n >= least]
    top = sorted(
        contenders,
        key=lambda e: (-in_documents[e], -archive.mention_count(e), archive.entities[e].name, e),
    )[:TOP_FACETS]
    return {entity_id: (f"e{i}", in_documents[entity_id]) for i, entity_id in enumerate(top)}


def _summaries(views: Views, docs: list[Document], link: Linker,
               keys: dict[str, tuple[str, int]]) -> list[DocumentSummary]:  # fmt: skip
    summaries, seen = [], set()
    for doc in docs:
        year = year_of(doc)
        anchor = f"year-{year}" if year and year not in seen else ""
        seen.add(year)
        summaries.append(_summary(views, doc, link, keys, anchor))
    return summaries


def _summary(views: Views, doc: Document, link: Linker, keys: dict[str, tuple[str, int]],
             anchor: str) -> DocumentSummary:  # fmt: skip
    archive, t = views.archive, views.t
    pairs = archive.document_entities[doc.id]
    present = {archive.entities[e].type for e, _ in pairs}
    quotes = archive.quotes_in(doc.id)
    return DocumentSummary(
        href=link(archive.document_path(doc)),
        title=doc.title,
        lang=views.lang(doc),
        date=views.date(doc.date),
        byline=t.byline.format(name=doc.byline) if doc.byline else None,
        counts=f"{t.count(t.entities_count, len(pairs))} · {t.count(t.quotes_count, len(quotes))}",
        chips=[views.chip(archive.entities[e], link, n) for e, n in pairs[:TOP_CHIPS]],
        types=" ".join(k for k in ENTITY_TYPES if k in present),
        entity_keys=" ".join(keys[e][0] for e, _ in pairs if e in keys),
        year=year_of(doc),
        anchor=anchor,
    )


def _type_counts(views: Views) -> dict[str, int]:
    """Types present, in the usual order: type -> documents mentioning one of its kind."""
    archive = views.archive
    counts = Counter(
        kind
        for pairs in archive.document_entities.values()
        for kind in {archive.entities[e].type for e, _ in pairs}
    )
    return {k: counts[k] for k in ENTITY_TYPES if counts[k]}


def _year_starts(views: Views) -> dict[str, int]:
    """Years with documents, newest first: year -> position of its first document."""
    first: dict[str, int] = {}
    for position, doc in enumerate(views.archive.documents):
        first.setdefault(year_of(doc), position)
    return {y: first[y] for y in sorted((y for y in first if y), reverse=True)}


def pager(views: Views, link: Linker, number: int, count: int, path_of: Callable[[int], str]) -> Pager:
    """Links from page number of count to its neighbours, first and last; path_of(n) is page n's path."""
    near = {1, count, *range(number - PAGE_LINKS, number + PAGE_LINKS + 1)}
    shown = sorted(n for n in near if 1 <= n <= count)
    pages: list[NavItem | None] = []
    for before, n in zip([0, *shown], shown):
        if before and n > before + 1:
            pages.append(None)
        pages.append(NavItem(link(path_of(n)), str(n), n == number))
    return Pager(
        number=number,
        count=count,
        previous=link(path_of(number - 1)) if number > 1 else None,
        next=link(path_of(number + 1)) if number < count else None,
        pages=pages,
        label=views.t.page_of.format(n=number, total=count),
    )


def _data_links(views: Views, link: Linker) -> list[Link]:
    t = views.t
    return [
        Link(link(ENTITIES_DATA_PATH), t.data_entities),
        Link(link(MENTIONS_CSV_PATH), t.data_mentions),
        Link(link(QUOTES_CSV_PATH), t.data_quotes),
        Link(link(DATA_INDEX_PATH), t.data_index),
    ]

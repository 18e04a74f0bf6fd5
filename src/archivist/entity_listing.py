"""The entity index, light at any size.

entities/index.html shows the OVERVIEW most mentioned names of each type. A type with
more names also has a list of its own, TYPE_PAGE_SIZE names a page, most mentioned
first: entities/<type>/index.html, then entities/<type>/page/<n>/index.html. The
pages of the entities themselves sit beside it, at entities/<type>/<slug>/.
"""

from __future__ import annotations

from functools import partial

from . import i18n
from .archive import ENTITIES_PATH, Archive
from .listing import pager
from .page_keys import summary_source
from .pages import Chrome, EntitiesPage, EntityGroup, Link, Linker, Maker, TypePage
from .views import Views

OVERVIEW = 100  # names of each type on the entity index
TYPE_PAGE_SIZE = 500  # names on each page of a type's own list


def type_page_path(entity_type: str, number: int) -> str:
    """Output path of page `number` (from 1) of a type's list of names."""
    folder = f"entities/{entity_type.lower()}"
    return f"{folder}/index.html" if number == 1 else f"{folder}/page/{number}/index.html"


def entity_index_pages(views: Views) -> list[tuple[str, str, Maker, tuple[str, ...]]]:
    """(template, output path, maker, sources: see page_keys.py) for the entity index
    and every page of the types' own lists."""
    archive = views.archive
    pages = [("entities.html", ENTITIES_PATH, partial(entities_page, views), _overview_sources(archive))]
    for kind, ids in archive.by_type.items():
        if len(ids) <= OVERVIEW:
            continue
        count = -(-len(ids) // TYPE_PAGE_SIZE)
        for number in range(1, count + 1):
            pages.append(("entity_type.html", type_page_path(kind, number),
                          partial(type_page, views, kind, number, count),
                          _type_page_sources(archive, kind, number, count)))  # fmt: skip
    return pages


def entities_page(views: Views) -> tuple[Chrome, EntitiesPage]:
    """The most mentioned names of every type, each type linked to its whole list."""
    archive, t, link = views.archive, views.t, Linker(ENTITIES_PATH)
    groups = []
    for kind, ids in archive.by_type.items():
        if not ids:
            continue
        more = None
        if len(ids) > OVERVIEW:
            label = t.all_names.format(n=i18n.number(len(ids)))
            more = Link(link(type_page_path(kind, 1)), label)
        chips = [views.chip(archive.entities[e], link, archive.mention_count(e)) for e in ids[:OVERVIEW]]
        groups.append(EntityGroup(views.kind(kind, len(ids)), chips, more))
    page = EntitiesPage(groups, t.count(t.entities_count, len(archive.entities)))
    return views.chrome(link, t.entities, ENTITIES_PATH), page


def type_page(views: Views, kind: str, number: int, count: int) -> tuple[Chrome, TypePage]:
    """Page number (from 1) of count of one type's names, most mentioned first."""
    archive, t = views.archive, views.t
    path = type_page_path(kind, number)
    link = Linker(path)
    ids = archive.by_type[kind]
    shown = ids[(number - 1) * TYPE_PAGE_SIZE : number * TYPE_PAGE_SIZE]
    page = TypePage(
        kind=views.kind(kind, len(ids)),
        entities=[views.chip(archive.entities[e], link, archive.mention_count(e)) for e in shown],
        total=t.count(t.entities_count, len(ids)),
        index=Link(link(ENTITIES_PATH), t.entities),
        pager=pager(views, link, number, count, partial(type_page_path, kind)) if count > 1 else None,
    )
    title = t.type_label(kind)
    if number > 1:
        title = f"{title} ({t.page_of.format(n=number, total=count)})"
    return views.chrome(link, title, None), page


def _overview_sources(archive: Archive) -> tuple[str, ...]:
    """What the entity index shows: the leading names of each type, ranked and
    counted, and how many names each type has."""
    shown = [(kind, len(ids), [(e, archive.mention_count(e)) for e in ids[:OVERVIEW]])
             for kind, ids in archive.by_type.items()]  # fmt: skip
    ids = [e for _, _, ranked in shown for e, _ in ranked]
    return (summary_source("entities", shown), *(f"e:{entity_id}" for entity_id in ids))


def _type_page_sources(archive: Archive, kind: str, number: int, count: int) -> tuple[str, ...]:
    """What one page of a type's list shows: its names, ranked and counted."""
    ids = archive.by_type[kind]
    shown = [(e, archive.mention_count(e)) for e in ids[(number - 1) * TYPE_PAGE_SIZE : number * TYPE_PAGE_SIZE]]
    summary = summary_source("entity-type", (kind, number, count, len(ids), shown))
    return (summary, *(f"e:{entity_id}" for entity_id, _ in shown))

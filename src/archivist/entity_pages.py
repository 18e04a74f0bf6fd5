"""An entity's page: its mentions in context, quotes, co-mentions and timeline.

The mentions are listed by document, DOCUMENTS_PER_PAGE documents a page, so that the
page of a name found in thousands of documents stays light: page 1 is
entities/<type>/<slug>/index.html and holds everything else too; page n is
entities/<type>/<slug>/page/<n>/index.html and holds only mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from .archive import CONTEXT_LIMIT, Occurrence
from .feeds import entity_feed_path
from .i18n import Strings
from .listing import pager
from .model import Entity
from .page_keys import summary_source
from .pages import (
    TOP_CO_MENTIONS, Bar, Chart, Chrome, EntityPage, Link, Linker, Maker, MentionGroup, MentionView,
    external_links,
)  # fmt: skip
from .reuse import Reuse
from .schema_org import entity_page_schema
from .views import Views

DOCUMENTS_PER_PAGE = 50  # documents whose mentions one page of an entity lists


# An entity's pages, not made yet: (output path, number, the mentions of each page, sources).
Plan = list[tuple[str, int, list[slice], tuple[str, ...]]]


def entity_pages(views: Views, entity: Entity, sources: tuple[str, ...], kept: Reuse[Plan] | None = None,
                 ) -> list[tuple[str, str, Maker, tuple[str, ...]]]:  # fmt: skip
    """(template, output path, maker, sources: see page_keys.py) for each page of an
    entity; sources are what its first page is made from (render.entity_sources).
    With kept, the last build's plan of them is reused while the entity, its list of
    mentions and those sources are the same objects."""
    mentions = views.archive.mentions.get(entity.id)
    make = partial(_plan, views, entity, sources)
    plan = kept.get(entity.id, (entity, mentions, sources), make) if kept is not None else make()
    return [("entity.html", path, partial(entity_page, views, entity, number, parts), page_sources)
            for path, number, parts, page_sources in plan]  # fmt: skip


def _plan(views: Views, entity: Entity, sources: tuple[str, ...]) -> Plan:
    archive = views.archive
    parts = mention_pages(archive.mentions.get(entity.id, []))
    plan = []
    for number, part in enumerate(parts, 1):
        if number > 1:
            shown = _documents(archive.mentions[entity.id][part])
            sources = (f"e:{entity.id}", summary_source("mentions", (number, len(parts), shown)),
                       *(f"d:{doc_id}" for doc_id in shown))  # fmt: skip
        plan.append((mention_page_path(views, entity, number), number, parts, sources))
    return plan


def mention_page_path(views: Views, entity: Entity, number: int) -> str:
    """Output path of page `number` (from 1) of an entity."""
    path = views.archive.entity_path(entity)
    return path if number == 1 else path.removesuffix("index.html") + f"page/{number}/index.html"


def mention_pages(occurrences: Sequence[Occurrence]) -> list[slice]:
    """The occurrences each page lists: those of DOCUMENTS_PER_PAGE documents (an
    entity's mentions are in document order); always at least one page."""
    if len(occurrences) <= DOCUMENTS_PER_PAGE:
        return [slice(0, len(occurrences))]
    starts = [i for i, o in enumerate(occurrences) if i == 0 or o.document != occurrences[i - 1].document]
    bounds = [0, *starts[DOCUMENTS_PER_PAGE::DOCUMENTS_PER_PAGE], len(occurrences)]
    return [slice(a, b) for a, b in zip(bounds, bounds[1:])]


def entity_page(views: Views, entity: Entity, number: int = 1,
                parts: list[slice] | None = None) -> tuple[Chrome, EntityPage]:  # fmt: skip
    """Page number (from 1) of an entity: parts are mention_pages() of its mentions."""
    archive, t = views.archive, views.t
    occurrences = archive.mentions.get(entity.id, [])
    parts = parts or mention_pages(occurrences)
    link = Linker(mention_page_path(views, entity, number))
    first = number == 1
    # Later pages show no counts, so that an edit elsewhere leaves them as they are.
    refs = archive.quotes.get(entity.id, []) if first else []
    counts = [t.count(t.mentions_count, archive.mention_count(entity.id))] if first else []
    counts += [t.count(t.quotes_count, len(refs))] if refs else []
    several = len(parts) > 1
    page = EntityPage(
        name=entity.name,
        kind=views.kind(entity.type),
        description=entity.description,
        links=external_links(entity),
        aliases=[a for a in entity.aliases if a != entity.name],
        counts=" · ".join(counts),
        groups=_mention_groups(views, occurrences[parts[number - 1]], link),
        quotes=[views.quote(archive.documents_by_id[r.document], r.quote, link) for r in refs],
        co_mentions=[
            views.chip(archive.entities[other], link, n)
            for other, n in archive.co_mentions(entity.id)[:TOP_CO_MENTIONS]
        ] if first else [],
        chart=make_chart(archive.timeline(entity.id), t) if first else None,
        feed=link(entity_feed_path(archive, entity)),
        structured=entity_page_schema(archive, entity) if first else None,
        pager=pager(views, link, number, len(parts), partial(mention_page_path, views, entity)) if several else None,
    )
    title = entity.name if first else f"{entity.name} ({t.page_of.format(n=number, total=len(parts))})"
    return views.chrome(link, title, None), page


def _mention_groups(views: Views, occurrences: Sequence[Occurrence], link: Linker) -> list[MentionGroup]:
    """The occurrences grouped by document, each linked to its block there; those in
    one sentence shown once, every one of them marked (日本代表 … 日本戦 … 「日本戦は」)."""
    archive = views.archive
    groups: list[MentionGroup] = []
    last: Occurrence | None = None
    for occurrence in occurrences:
        if last is None or occurrence.document != last.document:
            doc = archive.documents_by_id[occurrence.document]
            page_href = link(archive.document_path(doc))
            groups.append(MentionGroup(Link(page_href, doc.title), views.date(doc.date),
                                       views.lang(doc), []))  # fmt: skip
        shown = groups[-1].mentions
        if shown and last is not None and _in_context(last, occurrence):
            between = last.block_text[last.mention.end:occurrence.mention.start]
            shown[-1] = replace(shown[-1], more=(*shown[-1].more, (between, occurrence.text)), after=occurrence.after)
        else:
            href = f"{page_href}#b-{occurrence.mention.block}"
            shown.append(MentionView(href, occurrence.before, occurrence.text, occurrence.after))
        last = occurrence
    return groups


def _in_context(shown: Occurrence, following: Occurrence) -> bool:
    """Whether following, of the same document, lies within the context shown after shown
    (the rest of its sentence, cut at CONTEXT_LIMIT)."""
    if following.mention.block != shown.mention.block or following.mention.start < shown.mention.end:
        return False
    return following.mention.end <= shown.mention.end + min(len(shown.after), CONTEXT_LIMIT)


def _documents(occurrences: Sequence[Occurrence]) -> list[str]:
    """The ids of the documents of occurrences, in order, each once."""
    return list(dict.fromkeys(o.document for o in occurrences))


def make_chart(months: dict[str, int], t: Strings) -> Chart | None:
    """A bar chart of mentions per month ("YYYY-MM" -> count), per year past three years."""
    if not months:
        return None
    periods = _month_range(min(months), max(months))
    counts = Counter(months)
    if len(periods) > 36:
        counts = Counter()
        for month, n in months.items():
            counts[month[:4]] += n
        periods = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
    # Bars share the width evenly; few periods get wide slots with narrow bars.
    width = max(240, 40 * len(periods)) if len(periods) <= 15 else 600
    pitch = width / len(periods)
    bar_width = min(pitch * 0.8, 36.0)
    height, room = 120, 112
    peak = max(counts[p] for p in periods)
    bars = []
    for i, period in enumerate(periods):
        n = counts[period]
        tall = max(2.0, room * n / peak) if n else 0.0
        x = i * pitch + (pitch - bar_width) / 2
        bars.append(Bar(round(x, 2), round(height - tall, 2), round(bar_width, 2),
                        round(tall, 2), t.month(period), n))  # fmt: skip
    first, last = t.month(periods[0]), t.month(periods[-1])
    count = t.count(t.mentions_count, sum(months.values()))
    form = t.timeline_single if first == last else t.timeline_summary
    summary = form.format(count=count, first=first, last=last)
    return Chart(width, height, bars, summary, first, last, peak)


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    periods = []
    while f"{year:04d}-{month:02d}" <= last:
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods

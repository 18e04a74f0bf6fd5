"""The quote index, cut into pages so that it stays light at any size.

Quotes are grouped by speaker, most quoted first, quotes without a known speaker (and
terms in brackets) last. Page 1 is quotes/index.html, page n is
quotes/page/<n>/index.html; each holds PAGE_SIZE quotes. A group that does not fit on
its page goes on at the top of the next one, under the same heading. The first page
also lists the most quoted speakers (JUMP_SPEAKERS), each linked to where its group
starts; every speaker's quotes are also on their entity page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .archive import QUOTES_PATH, Archive, QuoteRef
from .listing import pager
from .page_keys import summary_source
from .pages import Chrome, Linker, QuotesPage, SpeakerGroup, SpeakerJump
from .views import Views

PAGE_SIZE = 200  # quotes per page
JUMP_SPEAKERS = 60  # speakers linked from the first page


def quotes_page_path(number: int) -> str:
    """Output path of page `number` (from 1) of the quote index."""
    return QUOTES_PATH if number == 1 else f"quotes/page/{number}/index.html"


@dataclass(frozen=True)
class Part:
    """The quotes of one group that one page holds."""

    group: int  # position of the group among all groups
    start: int  # first of the group's quotes on this page
    stop: int  # one past the last


def speaker_groups(archive: Archive) -> list[tuple[str | None, list[QuoteRef]]]:
    """(speaker id, or None for unknown, quotes) most quoted first, ties by name; unknown last."""
    known = sorted(
        (s for s in archive.quotes if s is not None),
        key=lambda s: (-len(archive.quotes[s]), archive.entities[s].name, s),
    )
    speakers = [*known, None] if None in archive.quotes else known
    return [(speaker, archive.quotes[speaker]) for speaker in speakers]


def page_plan(groups: list[tuple[str | None, list[QuoteRef]]], size: int = PAGE_SIZE) -> list[list[Part]]:
    """The parts each page holds: groups in order, cut every size quotes; at least one page."""
    pages: list[list[Part]] = [[]]
    room = size
    for number, (_, refs) in enumerate(groups):
        start = 0
        while start < len(refs):
            if room == 0:
                pages.append([])
                room = size
            stop = min(len(refs), start + room)
            pages[-1].append(Part(number, start, stop))
            room -= stop - start
            start = stop
    return pages


def quote_pages(views: Views) -> list[tuple[str, QuotePageMaker]]:
    """(output path, maker of its chrome and context) for every page of the quote index."""
    groups = speaker_groups(views.archive)
    plan = page_plan(groups, PAGE_SIZE)
    first_page = {part.group: number for number, parts in enumerate(plan, 1) for part in parts
                  if part.start == 0}  # fmt: skip
    total = sum(len(refs) for _, refs in groups)
    return [(quotes_page_path(number), QuotePageMaker(views, groups, plan, first_page, number, total))
            for number in range(1, len(plan) + 1)]  # fmt: skip


@dataclass(frozen=True)
class QuotePageMaker:
    """Makes one page of the quote index when called (pages are made while written)."""

    views: Views
    groups: list[tuple[str | None, list[QuoteRef]]]
    plan: list[list[Part]]
    first_page: dict[int, int]  # group -> the page where it starts
    number: int  # this page, from 1
    total: int  # quotes in all the groups

    def __call__(self) -> tuple[Chrome, QuotesPage]:
        views, t = self.views, self.views.t
        count = len(self.plan)
        link = Linker(quotes_page_path(self.number))
        page = QuotesPage(
            groups=[self._group(part, link) for part in self.plan[self.number - 1]],
            # Later pages show no count of the whole archive, so that a quote added
            # elsewhere leaves them as they are (their sources do not hold it).
            total=t.count(t.quotes_count, self.total) if self.number == 1 else "",
            jumps=self._jumps(link) if self.number == 1 and len(self.groups) > 1 else [],
            pager=pager(views, link, self.number, count, quotes_page_path) if count > 1 else None,
        )
        title = t.quotes if self.number == 1 else f"{t.quotes} ({t.page_of.format(n=self.number, total=count)})"
        return views.chrome(link, title, QUOTES_PATH if self.number == 1 else None), page

    def sources(self) -> tuple[str, ...] | None:
        """What this page is made from (page_keys.py); None for the first page, whose
        list of speakers reads every group."""
        if self.number == 1:
            return None
        parts = self.plan[self.number - 1]
        shape = repr([(p.group, p.start, p.stop, len(self.groups[p.group][1])) for p in parts])
        # Which quotes the page shows, not only of which documents: when a document moves
        # in the archive's order, the page may show other quotes of the same documents.
        shown = [(r.document, r.quote.block, r.quote.start) for p in parts
                 for r in self.groups[p.group][1][p.start : p.stop]]  # fmt: skip
        sources = [f"pages:{len(self.plan)} parts:{shape}", summary_source("quotes", shown)]
        for part in parts:
            speaker, refs = self.groups[part.group]
            sources += [f"e:{speaker}"] if speaker else []
            sources += sorted({f"d:{ref.document}" for ref in refs[part.start : part.stop]})
        return tuple(sources)

    def _group(self, part: Part, link: Linker) -> SpeakerGroup:
        views, archive = self.views, self.views.archive
        speaker, refs = self.groups[part.group]
        entity = archive.entities[speaker] if speaker else None
        return SpeakerGroup(
            speaker=views.chip(entity, link, len(refs)) if entity else None,
            label=entity.name if entity else views.t.unknown_speaker,
            anchor=f"s-{part.group}",
            quotes=[views.quote(archive.documents_by_id[r.document], r.quote, link)
                    for r in refs[part.start : part.stop]],  # fmt: skip
            count=len(refs),
            continued=part.start > 0,
        )

    def _jumps(self, link: Linker) -> list[SpeakerJump]:
        views, archive = self.views, self.views.archive
        shown = [n for n, (speaker, _) in enumerate(self.groups) if speaker][:JUMP_SPEAKERS]
        shown += [n for n, (speaker, _) in enumerate(self.groups) if speaker is None]
        jumps = []
        for number in shown:
            speaker, refs = self.groups[number]
            entity = archive.entities[speaker] if speaker else None
            page = self.first_page[number]
            href = f"#s-{number}" if page == self.number else link(quotes_page_path(page), f"s-{number}")
            jumps.append(SpeakerJump(href, entity.name if entity else views.t.unknown_speaker,
                                     views.chip(entity, link, len(refs)) if entity else None,
                                     len(refs)))  # fmt: skip
        return jumps

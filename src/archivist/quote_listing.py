"""The quote index, cut into pages so that it stays light at any size.

Quotes are grouped by speaker, most quoted first, quotes without a known speaker (and
terms in brackets) last. Page 1 is quotes/index.html, page n is
quotes/page/<n>/index.html. A group that does not fit on its page goes on at the top
of the next one, under the same heading. The first page also lists the most quoted
speakers (JUMP_SPEAKERS), each linked to where its group starts; every speaker's
quotes are also on their entity page.

Pages are cut where their quotes say, not every so many quotes: after the quotes of
one document in one group, when a hash of the two says so (page_plan). A quote added
or removed then changes the page it is on (and the pages a group moves between when
its rank changes), not every page after it: cut every PAGE_SIZE quotes, one quote of a
new speaker moved every quote after it, about 350 pages of the livedoor archive's index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .archive import QUOTES_PATH, Archive, QuoteRef
from .listing import pager
from .page_keys import summary_source
from .pages import Chrome, Linker, QuotesPage, SpeakerGroup, SpeakerJump
from .views import Views

PAGE_SIZE = 200  # quotes a page holds on average; at least half as many (but the last), at most twice
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
    """The parts each page holds: groups in order, cut after the quotes of a document
    in a group once a page holds size // 2 quotes, where _cuts says (size quotes a page
    on average); a page is cut at twice size in any case. At least one page."""
    least, most = size // 2, max(1, size * 2)
    pages: list[list[Part]] = [[]]
    held = 0
    for number, (speaker, refs) in enumerate(groups):
        for first, stop in _runs(refs):
            start = first
            while start < stop:  # a run longer than a page is cut inside
                if held >= most:
                    pages.append([])
                    held = 0
                end = min(stop, start + most - held)
                _hold(pages[-1], Part(number, start, end))
                held, start = held + end - start, end
            if held >= least and _cuts(speaker, refs[first].document, stop - first, size - least):
                pages.append([])
                held = 0
    if len(pages) > 1 and not pages[-1]:
        pages.pop()
    return pages


def _runs(refs: Sequence[QuoteRef]) -> Iterator[tuple[int, int]]:
    """(start, stop) of each run of quotes from one document (a group's are in document order)."""
    start = 0
    for end in range(1, len(refs) + 1):
        if end == len(refs) or refs[end].document != refs[start].document:
            yield start, end
            start = end


def _hold(parts: list[Part], part: Part) -> None:
    """Add part to a page's parts, joined to the last when it goes on from it."""
    if parts and parts[-1].group == part.group and parts[-1].stop == part.start:
        parts[-1] = Part(part.group, parts[-1].start, part.stop)
    else:
        parts.append(part)


@lru_cache(maxsize=1 << 16)
def _cuts(speaker: str | None, document: str, quotes: int, spread: int) -> bool:
    """Whether a page ends after a run of quotes of a document in a speaker's group:
    a hash of the two, so each run is a place to cut or not whatever comes before it,
    with a chance of quotes / spread, so pages hold about spread quotes more than the
    least."""
    digest = hashlib.blake2b(f"{speaker}\x00{document}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") < (1 << 64) * quotes / max(1, spread)


def _place(ref: QuoteRef) -> tuple[str, int, int]:
    """Where a quote is: its document, block and offset."""
    return ref.document, ref.quote.block, ref.quote.start


def group_anchor(speaker: str | None) -> str:
    """The id of a speaker's group, the same on whichever page it starts."""
    if speaker is None:
        return "s-unknown"
    return "s-" + hashlib.blake2b(speaker.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


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
        # What the page shows of each group: its speaker, its size where it starts (not
        # where it goes on: the group of unknown speakers spans most pages), and its first
        # and last quote there. Not only of which documents: when a document moves in the
        # archive's order, the page may show other quotes of the same ones; the quotes
        # between are those of its documents, in an order their keys hold.
        shown, named = [], []
        for part in self.plan[self.number - 1]:
            speaker, refs = self.groups[part.group]
            size = len(refs) if part.start == 0 else None
            shown.append((speaker, size, _place(refs[part.start]), _place(refs[part.stop - 1])))
            named += [f"e:{speaker}"] if speaker else []
            named += sorted({f"d:{ref.document}" for ref in refs[part.start : part.stop]})
        return (f"pages:{len(self.plan)}", summary_source("quotes", shown), *named)

    def _group(self, part: Part, link: Linker) -> SpeakerGroup:
        views, archive = self.views, self.views.archive
        speaker, refs = self.groups[part.group]
        entity = archive.entities[speaker] if speaker else None
        return SpeakerGroup(
            speaker=views.chip(entity, link, len(refs)) if entity else None,
            label=entity.name if entity else views.t.unknown_speaker,
            anchor=group_anchor(speaker),
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
            anchor = group_anchor(speaker)
            href = f"#{anchor}" if page == self.number else link(quotes_page_path(page), anchor)
            jumps.append(SpeakerJump(href, entity.name if entity else views.t.unknown_speaker,
                                     views.chip(entity, link, len(refs)) if entity else None,
                                     len(refs)))  # fmt: skip
        return jumps

"""How the quote index is cut into pages."""

import random
from typing import NamedTuple

from archivist.quote_listing import group_anchor, page_plan, quotes_page_path


class Ref(NamedTuple):  # page_plan reads only the document of each quote
    document: str


def _groups(chance: random.Random, speakers: int = 300) -> list[tuple[str | None, list[Ref]]]:
    """Speakers quoted in a few documents each, one to three times in each, most quoted
    first; and a large group of unknown speakers last, as in a news archive."""
    groups = []
    for number in range(speakers):
        documents = sorted(chance.sample(range(5000), chance.randint(1, 12)))
        groups.append((f"person/{number}", [Ref(f"d{d:05}") for d in documents for _ in range(chance.randint(1, 3))]))
    groups.sort(key=lambda group: -len(group[1]))
    unknown = sorted(chance.sample(range(5000), 1500))
    return [*groups, (None, [Ref(f"d{d:05}") for d in unknown for _ in range(chance.randint(1, 4))])]


def _pages(groups, size: int) -> list[tuple]:
    """What each page shows: per group on it, its speaker, whether it goes on from an
    earlier page, and the documents of its quotes there."""
    return [tuple((groups[p.group][0], p.start > 0, tuple(r.document for r in groups[p.group][1][p.start : p.stop]))
                  for p in parts) for parts in page_plan(groups, size)]  # fmt: skip


def test_every_quote_is_on_one_page_in_order_and_pages_hold_about_page_size():
    groups = _groups(random.Random(1))
    plan = page_plan(groups, size=200)
    shown = [(part.group, i) for parts in plan for part in parts for i in range(part.start, part.stop)]
    assert shown == [(g, i) for g, (_, refs) in enumerate(groups) for i in range(len(refs))]
    held = [sum(part.stop - part.start for part in parts) for parts in plan]
    assert all(100 <= n <= 400 for n in held[:-1]) and 0 < held[-1] <= 400
    assert 160 <= sum(held) / len(held) <= 240


def test_a_quote_added_changes_the_pages_about_it_not_every_page_after():
    chance = random.Random(2)
    groups = _groups(chance)
    before = _pages(groups, 200)
    assert len(before) > 20
    changed = []
    for number in range(30):  # a new speaker quoted once, among those quoted once (by name)
        place = chance.randrange(len(groups) - 1, len(groups) // 2, -1)
        edited = [*groups[:place], (f"person/new-{number}", [Ref(f"d{chance.randrange(5000):05}")]), *groups[place:]]
        after = _pages(edited, 200)
        changed.append(len(set(after) - set(before)))
    assert max(changed) <= 4 and sum(changed) / len(changed) <= 2


def test_a_document_quoting_one_speaker_more_than_a_page_holds_is_cut_inside():
    plan = page_plan([("person/a", [Ref("d1")] * 10)], size=2)
    assert [[(p.start, p.stop) for p in parts] for parts in plan] == [[(0, 4)], [(4, 8)], [(8, 10)]]


def test_an_index_without_quotes_is_one_empty_page():
    assert page_plan([], size=4) == [[]]


def test_a_group_has_the_same_anchor_on_whichever_page_it_starts():
    assert group_anchor("person/山田太郎") == group_anchor("person/山田太郎") != group_anchor("person/佐藤花子")
    assert group_anchor("person/山田太郎").isascii() and group_anchor(None) == "s-unknown"


def test_page_paths():
    assert [quotes_page_path(n) for n in (1, 2, 10)] == [
        "quotes/index.html", "quotes/page/2/index.html", "quotes/page/10/index.html",
    ]

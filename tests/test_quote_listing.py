"""How the quote index is cut into pages."""

from archivist.quote_listing import Part, page_plan, quotes_page_path


def _groups(*sizes: int):
    return [(f"person/{n}", [object()] * size) for n, size in enumerate(sizes)]


def test_groups_are_cut_every_page_size_quotes_and_go_on_on_the_next_page():
    assert page_plan(_groups(3, 5, 2), size=4) == [
        [Part(0, 0, 3), Part(1, 0, 1)],
        [Part(1, 1, 5)],
        [Part(2, 0, 2)],
    ]


def test_an_index_without_quotes_is_one_empty_page():
    assert page_plan([], size=4) == [[]]


def test_page_paths():
    assert [quotes_page_path(n) for n in (1, 2, 10)] == [
        "quotes/index.html", "quotes/page/2/index.html", "quotes/page/10/index.html",
    ]

"""Every page kind rendered from a tiny archive under StrictUndefined, links checked."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from archivist.archive import Archive
from archivist.config import Config
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote, Related
from archivist.search import SEARCH_FOLDER
from archivist.render import Page, make_environment, render_site, static_files
from archivist.write import data_pages

ALERT = "<script>alert(1)</script>"


def spans(text: str, target: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(target, start + 1)
    return start, start + len(target)


def tiny_archive(language: str = "ja", base_url: str = "") -> Archive:
    """Three documents (one English, one undated, one hostile), mentions, quotes."""
    a0 = "米国の田中氏は「米国は規制を続ける」と語った。東京でも議論が続く。"
    a1 = f"見出し {ALERT}"
    a2 = "鈴木氏は「兵器化」を懸念した。"
    b0 = 'Tanaka met Smith in Tokyo. "We agree," Smith said & left.'
    c0 = f"{ALERT} 田中氏 & <b>bold</b>"
    a = Document("a", "a-doc", "content/a.txt", "ja", "規制の記事",
                 [Block("paragraph", a0), Block("heading", a1), Block("paragraph", a2)],
                 byline="記者", date="2025-02-14", url="https://example.com/a?x=1&y=2",
                 related=[Related("関連 A", "https://example.com/r"), Related("関連 B"),
                          Related(f"bad {ALERT}", "javascript:alert(1)")])  # fmt: skip
    b = Document("b", "b-doc", "content/b.md", "en", "Tanaka in Tokyo", [Block("paragraph", b0)],
                 date="2024-11-20", url="javascript:alert(1)")  # fmt: skip
    c = Document("c", "c-doc", "content/c.txt", "ja", f"題 {ALERT}", [Block("paragraph", c0)],
                 byline=ALERT)  # fmt: skip
    entities = [
        Entity("person/tanaka", "田中", "PERSON", ["田中氏", "Tanaka"], "説明", {"wikidata": "Q1"}),
        Entity("person/suzuki", f"鈴木 {ALERT}", "PERSON"),
        Entity("person/smith", "Smith", "PERSON"),
        Entity("place/us", "米国", "PLACE", links={"site": "javascript:alert(1)"}),
        Entity("place/tokyo", "東京", "PLACE"),
        Entity("event/x", "会議", "EVENT"),  # never mentioned: not listed
    ]
    q = spans(a0, "米国は規制を続ける")
    notes = {
        "a": Annotations(
            [Mention(0, *spans(a0, "米国"), "米国", "PLACE", "place/us"),
             Mention(0, *spans(a0, "田中氏"), "田中氏", "PERSON", "person/tanaka"),
             Mention(0, *spans(a0, "米国", 2), "米国", "PLACE", "place/us"),
             Mention(0, *spans(a0, "東京"), "東京", "PLACE", "place/tokyo"),
             Mention(2, *spans(a2, "鈴木氏"), "鈴木氏", "PERSON", "person/suzuki"),
             Mention(2, *spans(a2, "懸念"), "懸念", "PRODUCT", None)],
            [Quote(0, *q, a0[q[0]:q[1]], "direct", "person/tanaka"),
             Quote(2, *spans(a2, "兵器化"), "兵器化", "term"),
             Quote(2, 0, 6, a2[:6], "partial", "person/suzuki")],
        ),
        "b": Annotations(
            [Mention(0, *spans(b0, "Tanaka"), "Tanaka", "PERSON", "person/tanaka"),
             Mention(0, *spans(b0, "Smith"), "Smith", "PERSON", "person/smith"),
             Mention(0, *spans(b0, "Tokyo"), "Tokyo", "PLACE", "place/tokyo")],
            [Quote(0, *spans(b0, "We agree,"), "We agree,", "direct", "person/smith")],
        ),
        "c": Annotations(
            [Mention(0, *spans(c0, "田中氏"), "田中氏", "PERSON", "person/tanaka"),
             Mention(0, *spans(c0, ALERT), ALERT, "PERSON", "person/suzuki")],
            [Quote(0, *spans(c0, "<b>bold</b>"), "<b>bold</b>", "direct", None)],
        ),
    }  # fmt: skip
    config = Config(site_dir=Path("."), title=f"Archive {ALERT}", description="説明文",
                    language=language, base_url=base_url)  # fmt: skip
    return Archive.from_documents(config, [a, b, c], notes, entities)


@pytest.fixture(scope="module", params=["ja", "en"])
def site(request) -> tuple[str, dict[str, str]]:
    archive = tiny_archive(request.param)
    pages = render_site(archive, make_environment(archive.config)) + data_pages(archive)
    return request.param, {page.path: page.content for page in pages}


class Parsed(HTMLParser):
    """The links, ids, lang and text of one page."""

    def __init__(self, content: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.lang: str | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(content)

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "html":
            self.lang = attributes.get("lang")
        if attributes.get("id"):
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((attributes[name], attributes))


def has_class(attributes: dict[str, str | None], name: str) -> bool:
    return name in (attributes.get("class") or "").split()


def broken_links(pages: dict[str, str], skip: tuple[str, ...] = ("404.html",)) -> list[str]:
    """Every internal href that is not relative or leads to no page or no anchor.

    Links into pagefind/ are not checked: the search index is written after rendering.
    """
    parsed = {path: Parsed(content) for path, content in pages.items() if path.endswith(".html")}
    files = set(pages) | {out for out, _ in static_files()}
    problems = []
    for path, page in parsed.items():
        if path in skip:
            continue
        for href, _ in page.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            if parts.scheme or parts.netloc or parts.path.startswith("/"):
                problems.append(f"{path}: not relative: {href}")
                continue
            target = path
            if parts.path:
                joined = posixpath.join(posixpath.dirname(path), unquote(parts.path))
                target = posixpath.normpath(joined)
            if target.startswith(SEARCH_FOLDER + "/"):
                continue
            if target not in files:
                problems.append(f"{path}: no page {href} ({target})")
            elif parts.fragment and unquote(parts.fragment) not in parsed[target].ids:
                problems.append(f"{path}: no anchor {href}")
    return problems


def test_every_page_kind_is_rendered(site) -> None:
    _, pages = site
    fixed = {"index.html", "entities/index.html", "quotes/index.html", "search/index.html",
             "404.html", "feed.xml", "robots.txt"}  # fmt: skip
    assert fixed <= set(pages)
    assert {f"documents/{slug}/index.html" for slug in ("a-doc", "b-doc", "c-doc")} <= set(pages)
    assert "entities/person/tanaka/index.html" in pages
    assert "entities/person/tanaka/feed.xml" in pages
    assert "entities/event/x/index.html" not in pages  # never mentioned
    assert "sitemap.xml" not in pages  # no base_url
    rendered = [path for path in pages if not path.startswith("data/")]
    assert len(rendered) == len(fixed) + 3 + 5 * 2


def test_internal_links_are_relative_and_resolve(site) -> None:
    _, pages = site
    assert broken_links(pages) == []


def test_link_checker_finds_broken_links() -> None:
    pages = {
        "index.html": '<a href="documents/x/index.html">x</a><a href="/abs">a</a><a href="#nope">n</a>',
        "documents/x/index.html": '<p id="b-0"></p><a href="../../index.html#b-0">i</a>',
    }
    assert broken_links(pages) == [
        "index.html: not relative: /abs",
        "index.html: no anchor #nope",
        "documents/x/index.html: no anchor ../../index.html#b-0",
    ]


def test_html_lang_is_the_interface_language(site) -> None:
    language, pages = site
    for path, content in pages.items():
        if not path.endswith(".html"):
            continue
        assert Parsed(content).lang == language, path


def test_document_text_carries_its_language_when_it_differs(site) -> None:
    language, pages = site
    english = pages["documents/b-doc/index.html"]
    japanese = pages["documents/a-doc/index.html"]
    if language == "ja":
        assert 'class="doc-text" data-doc-text lang="en"' in english
        assert 'data-doc-text lang=' not in japanese
    else:
        assert 'data-doc-text lang="ja"' in japanese
        assert 'data-doc-text lang=' not in english


def test_hostile_text_is_escaped_everywhere(site) -> None:
    _, pages = site
    for path, content in pages.items():
        if path.startswith("data/"):
            continue  # data files hold the text as written (see test_exports.py)
        assert "<script>alert" not in content, path
        assert "<b>bold" not in content, path
        assert "javascript:" not in content, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["documents/c-doc/index.html"]


def test_document_page_blocks_anchors_highlights(site) -> None:
    _, pages = site
    page = Parsed(pages["documents/a-doc/index.html"])
    assert {"b-0", "b-1", "b-2"} <= page.ids
    assert ("h2", {"id": "b-1"}) in page.tags
    entity_links = [a for tag, a in page.tags if tag == "a" and has_class(a, "ent")]
    assert {a["data-type"] for a in entity_links} == {"PERSON", "PLACE"}
    assert all(a["aria-label"] and a["title"] and a["data-badge"] for a in entity_links)
    unlinked = [a for tag, a in page.tags if tag == "span" and "data-type" in a]
    assert [a["data-type"] for a in unlinked] == ["PRODUCT"]
    quotes = [a for tag, a in page.tags if tag == "span" and (a.get("id") or "").startswith("q-")]
    assert {a["id"] for a in quotes} == {"q-0-8", "q-2-0"}  # 兵器化 crosses 鈴木氏: dropped
    toggles = [a for tag, a in page.tags if tag == "input"]
    assert {a["data-type"] for a in toggles} == {"person", "place", "product", "quote"}
    assert all("hidden" in a for a in toggles)


def test_the_date_and_byline_read_as_words_apart(site) -> None:
    """The search index and copied text take a page's text as written, not as laid out."""
    _, pages = site
    header = pages["documents/a-doc/index.html"].split('class="doc-meta">', 1)[1].split("</p>", 1)[0]
    text = re.sub(r"<[^>]+>", "", header)
    assert re.search(r"2025\S*\s+(By )?\S*記者", text), text


def test_original_and_related_links_only_for_http(site) -> None:
    _, pages = site
    a = Parsed(pages["documents/a-doc/index.html"])
    external = [attrs for href, attrs in a.links if href.startswith("http")]
    assert {attrs["href"] for attrs in external} == {
        "https://example.com/a?x=1&y=2", "https://example.com/r"
    }  # fmt: skip
    assert all(attrs["rel"] == "noopener nofollow" for attrs in external)
    assert "関連 B" in pages["documents/a-doc/index.html"]
    b = Parsed(pages["documents/b-doc/index.html"])
    assert not [href for href, _ in b.links if href.startswith("http")]


def test_entity_page(site) -> None:
    _, pages = site
    content = pages["entities/person/tanaka/index.html"]
    assert "<mark" in content and ">田中氏</mark>" in content
    assert "https://www.wikidata.org/wiki/Q1" in content
    assert "<svg" in content and 'role="img"' in content and "<table>" in content
    assert "Tanaka" in content  # alias
    hrefs = [href for href, _ in Parsed(content).links]
    assert "../../../documents/a-doc/index.html#b-0" in hrefs
    assert "../../../documents/a-doc/index.html#q-0-8" in hrefs  # the quote by 田中


def test_quotes_page_groups_by_speaker_unknown_last(site) -> None:
    _, pages = site
    page = Parsed(pages["quotes/index.html"])
    headings = [a["id"] for tag, a in page.tags if tag == "section" and has_class(a, "speaker-group")]
    assert len(headings) == 4  # 田中, Smith, 鈴木, unknown
    content = pages["quotes/index.html"]
    last = content.rindex('class="speaker-group"')
    assert "&lt;b&gt;bold&lt;/b&gt;" in content[last:]
    assert "兵器化" in content[last:]
    quote_ids = [a["id"] for tag, a in page.tags if tag == "li" and has_class(a, "quote-item")]
    assert len(quote_ids) == 5 and all(i.startswith("q-") for i in quote_ids)


def test_index_lists_documents_newest_first_with_facets(site) -> None:
    _, pages = site
    content = pages["index.html"]
    slugs = ("a-doc", "b-doc", "c-doc")
    order = [content.index(f'href="documents/{slug}/index.html"') for slug in slugs]
    assert order == sorted(order)
    cards = [a for tag, a in Parsed(content).tags if tag == "li" and a.get("class") == "doc-card"]
    assert [c["data-year"] for c in cards] == ["2025", "2024", ""]
    assert cards[0]["data-types"] == "PERSON PLACE"
    assert "data-facets hidden" in content


def test_entities_page_groups_by_type(site) -> None:
    _, pages = site
    content = pages["entities/index.html"]
    assert content.index('id="type-person"') < content.index('id="type-place"')
    assert "type-event" not in content


def test_a_type_with_many_names_has_a_list_of_its_own(monkeypatch) -> None:
    monkeypatch.setattr("archivist.entity_listing.OVERVIEW", 1)
    monkeypatch.setattr("archivist.entity_listing.TYPE_PAGE_SIZE", 2)
    archive = tiny_archive()
    pages = {p.path: p.content for p in render_site(archive, make_environment(archive.config)) + data_pages(archive)}
    index = Parsed(pages["entities/index.html"])
    people = [href for href, a in index.links if href.startswith("person/") and has_class(a, "chip")]
    assert people == ["person/tanaka/index.html"]  # the most mentioned alone
    assert "person/index.html" in [href for href, _ in index.links]  # then the whole list
    listed = []
    for path in ("entities/person/index.html", "entities/person/page/2/index.html"):
        listed += [href.rsplit("/", 2)[-2] for href, a in Parsed(pages[path]).links if has_class(a, "chip")]
    ranked = [archive.entities[e].slug for e in archive.by_type["PERSON"]]
    assert listed == ranked and len(ranked) == 3 and ranked[0] == "tanaka"  # most mentioned first
    assert "entities/person/page/3/index.html" not in pages
    assert broken_links(pages) == []


def test_not_found_links_from_the_root_or_the_base_path() -> None:
    pages = {p.path: p.content for p in render_site(tiny_archive(), make_environment(None))}
    hrefs = [href for href, _ in Parsed(pages["404.html"]).links]
    assert "index.html" in hrefs and "static/style.css" in hrefs
    archive = tiny_archive(base_url="https://example.org/sub/site")
    rendered = render_site(archive, make_environment(archive.config)) + data_pages(archive)
    pages = {p.path: p.content for p in rendered}
    hrefs = [href for href, _ in Parsed(pages["404.html"]).links]
    assert "/sub/site/index.html" in hrefs and "/sub/site/static/script.js" in hrefs
    assert broken_links(pages) == []


def test_rendering_is_deterministic() -> None:
    first = render_site(tiny_archive(), make_environment(None))
    second = render_site(tiny_archive(), make_environment(None))
    assert first == second
    assert all(isinstance(page, Page) for page in first)


def test_static_files_exist() -> None:
    names = {out for out, _ in static_files()}
    assert {"static/style.css", "static/script.js"} <= names
    assert all(source.is_file() for _, source in static_files())
    css = dict(static_files())["static/style.css"].read_text(encoding="utf-8")
    assert "prefers-color-scheme: dark" in css and "@media print" in css
    assert not re.search(r"@import|https?://", css)  # no external fonts or CDNs

"""Atom feeds, sitemap and robots.txt: valid XML, the right entries, escaped, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archivist.archive import Archive
from archivist.build import build
from archivist.config import Config, load_config
from archivist.feeds import (
    FEED_LIMIT, SUMMARY_LIMIT, UNDATED, archive_feed, atom_date, entity_feed, robots, sitemap,
)  # fmt: skip
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote
from archivist.render import make_environment, render_site

A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = "<script>alert(1)</script> & \"co\" \x0b'"


def archive(base_url: str = "", count: int = 0) -> Archive:
    """Three documents (one hostile, one undated), or count plain dated ones."""
    first = "田中氏は「続ける」と語った。"
    docs = [
        Document("a", "a", "content/a.md", "ja", "規制の記事",
                 [Block("heading", "見出し"), Block("paragraph", first), Block("paragraph", "二")],
                 byline="記者", date="2025-02-14"),
        Document("b", "文書", "content/b.md", "en", HOSTILE,
                 [Block("paragraph", f"Body {HOSTILE} " + "x" * SUMMARY_LIMIT)],
                 byline=HOSTILE, date="2024-11-20T09:30:00+0900"),
        Document("c", "c", "content/c.md", "ja", "日付なし", [Block("paragraph", "田中")]),
    ]  # fmt: skip
    if count:
        docs = [Document(f"d{i:03d}", f"d{i:03d}", f"content/d{i}.md", "ja", f"文書{i}",
                         [Block("paragraph", "本文")], date=f"2020-01-{1 + i % 28:02d}")
                for i in range(count)]  # fmt: skip
    entities = [Entity("person/tanaka", f"田中 {HOSTILE}", "PERSON")]
    notes = {
        "a": Annotations([Mention(1, 0, 3, "田中氏", "PERSON", "person/tanaka")],
                         [Quote(1, 5, 8, "続ける", "direct", "person/tanaka")]),
        "c": Annotations([Mention(0, 0, 2, "田中", "PERSON", "person/tanaka")]),
    }  # fmt: skip
    config = Config(Path("."), title="記録 & <庫>", description="説明", base_url=base_url)
    return Archive.from_documents(config, docs, notes, entities)


def entries(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == A + "feed"
    return root.findall(A + "entry")


def test_archive_feed_entries_newest_first_with_relative_links() -> None:
    xml = archive_feed(archive())
    root = ET.fromstring(xml)
    assert root.findtext(A + "title") == "記録 & <庫>"
    assert root.findtext(A + "updated") == "2025-02-14T00:00:00Z"
    assert root.find(A + "author").findtext(A + "name") == "記録 & <庫>"
    assert "base_url is not set" in xml and root.find(A + "link[@rel='self']") is None
    found = entries(xml)
    titles = ["規制の記事", HOSTILE.replace("\x0b", ""), "日付なし"]
    assert [e.findtext(A + "title") for e in found] == titles
    assert [e.find(A + "link").get("href") for e in found] == [
        "documents/a/index.html",
        "documents/%E6%96%87%E6%9B%B8/index.html",  # 文書, percent-encoded
        "documents/c/index.html",
    ]
    assert [e.findtext(A + "updated") for e in found] == [
        "2025-02-14T00:00:00Z", "2024-11-20T09:30:00+09:00", UNDATED
    ]  # fmt: skip
    ids = [e.findtext(A + "id") for e in found]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 3


def test_entry_author_summary_and_language() -> None:
    a, b, c = entries(archive_feed(archive()))
    assert a.find(A + "author").findtext(A + "name") == "記者"
    assert c.find(A + "author") is None  # the feed's author stands in
    assert a.findtext(A + "summary") == "田中氏は「続ける」と語った。"  # first paragraph, not the heading
    summary = b.findtext(A + "summary")
    assert len(summary) <= SUMMARY_LIMIT + 1 and summary.endswith("x…")
    assert b.get("{http://www.w3.org/XML/1998/namespace}lang") == "en" and a.get("lang") is None


def test_hostile_text_is_escaped() -> None:
    xml = archive_feed(archive())
    assert "<script>" not in xml and "\x0b" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in xml
    entity_xml = entity_feed(archive(), archive().entities["person/tanaka"])
    assert "<script>" not in entity_xml
    assert ET.fromstring(entity_xml).findtext(A + "title").startswith("田中 <script>")


def test_absolute_links_and_ids_with_a_base_url() -> None:
    xml = archive_feed(archive("https://example.org/sub"))
    root = ET.fromstring(xml)
    assert root.find(A + "link[@rel='self']").get("href") == "https://example.org/sub/feed.xml"
    assert root.findtext(A + "id") == "https://example.org/sub/index.html"
    b = entries(xml)[1]
    url = "https://example.org/sub/documents/%E6%96%87%E6%9B%B8/index.html"
    assert b.find(A + "link").get("href") == url and b.findtext(A + "id") == url
    assert "base_url is not set" not in xml


def test_a_base_url_that_is_not_http_is_not_used() -> None:
    xml = archive_feed(archive("example.org/sub"))
    assert entries(xml)[0].find(A + "link").get("href") == "documents/a/index.html"


def test_at_most_fifty_entries() -> None:
    found = entries(archive_feed(archive(count=FEED_LIMIT + 10)))
    assert len(found) == FEED_LIMIT
    dates = [e.findtext(A + "updated") for e in found]
    assert dates == sorted(dates, reverse=True)


def test_entity_feed_lists_documents_mentioning_it() -> None:
    site = archive()
    xml = entity_feed(site, site.entities["person/tanaka"])
    found = entries(xml)
    assert [e.findtext(A + "title") for e in found] == ["規制の記事", "日付なし"]
    assert found[0].find(A + "link").get("href") == "../../../documents/a/index.html"
    root = ET.fromstring(xml)
    assert root.find(A + "link[@rel='alternate']").get("href") == "index.html"
    main_ids = {e.findtext(A + "id") for e in entries(archive_feed(site))}
    assert {e.findtext(A + "id") for e in found} <= main_ids  # same entry, same id


def test_feeds_are_deterministic() -> None:
    assert archive_feed(archive()) == archive_feed(archive())
    first = render_site(archive(), make_environment(None))
    assert first == render_site(archive(), make_environment(None))


def test_render_site_adds_feeds_robots_and_sitemap_only_with_a_base_url() -> None:
    pages = {p.path: p.content for p in render_site(archive(), make_environment(None))}
    assert {"feed.xml", "entities/person/tanaka/feed.xml", "robots.txt"} <= set(pages)
    assert "sitemap.xml" not in pages and "Sitemap:" not in pages["robots.txt"]
    head = pages["entities/person/tanaka/index.html"].split("</head>")[0]
    feed = 'type="application/atom+xml" title="記録 &amp; &lt;庫&gt;" href="../../../feed.xml"'
    assert f'<link rel="alternate" {feed}>' in head
    assert 'title="田中 &lt;script&gt;' in head and 'href="feed.xml"' in head
    assert 'href="feed.xml"' in pages["index.html"].split("</head>")[0]

    site = archive("https://example.org/sub/")
    pages = {p.path: p.content for p in render_site(site, make_environment(None))}
    assert "Sitemap: https://example.org/sub/sitemap.xml" in pages["robots.txt"]
    root = ET.fromstring(pages["sitemap.xml"])
    locations = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root}
    assert locations["https://example.org/sub/documents/a/index.html"] == "2025-02-14"
    assert locations["https://example.org/sub/documents/c/index.html"] is None
    assert "https://example.org/sub/entities/person/tanaka/index.html" in locations
    assert not any(loc.endswith(("404.html", "search/index.html")) for loc in locations)


def test_sitemap_needs_a_base_url() -> None:
    with pytest.raises(ValueError):
        sitemap(Config(Path(".")), [("index.html", None)])
    assert robots(Config(Path("."))) == "User-agent: *\nDisallow:\n"


@pytest.mark.parametrize(
    "iso, expected",
    [
        ("2025", "2025-01-01T00:00:00Z"),
        ("2025-02", "2025-02-01T00:00:00Z"),
        ("2025-02-14", "2025-02-14T00:00:00Z"),
        ("2012-09-07T19:15:00+0900", "2012-09-07T19:15:00+09:00"),
        ("2025-02-14T08:30Z", "2025-02-14T08:30:00Z"),
        ("2025-13-01", None),
        ("2024-02-30", None),
        ("soon", None),
        (None, None),
    ],
)
def test_atom_date(iso, expected) -> None:
    assert atom_date(iso) == expected


def test_built_site_has_feeds_and_sitemap(make_site) -> None:
    config = 'title = "T"\nprofile = "fast"\nbase_url = "https://example.org/a/"\n'
    site = make_site({"content/x.md": "---\ntitle: X & Y\ndate: 2025-01-02\n---\n\n本文。\n"}, config)
    build(load_config(site))
    public = site / "public"
    found = entries((public / "feed.xml").read_text(encoding="utf-8"))
    assert [e.findtext(A + "title") for e in found] == ["X & Y"]
    assert ET.parse(public / "sitemap.xml").getroot().tag == S + "urlset"
    robots_txt = (public / "robots.txt").read_text(encoding="utf-8")
    assert robots_txt.endswith("Sitemap: https://example.org/a/sitemap.xml\n")


@pytest.mark.parametrize("base_url", ["", "https://example.org/archive/"])
def test_feeds_sharing_their_entries_are_the_feeds_made_alone(base_url: str) -> None:
    site = archive(base_url)
    kept: dict[tuple[str, str], str] = {}
    shared = [entity_feed(site, entity, kept) for entity in site.entities.values()] * 2
    alone = [entity_feed(site, entity) for entity in site.entities.values()] * 2
    assert shared == alone and kept  # the second round was made from kept entries
    assert all(ET.fromstring(xml) is not None for xml in shared)
    assert {key[0] for key in kept} == {"a", "c"}
    assert all(link.startswith(base_url or "../../../documents/") for _, link in kept)

"""Citations (plain text, BibTeX, CSL-JSON, quote lines), schema.org JSON-LD and the one
filter that writes data into a <script>; copy buttons in Chromium."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archivist.archive import Archive
from archivist.build import build
from archivist.citations import (
    bibtex, bibtex_key, bibtex_text, csl_item, date_parts, document_citation, page_url,
    quote_citation, reference,
)  # fmt: skip
from archivist.config import Config, load_config
from archivist.i18n import EN, JA
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote
from archivist.render import make_environment, render_site, script_json

HOSTILE = "</script><script>alert(1)</script><!--"


def document(**fields) -> Document:
    values = {"id": "d1", "slug": "d1", "source": "content/d1.txt", "lang": "ja",
              "title": "規制の記事", "blocks": [Block("paragraph", "本文。")],
              "byline": "シャオ・シャオ", "date": "2025-03-01"}  # fmt: skip
    values.update(fields)
    return Document(**values)


def small_archive(title: str = "規制の記事", base_url: str = "", language: str = "ja") -> Archive:
    text = "田中氏は「規制は続く」と語った。経済省も「検討中」とした。"
    doc = document(title=title, blocks=[Block("paragraph", text)], url="https://news.example/1")
    tanaka = text.index("田中氏")
    ministry = text.index("経済省")
    notes = {"d1": Annotations(
        [Mention(0, tanaka, tanaka + 3, "田中氏", "PERSON", "person/tanaka"),
         Mention(0, ministry, ministry + 3, "経済省", "ORG", "org/meti")],
        [Quote(0, 5, 10, "規制は続く", "direct", "person/tanaka", "と語った"),
         Quote(0, text.index("検討中"), text.index("検討中") + 3, "検討中", "partial", "org/meti")],
    )}  # fmt: skip
    entities = [
        Entity("person/tanaka", "田中", "PERSON", links={"wikidata": "Q7", "web": "https://t.example/"}),
        Entity("org/meti", f"経済省 {HOSTILE}", "ORG"),
    ]
    config = Config(site_dir=Path("."), title="アーカイブ", language=language, base_url=base_url)
    return Archive.from_documents(config, [doc], notes, entities)


def rendered(archive: Archive) -> dict[str, str]:
    return {p.path: p.content for p in render_site(archive, make_environment(archive.config))}


class Scripts(HTMLParser):
    """The <script> elements of a page: (attributes, text)."""

    def __init__(self, content: str) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self.feed(content)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._open = None


def structured(content: str) -> dict:
    found = [text for attrs, text in Scripts(content).scripts
             if attrs.get("type") == "application/ld+json"]  # fmt: skip
    assert len(found) == 1
    return json.loads(found[0])


@pytest.mark.parametrize(
    "base_url, expected",
    [
        ("", None),
        ("ftp://example.org/", None),
        ("https://example.org/a", "https://example.org/a/documents/%E8%A8%98%E4%BA%8B/index.html"),
        ("https://example.org/a/", "https://example.org/a/documents/%E8%A8%98%E4%BA%8B/index.html"),
    ],
)
def test_page_url_needs_a_web_base_url(base_url: str, expected: str | None) -> None:
    config = Config(site_dir=Path("."), base_url=base_url)
    assert page_url(config, "documents/記事/index.html") == expected
    if expected:
        assert page_url(config, "documents/記事/index.html", "q-1-2") == expected + "#q-1-2"


def test_date_parts() -> None:
    assert date_parts("2025-03-01T09:00:00+09:00") == [2025, 3, 1]
    assert date_parts("2025-03") == [2025, 3]
    assert date_parts("2025-13-01") == [2025]
    assert date_parts("someday") == [] and date_parts(None) == []


def test_reference_in_japanese_and_english() -> None:
    doc = document()
    url = "https://example.org/documents/d1/index.html"
    assert reference(doc, "アーカイブ", url, JA) == (
        "シャオ・シャオ「規制の記事」『アーカイブ』、2025年3月1日、" + url
    )
    assert reference(doc, "Archive", url, EN) == (
        "シャオ・シャオ. “規制の記事.” Archive, 1 March 2025. " + url
    )
    bare = document(byline=None, date=None, title="Is it over?")
    assert reference(bare, "Archive", None, EN) == "“Is it over?” Archive."
    assert reference(bare, "アーカイブ", None, JA) == "「Is it over?」『アーカイブ』"


def test_quote_citation_lines() -> None:
    doc = document()
    url = "https://example.org/documents/d1/index.html#q-0-5"
    assert quote_citation("田中", "規制は続く", doc, url, JA) == (
        "田中「規制は続く」（「規制の記事」、2025年3月1日） " + url
    )
    assert quote_citation("Tanaka", "We agree", document(date=None, title="Talks"), None, EN) == (
        "Tanaka: “We agree” (“Talks”)"
    )
    assert quote_citation(None, "兵器化", doc, None, JA) == "「兵器化」（「規制の記事」、2025年3月1日）"


def test_bibtex_escapes_everything_special_and_keeps_braces_balanced() -> None:
    nasty = r"50% of {AI} & $x_1$ #1 ~ ^ \end}" + "\n@misc{evil,"
    entry = bibtex(document(title=nasty, byline="A } B"), "Site & Co", None)
    assert entry.startswith("@misc{d1,\n") and entry.endswith("\n}")
    depth = 0
    for char in entry:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    title = next(line for line in entry.splitlines() if line.startswith("  title"))
    assert title == (
        r"  title = {{50\% of \textbraceleft{}AI\textbraceright{} \& \$x\_1\$ \#1 "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}end\textbraceright{} @misc"
        r"\textbraceleft{}evil,}},"
    )
    assert "  howpublished = {Site \\& Co},\n" in entry
    assert "\n@misc{evil" not in entry  # a line break cannot start a new entry
    assert bibtex_text("山田") == "山田"


def test_bibtex_fields_and_keys() -> None:
    url = "https://example.org/documents/d1/index.html"
    assert bibtex(document(), "アーカイブ", url) == (
        "@misc{d1,\n"
        "  author = {{シャオ・シャオ}},\n"
        "  title = {{規制の記事}},\n"
        "  howpublished = {アーカイブ},\n"
        "  year = {2025},\n"
        "  month = mar,\n"
        "  date = {2025-03-01},\n"
        f"  url = {{{url}}},\n"
        "}"
    )
    assert bibtex_key("000_1e3ef660da145d7e") == "000_1e3ef660da145d7e"
    assert re.fullmatch(r"ab-[0-9a-f]{8}", bibtex_key("a b"))
    assert re.fullmatch(r"doc-[0-9a-f]{8}", bibtex_key("記事"))
    assert bibtex_key("記事") != bibtex_key("文書")


def test_csl_json_item() -> None:
    item = csl_item(document(), "アーカイブ", "https://example.org/d/")
    assert item == {
        "id": "d1", "type": "webpage", "title": "規制の記事",
        "author": [{"literal": "シャオ・シャオ"}], "container-title": "アーカイブ",
        "issued": {"date-parts": [[2025, 3, 1]]}, "URL": "https://example.org/d/",
        "language": "ja",
    }  # fmt: skip
    citation = document_citation(document(date=None, byline=None), "A", None, EN)
    assert json.loads(citation.csl) == [
        {"id": "d1", "type": "webpage", "title": "規制の記事", "container-title": "A",
         "language": "ja"}
    ]  # fmt: skip
    assert "accessed" not in citation.csl and "urldate" not in citation.bibtex


@pytest.mark.parametrize("text", [HOSTILE, "a & b > c", "line\u2028break\u2029", "]]>", "\\u003c"])
def test_script_json_cannot_close_the_script_and_reads_back(text: str) -> None:
    data = {"headline": text, "list": [text, {"k": text}]}
    written = str(script_json(data))
    assert not re.search(r"[<>&\u2028\u2029]", written)
    assert json.loads(written) == data


def test_document_page_json_ld_is_safe_with_a_hostile_title() -> None:
    pages = rendered(small_archive(title=HOSTILE))
    content = pages["documents/d1/index.html"]
    assert "<script>alert" not in content
    sources = [attrs.get("src") for attrs, _ in Scripts(content).scripts]
    assert sources == ["../../static/script.js", None]  # no script was injected
    data = structured(content)
    assert data["headline"] == HOSTILE
    assert data["hasPart"][1]["creator"]["name"] == f"経済省 {HOSTILE}"


def test_document_json_ld_without_a_base_url() -> None:
    data = structured(rendered(small_archive())["documents/d1/index.html"])
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "規制の記事" and data["datePublished"] == "2025-03-01"
    assert data["author"] == {"@type": "Person", "name": "シャオ・シャオ"}
    assert data["inLanguage"] == "ja" and data["isBasedOn"] == "https://news.example/1"
    assert "url" not in data and "@id" not in data
    assert data["isPartOf"] == {"@type": "WebSite", "name": "アーカイブ"}
    assert data["mentions"] == [  # most mentioned first, then by name
        {"@type": "Person", "name": "田中",
         "sameAs": ["https://t.example/", "https://www.wikidata.org/wiki/Q7"]},
        {"@type": "Organization", "name": f"経済省 {HOSTILE}"},
    ]  # fmt: skip
    assert [(q["@type"], q["text"], q["creator"]["@type"]) for q in data["hasPart"]] == [
        ("Quotation", "規制は続く", "Person"), ("Quotation", "検討中", "Organization")
    ]  # fmt: skip


def test_document_json_ld_with_a_base_url() -> None:
    archive = small_archive(base_url="https://example.org/a/")
    data = structured(rendered(archive)["documents/d1/index.html"])
    assert data["url"] == data["@id"] == "https://example.org/a/documents/d1/index.html"
    assert data["isPartOf"]["url"] == "https://example.org/a/"
    assert data["hasPart"][0]["url"] == "https://example.org/a/documents/d1/index.html#q-0-5"
    tanaka = data["mentions"][0]
    assert tanaka["url"] == "https://example.org/a/entities/person/tanaka/index.html"


def test_citation_box_and_data_links_on_the_document_page() -> None:
    content = rendered(small_archive(base_url="https://example.org/"))["documents/d1/index.html"]
    box = content[content.index('<details class="cite-box">') : content.index("</details>")]
    blocks = re.findall(r"<pre class=\"cite-code\" data-copyable>(.*?)</pre>", box, re.S)
    assert len(blocks) == 3
    assert blocks[0].startswith("シャオ・シャオ「規制の記事」『アーカイブ』")
    assert blocks[1].startswith("@misc{d1,")
    assert json.loads(blocks[2].replace("&#34;", '"'))[0]["URL"].endswith("/documents/d1/index.html")
    assert "<button" not in content  # copy buttons come from script.js only
    assert 'href="../../data/documents/d1.json"' in content
    assert 'href="../../data/annotations/d1.jsonld"' in content


def test_quote_citations_on_every_quote_list() -> None:
    pages = rendered(small_archive(base_url="https://example.org/", language="en"))
    line = ("田中: “規制は続く” (“規制の記事”, 1 March 2025) "
            "https://example.org/documents/d1/index.html#q-0-5")  # fmt: skip
    for path in ("documents/d1/index.html", "quotes/index.html",
                 "entities/person/tanaka/index.html"):  # fmt: skip
        content = pages[path]
        assert f'<p class="cite-line" data-copyable>{line}</p>' in content, path
        assert '<details class="cite">' in content
    assert 'href="index.html#open-data"' in pages["index.html"]
    assert 'id="open-data"' in pages["index.html"]


def test_copy_buttons_need_javascript_and_never_log_errors(make_site, browser) -> None:
    site = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n"
                                      "山田太郎氏は「こんにちは」と述べた。\n"},
                     'title = "Test"\nprofile = "fast"\n')  # fmt: skip
    build(load_config(site))
    url = (site / "public/documents/a/index.html").as_uri()
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    assert page.locator(".copy-button").count() == 0  # none until a citation is opened
    page.locator(".cite-box > summary").click()
    buttons = page.locator(".cite-box .copy-button")
    buttons.nth(2).wait_for()  # the buttons come with the toggle event, a task after the click
    assert buttons.count() == 3
    buttons.first.click()
    page.wait_for_function("document.querySelector('.cite-box .copy-status').textContent !== ''")
    assert page.locator(".cite-box .copy-status").first.inner_text() in (JA.copied, JA.copy_failed)
    page.locator(".aside .cite > summary").first.click()
    aside_buttons = page.locator(".aside .cite .copy-button")
    aside_buttons.first.wait_for()
    assert aside_buttons.count() == 1
    assert problems == []
    page.close()
    still = browser.new_page(java_script_enabled=False)
    still.goto(url)
    still.locator(".cite-box > summary").click()
    assert still.locator(".cite-box pre").first.is_visible()
    assert still.locator("button.copy-button").count() == 0
    still.close()

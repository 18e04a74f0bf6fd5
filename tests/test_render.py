"""The render stage: environment, relative links, page contexts, strings, the chart."""

from __future__ import annotations

from dataclasses import is_dataclass
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from archivist.archive import Archive
from archivist.config import Config
from archivist.entity_pages import entity_page, make_chart
from archivist.errors import TemplateError
from archivist.i18n import EN, JA, strings
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote
from archivist.pages import (
    DocumentPage, EntityChip, EntityPage, Linker, TypeView, external_links, relative, web_url,
)  # fmt: skip
from archivist.render import (
    Page, document_page, make_environment, not_found_page, page_contexts, render_site, search_page,
    static_files, templates_dir,
)  # fmt: skip
from archivist.views import Views


def small_archive(**config: str) -> Archive:
    text = "田中氏は「規制は続く」と語った。"
    doc = Document("d", "d", "content/d.txt", "ja", "記事", [Block("paragraph", text)],
                   date="2025-03-01", url="ftp://example.com/x")  # fmt: skip
    notes = {
        "d": Annotations(
            [Mention(0, 0, 3, "田中氏", "PERSON", "person/tanaka")],
            [Quote(0, 5, 10, "規制は続く", "direct", "person/tanaka"),
             Quote(0, 7, 12, "は続く」と", "partial")],  # crosses the first: not highlighted
        )
    }  # fmt: skip
    links = {"wikidata": "Q7", "home": "https://t.example/", "bad": "javascript:x", "wd": "Qx"}
    entities = [Entity("person/tanaka", "田中", "PERSON", links=links)]
    return Archive.from_documents(Config(site_dir=Path("."), **config), [doc], notes, entities)


@pytest.mark.parametrize(
    "from_page, to_path, expected",
    [
        ("index.html", "documents/a/index.html", "documents/a/index.html"),
        ("documents/a/index.html", "index.html", "../../index.html"),
        ("documents/a/index.html", "documents/b/index.html", "../b/index.html"),
        ("entities/person/x/index.html", "static/style.css", "../../../static/style.css"),
        ("entities/index.html", "entities/index.html", "index.html"),
        ("404.html", "quotes/index.html", "quotes/index.html"),
    ],
)
def test_relative(from_page: str, to_path: str, expected: str) -> None:
    assert relative(from_page, to_path) == expected


def test_linker_relative_absolute_and_anchor() -> None:
    assert Linker("documents/a/index.html")("entities/index.html", "x") == "../../entities/index.html#x"
    assert Linker("404.html", "/base/")("index.html") == "/base/index.html"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.com/a", "https://example.com/a"),
        (" http://example.com ", "http://example.com"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://example.com", None),
        ("//example.com/x", None),
        ("https:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_web_url_allows_only_http(url, expected) -> None:
    assert web_url(url) == expected


def test_templates_dir_and_static_files() -> None:
    assert (templates_dir() / "base.html").is_file()
    assert [out for out, _ in static_files()] == [
        "static/favicon.svg", "static/script.js", "static/search/pagefind.js", "static/style.css"
    ]  # fmt: skip


def test_environment_autoescapes_and_is_strict() -> None:
    env = make_environment(Config(site_dir=Path(".")))
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ x.nope }}").render(x=Page("a", "b"))


def test_compiled_templates_are_kept_in_the_user_cache_and_a_damaged_one_is_compiled_again(monkeypatch,
                                                                                           tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    make_environment(None)
    kept = sorted((tmp_path / "archivist" / "templates").iterdir())
    assert len(kept) == len([p for p in templates_dir().glob("*.html")])
    for path in kept:
        path.write_bytes(path.read_bytes()[:40])  # cut short, as by a full disk
    env = make_environment(None)  # no TemplateError
    assert env.from_string("{{ 1 + 1 }}").render() == "2"
    assert all(path.stat().st_size > 40 for path in kept)  # written again whole


def test_counts_are_shown_with_thousands_separated() -> None:
    env = make_environment(Config(site_dir=Path(".")))
    assert env.from_string("{{ n|number }} {{ m|number }}").render(n=2172, m=7) == "2,172 7"
    chip = env.from_string('{% import "_macros.html" as m %}{{ m.chip(c) }}')
    kind = TypeView("PLACE", "place", "場所", "地")
    html = chip.render(c=EntityChip("entities/place/nihon/index.html", "日本", kind, 2172))
    assert '<span class="chip-count">2,172</span>' in html


def test_a_broken_template_is_a_template_error() -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"index.html": "{{ page.nope }}"}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    with pytest.raises(TemplateError) as raised:
        render_site(small_archive(), env)
    assert "index.html" in str(raised.value)


def test_one_typed_context_per_page() -> None:
    views = Views.of(small_archive(), JA)
    contexts = page_contexts(views)
    assert [(template, path) for template, path, _, _ in contexts] == [
        ("index.html", "index.html"),
        ("document.html", "documents/d/index.html"),
        ("entities.html", "entities/index.html"),
        ("entity.html", "entities/person/tanaka/index.html"),
        ("quotes.html", "quotes/index.html"),
        ("search.html", "search/index.html"),
        ("404.html", "404.html"),
    ]
    assert all(is_dataclass(chrome) and is_dataclass(page) for _, _, chrome, page in contexts)


def test_document_context() -> None:
    archive = small_archive()
    chrome, page = document_page(Views.of(archive, JA), archive.documents[0])
    assert isinstance(page, DocumentPage)
    assert page.original is None  # ftp is not linked
    assert chrome.home == "../../index.html" and chrome.stylesheet == "../../static/style.css"
    assert [n.label for n in chrome.nav] == ["文書", "索引", "発言", "検索"]
    assert chrome.nav[3].href == "../../search/index.html"
    assert chrome.feed == "../../feed.xml"
    assert not any(n.current for n in chrome.nav)
    assert page.year == "2025"
    assert [q.href for q in page.quotes] == [
        "index.html#q-0-5",
        "index.html#b-0",  # the crossing quote is not highlighted: link to its block
    ]
    speaker = page.quotes[0].speaker
    assert speaker and speaker.href == "../../entities/person/tanaka/index.html"
    assert [(k.type, k.count) for k in page.types] == [("PERSON", 1)]
    assert 'id="q-0-5"' in page.blocks[0].html


def test_entity_context() -> None:
    archive = small_archive()
    entity = archive.entities["person/tanaka"]
    chrome, page = entity_page(Views.of(archive, EN), entity)
    assert isinstance(page, EntityPage)
    assert page.counts == "1 mention · 1 quote"
    assert page.groups[0].mentions[0].href == "../../../documents/d/index.html#b-0"
    first = page.groups[0].mentions[0]
    assert (first.before, first.after) == ("", "は「規制は続く」と語った。")
    assert page.chart and page.chart.summary == "1 mention in March 2025"
    assert chrome.page_title == "田中 — Archive"
    assert page.feed == "feed.xml"


def test_mentions_in_one_sentence_are_shown_once_each_marked() -> None:
    long = "日本の" + "長い文" * 60 + "の後の日本。"  # its two mentions further apart than the context shown
    text = "日本代表は日本戦で勝った。日本は強い。" + long
    doc = Document("d", "d", "content/d.txt", "ja", "記事", [Block("paragraph", text), Block("paragraph", "日本へ。")])
    spans = [(0, i, i + 2) for i in (0, 5, 13, 19, len(text) - 3)] + [(1, 0, 2)]
    mentions = [Mention(block, start, end, "日本", "PLACE", "place/japan") for block, start, end in spans]
    archive = Archive.from_documents(Config(site_dir=Path(".")), [doc], {"d": Annotations(mentions, [])},
                                     [Entity("place/japan", "日本", "PLACE")])  # fmt: skip
    _, page = entity_page(Views.of(archive, EN), archive.entities["place/japan"])
    shown = [(m.before, m.text, m.more, m.after) for m in page.groups[0].mentions]
    assert shown == [
        ("", "日本", (("代表は", "日本"),), "戦で勝った。"),  # one sentence, both marked
        ("", "日本", (), "は強い。"),  # the next sentence on its own
        ("", "日本", (), long[2:162] + "…"),
        ("…" + text[-163:-3], "日本", (), "。"),  # too far into the same sentence: shown apart
        ("", "日本", (), "へ。"),  # another paragraph
    ]
    assert page.counts == "6 mentions"


def test_external_links_keep_only_wikidata_ids_and_web_addresses() -> None:
    entity = small_archive().entities["person/tanaka"]
    assert [(link.href, link.label) for link in external_links(entity)] == [
        ("https://t.example/", "home"),
        ("https://www.wikidata.org/wiki/Q7", "Wikidata Q7"),
    ]


def test_not_found_links() -> None:
    _, page = not_found_page(Views.of(small_archive(), JA))
    assert page.links[0].href == "index.html"
    chrome, page = not_found_page(Views.of(small_archive(base_url="https://x.example/a/"), JA))
    assert [link.href for link in page.links] == [
        "/a/index.html", "/a/entities/index.html", "/a/quotes/index.html", "/a/search/index.html"
    ]  # fmt: skip
    assert chrome.stylesheet == "/a/static/style.css"
    assert chrome.feed == "/a/feed.xml"


def test_search_context() -> None:
    chrome, page = search_page(Views.of(small_archive(), JA))
    assert page.script == "../pagefind/pagefind-ui.js"
    assert page.stylesheet == "../pagefind/pagefind-ui.css"
    assert page.open_filter == JA.filter_types and page.documents == 1
    assert [n.current for n in chrome.nav] == [False, False, False, True]
    assert chrome.home == "../index.html" and chrome.feed == "../feed.xml"


def test_make_chart_fills_empty_months() -> None:
    chart = make_chart({"2024-11": 2, "2025-02": 4}, JA)
    assert chart is not None
    assert [(b.label, b.count) for b in chart.bars] == [
        ("2024年11月", 2), ("2024年12月", 0), ("2025年1月", 0), ("2025年2月", 4)
    ]  # fmt: skip
    assert chart.peak == 4 and chart.bars[3].height == 112 and chart.bars[0].height == 56
    assert chart.summary == "2024年11月から2025年2月までに6回の言及"
    assert make_chart({}, JA) is None


def test_make_chart_by_year_over_long_spans() -> None:
    chart = make_chart({"2010-01": 1, "2014-06": 2, "2014-07": 1}, EN)
    assert chart is not None
    assert [(b.label, b.count) for b in chart.bars] == [
        ("2010", 1), ("2011", 0), ("2012", 0), ("2013", 0), ("2014", 3)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "t, iso, expected",
    [
        (JA, "2025-02-14", "2025年2月14日"),
        (JA, "2025-02-14T09:30:00+09:00", "2025年2月14日"),
        (JA, "2025-02", "2025年2月"),
        (EN, "2025-02-04", "4 February 2025"),
        (EN, "2025", "2025"),
        (EN, "someday", "someday"),
    ],
)
def test_dates(t, iso: str, expected: str) -> None:
    assert t.date(iso) == expected


def test_strings() -> None:
    assert strings("en") is EN and strings("ja") is JA and strings("fr") is JA
    assert EN.count(EN.quotes_count, 1) == "1 quote"
    assert EN.count(EN.quotes_count, 2) == "2 quotes"
    assert JA.count(JA.quotes_count, 2) == "2件の発言"
    assert JA.count(JA.entities_count, 8744) == "8,744件の名前"
    assert EN.count(EN.documents_count, 7367) == "7,367 documents"
    assert JA.badge("PERSON") == "人" and EN.badge("PERSON") == "P"
    assert len({EN.badge(t) for t in ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")}) == 5
    assert JA.type_label("UNKNOWN") == "Unknown"


def test_chips_are_the_chip_macro_joined_each_made_once_per_value() -> None:
    env = make_environment(None)
    macro = env.get_template("_macros.html").module.chip  # type: ignore[attr-defined]
    kind = TypeView("PERSON", "person", "人物", "人")
    one = EntityChip("../a/index.html", "<田中>", kind, 3)
    other_count = EntityChip("../a/index.html", "<田中>", kind, 4)
    other_link = EntityChip("../../a/index.html", "<田中>", kind, 3)
    chips = env.globals["chips"]
    separator = Markup("</li><li>")
    for show_type in (False, True):
        listed = [one, other_count, other_link, one]
        expected = separator.join(macro(c, show_type) for c in listed)
        assert chips(listed, show_type, separator) == expected
        assert chips(listed, show_type=show_type, separator=separator) == expected  # as cached
    assert "&lt;田中&gt;" in chips([one]) and "<田中>" not in chips([one])
    made = chips([one, other_count, other_link])
    assert made.count('chip-count">3<') == 2 and made.count('chip-count">4<') == 1
    assert made.count('href="../a/index.html"') == 2 and made.count('href="../../a/index.html"') == 1
    assert chips([]) == ""
    assert "<b>" not in chips([one, one], separator="<b>")  # a separator of text is escaped


def test_templates_escape_text_and_keep_markup_in_every_construct() -> None:
    env = make_environment(None)
    template = env.from_string(
        "{{ text }}|{{ safe }}|{{ n }}|{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m(text) }}|"
        "{% set held %}{{ text }}{% endset %}{{ held }}|{% for x in [text] %}{{ x }}{% endfor %}"
    )
    text = '<a href="x">&\''
    escaped = "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
    assert template.render(text=text, safe=Markup("<b>ok</b>"), n=3) == (
        f"{escaped}|<b>ok</b>|3|<i>{escaped}</i>|{escaped}|{escaped}"
    )

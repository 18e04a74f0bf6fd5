"""The search index: Pagefind over a built site, queried in Chromium under a subpath."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from archivist.archive import Archive
from archivist import search as search_index
from archivist.build import build, refresh_search, search_warmed
from archivist.config import Config, load_config
from archivist.errors import BuildError
from archivist.indexer import make_shards
from archivist.manifest import read_manifest
from archivist.model import Block, Document
from archivist.render import Page
from archivist.search import index_site, search_language
from archivist.write import _remove_stale_staging as remove_stale_staging, warm_indexer, write_site

CONFIG = 'title = "検索テスト"\nlanguage = "ja"\nprofile = "fast"\n'
REGISTRY = """\
[[entity]]
name = "JR東海"
type = "ORG"

[[entity]]
name = "経済産業省"
type = "ORG"

[[entity]]
name = "山田花子"
type = "PERSON"
aliases = ["山田"]

[[entity]]
name = "名古屋"
type = "PLACE"

[[entity]]
name = "A&B \\"商会\\""
type = "ORG"
aliases = ["A&B商会"]
"""
DOCUMENTS = {
    "content/shinkansen.md": (
        "---\ntitle: 新型車両の公開\ndate: 2024-05-10\n---\n\n"
        "JR東海は名古屋で新幹線の新型車両を公開した。\n\n"
        "新幹線の座席は広くなり、山田花子さんは「乗り心地がよい」と話した。記念のストラップも配られた。\n"
    ),
    "content/export.md": (
        "---\ntitle: 半導体をめぐる政策\ndate: 2025-02-14\n---\n\n"
        "経済産業省は半導体製造装置の輸出規制を強化すると発表した。\n\n"
        "A&B商会は対応を検討している。データの管理も見直す。会場では作品情報も配った。\n\n"
        "## 展示の案内\n\n作品の展示と情報の掲示は分けた。\n"
    ),
    "content/distractor.md": (
        "---\ntitle: 町の話題\ndate: 2023-11-03\n---\n\n"
        "新しい幹部が線路の点検に立ち会った。新人の幹事は線香を買いに出かけた。新製品の説明も聞いた。テレビの前でタオルを干した。ストの日はラップを聴いた。"
        "作品の話を聞き、作品の情報を集め、町の作品と情報を見比べた。\n\n"
        "山田さんは「新年の行事も続ける」と語った。\n"
    ),
    "content/library.md": (
        "---\ntitle: Library opens its archive\ndate: 2025-03-01\nlang: en\n---\n\n"
        "The city library opened its digitised newspaper archive on Sunday.\n"
    ),
}
NAMES = ("shinkansen", "export", "distractor", "library")
DOC = {name: f"/documents/{name}/index.html" for name in NAMES}  # result addresses


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search archive, built once: every query below runs against the same index."""
    site = _write_archive(tmp_path_factory.mktemp("search") / "site")
    result = build(load_config(site))
    assert not result.problems, result.problems
    return site / "public"


def _write_archive(site: Path) -> Path:
    for name, text in {**DOCUMENTS, "entities.toml": REGISTRY, "archive.toml": CONFIG}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def server(public: Path):
    """The built site served under /sub/, as on a project site."""
    with _served(public) as url:
        yield url


@contextlib.contextmanager
def _served(public: Path) -> Iterator[str]:
    """public served under /sub/ on a free port: the address of /sub/."""
    root = public.parent / "host"
    root.mkdir()
    (root / "sub").symlink_to(public)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sub/"
    finally:
        httpd.shutdown()


SEARCH = """async ([query, filters]) => {
  const pf = await import("../pagefind/pagefind.js");
  const found = await pf.search(query, {filters});
  const results = [];
  for (const r of found.results) {
    const data = await r.data();
    results.push({url: data.url, score: r.score, title: data.meta.title, excerpt: data.excerpt,
                  content: data.content});
  }
  return {results, filters: await pf.filters()};
}"""


@pytest.fixture
def search(browser, server):
    """Query the index with Pagefind's JS API from the search page."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server + "search/index.html")

    def run(query: str | None, filters: dict | None = None) -> dict:
        return page.evaluate(SEARCH, [query, filters or {}])

    yield run
    assert problems == []
    page.close()


def urls(answer: dict) -> list[str]:
    return [r["url"].removeprefix("/sub") for r in answer["results"]]


def test_pagefind_folder_is_written_with_the_build(public: Path) -> None:
    entry = json.loads((public / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["ja"]
    assert entry["languages"]["ja"]["page_count"] == len(DOCUMENTS)  # documents only
    assert (public / "pagefind" / "pagefind-ui.js").is_file()
    assert (public / "search" / "index.html").is_file()
    page = (public / "search" / "index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in page and "<noscript>" in page
    assert not list(public.parent.glob(".public.staging*"))


def test_a_japanese_word_finds_its_document(search) -> None:
    answer = search("輸出規制")
    assert urls(answer) == [DOC["export"]]
    assert answer["results"][0]["title"] == "半導体をめぐる政策"
    assert "<mark>" in answer["results"][0]["excerpt"]
    content = answer["results"][0]["content"]
    assert "A&B商会" in content and "組織" not in content  # filter values add no text
    assert urls(search("digitised")) == [DOC["library"]]  # an English document, same index


def test_a_compound_word_ranks_above_its_scattered_characters(search) -> None:
    assert urls(search("幹部")) == [DOC["distractor"]]  # the scattered characters are indexed
    answer = search("新幹線")
    found = urls(answer)
    assert found[0] == DOC["shinkansen"]
    if DOC["distractor"] in found:  # 新しい 幹部 線路: allowed only below
        scores = {url: r["score"] for url, r in zip(found, answer["results"])}
        assert scores[DOC["distractor"]] < scores[DOC["shinkansen"]]


def test_filters_by_type_entity_and_year(search) -> None:
    filters = search(None)["filters"]
    assert filters["種類"] == {"組織": 2, "人物": 2, "場所": 1}
    assert filters["組織"] == {"JR東海": 1, "経済産業省": 1, 'A&B "商会"': 1}
    assert filters["年"] == {"2023": 1, "2024": 1, "2025": 2}
    people = sorted([DOC["shinkansen"], DOC["distractor"]])
    assert sorted(urls(search(None, {"種類": "人物"}))) == people
    assert urls(search(None, {"組織": "経済産業省"})) == [DOC["export"]]
    assert urls(search(None, {"年": "2024"})) == [DOC["shinkansen"]]
    assert urls(search("山田", {"種類": "場所"})) == [DOC["shinkansen"]]


def test_search_page_interface_under_a_subpath(browser, server) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.goto(server + "search/index.html?q=輸出規制")
    link = page.locator(".pagefind-ui__result-link").first
    link.wait_for(timeout=10_000)
    assert link.get_attribute("href") == "/sub" + DOC["export"]
    types = page.locator(".pagefind-ui__filter-name", has_text="種類")
    types.first.wait_for(timeout=10_000)  # the filters load after the first results
    assert types.count() == 1
    page.locator(".pagefind-ui__search-input").fill("新幹線")
    page.locator(".pagefind-ui__result-link", has_text="新型車両の公開").wait_for(timeout=10_000)
    link = page.locator(".pagefind-ui__result-link").first
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/sub" + DOC["shinkansen"])
    assert problems == []
    page.close()


def test_a_japanese_excerpt_shows_a_sentence_not_a_few_words(browser, server) -> None:
    """Pagefind counts every segment of Japanese as a word (米国 + が): its default
    excerpt showed a fragment of about 20 characters around the match."""
    page = browser.new_page()
    page.goto(server + "search/index.html?q=輸出規制")
    excerpt = page.locator(".pagefind-ui__result-excerpt").first
    excerpt.wait_for(timeout=10_000)
    shown = excerpt.inner_text()
    assert "経済産業省は半導体製造装置の輸出規制を強化すると発表した。" in shown, shown
    page.close()


def test_a_japanese_compound_is_searched_as_the_index_cut_it(browser, server) -> None:
    """Pagefind indexes 新幹線 as 新 + 幹線 but the browser keeps it whole, and Pagefind
    then looked up 新 alone: the page with 新製品 came up too. The search page cuts
    the query as the index did, typed or in the address."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)

    def shown() -> list[str]:
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        page.wait_for_timeout(700)  # a later search, were one made, would show by now
        return [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]

    page.goto(server + "search/index.html?q=新幹線")
    assert shown() == ["/sub" + DOC["shinkansen"]]
    page.locator(".pagefind-ui__search-input").fill("幹部")
    page.locator(".pagefind-ui__result-link", has_text="町の話題").wait_for(timeout=10_000)
    page.locator(".pagefind-ui__search-input").fill("新幹線")
    page.locator(".pagefind-ui__result-link", has_text="新型車両の公開").wait_for(timeout=10_000)
    assert shown() == ["/sub" + DOC["shinkansen"]]
    assert problems == []
    page.close()


@pytest.mark.parametrize("word, holder", [("データ", "export"), ("ストラップ", "shinkansen")])
def test_a_japanese_word_with_voiced_marks_is_looked_up_as_the_index_stores_it(browser, server, word, holder) -> None:
    """Pagefind stores データ without its marks, as テータ: looked up as typed, it was
    cut into テ, ー and タ, and the page with テレビ and タオル came up too. The browser
    cuts ストラップ into スト + ラップ, which the index, holding ストラッフ whole, lacks."""
    page = browser.new_page()
    page.goto(server + f"search/index.html?q={word}")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.wait_for_timeout(700)  # a later search, were one made, would show by now
    links = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    assert links == ["/sub" + DOC[holder]]
    excerpt = page.locator(".pagefind-ui__result-excerpt").first
    assert excerpt.locator("mark").all_inner_texts() == [word], excerpt.inner_html()
    page.close()


def test_results_holding_the_words_typed_come_before_those_holding_their_pieces(browser, server, search) -> None:
    """Pagefind finds 作品情報 as 作品 + 情報 anywhere in a page and ranks by how often:
    the page that says 作品 and 情報 three times and twice, apart, came before the page
    that says 作品情報. The search page shows the pages holding the words typed first."""
    assert urls(search("作品 情報"))[:2] == [DOC["distractor"], DOC["export"]]  # Pagefind's own order
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.goto(server + "search/index.html?q=作品情報")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.wait_for_timeout(700)  # a later search, were one made, would show by now
    links = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    assert links == ["/sub" + DOC["export"], "/sub" + DOC["distractor"]]  # reordered, none dropped
    page.locator(".pagefind-ui__search-input").fill("作品 情報")  # typed apart: no order is imposed
    page.wait_for_timeout(1_000)
    links = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    assert links[0] == "/sub" + DOC["distractor"]
    assert problems == []
    page.close()


def test_a_section_holding_only_the_pieces_of_a_word_typed_is_not_a_sub_result(browser, server) -> None:
    """The page holding 作品情報 has a section with 作品 and 情報 apart, which Pagefind
    showed as a sub-result of 作品情報; searched for 展示, a word it holds, it shows."""
    page = browser.new_page()

    def sections(query: str) -> list[str]:
        page.goto(server + f"search/index.html?q={query}")
        result = page.locator(".pagefind-ui__result", has=page.locator(f"a[href='/sub{DOC['export']}']"))
        result.first.wait_for(timeout=10_000)
        page.wait_for_timeout(700)  # a later search, were one made, would show by now
        links = result.first.locator(".pagefind-ui__result-link").all()
        return [href for link in links if "#" in (href := link.get_attribute("href") or "")]

    assert sections("作品情報") == []
    assert len(sections("展示")) == 1
    page.close()


def test_a_japanese_excerpt_marks_the_words_typed_not_their_segments(browser, server) -> None:
    """Pagefind marks the segments it cut a Japanese query into: 新幹線 showed as
    <mark>新</mark>幹線. Words typed that occur as typed are marked whole; when one
    does not (規制強化: 規制を強化), Pagefind's marks are left."""
    page = browser.new_page()
    for query, marked in (("新幹線", ["新幹線", "新幹線"]), ("輸出規制　経済産業省", ["経済産業省", "輸出規制"]),
                          ("規制強化", ["規制", "強化"])):  # fmt: skip
        page.goto(server + f"search/index.html?q={query}")
        excerpt = page.locator(".pagefind-ui__result-excerpt").first
        excerpt.locator("mark").first.wait_for(timeout=10_000)
        assert excerpt.locator("mark").all_inner_texts() == marked, excerpt.inner_html()
    page.close()


def test_on_a_phone_the_filters_do_not_push_the_results_down(browser, server) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(server + "search/index.html?q=輸出規制")
    # The filter groups appear one by one after the first results.
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-block').length >= 5", timeout=10_000)
    box = page.locator(".pagefind-ui__search-input").bounding_box()
    first = page.locator(".pagefind-ui__result").first.bounding_box()
    # As a list, five filter groups put the first result 440 px below the box; as chips, 185 px.
    assert box and first and first["y"] - (box["y"] + box["height"]) < 250, "the filters push the results down"
    page.locator(".pagefind-ui__filter-name", has_text="種類").click()
    group = page.locator(".pagefind-ui__filter-block[open]").bounding_box()
    assert group is not None and group["width"] > 300, "an open filter group takes the whole row"
    page.close()


def test_search_page_from_a_file_explains_itself(browser, public: Path) -> None:
    page = browser.new_page()
    page.goto((public / "search" / "index.html").as_uri())
    note = page.locator("[data-search-file]")
    note.wait_for(state="visible", timeout=5_000)
    assert "ウェブサーバー" in note.inner_text()
    page.close()


def test_search_language_prefers_segmentation() -> None:
    def archive(language: str, *langs: str) -> Archive:
        docs = [Document(f"d{i}", f"d{i}", f"content/d{i}.md", lang, "t", [Block("paragraph", "x")])
                for i, lang in enumerate(langs)]  # fmt: skip
        return Archive.from_documents(Config(Path("."), language=language), docs, {}, [])

    assert search_language(archive("en", "en", "ja")) == "ja"  # Japanese under English
    assert search_language(archive("en", "en")) == "en"
    assert search_language(archive("ja", "en", "zh")) == "ja"
    assert search_language(archive("en")) == "en"


def test_an_archive_without_documents_has_no_index(make_site) -> None:
    site = make_site({}, CONFIG)
    build(load_config(site))
    public = site / "public"
    assert not (public / "pagefind").exists()
    assert "検索できる文書はまだありません" in (public / "search" / "index.html").read_text("utf-8")
    make_site({"content/one.md": DOCUMENTS["content/export.md"]}, CONFIG)
    build(load_config(site))  # the next build, with a document, indexes it
    entry = json.loads((public / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["ja"]["page_count"] == 1


def test_index_failure_is_a_build_error_and_the_old_site_stays(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site([Page("index.html", "old")], [], out)
    # A file where the index's folder goes: Pagefind cannot write the index.
    broken = [Page("index.html", "new"), Page("documents/a/index.html", "<p>本文</p>"), Page("pagefind", "")]
    with pytest.raises(BuildError) as raised:
        write_site(broken, [], out)
    message = str(raised.value)
    assert "search index failed" in message and "File exists" in message  # the indexer could not write the bundle
    assert "\n" not in message and str(out.parent) in message  # the staging folder beside the site
    assert (out / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging or links to pages left


def test_index_site_is_repeatable_apart_from_filter_order(public: Path, tmp_path: Path) -> None:
    """Pagefind writes filter values in hash-map order: only files without filters repeat."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in (public / "documents").rglob("index.html"):
        target = copy / path.relative_to(public)
        target.parent.mkdir(parents=True)
        target.write_bytes(path.read_bytes())
    assert index_site(copy, "ja")
    for name in ("index", "fragment"):
        first = {p.name: p.read_bytes() for p in (public / "pagefind" / name).iterdir()}
        again = {p.name: p.read_bytes() for p in (copy / "pagefind" / name).iterdir()}
        assert first == again, name


def test_an_unchanged_index_keeps_its_files_and_mtimes(tmp_path: Path) -> None:
    html = '<html lang="ja"><body><main data-pagefind-body><h1>題</h1><p>輸出規制の記事。</p></main>'
    pages = [Page("documents/a/index.html", html)]
    out = tmp_path / "public"
    write_site(pages, [], out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (out / "pagefind").rglob("*.pf_*")}
    write_site(pages, [], out)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (out / "pagefind").rglob("*.pf_*")}
    assert before and after == before  # no filters: Pagefind's files repeat byte for byte


def test_shards_keep_their_pages_as_the_archive_grows(monkeypatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_SIZE", 100)
    pages = [f"documents/{n}/index.html" for n in range(250)]
    plan = search_index.shard_plan(pages)
    assert len(plan) == 3 and sorted(sum(plan, [])) == sorted(pages) and all(plan)
    grown = search_index.shard_plan(pages + ["documents/new/index.html"])
    assert sum(len(a) != len(b) for a, b in zip(plan, grown)) == 1  # the new page joins one shard
    assert all(set(a) <= set(b) for a, b in zip(plan, grown))  # and no other page moves
    assert len(search_index.shard_plan(pages[:100])) == 1
    assert search_index.shard_plan(pages[:2]) == [pages[:2]]


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search archive with an index of one shard per document (fewer: none is empty)."""
    site = _write_archive(tmp_path_factory.mktemp("sharded") / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "SHARD_SIZE", 1)
        assert not build(load_config(site)).problems
    return site


def _shard_pages(public: Path) -> list[int]:
    entries = [public / "pagefind" / search_index.shard_folder(n) / "pagefind-entry.json" for n in range(4)]
    return [json.loads(e.read_text())["languages"]["ja"]["page_count"] for e in entries if e.is_file()]


def test_the_search_page_merges_every_shard(browser, sharded: Path) -> None:
    public = sharded / "public"
    assert sorted(_shard_pages(public)) == [1, 1, 2]  # 4 documents, the empty fourth shard folded away
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    with _served(public) as url:  # 山田 is in two documents, which fall in different shards
        page.goto(url + "search/index.html?q=山田")
        links = page.locator(".pagefind-ui__result-link")
        links.nth(1).wait_for(timeout=10_000)
        found = {links.nth(i).get_attribute("href") for i in range(links.count())}
        assert found == {"/sub" + DOC["shinkansen"], "/sub" + DOC["distractor"]}
        page.locator(".pagefind-ui__search-input").fill("library")  # in the shard of another
        page.locator(".pagefind-ui__result-link", has_text="Library opens").wait_for(timeout=10_000)
    page.close()
    assert problems == []


def test_an_edit_makes_only_its_shard_again(sharded: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    public = sharded / "public"
    plan = search_index.shard_plan(search_index.document_pages(public))
    edited = next(n for n, pages in enumerate(plan) if DOC["distractor"][1:] in pages)
    others = {p: p.stat().st_ino for n in range(len(plan)) if n != edited for p in _bundle_files(public, n)}
    source = sharded / "content/distractor.md"
    source.write_text(source.read_text(encoding="utf-8").replace("線香", "羊羹"), encoding="utf-8")
    result = build(load_config(sharded), search_later=True)
    assert result.stale_shards == (edited,)
    assert refresh_search(load_config(sharded), result)
    assert others and {p: p.stat().st_ino for p in others} == others  # the other shards' files untouched
    fragments = [p for p in _bundle_files(public, edited) if p.suffix == ".pf_fragment"]
    assert "羊羹" in "".join(gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)
    assert sorted(_shard_pages(public)) == [1, 1, 2]
    assert build(load_config(sharded)).unchanged


def _bundle_files(public: Path, number: int) -> list[Path]:
    """The index files of one shard's bundle (the first's folder holds the others')."""
    folder = public / "pagefind" / search_index.shard_folder(number)
    return [p for p in folder.rglob("*.pf_*")
            if not p.relative_to(folder).parts[0].startswith(search_index.SHARD_PREFIX)]  # fmt: skip


def test_an_index_cut_into_more_shards_is_made_again_whole(make_site, monkeypatch) -> None:
    """The archive grew past a shard's size: the single index published holds pages of
    every new shard, so none of it is kept, though no document page changed."""
    site = make_site({**DOCUMENTS, "entities.toml": REGISTRY}, CONFIG)
    build(load_config(site))
    public = site / "public"
    assert _shard_pages(public) == [4]
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    (site / "notes.txt").write_text("an input, no page changes\n", encoding="utf-8")
    result = build(load_config(site))
    assert result.written == 1 and not result.stale_search  # the search page, which now merges shards
    assert sorted(_shard_pages(public)) == [1, 1, 2]
    (public / "pagefind" / "shard-1" / "pagefind-entry.json").write_text("{", encoding="utf-8")  # damaged
    (site / "notes.txt").write_text("another\n", encoding="utf-8")
    assert build(load_config(site)).written == 0
    assert sorted(_shard_pages(public)) == [1, 1, 2]  # shard-1 made again, not trusted


def test_edits_in_two_shards_both_reach_the_index(sharded: Path, monkeypatch) -> None:
    """The second edit's build starts from the site the first replaced, whose index
    lacks the first edit: the published index, not that one, must be carried on."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    public = sharded / "public"
    for name, old, new in (("export", "半導体", "蓄電池"), ("shinkansen", "座席", "寝台")):
        source = sharded / f"content/{name}.md"
        source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        result = build(load_config(sharded), search_later=True)
        assert len(result.stale_shards) == 1 and refresh_search(load_config(sharded), result)
    fragments = [p for n in range(3) for p in _bundle_files(public, n) if p.suffix == ".pf_fragment"]
    text = "".join(gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)
    assert "蓄電池" in text and "寝台" in text


def test_a_shard_left_behind_is_made_with_the_next_edits(sharded: Path, monkeypatch) -> None:
    """A refresh cancelled by another edit (serve) leaves its shard behind: the
    manifest names it, and the next build's refresh makes it with its own."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    plan = search_index.shard_plan(search_index.document_pages(config.output_path))
    shard = {name: next(n for n, pages in enumerate(plan) if DOC[name][1:] in pages) for name in NAMES}
    for name, old, new in (("export", "輸出規制", "輸入規制"), ("shinkansen", "乗り心地", "座り心地")):
        source = sharded / f"content/{name}.md"
        source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        result = build(load_config(sharded), search_later=True)
        cancelled = threading.Event()
        cancelled.set()
        assert not refresh_search(load_config(sharded), result, cancelled)
    assert result.stale_shards == tuple(sorted({shard["export"], shard["shinkansen"]}))
    assert read_manifest(config).search_stale == result.stale_shards
    assert refresh_search(config, result) and read_manifest(config).search_stale == ()
    fragments = [p for n in result.stale_shards for p in _bundle_files(config.output_path, n)
                 if p.suffix == ".pf_fragment"]  # fmt: skip
    text = "".join(gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)
    assert "輸入規制" in text and "座り心地" in text


def test_a_deleted_document_leaves_the_index(sharded: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    (sharded / "content/library.md").unlink()
    result = build(config, search_later=True)
    assert result.stale_search and refresh_search(config, result)
    entries = [json.loads(p.read_text()) for p in (config.output_path / "pagefind").rglob("pagefind-entry.json")]
    assert sum(e["languages"]["ja"]["page_count"] for e in entries) == 3
    fragments = [p for p in (config.output_path / "pagefind").rglob("*.pf_fragment")]
    assert len(fragments) == 3 and not any(b"Library" in gzip.decompress(p.read_bytes()) for p in fragments)


def test_every_file_of_every_shard_is_written_whole(public: Path, tmp_path: Path, monkeypatch) -> None:
    """Pagefind's own WriteFiles answered before its files landed, and it exited with
    them unwritten: under load, bundles were published with empty files, the entry
    among them. The indexer writes what Pagefind gives it (indexer.write_bundle)."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    site = tmp_path / "site"
    shutil.copytree(public / "documents", site / "documents")
    assert search_index.index_site(site, "ja")
    entries = sorted((site / "pagefind").rglob("pagefind-entry.json"))
    assert len(entries) == len(search_index.shard_plan(search_index.document_pages(site))) > 1
    for entry in entries:
        meta = json.loads(entry.read_text(encoding="utf-8"))["languages"]["ja"]
        assert (entry.parent / f"pagefind.{meta['hash']}.pf_meta").is_file() and meta["page_count"] >= 1
        files = [p for p in entry.parent.rglob("*") if p.is_file() and "shard-" not in p.relative_to(entry.parent).as_posix()]
        assert {p.parent.name for p in files} >= {"fragment", "index"} and all(p.stat().st_size for p in files)


def test_shards_are_made_side_by_side_as_one_process_makes_them(public: Path, tmp_path: Path) -> None:
    """Requests allowing two Pagefind processes have the shards made by two, with the
    files one process makes (the index and fragments, whose order does not vary); so
    do shards left waiting when two are allowed later; one shard is made by one
    process, whatever it allows; a shard that cannot be written is reported."""
    pages = search_index.document_pages(public)
    assert len(pages) >= 3
    shards = [[page] for page in pages]

    def made(parallel: int, name: str, count: int, widened: bool = False) -> tuple[int, dict[str, bytes]]:
        requests = []
        for number, shard in enumerate(shards[:count]):
            folder = tmp_path / name / "pages" / str(number)
            search_index._link_pages(public, shard, folder)
            output = tmp_path / name / "out" / str(number)
            if name == "blocked" and number == 1:
                output.parent.mkdir(parents=True, exist_ok=True)
                output.write_text("not a folder")
            requests.append(json.dumps({"language": "ja", "folder": str(folder), "output": str(output)}))
            if number == 0 and not widened:  # allowed from the start, as when an index catches up
                requests.append(json.dumps({"parallel": parallel}))
        if widened:  # allowed once the shards are given, as a build's pages are written
            requests.append(json.dumps({"parallel": 2}))
        used = make_shards(str(search_index.pagefind_binary()), search_index.DOCUMENT_GLOB, requests)
        out = tmp_path / name / "out"
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                 if p.is_file() and p.parent.name in ("index", "fragment")}  # fmt: skip
        return used, files

    alone, together = made(1, "alone", len(shards)), made(2, "together", len(shards))
    assert (alone[0], together[0]) == (1, 2)
    assert together[1] == alone[1] and len(alone[1]) >= 2 * len(shards)
    assert made(2, "one", 1)[0] == 1
    assert made(1, "widened", len(shards), widened=True) == together  # the shards left waiting
    with pytest.raises(OSError) as error:  # a shard that cannot be written fails the index, whichever process made it
        made(2, "blocked", len(shards))
    assert str(tmp_path / "blocked" / "out" / "1") in str(error.value)


def test_an_indexer_warmed_during_the_build_makes_the_edit_s_shard(sharded: Path, monkeypatch) -> None:
    """The indexer started before the build (its dictionary loaded meanwhile) makes
    the refreshed shard, then ends with its folder of links."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    source = sharded / "content/export.md"
    source.write_text(source.read_text(encoding="utf-8").replace("発表した", "公表した"), encoding="utf-8")
    with search_warmed(config) as indexer:
        assert indexer is not None and indexer.process.poll() is None and indexer.work.is_dir()
        result = build(config, search_later=True, indexer=indexer)
        assert len(result.stale_shards) == 1 and refresh_search(config, result, indexer=indexer)
        assert indexer.process.returncode == 0 and not indexer.work.exists()
    fragments = [p for p in _bundle_files(config.output_path, result.stale_shards[0]) if p.suffix == ".pf_fragment"]
    assert "公表" in "".join(gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)
    assert build(config).unchanged


def test_an_unused_warm_indexer_is_stopped_and_outlives_a_build_s_cleaning(make_site) -> None:
    site = make_site({**DOCUMENTS, "entities.toml": REGISTRY}, CONFIG)
    config = load_config(site)
    with search_warmed(config) as indexer:
        assert indexer is not None
        remove_stale_staging(config.output_path)  # what every build does first
        assert indexer.work.is_dir() and indexer.process.poll() is None
        (config.output_path.parent / ".public.staging-pages-999999999").mkdir()  # a killed build's
        (config.output_path.parent / ".public.indexer-999999999").mkdir()
        (config.output_path.parent / ".public.keeping-999999999").mkdir()  # keep_published's, of a dead process
        (keeping := config.output_path.parent / f".public.keeping-{os.getpid()}").mkdir()  # of a live one
        result = build(config, indexer=indexer)  # the first build: the index is made in it
        assert not result.stale_search and indexer.taken and not indexer.work.exists()
    assert _shard_pages(config.output_path) == [4]
    assert not list(site.glob(".public.*-999999999")) and keeping.is_dir()
    with search_warmed(config) as indexer:
        process, work = indexer.process, indexer.work
    assert process.returncode is not None and not work.exists()  # nothing to index: stopped
    assert warm_indexer(config.output_path, "en") is None  # no dictionary to load


def test_a_shard_after_the_first_is_put_in_place_alone(sharded: Path, monkeypatch) -> None:
    """The other shards' folders, the first's (which holds them) too, stay as they were."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    public = config.output_path
    plan = search_index.shard_plan(search_index.document_pages(public))
    number, name = next((n, name) for n, pages in enumerate(plan) for name in NAMES if n and DOC[name][1:] in pages)
    source = sharded / f"content/{name}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n追記の段落。\n", encoding="utf-8")
    result = build(config, search_later=True)
    folders = {n: (public / "pagefind" / search_index.shard_folder(n)).stat().st_ino for n in range(len(plan))}
    assert result.stale_shards == (number,) and refresh_search(config, result)
    now = {n: (public / "pagefind" / search_index.shard_folder(n)).stat().st_ino for n in range(len(plan))}
    assert {n: i for n, i in now.items() if n != number} == {n: i for n, i in folders.items() if n != number}
    assert now[number] != folders[number]
    fragments = [p for p in _bundle_files(public, number) if p.suffix == ".pf_fragment"]
    assert "追記" in "".join(gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)


def test_an_output_file_removed_before_the_index_catches_up_is_noticed(sharded: Path, monkeypatch) -> None:
    """The refresh records the index's folders anew, not the rest of the output: a page
    removed between the build and its index is put back by the next build."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    source = sharded / "content/shinkansen.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n車内販売の話。\n", encoding="utf-8")
    result = build(config, search_later=True)
    removed = config.output_path / "quotes" / "index.html"
    removed.unlink()
    assert refresh_search(config, result)
    again = build(config)
    assert not again.unchanged and removed.is_file()
    assert build(config).unchanged


def test_a_cancelled_refresh_stops_the_warm_indexer(sharded: Path, monkeypatch) -> None:
    """Another edit cancels the refresh (serve): the indexer started with the build ends
    there and then, with its folder of links, and the shard is left for the next build."""
    monkeypatch.setattr(search_index, "SHARD_SIZE", 1)
    config = load_config(sharded)
    source = sharded / "content/distractor.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n祭りの準備。\n", encoding="utf-8")
    cancelled = threading.Event()
    cancelled.set()
    with search_warmed(config) as indexer:
        result = build(config, search_later=True, indexer=indexer)
        assert not refresh_search(config, result, cancelled, indexer)
        assert indexer.process.returncode is not None and not indexer.work.exists()
    assert read_manifest(config).search_stale == result.stale_shards
    assert refresh_search(config, result) and read_manifest(config).search_stale == ()

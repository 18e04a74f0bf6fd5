"""Quick previews of edited pages in the preview server (preview.py): the page made
alone is the page the build then writes, and only edits of a few sources are previewed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archivist import entity_listing
from archivist.annotators import AnnotateContext
from archivist.build import build, read_documents
from archivist.config import load_config
from archivist.executors import Local, annotate_all
from archivist.memory import BuildMemory
from archivist.preview import (
    MAX_PREVIEWED, preview_in_turn, preview_pages, previewable, try_design_preview, try_preview,
)  # fmt: skip
from archivist.registry import load_registry
from archivist.resolve import resolve_keyed, resolve_one
from archivist.serve import BuildState

FAST = 'title = "Preview"\nprofile = "fast"\n'
DOCS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は東京で「景気は回復している」と述べた。\n",
    "content/b.md": "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。米国でも話題になった。\n",
    "content/c.md": "---\ntitle: C\ndate: 2024-03-04\n---\n\nトヨタ自動車は大阪で新型車を発表した。\n",
}
REGISTRY = '[[entity]]\nname = "トヨタ自動車"\ntype = "ORG"\naliases = ["トヨタ"]\n'


def _built(make_site) -> tuple[Path, BuildMemory]:
    site = make_site({**DOCS, "entities.toml": REGISTRY}, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    return site, memory


def test_the_previews_are_the_pages_the_build_then_writes(make_site):
    site, memory = _built(make_site)
    source = site / "content/c.md"
    source.write_text(DOCS["content/c.md"] + "\n山田太郎氏は米国で鈴木一郎氏とトヨタの幹部に会い「順調だ」と語った。\n",
                      encoding="utf-8")  # fmt: skip
    config = load_config(site)
    pages = preview_pages(config, previewable({source}, config), memory)
    assert "鈴木一郎" in pages["documents/c/index.html"]
    # The pages of the names c now has (a new one too) and had, and the lists showing c.
    for entity in ("person/山田太郎", "person/鈴木一郎", "org/トヨタ自動車", "place/大阪", "place/united-states"):
        assert f"entities/{entity}/index.html" in pages, entity
    assert "index.html" in pages and "quotes/page/2/index.html" not in pages
    assert "鈴木一郎" in pages["entities/index.html"]  # a new name in the entity index
    assert "順調だ" in pages["quotes/index.html"]  # a new quote: the first page counts them all
    assert "entities/person/佐藤花子/index.html" not in pages  # named only by b
    assert "氏は米国で鈴木一郎氏と" in pages["entities/person/山田太郎/index.html"]
    build(config, memory=memory)
    for path, page in pages.items():
        assert page == (site / "public" / path).read_text(encoding="utf-8"), path


def test_the_later_pages_of_the_quote_index_an_edit_moves_come_after_the_documents_and_its_names(
        make_site, monkeypatch):  # fmt: skip
    monkeypatch.setattr("archivist.quote_listing.PAGE_SIZE", 1)  # a document's quotes end a page
    site, memory = _built(make_site)
    source = site / "content/c.md"  # the newest: every later page of the quote index moves
    source.write_text(DOCS["content/c.md"] + "\n山田太郎氏は米国で鈴木一郎氏に会い「順調だ」と語った。\n",
                      encoding="utf-8")  # fmt: skip
    config = load_config(site)
    batches = list(preview_in_turn(config, previewable({source}, config), memory))
    assert len(batches) == 2
    first, later = batches
    assert "documents/c/index.html" in first and "entities/person/鈴木一郎/index.html" in first
    assert "quotes/index.html" in first  # the first page counts them all
    assert later and all(path.startswith("quotes/page/") for path in later)
    assert batches[0] | batches[1] == preview_pages(config, previewable({source}, config), memory)
    build(config, memory=memory)
    for path, page in later.items():
        assert page == (site / "public" / path).read_text(encoding="utf-8"), path


@pytest.mark.parametrize("keys_kept", [True, False], ids=["page keys kept", "pages listed again"])
def test_the_entity_lists_an_edit_reorders_or_recounts_are_previewed(make_site, monkeypatch, keys_kept):
    monkeypatch.setattr(entity_listing, "OVERVIEW", 1)  # a list of its own for every type of two names or more
    monkeypatch.setattr(entity_listing, "TYPE_PAGE_SIZE", 1)  # a name a page
    site, memory = _built(make_site)
    source = site / "content/c.md"
    config = load_config(site)
    source.write_text(DOCS["content/c.md"] + "\nトヨタ自動車の工場は大阪にある。\n", encoding="utf-8")
    if not keys_kept:
        memory.digests.pages = {}  # as a server started on a built site has them, until its first build
    pages = preview_pages(config, previewable({source}, config), memory)
    assert not any(path.startswith("entities/person/page/") or path == "entities/person/index.html" for path in pages)
    build(config, memory=memory)
    source.write_text(DOCS["content/c.md"] + "\n鈴木一郎氏は佐藤花子氏と会った。\n", encoding="utf-8")
    if not keys_kept:
        memory.digests.pages = {}
    pages = preview_pages(config, previewable({source}, config), memory)
    persons = {path for path in pages if path.startswith("entities/person/") and "/page/" in path}
    assert "entities/index.html" in pages and "entities/person/index.html" in pages
    assert persons  # 佐藤花子 counted twice now: the names after her move down a page
    build(config, memory=memory)
    for path, page in pages.items():
        assert page == (site / "public" / path).read_text(encoding="utf-8"), path


def test_the_pages_of_a_name_an_edit_removes_are_previewed(make_site):
    site, memory = _built(make_site)
    source = site / "content/b.md"
    source.write_text("---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏は家にいた。\n", encoding="utf-8")
    config = load_config(site)
    pages = preview_pages(config, previewable({source}, config), memory)
    toyota = pages["entities/org/トヨタ自動車/index.html"]
    assert "家にいた" in pages["documents/b/index.html"] and "訪れた" not in toyota
    build(config, memory=memory)
    for path, page in pages.items():
        assert page == (site / "public" / path).read_text(encoding="utf-8"), path


def test_the_preview_offers_the_search_filters_of_the_whole_archive(make_site, monkeypatch):
    # One person a filter: 佐藤花子 and 山田太郎 are mentioned once each, and the tie goes by name.
    monkeypatch.setattr("archivist.archive.SEARCH_FILTERS_PER_TYPE", 1)
    site, memory = _built(make_site)
    source = site / "content/a.md"
    source.write_text(DOCS["content/a.md"] + "\n天気は良かった。\n", encoding="utf-8")
    config = load_config(site)
    page = preview_pages(config, previewable({source}, config), memory)["documents/a/index.html"]
    assert 'data-value="山田太郎"' not in page  # though the first person of a's own
    build(config, memory=memory)
    assert page == (site / "public/documents/a/index.html").read_text(encoding="utf-8")


def test_a_new_document_is_previewed(make_site):
    site, memory = _built(make_site)
    source = site / "content/d.md"
    source.write_text("---\ntitle: D\n---\n\n佐藤花子氏は名古屋を訪れた。\n", encoding="utf-8")
    config = load_config(site)
    pages = try_preview(config, {source}, memory)
    build(config, memory=memory)
    assert pages["documents/d/index.html"] == (site / "public/documents/d/index.html").read_text(encoding="utf-8")


def test_each_document_resolved_alone_is_resolved_as_in_the_archive(make_site):
    site, _ = _built(make_site)
    config = load_config(site)
    documents, _ = read_documents(config)
    registry = load_registry(config.registry_path)
    ctx = AnnotateContext(names=config.annotator_names, registry=registry)
    annotations = annotate_all(documents, ctx, Local(jobs=1))
    resolved, entities, keyed = resolve_keyed(documents, annotations, registry)
    for doc in documents:
        alone, named = resolve_one(doc, annotations[doc.id], registry, keyed)
        assert alone == resolved[doc.id]
        assert all(entity in entities for entity in named)
    assert any(m.entity == "place/united-states" for doc in documents for m in resolved[doc.id].mentions)


def test_only_a_few_existing_sources_are_previewed(make_site):
    site, memory = _built(make_site)
    config = load_config(site)
    content = site / "content"
    assert previewable({content / "a.md"}, config) == [config.content_path / "a.md"]
    assert previewable({site / "archive.toml"}, config) == []  # settings change every page
    assert previewable({site / "entities.toml"}, config) == []
    assert previewable({content / "gone.md"}, config) == []  # deleted: lists change
    assert previewable({content / "a.md", content / ".a.md.swp"}, config) == []
    many = set()
    for n in range(MAX_PREVIEWED + 1):
        (content / f"n{n}.md").write_text(f"# N{n}\n\nText.\n", encoding="utf-8")
        many.add(content / f"n{n}.md")
    assert previewable(many, config) == []
    (content / "a.md").write_bytes(b"\x00binary")
    assert try_preview(config, {content / "a.md"}, memory) == {}  # the build reports it
    assert try_preview(config, {content / "b.md"}, BuildMemory()) == {}  # nothing built yet


def test_a_preview_lasts_until_a_build_that_read_the_edit_ends():
    state = BuildState()
    state.previewed({"documents/a/index.html": "<p>edit</p>"}, read=10.0)
    assert state.number == 1
    state.finished(None, started=5.0)  # began before the edit was read: its page is older
    assert state.preview("documents/a/index.html") == "<p>edit</p>"
    state.finished(None, started=11.0)
    assert state.preview("documents/a/index.html") is None
    assert state.number == 3


def test_pages_made_with_edited_templates_last_until_a_later_build_ends():
    state = BuildState()
    state.previewed({"static/style.css": "p {}"}, read=10.0, restyled=lambda path: f"<p>{path}</p>")
    assert state.preview("documents/a/index.html") == "<p>documents/a/index.html</p>"
    assert state.preview("static/style.css") == "p {}"
    assert state.preview("data/mentions.csv") is None  # only pages are made again
    state.finished(None, started=5.0)
    assert state.preview("index.html") == "<p>index.html</p>"
    state.finished(None, started=11.0)
    assert state.preview("index.html") is None and state.preview("static/style.css") is None


@pytest.fixture
def own_templates(tmp_path, monkeypatch) -> Path:
    """A copy of the templates, which builds and previews use instead."""
    import archivist.manifest
    import archivist.preview
    import archivist.render

    templates = tmp_path / "templates"
    shutil.copytree(archivist.render.templates_dir(), templates)
    for module, name in ((archivist.render, "templates_dir"), (archivist.preview, "templates_dir"),
                         (archivist.manifest, "templates_folder")):  # fmt: skip
        monkeypatch.setattr(module, name, lambda: templates)
    return templates


def test_every_page_is_made_as_asked_with_edited_templates_as_the_build_then_writes(make_site, own_templates):
    site, memory = _built(make_site)
    base = own_templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<main ", '<main data-edited="1" '), encoding="utf-8")
    config = load_config(site)
    static, restyled = try_design_preview(config, {base}, memory)
    assert static == {} and restyled is not None
    pages = {path: restyled(path) for path in ("documents/c/index.html", "entities/org/トヨタ自動車/index.html",
                                                "quotes/index.html", "index.html")}  # fmt: skip
    assert restyled("documents/none/index.html") is None
    build(config, memory=memory)
    for path, page in pages.items():
        assert 'data-edited="1"' in page
        assert page == (site / "public" / path).read_text(encoding="utf-8"), path


def test_an_edited_stylesheet_is_served_as_it_is_and_a_broken_template_not_previewed(make_site, own_templates):
    site, memory = _built(make_site)
    config = load_config(site)
    css = own_templates / "static/style.css"
    css.write_text("p { color: red; }\n", encoding="utf-8")
    assert try_design_preview(config, {css}, memory) == ({"static/style.css": "p { color: red; }\n"}, None)
    assert try_design_preview(config, {css, site / "content/a.md"}, memory) == ({}, None)  # a rebuild
    (own_templates / "entity.html").write_text("{% if %}", encoding="utf-8")
    assert try_design_preview(config, {own_templates / "entity.html"}, memory) == ({}, None)


def test_models_are_loaded_once_for_every_build_and_preview(make_site, monkeypatch):
    from archivist.annotators import morphemes, rules_ja
    from archivist.preview import load_models

    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    loads: list[int] = []
    original = morphemes.load_tokenizer
    for module in (morphemes, rules_ja):  # the fast profile's annotators share one Sudachi tokenizer
        monkeypatch.setattr(module, "load_tokenizer", lambda: loads.append(1) or original())
    memory.models.loaded.clear()  # as the server starts: models are loaded after its first build
    load_models(load_config(site), memory)
    assert loads == [1] and memory.models.loaded
    for number in range(2):
        (site / "content/a.md").write_text(DOCS["content/a.md"] + f"\n追記{number}。\n", encoding="utf-8")
        config = load_config(site)
        try_preview(config, {site / "content/a.md"}, memory)
        build(config, memory=memory)
    assert loads == [1]  # two previews and two builds, no model loaded again


def test_a_server_started_on_a_built_site_reads_it_for_the_first_preview(make_site):
    from archivist.serve import _prepare, rebuild

    site, _ = _built(make_site)  # built before the server starts
    state = BuildState()
    config = rebuild(site, {}, state)  # nothing changed: nothing read
    assert state.memory.entity_keys is None
    _prepare(config, state)  # what the server does next, in the background
    assert state.memory.entity_keys and state.memory.models.loaded
    source = site / "content/a.md"
    source.write_text(DOCS["content/a.md"] + "\n佐藤花子氏も同席した。\n", encoding="utf-8")
    pages = try_preview(load_config(site), {source}, state.memory)
    build(load_config(site), memory=state.memory)
    assert pages["documents/a/index.html"] == (site / "public/documents/a/index.html").read_text(encoding="utf-8")

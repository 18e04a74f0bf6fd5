"""Rebuilds that keep the pages whose sources did not change give exactly the site a
clean build gives, after any kind of edit; and they do keep pages."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

import archivist.write as write
from archivist.build import build
from archivist.config import load_config
from archivist.manifest import read_manifest
from archivist.previous_site import RECORD_FILE

FAST = 'title = "Keys"\nprofile = "fast"\n'
DOCS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は東京で「景気は回復している」と述べた。\n",
    "content/b.md": "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。山田太郎氏も同行した。\n",
    "content/c.md": "---\ntitle: C\ndate: 2024-03-04\n---\n\nトヨタ自動車は大阪で新型車を発表した。\n",
    "content/d.md": "---\ntitle: D\ndate: 2024-04-05\n---\n\n鈴木一郎氏は「準備は進んでいる」と語った。\n",
}


def _edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / "content" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


EDITS = {
    "a sentence": lambda s: _edit(s, "c.md", "新型車を", "新しい車を"),
    "a new mention of a shared entity": lambda s: _edit(s, "c.md", "発表した。", "発表した。山田太郎氏が登壇した。"),
    "a mention removed": lambda s: _edit(s, "b.md", "山田太郎氏も同行した。", ""),
    "a title": lambda s: _edit(s, "a.md", "title: A", "title: A (改訂)"),
    "a date that reorders the list": lambda s: _edit(s, "a.md", "2024-01-02", "2025-01-02"),
    "a quote's speaker": lambda s: _edit(s, "d.md", "鈴木一郎", "佐藤花子"),
    "a quote added": lambda s: _edit(s, "c.md", "発表した。", "発表した。佐藤花子氏は「安全だ」と語った。"),
    "a document removed": lambda s: (s / "content/b.md").unlink(),
    "a document added": lambda s: (s / "content/e.md").write_text(
        "---\ntitle: E\ndate: 2024-05-06\n---\n\n佐藤花子氏は大阪を訪れた。\n", encoding="utf-8"),
    "the registry": lambda s: (s / "entities.toml").write_text(
        '[[entity]]\nname = "山田太郎"\ntype = "PERSON"\ndescription = "経済学者"\n', encoding="utf-8"),
}  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and "pagefind" not in p.parts}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_equals_a_clean_build_after_an_edit(make_site, tmp_path, edit):
    site = make_site(DOCS, FAST)
    build(load_config(site))
    EDITS[edit](site)
    build(load_config(site))
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".archivist"))
    build(load_config(clean))
    assert _files(site / "public") == _files(clean / "public")


SMALL_PAGES = {  # every list of documents, names and mentions cut into pages of one
    "archivist.listing.PAGE_SIZE": 1,
    "archivist.entity_listing.OVERVIEW": 1,
    "archivist.entity_listing.TYPE_PAGE_SIZE": 1,
    "archivist.entity_pages.DOCUMENTS_PER_PAGE": 1,
    "archivist.quote_listing.PAGE_SIZE": 1,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_cut_lists_equal_a_clean_build_after_an_edit(make_site, tmp_path, monkeypatch, edit):
    for name, value in SMALL_PAGES.items():
        monkeypatch.setattr(name, value)
    site = make_site(DOCS, FAST)
    build(load_config(site))
    assert (site / "public/entities/person/page/3/index.html").is_file()  # three people
    assert (site / "public/entities/org/トヨタ自動車/page/2/index.html").is_file()  # in b and c
    assert (site / "public/quotes/page/2/index.html").is_file()  # two quotes
    EDITS[edit](site)
    build(load_config(site))
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def _staged_paths(monkeypatch) -> list[str]:
    """The output paths the builds that follow make or link anew, in order."""
    made: list[str] = []
    stage = write._stage
    monkeypatch.setattr(write, "_stage", lambda s, o, path, data: made.append(path) or stage(s, o, path, data))
    return made


def test_pages_of_untouched_documents_are_not_made_again(make_site, monkeypatch):
    site = make_site(DOCS, FAST)
    build(load_config(site))
    assert (site / RECORD_FILE).is_file()
    _edit(site, "d.md", "準備は", "準備はもう")
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    assert "documents/d/index.html" in made and "data/documents/d.json" in made
    assert "documents/a/index.html" not in made and "data/documents/c.json" not in made
    assert not any(p.startswith("entities/org/") for p in made)  # トヨタ自動車 is not in d.md
    # No count or ranking changed: the entity index and its data are kept.
    assert "entities/index.html" not in made and "data/entities.json" not in made
    assert "index.html" in made  # it lists d.md
    made.clear()
    build(load_config(site), force=True)  # --force makes every page again
    assert "documents/a/index.html" in made and "data/documents/c.json" in made


def test_a_registry_edit_makes_again_only_the_pages_showing_what_it_changed(make_site, tmp_path, monkeypatch):
    registry = '[[entity]]\nname = "鈴木一郎"\ntype = "PERSON"\ndescription = "{}"\n'
    site = make_site({**DOCS, "entities.toml": registry.format("記者")}, FAST)
    build(load_config(site))
    (site / "entities.toml").write_text(registry.format("編集者"), encoding="utf-8")
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    person = "entities/person/鈴木一郎/index.html"
    assert person in made and "編集者" in (site / "public" / person).read_text(encoding="utf-8")
    assert "documents/d/index.html" in made and "data/documents/d.json" in made  # it names him
    assert not [p for p in made if p.startswith(("documents/", "data/documents/")) and "/d" not in p]
    assert not any(p.startswith(("entities/org/", "entities/place/")) for p in made)
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def test_an_edit_makes_again_only_the_pages_of_a_cut_list_that_show_it(make_site, monkeypatch):
    for name, value in SMALL_PAGES.items():
        monkeypatch.setattr(name, value)
    site = make_site(DOCS, FAST)
    build(load_config(site))
    _edit(site, "b.md", "トヨタ自動車を訪れた", "トヨタ自動車を再び訪れた")  # no count changes
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    # Newest first: トヨタ自動車's second page shows b, 山田太郎's shows a.
    assert "entities/org/トヨタ自動車/page/2/index.html" in made
    assert "entities/person/山田太郎/page/2/index.html" not in made
    assert "entities/org/トヨタ自動車/index.html" in made  # the first page counts every document
    assert not any(p.startswith(("entities/person/page/", "entities/org/page/")) for p in made)
    assert "entities/person/index.html" not in made and "entities/index.html" not in made


def test_a_new_count_makes_again_only_the_first_page_of_the_document_list(make_site, monkeypatch):
    monkeypatch.setattr("archivist.listing.PAGE_SIZE", 1)  # newest first: d, c, b, a
    site = make_site(DOCS, FAST)
    build(load_config(site))
    # d now names トヨタ自動車, the first facet: its count changes, not the ranking.
    _edit(site, "d.md", "鈴木一郎氏は", "トヨタ自動車の鈴木一郎氏は")
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    assert "index.html" in made  # d itself, and the counts
    assert not any(p.startswith("page/") for p in made)
    first = (site / "public/index.html").read_text(encoding="utf-8")
    assert 'トヨタ自動車 <span class="chip-count">3<' in first  # its facet
    later = (site / "public/page/2/index.html").read_text(encoding="utf-8")
    assert "</span>トヨタ自動車</a>" in later  # the same facet, without its count


QUOTED = {  # by the number of their quotes, then name: 山田 on page 1, 鈴木 on page 2, 佐藤 on page 3
    "content/a.md": "---\ntitle: A\n---\n\n山田太郎氏は「一つ目だ」と述べた。山田太郎氏は「二つ目だ」と語った。\n",
    "content/b.md": "---\ntitle: B\n---\n\n鈴木一郎氏は「準備は進んでいる」と語った。鈴木一郎氏は「順調だ」と述べた。\n",
    "content/c.md": "---\ntitle: C\n---\n\n佐藤花子氏は「楽しい」と語った。\n",
}


def test_a_quote_added_on_the_last_page_of_the_quote_index_leaves_the_others(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr("archivist.quote_listing.PAGE_SIZE", 4)  # two quotes end a page, one may
    site = make_site(QUOTED, FAST)
    build(load_config(site))
    assert (site / "public/quotes/page/3/index.html").is_file()
    _edit(site, "c.md", "語った。", "語った。龍田次郎氏は「安全だ」と語った。")  # after 佐藤 on page 3
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    assert not (site / "public/quotes/page/4/index.html").exists()
    assert "quotes/page/3/index.html" in made and "quotes/page/2/index.html" not in made
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def _said(*words: str) -> str:
    return "".join(f"山田太郎氏は「{word}」と述べた。" for word in words)


def test_a_page_of_the_quote_index_showing_other_quotes_of_the_same_documents_is_made_again(
        make_site, tmp_path, monkeypatch):  # fmt: skip
    monkeypatch.setattr("archivist.quote_listing.PAGE_SIZE", 1)  # a document's quotes end a page; two at most
    site = make_site({  # newest first: c1 | a1 a2 | a3 a4 | b1 b2 | b3
        "content/a.md": f"---\ntitle: A\ndate: 2024-02-01\n---\n\n{_said('一', '二', '三', '四')}\n",
        "content/b.md": f"---\ntitle: B\ndate: 2024-01-01\n---\n\n{_said('五', '六', '七')}\n",
        "content/c.md": f"---\ntitle: C\ndate: 2024-03-01\n---\n\n{_said('八')}\n",
    }, FAST)  # fmt: skip
    build(load_config(site))
    _edit(site, "c.md", "2024-03-01", "2023-01-01")  # a1 a2 | a3 a4 | b1 b2 | b3 | c1: page 2 still shows a
    build(load_config(site))
    assert "<q>三</q>" in (site / "public/quotes/page/2/index.html").read_text(encoding="utf-8")
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def test_a_quote_added_to_a_group_leaves_the_pages_it_goes_on_through(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr("archivist.quote_listing.PAGE_SIZE", 1)  # a document's quotes end a page
    site = make_site({  # newest first: a | b | c, one group across three pages
        "content/a.md": f"---\ntitle: A\ndate: 2024-03-01\n---\n\n{_said('一')}\n",
        "content/b.md": f"---\ntitle: B\ndate: 2024-02-01\n---\n\n{_said('二')}\n",
        "content/c.md": f"---\ntitle: C\ndate: 2024-01-01\n---\n\n{_said('三')}\n",
    }, FAST)  # fmt: skip
    build(load_config(site))
    _edit(site, "c.md", "\n\n", f"\n\n{_said('四')}")
    made = _staged_paths(monkeypatch)
    build(load_config(site))
    assert "<q>四</q>" in (site / "public/quotes/page/3/index.html").read_text(encoding="utf-8")
    assert "quotes/page/2/index.html" not in made  # no count of the group where it goes on
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def _index(public: Path) -> dict[str, bytes]:
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in (public / "pagefind").rglob("*") if p.is_file()}


def test_search_later_shows_the_pages_first_then_replaces_the_index(make_site):
    """What `serve` does: an edit is published with the last index, which is then made again."""
    from archivist.build import refresh_search

    site = make_site(DOCS, FAST)
    build(load_config(site))
    public = site / "public"
    before = _index(public)
    _edit(site, "c.md", "新型車を", "新型の電気自動車を")
    result = build(load_config(site), search_later=True)
    assert result.stale_search
    assert "電気自動車" in (public / "documents/c/index.html").read_text(encoding="utf-8")
    assert _index(public) == before  # the last build's index, as it was
    refresh_search(load_config(site), result)
    after = _index(public)
    assert after != before and "pagefind/pagefind-entry.json" in after
    assert not list(site.glob(".public.staging*")) and not list(public.glob(".*"))  # nothing left behind
    again = build(load_config(site))
    assert again.unchanged  # the manifest knows the new index
    assert again.pages == sum(1 for p in public.rglob("*") if p.is_file())


def _indexed_text(public: Path) -> str:
    """The text of every page in the search index (Pagefind's fragments: gzipped JSON)."""
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                   for p in (public / "pagefind" / "fragment").glob("*.pf_fragment"))  # fmt: skip


def test_an_index_never_caught_up_is_made_by_the_next_build(make_site):
    """A build interrupted between publishing its pages and their index (search_later)
    leaves a stale index; the next build, with nothing else to do, makes it anew."""
    site = make_site(DOCS, FAST)
    build(load_config(site))
    public = site / "public"
    _edit(site, "c.md", "新型車を", "新型の電気自動車を")
    assert build(load_config(site), search_later=True).stale_search  # and no refresh_search
    assert "電気自動車" not in _indexed_text(public)
    again = build(load_config(site))
    assert not again.unchanged and not again.stale_search and again.written == 0
    assert "電気自動車" in _indexed_text(public)
    assert build(load_config(site)).unchanged


def test_search_later_without_a_document_change_keeps_the_index_current(make_site):
    site = make_site(DOCS, FAST)
    build(load_config(site))
    (site / "notes.txt").write_text("not content\n", encoding="utf-8")  # an input, no page changes
    assert not build(load_config(site), search_later=True).stale_search


def test_a_refresh_cancelled_by_another_edit_is_made_by_the_next_rebuild(make_site):
    """serve stops making the index when another edit comes; the next rebuild makes it,
    even when that rebuild changes no document page."""
    from archivist.serve import BuildState, rebuild

    site = make_site(DOCS, FAST)
    state = BuildState()
    rebuild(site, {}, state)
    public = site / "public"
    before = _index(public)
    _edit(site, "c.md", "新型車を", "新型の電気自動車を")
    another_edit = threading.Event()
    another_edit.set()
    rebuild(site, {}, state, cancel=another_edit)
    assert read_manifest(load_config(site)).search_stale == (0,) and _index(public) == before
    assert not list(site.glob(".public.staging*")) and not list(public.glob(".*"))
    (site / "notes.txt").write_text("not content\n", encoding="utf-8")  # an input, no page changes
    rebuild(site, {}, state)
    assert read_manifest(load_config(site)).search_stale == () and _index(public) != before
    assert build(load_config(site)).unchanged  # the manifest knows the new index


# The site a build replaces is kept beside the output, and the next build stages by
# bringing it up to date (previous_site.py).

OUTPUT_EDITS = {
    "a file added in the output by hand": lambda s: (s / "public" / "extra.html").write_text("x"),
    "the output deleted": lambda s: shutil.rmtree(s / "public"),
}


def _clean_build(site: Path, folder: Path) -> dict[str, bytes]:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(site, folder, ignore=shutil.ignore_patterns("public", ".archivist", ".public.*"))
    build(load_config(folder))
    return _files(folder / "public")


def test_successive_rebuilds_from_the_kept_site_equal_clean_builds(make_site, tmp_path):
    site = make_site(DOCS, FAST)
    build(load_config(site))
    edits = sorted(EDITS, key=lambda name: name == "a document removed")  # b.md is edited before
    steps = [(name, EDITS[name]) for name in edits[:4]] + [*OUTPUT_EDITS.items()]
    steps += [(name, EDITS[name]) for name in edits[4:]]
    for name, edit in steps:
        edit(site)
        build(load_config(site))
        assert _files(site / "public") == _clean_build(site, tmp_path / "clean"), name
    assert (site / ".public.previous").is_dir()


def test_the_published_site_is_never_written_through_the_kept_one(make_site, monkeypatch):
    """Kept and published files share inodes: staging must replace files, never write
    into them, or readers would see the new site before the swap."""
    site = make_site(DOCS, FAST)
    for edit in ("a sentence", "a title", "a quote's speaker"):
        build(load_config(site))
        published = _files(site / "public")
        EDITS[edit](site)
        swap = write._swap
        seen = []
        monkeypatch.setattr(write, "_swap", lambda staging, out, keep=None: seen.append(_files(out))
                            or swap(staging, out, keep))  # fmt: skip
        build(load_config(site))
        monkeypatch.setattr(write, "_swap", swap)
        assert seen == [published], edit
    assert (site / ".public.previous").is_dir()


def test_a_kept_site_without_its_record_is_not_trusted(make_site, tmp_path):
    site = make_site(DOCS, FAST)
    build(load_config(site))
    EDITS["a sentence"](site)
    build(load_config(site))
    kept = site / ".public.previous" / "documents" / "d" / "index.html"
    kept.unlink()
    kept.write_text("stale")  # as a killed build could leave it
    (site / ".archivist" / "previous.json").unlink()  # killed builds drop the record first
    EDITS["a title"](site)
    build(load_config(site))
    assert not list(site.glob(".public.staging*"))
    assert _files(site / ".public.previous") == _files(site / "public")  # kept anew: the stale one is gone
    EDITS["a mention removed"](site)
    build(load_config(site))
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def test_the_record_of_both_sites_reads_back_as_written(make_site):
    from archivist.previous_site import Record, read_record, write_record

    config = load_config(make_site(DOCS, FAST))
    published = {"index.html": "", "documents/a/index.html": "k1", "documents/b/index.html": "k2"}
    previous = {"index.html": "", "documents/a/index.html": "k0", "documents/c/index.html": "k3"}
    write_record(config, Record(published, previous))
    assert read_record(config) == Record(published, previous)
    data = json.loads((config.site_dir / RECORD_FILE).read_text(encoding="utf-8"))
    data["previous_lacks"] = {"documents/b/index.html": 1}  # not a list of paths
    (config.site_dir / RECORD_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert read_record(config) == Record({}, {})  # never half-trusted


def test_a_build_removes_the_page_keys_file_of_earlier_versions(make_site):
    from archivist.previous_site import OLD_KEYS_FILE

    site = make_site(DOCS, FAST)
    build(load_config(site))
    old = site / OLD_KEYS_FILE
    old.write_text('{"format": 1, "pages": {}}', encoding="utf-8")
    _edit(site, "a.md", "景気", "物価")
    build(load_config(site))
    assert not old.exists()
    assert (site / RECORD_FILE).is_file()


def test_search_later_from_the_kept_site_publishes_a_whole_earlier_index(make_site):
    from archivist.build import refresh_search

    site = make_site(DOCS, FAST)
    build(load_config(site))
    public = site / "public"
    indexes = [_index(public)]
    for number, edit in enumerate(("a sentence", "a title", "a quote's speaker")):
        EDITS[edit](site)
        result = build(load_config(site), search_later=True)
        assert result.stale_search and _index(public) in indexes, edit  # one index whole, not a mix
        refresh_search(load_config(site), result)
        indexes.append(_index(public))
        assert indexes[-1] != indexes[-2]
    assert (site / ".public.previous" / "pagefind" / "pagefind-entry.json").is_file()


def _edit_links_no_page(site: Path, tmp_path: Path, monkeypatch, command: bool = False) -> None:
    """Edit site and rebuild it (with `archivist build` when command): the build updates
    the kept site, linking no page from the published one, and gives a clean build's site."""
    from archivist.cli import main

    linked = []
    keep = write._keep
    monkeypatch.setattr(write, "_keep", lambda *args: linked.append(args[2]) or keep(*args))
    EDITS["a sentence"](site)
    if command:
        assert main(["build", str(site)]) == 0
    else:
        build(load_config(site))
    assert linked == []
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def _keeping_no_site(site: Path) -> None:
    """Build site so that no site is kept beside the output: forced, its pages published
    before the search index is made (search_later)."""
    from archivist.build import refresh_search

    build(load_config(site))
    refresh_search(load_config(site), build(load_config(site), force=True, search_later=True))
    assert not (site / ".public.previous").exists()


def test_a_first_build_keeps_a_copy_of_its_site_for_the_next(make_site, tmp_path, monkeypatch):
    """A first build replaces no site; it keeps a copy of its own, made while Pagefind
    makes the index (StagedCopy): the next build links no page from the published site."""
    site = make_site(DOCS, FAST)
    build(load_config(site))
    kept, public = site / ".public.previous", site / "public"
    assert _files(kept) == _files(public)
    assert not (kept / "pagefind").exists() and not list(site.glob(".public.keeping-*"))
    page = "documents/a/index.html"
    assert (kept / page).stat().st_ino == (public / page).stat().st_ino  # hard links: no space taken twice
    _edit_links_no_page(site, tmp_path, monkeypatch)


def test_a_site_kept_by_hand_is_updated_by_the_next_build(make_site, tmp_path, monkeypatch):
    """The preview server keeps the published site when no build did (keep_published):
    the next build then links no page from the published site, and its site is a clean build's."""
    from archivist.previous_site import keep_published

    site = make_site(DOCS, FAST)
    _keeping_no_site(site)
    assert keep_published(load_config(site))
    assert _files(site / ".public.previous") == _files(site / "public")
    assert not keep_published(load_config(site))  # kept already
    _edit_links_no_page(site, tmp_path, monkeypatch)


def test_a_forced_build_keeps_its_site_while_the_search_index_is_made(make_site, tmp_path, monkeypatch):
    """`archivist build --force` replaces the whole site, so it keeps none for the next
    build; it keeps the published site while Pagefind makes the index (kept_meanwhile),
    and the next build links no page from the published site."""
    from archivist.cli import main

    site = make_site(DOCS, FAST)
    assert main(["build", str(site)]) == 0  # the index is made before the pages are published
    assert main(["build", str(site), "--force"]) == 0  # published with the old index, then made anew
    assert _files(site / ".public.previous") == _files(site / "public")
    assert not (site / ".public.previous" / "pagefind").exists() and not list(site.glob(".public.keeping-*"))
    _edit_links_no_page(site, tmp_path, monkeypatch, command=True)


def test_a_site_is_not_kept_by_hand_when_the_output_was_changed(make_site):
    from archivist.previous_site import keep_published

    site = make_site(DOCS, FAST)
    _keeping_no_site(site)
    OUTPUT_EDITS["a file added in the output by hand"](site)
    assert not keep_published(load_config(site))
    assert not (site / ".public.previous").exists()


def test_keeping_the_published_site_gives_up_when_told(make_site, tmp_path):
    from archivist.previous_site import keep_published

    site = make_site(DOCS, FAST)
    _keeping_no_site(site)
    assert not keep_published(load_config(site), stop=lambda: True)
    assert not (site / ".public.previous").exists()
    EDITS["a sentence"](site)
    build(load_config(site))
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


# Only the most mentioned entities of each type are search filters (archive.py).


def _filter_values(site: Path, slug: str) -> set[str]:
    page = (site / "public" / "documents" / slug / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'data-pagefind-filter="[^"]*\[data-value\]" data-value="([^"]*)"', page))


def test_only_the_most_mentioned_entities_of_a_type_are_search_filters(make_site, monkeypatch):
    monkeypatch.setattr("archivist.archive.SEARCH_FILTERS_PER_TYPE", 1)
    site = make_site(DOCS, FAST)
    build(load_config(site))
    assert "山田太郎" in _filter_values(site, "a")  # two mentions: the most of all people
    assert "佐藤花子" not in _filter_values(site, "b") and "山田太郎" in _filter_values(site, "b")
    assert "鈴木一郎" not in _filter_values(site, "d") and "人物" in _filter_values(site, "d")  # the type stays


def test_a_page_is_made_again_when_its_entity_stops_being_a_search_filter(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr("archivist.archive.SEARCH_FILTERS_PER_TYPE", 1)
    site = make_site(DOCS, FAST)
    build(load_config(site))
    _edit(site, "c.md", "発表した。", "発表した。佐藤花子氏が登壇した。佐藤花子氏は笑った。")  # now the most mentioned
    build(load_config(site))
    assert "山田太郎" not in _filter_values(site, "a")  # a itself did not change
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")


def _template_edit(templates: Path, name: str, old: str, new: str) -> None:
    path = templates / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_template_edit_makes_only_the_pages_made_with_it_again(make_site, tmp_path, monkeypatch):
    import archivist.manifest
    import archivist.render

    templates = tmp_path / "templates"
    shutil.copytree(archivist.render.templates_dir(), templates)
    monkeypatch.setattr(archivist.render, "templates_dir", lambda: templates)
    monkeypatch.setattr(archivist.manifest, "templates_folder", lambda: templates)
    site = make_site(DOCS, FAST)
    build(load_config(site))
    with (templates / "static/style.css").open("a", encoding="utf-8") as css:
        css.write("\n.doc { outline: 1px solid; }\n")
    made = _staged_paths(monkeypatch)
    result = build(load_config(site))
    assert not result.unchanged and result.written == 1  # the stylesheet, copied
    assert not any(p.startswith(("documents/", "entities/", "data/documents/")) or p == "index.html" for p in made)
    assert "outline: 1px solid" in (site / "public/static/style.css").read_text(encoding="utf-8")

    _template_edit(templates, "entity.html", "<header", '<header data-edited="entity"')
    made.clear()
    build(load_config(site))
    entity_pages = {p for p in made if p.startswith("entities/") and p.endswith("/index.html") and p.count("/") == 3}
    assert entity_pages and all('data-edited="entity"' in (site / "public" / p).read_text(encoding="utf-8")
                                for p in entity_pages)  # fmt: skip
    made_with_no_template = ("data/documents/", "data/annotations/")  # and entity feeds; the archive's are always made
    assert not [p for p in made if p.startswith(("documents/", *made_with_no_template)) or p.endswith("/feed.xml")]
    assert "entities/index.html" not in made and "index.html" not in made  # other templates
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")

    _template_edit(templates, "base.html", "<main ", '<main data-edited="base" ')
    made.clear()
    build(load_config(site))
    assert "documents/a/index.html" in made and "entities/index.html" in made
    assert 'data-edited="base"' in (site / "public/documents/a/index.html").read_text(encoding="utf-8")
    assert not [p for p in made if p.startswith(made_with_no_template) or p.endswith("/feed.xml")]
    assert _files(site / "public") == _clean_build(site, tmp_path / "clean")

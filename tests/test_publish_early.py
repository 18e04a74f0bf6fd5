"""An edit's pages written into the published site ahead of the build that follows
(publish_early.py), and `archivist build --watch`, which does so: real builds, a real
process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from archivist import build as build_module
from archivist.build import build, refresh_search
from archivist.config import load_config
from archivist.manifest import OUTPUT_WRITES, output_as_built, read_manifest
from archivist.memory import BuildMemory
from archivist.preview import preview_pages, previewable
from archivist.previous_site import read_record
from archivist.publish_early import publish_early
from archivist.search import SEARCH_FOLDER
from waiting import wait_for

FAST = 'title = "Early"\nprofile = "fast"\n'
DOCS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は東京で「景気は回復している」と述べた。\n",
    "content/b.md": "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。\n",
    "content/c.md": "---\ntitle: C\ndate: 2024-03-04\n---\n\nトヨタ自動車は大阪で新型車を発表した。\n",
}
EDIT = "\n山田太郎氏は米国で鈴木一郎氏に会い「順調だ」と語った。\n"
NEW_NAME_PAGE = "entities/person/鈴木一郎/index.html"


def _edited(make_site) -> tuple[Path, BuildMemory, dict[str, str]]:
    """A built site, c.md edited after the build, and the pages the edit changes."""
    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    source = site / "content/c.md"
    source.write_text(DOCS["content/c.md"] + EDIT, encoding="utf-8")
    config = load_config(site)
    return site, memory, preview_pages(config, previewable({source}, config), memory)


def _text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _files(public: Path) -> dict[str, int]:
    """Output path -> mtime of every file outside the search index."""
    return {p.relative_to(public).as_posix(): p.stat().st_mtime_ns for p in public.rglob("*")
            if p.is_file() and not p.relative_to(public).as_posix().startswith(SEARCH_FOLDER)}  # fmt: skip


def test_an_edits_pages_are_published_at_once_and_nothing_else_is_touched(make_site):
    site, _memory, pages = _edited(make_site)
    public = site / "public"
    before = _files(public)
    differ = {path for path, page in pages.items() if _text(public / path) != page}
    assert len(differ) > 3
    config = load_config(site)
    assert publish_early(config, pages) == len(differ)
    after = _files(public)
    assert publish_early(config, pages) == 0 and _files(public) == after  # pages as published are left alone
    for path, page in pages.items():
        assert (public / path).read_text(encoding="utf-8") == page, path
    assert "鈴木一郎" in (public / "documents/c/index.html").read_text(encoding="utf-8")
    assert NEW_NAME_PAGE in after and NEW_NAME_PAGE not in before  # a name new to the archive
    assert {path for path in after if after[path] != before.get(path)} == differ  # only what changed
    assert output_as_built(config)  # the build that follows still updates the site in place
    assert read_manifest(config).search_stale == (0,)  # the shard indexing c.md is behind


def test_the_build_that_follows_makes_those_pages_again_and_remakes_their_search_shards(make_site):
    site, memory, pages = _edited(make_site)
    config = load_config(site)
    publish_early(config, pages)
    published = {path: (site / "public" / path).stat().st_mtime_ns for path in pages}
    result = build(config, memory=memory, search_later=True)
    assert result.stale_shards == (0,)  # though c's page was found as published
    fresh = site.with_name("fresh")
    shutil.copytree(site / "content", fresh / "content")
    shutil.copy(site / "archive.toml", fresh / "archive.toml")
    build(load_config(fresh))
    for path in pages:  # as a build from scratch makes them; the same bytes keep the mtime they were published with
        assert (site / "public" / path).read_bytes() == (fresh / "public" / path).read_bytes(), path
        assert (site / "public" / path).stat().st_mtime_ns == published[path], path


def test_pages_written_while_the_search_index_is_made_leave_their_shard_behind(make_site, monkeypatch):
    site, memory, _pages = _edited(make_site)
    config = load_config(site)
    result = build(config, memory=memory, search_later=True)  # the edit's index follows its pages
    assert result.stale_shards == (0,)
    source = site / "content/c.md"
    source.write_text(DOCS["content/c.md"] + EDIT + "佐藤花子氏も来た。\n", encoding="utf-8")
    later = preview_pages(config, previewable({source}, config), memory)
    indexing = build_module.refresh_search_index

    def written_meanwhile(*args, **kwargs):  # the next edit's pages, while Pagefind reads the site
        assert publish_early(config, later)
        return indexing(*args, **kwargs)

    monkeypatch.setattr(build_module, "refresh_search_index", written_meanwhile)
    assert refresh_search(config, result)
    assert read_manifest(config).search_stale == (0,)  # the next build makes it again
    assert output_as_built(config)


def test_nothing_is_published_early_into_a_folder_changed_since_the_build(make_site):
    site, _memory, pages = _edited(make_site)
    (site / "public/documents/c/stray.html").write_text("someone else's file", encoding="utf-8")
    assert publish_early(load_config(site), pages) == 0
    assert "鈴木一郎" not in (site / "public/documents/c/index.html").read_text(encoding="utf-8")
    assert not (site / "public" / NEW_NAME_PAGE).exists()


def test_pages_published_into_an_output_changed_elsewhere_leave_it_untrusted(make_site):
    site, _memory, pages = _edited(make_site)
    config = load_config(site)
    record = read_record(config)
    (site / "public/static/stray.txt").write_text("someone else's file", encoding="utf-8")
    assert publish_early(config, pages) > 3
    assert "鈴木一郎" in (site / "public/documents/c/index.html").read_text(encoding="utf-8")
    assert not output_as_built(config) and read_record(config) == record  # the next build stages anew


def test_nothing_is_published_early_while_a_build_writes_the_output(make_site):
    site, _memory, pages = _edited(make_site)
    writing, done = threading.Event(), threading.Event()

    def hold() -> None:
        with OUTPUT_WRITES:
            writing.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    writing.wait(10)
    try:
        assert publish_early(load_config(site), pages) == 0
    finally:
        done.set()
        holder.join()
    assert not (site / "public" / NEW_NAME_PAGE).exists()


def test_build_watch_writes_an_edits_pages_then_builds_the_site(make_site, tmp_path):
    site = make_site(DOCS, FAST)
    log = tmp_path / "watch.log"
    with log.open("w") as stream:
        process = subprocess.Popen([sys.executable, "-m", "archivist", "build", str(site), "--watch"], stderr=stream,
                                   preexec_fn=_interruptible)  # fmt: skip
    try:
        assert wait_for(lambda: "watching" in log.read_text(encoding="utf-8"), 120)
        page = site / "public/documents/c/index.html"
        assert "鈴木一郎" not in page.read_text(encoding="utf-8")
        time.sleep(1)  # the archive read into memory for the first edit
        (site / "content/c.md").write_text(DOCS["content/c.md"] + EDIT, encoding="utf-8")
        assert wait_for(lambda: "鈴木一郎" in page.read_text(encoding="utf-8"), 120)
        assert wait_for(lambda: log.read_text(encoding="utf-8").count("built ") == 2, 120)
        text = log.read_text(encoding="utf-8")
        assert "previewed documents/c/index.html" in text
        assert text.index("wrote those") < text.rindex("built ")  # the pages first, then the site
        assert (site / "public" / NEW_NAME_PAGE).is_file()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=30) == 130  # Ctrl-C
        finally:
            process.kill()


def _interruptible() -> None:
    """Ctrl-C as in a terminal, even when the tests run where it is ignored (a shell's
    background job): Python then leaves SIGINT ignored in the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_build_watch_refuses_options_it_would_ignore(make_site):
    site = make_site(DOCS, FAST)
    done = subprocess.run([sys.executable, "-m", "archivist", "build", str(site), "--watch", "--force"],
                          capture_output=True, text=True, env={**os.environ})  # fmt: skip
    assert done.returncode == 1
    assert "--watch" in done.stderr and not (site / "public").exists()

"""Builds sharing a BuildMemory (the preview server's) read and annotate only the
sources that changed, and give the site a build without memory gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import archivist.build as build_module
from archivist.archive import Archive
from archivist.build import build
from archivist.config import load_config
from archivist.memory import BuildMemory

FAST = 'title = "Memory"\nprofile = "fast"\n'
DOCS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は東京で「景気は回復している」と述べた。\n",
    "content/b.md": "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。\n",
    "content/c.md": "---\ntitle: C\ndate: 2024-03-04\n---\n\nトヨタ自動車は大阪で新型車を発表した。\n",
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and "pagefind" not in p.parts}  # fmt: skip


def _count_calls(monkeypatch, module, name: str) -> list:
    calls: list = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_only_changed_sources_are_read_and_annotated(make_site, monkeypatch):
    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    read = _count_calls(monkeypatch, build_module, "read_document")
    annotated = _count_calls(monkeypatch, build_module, "annotate_all")
    (site / "content/b.md").write_text(DOCS["content/b.md"].replace("訪れた", "再び訪れた"), encoding="utf-8")
    build(load_config(site), memory=memory)
    assert [Path(p).name for p in read] == ["b.md"]
    assert [[doc.id for doc in documents] for documents in annotated] == [["b"]]
    assert "再び訪れた" in (site / "public/documents/b/index.html").read_text(encoding="utf-8")


def test_names_are_digested_again_only_where_resolution_changed(make_site, monkeypatch):
    """What each document's names resolved to is digested for the source store
    (derived.py) only for the documents whose resolved annotations are new."""
    import archivist.derived

    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    digested = _count_calls(monkeypatch, archivist.derived, "names_digest")
    (site / "content/b.md").write_text(DOCS["content/b.md"].replace("訪れた", "再び訪れた"), encoding="utf-8")
    build(load_config(site), memory=memory)
    assert len(digested) == 1 and "surface:PERSON:佐藤花子" in digested[0][0]  # b's keys alone
    digested.clear()
    (site / "content/c.md").write_text(DOCS["content/c.md"].replace("トヨタ自動車", "トヨタ自動車株式会社"), encoding="utf-8")
    build(load_config(site), memory=memory)
    assert len(digested) == 1  # c names a new entity; b still names its own トヨタ自動車


def test_a_settings_change_forgets_everything(make_site, monkeypatch):
    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    read = _count_calls(monkeypatch, build_module, "read_document")
    (site / "archive.toml").write_text(FAST.replace("Memory", "Memory 2"), encoding="utf-8")
    build(load_config(site), memory=memory)
    assert sorted(Path(p).name for p in read) == ["a.md", "b.md", "c.md"]


def test_builds_with_memory_equal_builds_without(make_site, tmp_path, monkeypatch):
    site = make_site(DOCS, FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    edits = [
        lambda: (site / "content/c.md").write_text(DOCS["content/c.md"] + "\n山田太郎氏が登壇した。\n", encoding="utf-8"),
        lambda: (site / "content/a.md").unlink(),
        lambda: (site / "content/d.md").write_text("---\ntitle: D\n---\n\n佐藤花子氏は大阪を訪れた。\n", encoding="utf-8"),
        lambda: (site / "content/d.md").write_bytes(b"\x00binary"),  # an error: reported, the rest builds
    ]  # fmt: skip
    for number, edit in enumerate(edits):
        edit()
        remembered = build(load_config(site), memory=memory)
        clean = tmp_path / f"clean-{number}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".archivist", ".public.*"))
        fresh = build(load_config(clean))
        assert _files(site / "public") == _files(clean / "public"), number
        assert [str(p) for p in remembered.problems] == [str(p).replace(str(clean), str(site)) for p in fresh.problems]


def test_a_source_read_broken_is_built_from_its_last_good_version(make_site, tmp_path):
    """With keeps_last_good (the preview server's), a source caught empty mid-save is
    built as it was, named in a StaleDocument, and the next build reads it again; a
    build without that memory skips it."""
    from archivist.errors import StaleDocument

    site = make_site(DOCS, FAST)
    memory = BuildMemory(keeps_last_good=True)
    build(load_config(site), memory=memory)
    (site / "content/b.md").write_text("", encoding="utf-8")
    kept = build(load_config(site), memory=memory)
    assert [(type(p), Path(p.path).relative_to(site).as_posix()) for p in kept.problems] == [(StaleDocument, "content/b.md")]
    assert "empty" in kept.problems[0].message and "訪れた" in (site / "public/documents/b/index.html").read_text()
    assert not build(load_config(site), memory=memory).unchanged  # the file is not what was built
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".archivist", ".public.*"))
    skipped = build(load_config(clean))
    assert [type(p) for p in skipped.problems] == [build_module.DocumentError]
    assert not (clean / "public/documents/b").exists()
    (site / "content/b.md").write_text(DOCS["content/b.md"].replace("訪れた", "再び訪れた"), encoding="utf-8")
    fixed = build(load_config(site), memory=memory)
    assert fixed.problems == [] and "再び訪れた" in (site / "public/documents/b/index.html").read_text()


def test_successive_edits_with_memory_equal_clean_builds(make_site, tmp_path, monkeypatch):
    """The preview server reuses each document's entity keys, resolved annotations,
    digests and CSV rows from build to build (reuse.py), and patches the last build's
    sums of occurrences (resolve.Counted) and archive (Archive.updated): after every kind of edit, one after the other, the site
    is the one a clean build gives."""
    from test_page_keys import DOCS as KEYED_DOCS, EDITS, FAST as KEYED_FAST

    monkeypatch.setattr("archivist.archive.UPDATE_SHARE", 0)  # four documents: any edit is a large share
    monkeypatch.setattr("archivist.resolve.PATCH_SHARE", 0)
    site = make_site(KEYED_DOCS, KEYED_FAST)
    memory = BuildMemory()
    build(load_config(site), memory=memory)
    indexed = _count_calls(monkeypatch, Archive, "from_documents")
    for name in sorted(EDITS, key=lambda name: name == "the registry"):  # the registry forgets all: last
        EDITS[name](site)
        indexed.clear()
        build(load_config(site), memory=memory)
        assert len(indexed) == (name == "the registry"), name  # updated, unless all was forgotten
        clean = tmp_path / f"clean-{name}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".archivist", ".public.*"))
        build(load_config(clean))
        assert _files(site / "public") == _files(clean / "public"), name

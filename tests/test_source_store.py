"""The source store: a build reads only the sources that changed since the last one,
and trusts no store it did not write (source_store.py)."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

import archivist.build
from archivist.build import build
from archivist.config import load_config
from archivist.model import Block, Document, Related
from archivist.source_store import store_path

CONFIG = 'title = "Store"\nprofile = "fast"\n'
REGISTRY = '[[entity]]\nname = "山田花子"\ntype = "PERSON"\n'
DOCUMENTS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田花子さんが東京で話した。\n",
    "content/b.md": "---\ntitle: B\ndate: 2023-05-06\n---\n\n名古屋で雨が降った。\n",
    "content/c.md": "---\ntitle: C\ndate: 2023-07-08\n---\n\n山田花子さんは名古屋にいる。\n",
}


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The sources each build parses, in order (the real parser still runs)."""
    read: list[str] = []
    parse = archivist.build.read_document

    def counted(path, **kwargs):
        read.append(Path(path).name)
        return parse(path, **kwargs)

    monkeypatch.setattr(archivist.build, "read_document", counted)
    return read


@pytest.fixture
def site(make_site) -> Path:
    site = make_site({**DOCUMENTS, "entities.toml": REGISTRY}, CONFIG)
    assert not build(load_config(site)).errors
    return site


def _edit_and_build(site: Path, reads: list[str], memory=None) -> list[str]:
    """The sources read by a build after one was edited."""
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("雨", "雪"), encoding="utf-8")
    reads.clear()
    assert not build(load_config(site), memory=memory).errors
    return sorted(reads)


def test_a_build_reads_only_the_sources_that_changed(site: Path, reads: list[str]) -> None:
    assert _edit_and_build(site, reads) == ["b.md"]
    page = (site / "public" / "documents" / "b" / "index.html").read_text("utf-8")
    assert "雪" in page and "雨" not in page
    reads.clear()
    (site / "content" / "c.md").unlink()
    assert not build(load_config(site)).errors and reads == []
    assert not (site / "public" / "documents" / "c").exists()


def test_the_store_holds_whichever_way_the_archive_is_named(site: Path, reads: list[str], monkeypatch) -> None:
    """Built as `build /path/to/it`, then as `build .` from inside it."""
    monkeypatch.chdir(site)
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("雨", "雪"), encoding="utf-8")
    reads.clear()
    assert not build(load_config(".")).errors
    assert reads == ["b.md"]


def test_unchanged_sources_are_neither_checked_nor_read_for_names_again(site: Path, reads: list[str],
                                                                       monkeypatch) -> None:  # fmt: skip
    """What a build made from each source alone (its warnings, the names entity
    resolution reads from it) is kept with it, and the site is as a full build's."""
    import archivist.resolve
    from archivist import notices

    (site / "content" / "d.md").write_text("---\ntitle: D\ndate: 2024-03-04\n---\n\n「山田花子さんは言った。\n",
                                           encoding="utf-8")  # fmt: skip
    assert any("never closes" in str(p) for p in build(load_config(site)).problems)
    reads.clear()
    resolved: list[str] = []
    checked: list[str] = []
    for module, name, into in ((archivist.resolve, "_document_keys", resolved),
                               (notices, "document_notices", checked)):  # fmt: skip
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda doc, *args, real=real, into=into: into.append(doc.id) or real(doc, *args))
    monkeypatch.setattr(archivist.build, "document_notices", notices.document_notices)
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("雨", "雪"), encoding="utf-8")
    result = build(load_config(site))
    assert reads == ["b.md"] and resolved == ["b"] and checked == ["b"]
    assert any("never closes" in str(p) and p.path.endswith("d.md") for p in result.problems)
    pages = {p: p.read_bytes() for p in (site / "public").rglob("*.html")}
    build(load_config(site), force=True)
    assert {p: p.read_bytes() for p in (site / "public").rglob("*.html")} == pages


def test_a_settings_or_registry_change_reads_everything(site: Path, reads: list[str]) -> None:
    (site / "entities.toml").write_text(REGISTRY + '\n[[entity]]\nname = "名古屋"\ntype = "PLACE"\n', "utf-8")
    assert _edit_and_build(site, reads) == ["a.md", "b.md", "c.md"]
    reads.clear()
    (site / "archive.toml").write_text(CONFIG + 'layout = "markdown"\n', encoding="utf-8")
    build(load_config(site))
    assert sorted(reads) == ["a.md", "b.md", "c.md"]


def test_force_reads_everything(site: Path, reads: list[str]) -> None:
    build(load_config(site), force=True)
    assert sorted(reads) == ["a.md", "b.md", "c.md"]


def test_a_store_signed_by_someone_else_is_not_trusted(site: Path, reads: list[str], monkeypatch,
                                                       tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert _edit_and_build(site, reads) == ["a.md", "b.md", "c.md"]
    reads.clear()
    (site / "content" / "c.md").touch()
    build(load_config(site))  # the store is now this user's
    assert reads == ["c.md"]


def test_a_tampered_entry_is_not_unpickled(site: Path, reads: list[str]) -> None:
    import sqlite3

    db = sqlite3.connect(store_path(load_config(site)))
    with db:  # a name in one pickle changed, its keyed hash left as it was
        path, value = db.execute("SELECT path, value FROM sources WHERE path LIKE '%c.md'").fetchone()
        assert "名古屋".encode() in value
        db.execute("UPDATE sources SET value = ? WHERE path = ?",
                   (value.replace("名古屋".encode(), "大阪府".encode()), path))  # fmt: skip
    db.close()
    assert _edit_and_build(site, reads) == ["a.md", "b.md", "c.md"]
    page = (site / "public" / "documents" / "c" / "index.html").read_text("utf-8")
    assert "名古屋" in page and "大阪府" not in page


def test_a_damaged_store_is_replaced(site: Path, reads: list[str]) -> None:
    store = store_path(load_config(site))
    store.write_bytes(b"not a database" * 100)
    assert _edit_and_build(site, reads) == ["a.md", "b.md", "c.md"]
    reads.clear()
    (site / "content" / "a.md").touch()
    build(load_config(site))
    assert reads == ["a.md"]


def test_the_preview_server_starts_from_the_store(site: Path, reads: list[str]) -> None:
    from archivist.build import fill_memory
    from archivist.memory import BuildMemory

    memory = BuildMemory()
    archive = fill_memory(load_config(site), memory)
    assert reads == [] and len(archive.documents) == 3
    assert _edit_and_build(site, reads, memory) == ["b.md"]


def test_a_damaged_secret_is_replaced(site: Path, reads: list[str]) -> None:
    import os

    secret = Path(os.environ["XDG_CACHE_HOME"]) / "archivist" / "store.key"
    before = secret.read_bytes()
    secret.write_bytes(b"short")
    try:
        assert _edit_and_build(site, reads) == ["a.md", "b.md", "c.md"]
        assert len(secret.read_bytes()) == 32 and secret.read_bytes() != before
        assert secret.stat().st_mode & 0o077 == 0  # the user's alone
        reads.clear()
        (site / "content" / "c.md").touch()
        build(load_config(site))
        assert reads == ["c.md"]
    finally:
        secret.write_bytes(before)  # the other tests' stores stay valid


def test_work_on_resolved_documents_is_kept_for_the_next_build(site: Path, monkeypatch) -> None:
    """The digest of a document's page keys and its rows of the CSV exports are made
    again only for the document edited (derived.py)."""
    import archivist.exports
    import archivist.page_keys

    digested = _calls(monkeypatch, archivist.page_keys, "_document_digest")
    rows = _calls(monkeypatch, archivist.exports, "_mention_rows", argument=1)
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("雨", "雪"), encoding="utf-8")
    assert not build(load_config(site)).errors
    assert digested == ["b"] and rows == ["b"]


def test_a_full_build_in_worker_processes_keeps_the_rows_too(site: Path, monkeypatch) -> None:
    """The exports' pages are made in a worker when many pages are (write.py); the rows
    the next build reuses are made in the build's own process all the same."""
    import archivist.exports
    import archivist.write
    from archivist.executors import Local

    monkeypatch.setattr(archivist.write, "MIN_FORK_PAGES", 1)
    assert not build(load_config(site), Local(2), force=True).errors
    rows = _calls(monkeypatch, archivist.exports, "_mention_rows", argument=1)
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("雨", "雪"), encoding="utf-8")
    assert not build(load_config(site)).errors
    assert rows == ["b"]


def test_a_name_respelled_elsewhere_is_remade_where_it_is_named(make_site, tmp_path: Path, monkeypatch) -> None:
    """Written ＮＨＫ twice in one document and NHK once in another, the entity is
    named ＮＨＫ: the unchanged document's rows say so after the edit that made it."""
    import shutil

    import archivist.exports

    documents = {"content/a.md": "---\ntitle: A\n---\n\nNHKは東京で番組を放送した。\n",
                 "content/c.md": "---\ntitle: C\n---\n\n番組を見た。\n"}  # fmt: skip
    site = make_site(documents, CONFIG)
    assert not build(load_config(site)).errors
    rows = _calls(monkeypatch, archivist.exports, "_mention_rows", argument=1)
    (site / "content" / "c.md").write_text(documents["content/c.md"].replace("番組", "ＮＨＫとＮＨＫの番組"),
                                           encoding="utf-8")  # fmt: skip
    assert not build(load_config(site)).errors
    assert sorted(rows) == ["a", "c"]
    mentions = (site / "public" / "data" / "mentions.csv").read_text(encoding="utf-8")
    assert "a,a,0,0,3,NHK,ORG,org/nhk,ＮＨＫ," in mentions
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".archivist", ".public.*"))
    build(load_config(clean))
    for path in (clean / "public").rglob("*"):
        if path.is_file() and "pagefind" not in path.parts:
            assert (site / "public" / path.relative_to(clean / "public")).read_bytes() == path.read_bytes(), path


def _calls(monkeypatch, module, name: str, argument: int = 0) -> list[str]:
    """The ids of the documents module.name is called for (the document is its argument-th)."""
    calls: list[str] = []
    real = getattr(module, name)

    def counted(*args):
        calls.append(args[argument].id)
        return real(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_names_slugged_once_are_not_slugged_by_the_next_process(site: Path, monkeypatch) -> None:
    """The slug of each name is kept in the store (slugs.py): a build in a new process
    slugs only names it has not met, and a tampered slug is never used."""
    import sqlite3

    import archivist.slugs

    monkeypatch.setattr(archivist.slugs, "_known", {})  # as in a new process
    slugged: list[str] = []
    make = archivist.slugs._make_slug
    monkeypatch.setattr(archivist.slugs, "_make_slug", lambda text: slugged.append(text) or make(text))
    (site / "content" / "b.md").write_text(DOCUMENTS["content/b.md"].replace("名古屋", "札幌"), encoding="utf-8")
    assert not build(load_config(site)).errors
    assert slugged == ["札幌"]
    db = sqlite3.connect(store_path(load_config(site)))
    with db:  # one slug changed, its keyed hash left as it was
        (value,) = db.execute("SELECT value FROM slugs").fetchone()
        assert "札幌".encode() in value
        db.execute("UPDATE slugs SET value = ?", (value.replace("札幌".encode(), "大阪".encode()),))
    db.close()
    monkeypatch.setattr(archivist.slugs, "_known", {})
    (site / "content" / "c.md").touch()
    assert not build(load_config(site)).errors
    places = site / "public" / "entities" / "place"
    assert (places / "札幌" / "index.html").is_file() and not (places / "大阪").exists()
    assert "札幌" in slugged  # the store was not trusted: made again


def test_a_document_comes_back_from_its_pickle_whole_and_still_frozen() -> None:
    """Paragraphs and related headlines are pickled by position (model.pickled_by_position):
    every field, the defaults too, must come back in its place."""
    doc = Document("a", "a", "content/a.md", "ja", "題", [Block("heading", "見出し"), Block("paragraph", "本文。")],
                   related=[Related("関連記事", "https://example.com/1"), Related("無題")])  # fmt: skip
    again = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == doc
    assert [(b.kind, b.text) for b in again.blocks] == [("heading", "見出し"), ("paragraph", "本文。")]
    assert [(r.title, r.url) for r in again.related] == [("関連記事", "https://example.com/1"), ("無題", None)]
    with pytest.raises(FrozenInstanceError):
        again.blocks[0].text = "changed"  # type: ignore[misc]

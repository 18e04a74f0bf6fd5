"""Rebuilds: nothing changed means nothing done; any change to any input means a real
build; a warm build loads no model; an edit rewrites only the files it changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archivist.build import build
from archivist.config import load_config
from archivist.manifest import MANIFEST_FILE, fingerprint, reading_key

FAST = 'title = "Test"\nprofile = "fast"\n'
DOC_A = "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は「景気は回復している」と述べた。\n"
DOC_B = "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。\n"
REGISTRY = '[[entity]]\nname = "山田太郎"\ntype = "PERSON"\n'


@pytest.fixture
def site(make_site) -> Path:
    site = make_site({"content/a.md": DOC_A, "content/b.md": DOC_B}, FAST)
    first = build(load_config(site))
    assert not first.unchanged and first.written > 0
    return site


def mtimes(public: Path) -> dict[str, int]:
    return {p.relative_to(public).as_posix(): p.stat().st_mtime_ns
            for p in public.rglob("*") if p.is_file()}  # fmt: skip


def test_nothing_changed_means_nothing_done(site):
    before = mtimes(site / "public")
    result = build(load_config(site))
    assert result.unchanged and result.written == 0
    assert result.documents == 2 and result.pages == len(before)
    assert "nothing changed" in result.summary()
    assert mtimes(site / "public") == before


def _edit_content(site: Path) -> None:
    path = site / "content/a.md"
    path.write_text(DOC_A.replace("回復", "後退"), encoding="utf-8")


def _same_size_same_mtime(site: Path) -> None:
    path = site / "content/a.md"
    stat = path.stat()
    path.write_text(DOC_A.replace("回復", "後退"), encoding="utf-8")  # same length in UTF-8
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as rsync -t or tar would


CHANGES = {
    "content edited": _edit_content,
    "content edited, mtime restored": _same_size_same_mtime,
    "document added": lambda s: (s / "content/c.md").write_text(DOC_B.replace("B", "C"), encoding="utf-8"),
    "document removed": lambda s: (s / "content/b.md").unlink(),
    "document in a new folder": lambda s: (s / "content/x").mkdir() or (s / "content/x/d.md").write_text(DOC_B, encoding="utf-8"),
    "settings": lambda s: (s / "archive.toml").write_text(FAST.replace("Test", "Other"), encoding="utf-8"),
    "registry added": lambda s: (s / "entities.toml").write_text(REGISTRY, encoding="utf-8"),
    "other file of the archive": lambda s: (s / "notes.txt").write_text("notes\n", encoding="utf-8"),
    "output file removed": lambda s: (s / "public/index.html").unlink(),
    "output file replaced": lambda s: (s / "public/feed.tmp").write_text("x", encoding="utf-8")
                                      or (s / "public/feed.tmp").replace(s / "public/feed.xml"),
    "output file removed deep down": lambda s: (s / "public/documents/a/index.html").unlink(),
    "output file added": lambda s: (s / "public/stray.html").write_text("stray", encoding="utf-8"),
    "output removed": lambda s: __import__("shutil").rmtree(s / "public"),
    "manifest corrupt": lambda s: (s / MANIFEST_FILE).write_text("{not json", encoding="utf-8"),
    "manifest removed": lambda s: (s / MANIFEST_FILE).unlink(),
}  # fmt: skip


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_means_a_real_build(site, change):
    CHANGES[change](site)
    result = build(load_config(site))
    assert not result.unchanged
    again = build(load_config(site))
    assert again.unchanged  # and the build that followed the change is trusted again


def test_an_edit_shows_in_the_output(site):
    _same_size_same_mtime(site)
    build(load_config(site))
    assert "景気は後退している" in (site / "public/documents/a/index.html").read_text(encoding="utf-8")


def test_cli_override_is_an_input(site):
    assert build(load_config(site)).unchanged
    assert not build(load_config(site, title="Renamed")).unchanged


def test_the_archive_named_by_another_path_is_the_same_archive(site, monkeypatch):
    """`build .` after `build /path/to/it`: neither the pages' keys nor the sources kept
    for the next build depend on how the folder is spelled."""
    monkeypatch.chdir(site.parent)
    spellings = [load_config(site), load_config(site.name), load_config(f"{site.name}/../{site.name}")]
    assert len({fingerprint(config) for config in spellings}) == 1
    assert len({fingerprint(config, content=False) for config in spellings}) == 1
    assert len({reading_key(config) for config in spellings}) == 1
    monkeypatch.chdir(site)
    assert build(load_config(".")).unchanged


def test_a_skipped_build_reports_the_problems_again(make_site):
    site = make_site({"content/a.md": DOC_A, "content/empty.txt": "",
                      "content/broken.md": "---\ntitle: [unclosed\n---\n\nBody.\n"}, FAST)  # fmt: skip
    first = build(load_config(site))
    assert first.errors
    second = build(load_config(site))
    assert second.unchanged
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert [type(p) for p in second.problems] == [type(p) for p in first.problems]


def test_cli_skips_without_loading_the_pipeline(site):
    """The command line checks the manifest before importing the pipeline."""
    probe = (
        "import sys\nfrom archivist.cli import main\ncode = main(['build', sys.argv[1]])\n"
        "heavy = [m for m in ('archivist.build', 'archivist.render', 'jinja2') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(site)], capture_output=True, text=True)
    assert result.stdout.strip() == "0 []", result.stderr
    assert "nothing changed: 2 documents" in result.stderr


def test_an_edit_rewrites_only_what_it_changes(site):
    public = site / "public"
    before = mtimes(public)
    old = {p: (public / p).read_bytes() for p in before}
    text = (site / "content/b.md").read_text(encoding="utf-8")
    (site / "content/b.md").write_text(text.replace("訪れた", "再び訪れた"), encoding="utf-8")
    result = build(load_config(site))
    after = mtimes(public)
    rewritten = {p for p in after if before.get(p) != after[p] and not p.startswith("pagefind/")}
    differing = {p for p in after if not p.startswith("pagefind/") and old.get(p) != (public / p).read_bytes()}
    assert rewritten == differing  # files whose bytes are the same keep their mtime
    assert "documents/b/index.html" in rewritten
    assert "documents/a/index.html" not in rewritten
    assert "data/documents/a.json" not in rewritten
    assert result.written == len(rewritten)


def test_an_edit_undone_counts_only_the_files_it_changes_back(site):
    """Undone, an edit's pages are taken from the site it replaced (previous_site.py):
    those whose bytes it left as they were are not counted as changed."""
    public = site / "public"
    text = (site / "content/b.md").read_text(encoding="utf-8")
    (site / "content/b.md").write_text(text.replace("訪れた", "再び訪れた"), encoding="utf-8")
    build(load_config(site))
    before = mtimes(public)
    edited = {p: (public / p).read_bytes() for p in before if not p.startswith("pagefind/")}
    (site / "content/b.md").write_text(text, encoding="utf-8")
    result = build(load_config(site))
    after = mtimes(public)
    undone = {p: (public / p).read_bytes() for p in after if not p.startswith("pagefind/")}
    differing = {p for p in undone if edited.get(p) != undone[p]}
    assert "documents/b/index.html" in differing
    assert result.written == len(differing)
    assert {p for p in undone if before.get(p) != after[p]} == differing  # the others keep their mtime


def test_manifest_lists_the_output(site):
    data = json.loads((site / MANIFEST_FILE).read_text(encoding="utf-8"))
    public = site / "public"
    folders = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_dir()}
    assert set(data["folders"]) == folders | {""}
    assert data["files"] == len(mtimes(public))


def test_a_file_edited_in_place_needs_force(site):
    """Only folders are checked: an output file edited in place goes unnoticed until --force."""
    feed = site / "public/feed.xml"
    original = feed.read_text(encoding="utf-8")
    feed.write_text("tampered", encoding="utf-8")
    assert build(load_config(site)).unchanged
    result = build(load_config(site), force=True)
    assert not result.unchanged and result.written == 1
    assert feed.read_text(encoding="utf-8") == original


WARM_PROBE = """
import sys
from archivist.build import build
from archivist.config import load_config
result = build(load_config(sys.argv[1]))
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"spacy", "ginza", "thinc", "sudachipy", "torch"})
print(result.unchanged, result.documents, loaded)
"""


def test_a_warm_build_loads_no_model(make_site):
    """With every annotation cached, a full build (manifest gone) runs no annotator."""
    site = make_site({"content/a.md": DOC_A, "content/b.md": DOC_B}, 'title = "Test"\nprofile = "default"\n')
    build(load_config(site))  # cold: the models run here
    (site / MANIFEST_FILE).unlink()
    result = subprocess.run([sys.executable, "-c", WARM_PROBE, str(site)], capture_output=True, text=True)
    assert result.stdout.strip() == "False 2 []", result.stderr

"""write_site: staging, swap, unchanged files keeping their mtime, clear errors."""

import os

import pytest

from archivist.errors import BuildError
from archivist.previous_site import Previous, folder_for
from archivist.render import Page
from archivist.write import write_site


def test_swap_replaces_the_site_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "public"
    write_site([Page("index.html", "one"), Page("gone.html", "x")], [], out)
    (tmp_path / ".public.staging").mkdir()  # left by an interrupted build
    (tmp_path / ".public.staging" / "junk").write_text("junk")
    write_site([Page("index.html", "two")], [], out)
    assert (out / "index.html").read_text() == "two"
    assert not (out / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_unchanged_files_keep_their_mtime(tmp_path):
    out = tmp_path / "public"
    write_site([Page("a.html", "same"), Page("b.html", "old")], [], out)
    os.utime(out / "a.html", ns=(1_000_000_000, 1_000_000_000))
    changed = write_site([Page("a.html", "same"), Page("b.html", "new")], [], out).changed
    assert changed == 1
    assert (out / "a.html").stat().st_mtime_ns == 1_000_000_000


def test_unwritable_output_is_one_clear_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(BuildError, match="cannot write the site") as caught:
        write_site([Page("index.html", "x")], [], blocker / "public")
    assert "blocker" in str(caught.value) and "\n" not in str(caught.value)


def test_a_rebuild_from_the_kept_site_reuses_its_own_files_and_leaves_shared_ones(tmp_path):
    out = tmp_path / "public"
    write_site([Page("a.html", "one"), Page("b.html", "shared")], [], out)
    write_site([Page("a.html", "two"), Page("b.html", "shared")], [], out, keep_previous=True)
    kept = folder_for(out)  # the first site: a.html its own file, b.html one with the published site
    with open(kept / "a.html", "rb") as own:  # held open, its inode cannot be freed and taken again
        previous = Previous(frozenset({"a.html", "b.html"}), frozenset())
        write_site([Page("a.html", "three"), Page("b.html", "new")], [], out, previous=previous, keep_previous=True)
        assert os.fstat(own.fileno()).st_nlink == 1 and own.read() == b"three"  # written into, not made anew
    assert (out / "a.html").read_text() == "three" and (out / "b.html").read_text() == "new"
    assert (kept / "a.html").read_text() == "two" and (kept / "b.html").read_text() == "shared"

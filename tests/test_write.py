"""write_site: staging, swap, unchanged files keeping their mtime, clear errors."""

import os

import pytest

from archivist.errors import BuildError
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

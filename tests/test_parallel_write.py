"""Pages made and written by forked workers: the same site as one process writes, errors
that name their file, and no worker outliving a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from archivist.errors import TemplateError
from archivist.render import Page, PageJob
from archivist.write import MIN_FORK_PAGES, write_site

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc: Linux")


def _text(number: int) -> str:
    return f"<p>page {number} {'ぺーじ' * (number % 7)}</p>\n"


def _pages(count: int) -> list[PageJob | Page]:
    pages: list[PageJob | Page] = [PageJob(f"p/{n}/index.html", partial(_text, n)) for n in range(count)]
    return pages + [Page("index.html", "<p>home</p>\n")]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_workers_write_the_same_site_as_one_process(tmp_path):
    pages = _pages(MIN_FORK_PAGES + 500)
    assert write_site(pages, [], tmp_path / "one", jobs=1).changed == len(pages)
    assert write_site(pages, [], tmp_path / "two", jobs=2).changed == len(pages)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert len(_files(tmp_path / "two")) == len(pages)
    # Rewritten by workers, nothing changed: every file keeps its mtime.
    before = {p: (tmp_path / "two" / p).stat().st_mtime_ns for p in _files(tmp_path / "two")}
    assert write_site(pages, [], tmp_path / "two", jobs=2).changed == 0
    assert before == {p: (tmp_path / "two" / p).stat().st_mtime_ns for p in before}


def _broken() -> str:
    raise TemplateError("cannot render: 'page' is undefined", "templates/entity.html")


def test_an_error_in_a_worker_names_its_file_and_nothing_is_published(tmp_path):
    out = tmp_path / "public"
    write_site([Page("index.html", "old")], [], out)
    pages = _pages(MIN_FORK_PAGES)
    pages.insert(1234, PageJob("entities/x/index.html", _broken))
    with pytest.raises(TemplateError) as caught:
        write_site(pages, [], out, jobs=2)
    assert caught.value.path == "templates/entity.html"
    assert "'page' is undefined" in str(caught.value)
    assert _files(out) == {"index.html": b"old"}
    assert not list(tmp_path.glob(".public.staging*"))


SLOW_BUILD = """
import sys, time
from functools import partial
from pathlib import Path
from archivist.render import PageJob
from archivist.write import write_site

def slow(n):
    time.sleep(0.01)
    return str(n)

write_site([PageJob(f"p/{n}.html", partial(slow, n)) for n in range(20_000)], [], Path(sys.argv[1]), jobs=2)
"""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text().split()] if path.exists() else []


def test_workers_die_with_a_killed_build(tmp_path):
    build = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(tmp_path / "public")])
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(build.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its workers"
        time.sleep(0.3)  # the workers are writing pages
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() and _state(w) != "Z" for w in workers):
            assert time.monotonic() < deadline, "a worker outlived its build"
            time.sleep(0.05)
    finally:
        build.kill()
    assert not (tmp_path / "public").exists()  # nothing was published


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"

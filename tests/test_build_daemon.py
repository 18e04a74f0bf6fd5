"""The build daemon (build_daemon.py): `archivist build` leaves a process holding the
archive in memory, and the next `archivist build` has it build. Real processes, a
real socket, real builds."""

from __future__ import annotations

import filecmp
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archivist import build_daemon
from archivist.config import load_config
from archivist.search import SEARCH_FOLDER
from waiting import wait_for

FAST = 'title = "Daemon"\nprofile = "fast"\n'
DOCS = {
    "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は東京で「景気は回復している」と述べた。\n",
    "content/b.md": "---\ntitle: B\ndate: 2024-02-03\n---\n\n佐藤花子氏はトヨタ自動車を訪れた。\n",
}
EDIT = "\n山田太郎氏は米国で鈴木一郎氏に会い「順調だ」と語った。\n"


def _archivist(*args: str, daemon: str = "1") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archivist", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, build_daemon.SWITCH: daemon})  # fmt: skip


@pytest.fixture
def daemon_site(make_site):
    """A built site whose daemon listens; stopped after the test."""
    site = make_site(DOCS, FAST)
    done = _archivist("build", str(site))
    assert done.returncode == 0, done.stderr
    assert "a daemon keeps the archive in memory" in done.stderr
    config = load_config(site)
    path = build_daemon.socket_path(config)
    log = site / ".archivist/daemon.log"
    assert wait_for(lambda: "ready in" in log.read_text(encoding="utf-8"), 120)  # the archive in its memory
    yield site
    _archivist("build", str(site), "--stop-daemon")
    lock = path.with_suffix(".lock")
    if wait_for(lambda: not path.exists(), 30) is False and lock.read_text().strip():
        os.kill(int(lock.read_text()), 9)


def _same_sites(left: Path, right: Path) -> list[str]:
    """The files that differ between two outputs, the search index aside."""
    differ = []
    for path in sorted({*left.rglob("*"), *(right / p.relative_to(left) for p in left.rglob("*"))}):
        relative = path.relative_to(left if path.is_relative_to(left) else right)
        if relative.parts[0] == SEARCH_FOLDER or (left / relative).is_dir():
            continue
        if not (right / relative).is_file() or not filecmp.cmp(left / relative, right / relative, shallow=False):
            differ.append(relative.as_posix())
    return differ


def test_the_next_build_is_made_by_the_daemon_and_gives_the_site_a_clean_build_gives(daemon_site, tmp_path):
    (daemon_site / "content/b.md").write_text(DOCS["content/b.md"] + EDIT, encoding="utf-8")
    done = _archivist("build", str(daemon_site))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any(line.startswith("published the") for line in lines), done.stderr
    published = next(i for i, line in enumerate(lines) if line.startswith("published the"))
    built = next(i for i, line in enumerate(lines) if line.startswith("built 2 documents"))
    assert published < built  # the edit's pages first, then the site
    assert "a daemon keeps" not in done.stderr  # it was there: none started
    assert "鈴木一郎" in (daemon_site / "public/documents/b/index.html").read_text(encoding="utf-8")
    assert (daemon_site / "public/entities/person/鈴木一郎/index.html").is_file()
    daemon_built = tmp_path / "daemon-built"
    shutil.copytree(daemon_site / "public", daemon_built)
    clean = _archivist("build", str(daemon_site), "--force", "--no-daemon")
    assert clean.returncode == 0, clean.stderr
    assert _same_sites(daemon_built, daemon_site / "public") == []
    again = _archivist("build", str(daemon_site))
    assert again.returncode == 0 and "nothing changed" in again.stderr


def test_a_broken_source_is_reported_by_the_daemon_and_the_rest_still_builds(daemon_site):
    (daemon_site / "content/a.md").write_bytes(b"---\ntitle: [unclosed\n---\n\nbody\n")
    (daemon_site / "content/b.md").write_text(DOCS["content/b.md"] + EDIT, encoding="utf-8")
    done = _archivist("build", str(daemon_site))
    assert done.returncode == 1
    assert any(line.startswith("error:") and "a.md" in line for line in done.stderr.splitlines()), done.stderr
    assert "built 1 documents" in done.stderr
    assert "鈴木一郎" in (daemon_site / "public/documents/b/index.html").read_text(encoding="utf-8")


def test_a_daemon_asked_by_other_code_stops_and_the_build_is_made_in_the_clients_process(daemon_site):
    config = load_config(daemon_site)
    assert list(build_daemon._ask(config, {"build": True, "code": "another version"})) == [{"stale": True}]
    path = build_daemon.socket_path(config)
    assert wait_for(lambda: not path.exists(), 30)
    assert build_daemon.build_through(config, io.StringIO()) is None
    (daemon_site / "content/b.md").write_text(DOCS["content/b.md"] + EDIT, encoding="utf-8")
    done = _archivist("build", str(daemon_site))
    assert done.returncode == 0 and "published the" not in done.stderr  # built here, then a new daemon
    assert "a daemon keeps the archive in memory" in done.stderr
    assert wait_for(lambda: path.exists(), 60)


def test_stop_daemon_stops_it_and_no_daemon_is_started_when_refused(make_site):
    site = make_site(DOCS, FAST)
    path = build_daemon.socket_path(load_config(site))
    done = _archivist("build", str(site), daemon="0")
    assert done.returncode == 0 and "daemon" not in done.stderr and not path.exists()
    assert _archivist("build", str(site), "--no-daemon").stderr.count("daemon") == 0
    assert "no daemon holds this archive" in _archivist("build", str(site), "--stop-daemon").stderr
    _archivist("build", str(site), "--force")
    assert wait_for(lambda: path.exists(), 60)
    assert "daemon stopped" in _archivist("build", str(site), "--stop-daemon").stderr
    assert wait_for(lambda: not path.exists(), 30)


def test_a_daemon_is_wanted_in_a_terminal_outside_ci_only(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv(build_daemon.SWITCH, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert build_daemon.wanted(False, Terminal())
    assert not build_daemon.wanted(True, Terminal())  # --no-daemon
    assert not build_daemon.wanted(False, io.StringIO())  # output to a file or a pipe
    monkeypatch.setenv("CI", "true")
    assert not build_daemon.wanted(False, Terminal())
    monkeypatch.setenv(build_daemon.SWITCH, "1")
    assert build_daemon.wanted(False, io.StringIO())
    monkeypatch.setenv(build_daemon.SWITCH, "0")
    assert not build_daemon.wanted(False, Terminal())


def test_the_daemons_progress_line_is_shown_by_the_client_when_asked(daemon_site):
    config = load_config(daemon_site)
    (daemon_site / "content/b.md").write_text(DOCS["content/b.md"] + EDIT, encoding="utf-8")
    shown, quiet = io.StringIO(), io.StringIO()
    assert build_daemon.build_through(config, shown, progress=True) == 0
    assert "\rwriting " in shown.getvalue() and "built 2 documents" in shown.getvalue()
    (daemon_site / "content/b.md").write_text(DOCS["content/b.md"], encoding="utf-8")
    assert build_daemon.build_through(config, quiet) == 0
    assert "\r" not in quiet.getvalue() and "built 2 documents" in quiet.getvalue()

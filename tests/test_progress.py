"""The progress line: an ETA on a terminal, nothing in logs or CI."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys

from archivist.progress import Progress


def test_quiet_when_not_a_terminal_in_ci_or_asked() -> None:
    stream = io.StringIO()
    progress = Progress.for_terminal(stream, environ={})
    progress.start(3, 300)
    progress.advance(1, 100)
    progress.finish()
    assert stream.getvalue() == ""
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        assert Progress.for_terminal(terminal, environ={"CI": "true"}).stream is None
        assert Progress.for_terminal(terminal, environ={}, quiet=True).stream is None
        assert Progress.for_terminal(terminal, environ={}).stream is terminal
    os.close(master)


def test_the_line_counts_documents_and_gives_an_eta() -> None:
    progress = Progress(io.StringIO())
    progress.start(4, 400)
    assert progress.line() == "annotating 0/4 documents, 0 chars/s, ETA --:--"
    progress.started -= 10  # as if the first document took ten seconds
    progress.advance(1, 100)
    assert progress.line() == "annotating 1/4 documents, 10 chars/s, ETA 0:30"


def test_the_pages_are_counted_in_pages() -> None:
    progress = Progress(io.StringIO()).stage("writing", "pages", "pages")
    progress.start(12_000, 12_000)
    progress.started -= 4
    progress.advance(2_000, 2_000)
    assert progress.line() == "writing 2,000/12,000 pages, 500 pages/s, ETA 0:20"


def test_a_build_on_a_terminal_shows_progress_and_in_a_pipe_does_not(make_site, tmp_path) -> None:
    site = make_site({f"content/{n}.md": f"---\ntitle: 記事{n}\n---\n\n山田さんは「はい」と言った。\n"
                      for n in range(3)}, 'title = "T"\nprofile = "fast"\n')
    twin = shutil.copytree(site, tmp_path / "twin")  # the same work for the piped build
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    command = [sys.executable, "-m", "archivist", "build", "--jobs", "1"]
    master, slave = pty.openpty()
    run = subprocess.run([*command, str(site)], stderr=slave, stdout=subprocess.DEVNULL, env=env, timeout=300)
    os.close(slave)
    shown = _read_all(master)
    assert run.returncode == 0, shown
    assert "annotating 3/3 documents" in shown and "ETA" in shown and "\r" in shown
    assert re.search(r"writing (\d+)/\1 pages, [\d,]+ pages/s", shown), shown  # then the pages
    piped = subprocess.run([*command, str(twin)], capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == 0 and "built 3 documents" in piped.stderr
    assert "ETA" not in piped.stderr and "\r" not in piped.stderr


def test_a_rebuild_on_a_terminal_says_when_it_updates_the_search_index(make_site, tmp_path) -> None:
    site = make_site({"content/a.md": "---\ntitle: A\n---\n\n山田さんは東京を訪れた。\n"},
                     'title = "T"\nprofile = "fast"\n')  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    command = [sys.executable, "-m", "archivist", "build", "--jobs", "1", str(site)]
    outputs = []
    for terminal in (True, False):
        subprocess.run(command, capture_output=True, env=env, timeout=300, check=True)
        (site / "content/a.md").write_text(f"---\ntitle: A\n---\n\n山田さんは大阪を訪れた{terminal}。\n",
                                           encoding="utf-8")  # fmt: skip
        if terminal:
            master, slave = pty.openpty()
            subprocess.run(command, stderr=slave, stdout=subprocess.DEVNULL, env=env, timeout=300, check=True)
            os.close(slave)
            outputs.append(_read_all(master))
        else:
            outputs.append(subprocess.run(command, capture_output=True, text=True, env=env, timeout=300).stderr)
    shown, piped = outputs
    assert "updating the search index…" in shown and "search index updated in" in shown
    assert "updating the search index" not in piped and "search index updated in" in piped


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the terminal's other end is closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")

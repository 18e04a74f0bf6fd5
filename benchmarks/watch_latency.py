"""An edit on disk: from saving a document to its pages written, in `archivist build --watch`.

Starts `archivist build SITE --watch`, waits for its first build, then edits one
document several times, --pause seconds apart. Each edit appends a marker and a
sentence in which a person the archive does not know yet speaks (as
serve_latency.py's edits do). Each time it measures, by reading the output folder,
how long until the document's page holds the edit, until the new name's page does,
until the build that follows has written the whole site (its summary line in the
log) and until the search index is current again (the manifest names no stale
shard). It then lists every file outside the search index whose mtime changed: the
pages written at once, and those the build wrote after them. The document is restored at
the end and built before the process is stopped.

    python benchmarks/watch_latency.py SITE [--edits 3] [--pause 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from archivist.config import load_config
from archivist.manifest import manifest_path
from archivist.search import SEARCH_FOLDER
from archivist.slugs import make_slug
from serve_latency import NEW_NAME, _edited, _until

ARCHIVIST = Path(sys.executable).with_name("archivist")
WROTE = re.compile(r"^wrote those (\d+) pages in ([0-9.]+) s$")  # serve.py's log of an edit's pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="archive folder, built or not")
    parser.add_argument("--edits", type=int, default=3, help="edits timed")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between one edit's index and the next edit")
    args = parser.parse_args(argv)
    document = sorted(p for p in (args.site / "content").rglob("*") if p.suffix in (".txt", ".md"))[0]
    original = document.read_bytes()
    config = load_config(args.site)
    output = config.output_path
    page = output / "documents" / document.stem / "index.html"
    named = output / "entities/person" / make_slug(NEW_NAME) / "index.html"
    log: list[str] = []
    watcher = subprocess.Popen([str(ARCHIVIST), "build", str(args.site), "--watch"],
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    threading.Thread(target=log.extend, args=(watcher.stderr,), daemon=True).start()
    marker = None
    try:
        _until(lambda: any(line.startswith("watching") for line in log), time.perf_counter(), limit=1800)
        print(f"watching {args.site}; first build done", file=sys.stderr)
        for edit in range(1, args.edits + 1):
            time.sleep(args.pause)
            before, built, logged = _mtimes(output), _count(log, "built "), len(log)
            marker = f"（追記{edit}）"
            document.write_text(_edited(original.decode("utf-8"), marker), encoding="utf-8")
            saved = time.perf_counter()
            on_page = _until(lambda: marker in _text(page), saved)
            on_name = _until(lambda: marker in _text(named), saved)
            at_once = _mtimes(output) if _count(log, "built ") == built else None
            site = _until(lambda: _count(log, "built ") > built, saved)
            index = _until(lambda: _search_current(config), saved)
            after = _mtimes(output)
            rewritten = sorted(path for path, mtime in after.items() if before.get(path) != mtime)
            early = [(int(m[1]), float(m[2])) for line in log[logged:] if (m := WROTE.match(line.strip()))]
            made = ", ".join(f"{seconds:.2f}" for _, seconds in early) or "no"
            print(f"edit {edit}: the document's page written after {on_page:.2f} s, the new name's page after "
                  f"{on_name:.2f} s ({sum(n for n, _ in early)} pages made and written at once, in {made} s of it); "
                  f"the whole site built after {site:.2f} s, the search index current after {index:.2f} s")
            print(f"  files rewritten outside the search index: {len(rewritten)} of {len(after)}: "
                  + ", ".join(f"{kind} {n}" for kind, n in Counter(map(_kind, rewritten)).most_common()))
            if at_once is not None:
                later = [path for path in rewritten if at_once.get(path) != after[path]]
                print(f"  of which the build wrote after the pages written at once: {len(later)}: {', '.join(later)}")
    finally:
        document.write_bytes(original)
        if marker:
            _until(lambda: marker not in _text(page), time.perf_counter(), limit=300)
            built = _count(log, "built ")
            _until(lambda: _count(log, "built ") > built and _search_current(config), time.perf_counter(), limit=300)
        watcher.terminate()
        watcher.wait(timeout=30)
    return 0


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _count(log: list[str], start: str) -> int:
    return sum(line.startswith(start) for line in list(log))


def _search_current(config) -> bool:
    """Whether the last build's manifest is written and names no stale search shard."""
    try:
        return json.loads(manifest_path(config).read_text(encoding="utf-8"))["search_stale"] == []
    except (OSError, ValueError, KeyError):
        return False


def _mtimes(output: Path) -> dict[str, int]:
    """Output path -> mtime of every file outside the search index."""
    found = {}
    for folder, folders, files in os.walk(output):
        relative = os.path.relpath(folder, output)
        if relative == ".":
            folders[:] = [name for name in folders if name != SEARCH_FOLDER]
        for name in files:
            path = name if relative == "." else f"{relative}/{name}"
            found[path] = os.stat(os.path.join(folder, name)).st_mtime_ns
    return found


def _kind(path: str) -> str:
    """A rewritten file's kind, for the summary: its first two folders."""
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


if __name__ == "__main__":
    sys.exit(main())

"""An edit, then `archivist build` again: timed with the build daemon that keeps the archive.

Builds SITE with `archivist build` (ARCHIVIST_DAEMON=1, so a daemon is started as in
a terminal) and waits until the daemon has the archive in memory. Then, --edits
times, it edits one document whose text ends with a sentence (a marker and a
sentence in which a person the archive does not know yet speaks, as
serve_latency.py's edits do), runs `archivist build` and measures, by reading the
output folder, how long after the command started the document's page held the
edit and the new name's page existed; when the command printed that the edit's
pages were published (and the later pages of the quote index, when the edit moved
them), its summary line, and when it ended (the search index current); and the
daemon's memory. The document is restored and built after each edit. Then
`archivist build` with nothing changed, and the daemon is stopped.

    python benchmarks/daemon_latency.py SITE [--edits 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from archivist.build_daemon import SWITCH, socket_path
from archivist.config import load_config
from archivist.slugs import make_slug
from serve_latency import NEW_NAME, _edited, _until
from watch_latency import _text

ARCHIVIST = Path(sys.executable).with_name("archivist")
ENV = {**os.environ, SWITCH: "1"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="archive folder, built or not")
    parser.add_argument("--edits", type=int, default=5, help="edits timed")
    args = parser.parse_args(argv)
    documents = [p for p in sorted((args.site / "content").rglob("*")) if p.suffix in (".txt", ".md")
                 and _ends_a_sentence(p)]  # the edit's sentence is not a list item's: its name is read
    output = load_config(args.site).output_path
    named = output / "entities/person" / make_slug(NEW_NAME) / "index.html"
    log = args.site / ".archivist/daemon.log"
    subprocess.run([str(ARCHIVIST), "build", str(args.site)], env=ENV, capture_output=True, check=False)
    ready = _until(lambda: "ready in" in _text(log), time.perf_counter(), limit=600)
    print(f"daemon ready {ready:.2f} s after the first build ended", file=sys.stderr)
    try:
        for edit in range(1, args.edits + 1):
            document = documents[(edit * 7919) % len(documents)]
            original = document.read_bytes()
            marker = f"（追記{edit}）"
            document.write_text(_edited(original.decode("utf-8"), marker), encoding="utf-8")
            try:
                print(f"edit {edit} ({document.name}): " + _timed_build(args.site, output, document, marker, named)
                      + f"; daemon {_memory(args.site)}")
            finally:
                document.write_bytes(original)
                subprocess.run([str(ARCHIVIST), "build", str(args.site)], env=ENV, capture_output=True, check=False)
        started = time.perf_counter()
        done = subprocess.run([str(ARCHIVIST), "build", str(args.site)], env=ENV, capture_output=True, text=True)
        print(f"nothing changed: {time.perf_counter() - started:.2f} s ({done.stderr.splitlines()[-1]})")
    finally:
        subprocess.run([str(ARCHIVIST), "build", str(args.site), "--stop-daemon"], env=ENV, capture_output=True)
    return 0


def _memory(site: Path) -> str:
    """The daemon's resident and peak memory, from /proc (Linux)."""
    path = socket_path(load_config(site))
    try:
        pid = int(path.with_suffix(".lock").read_text())
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    except (OSError, ValueError, AttributeError):
        return "memory unknown"
    return f"{int(status['VmRSS'].split()[0]) // 1024} MB, peak {int(status['VmHWM'].split()[0]) // 1024} MB"


def _ends_a_sentence(path: Path) -> bool:
    return path.read_text(encoding="utf-8", errors="replace").rstrip().endswith("。")


def _timed_build(site: Path, output: Path, document: Path, marker: str, named: Path) -> str:
    """Run `archivist build` and say when each thing happened, in seconds after it started."""
    page = output / "documents" / document.stem / "index.html"
    seen: dict[str, float] = {}
    started = time.perf_counter()

    def watch() -> None:
        while len(seen) < 2:
            for name, done in (("page", lambda: marker in _text(page)), ("name", named.is_file)):
                if name not in seen and done():
                    seen[name] = time.perf_counter() - started
            time.sleep(0.01)

    threading.Thread(target=watch, daemon=True).start()
    command = subprocess.Popen([str(ARCHIVIST), "build", str(site)], env=ENV, stderr=subprocess.PIPE, text=True)
    lines = {}
    for line in command.stderr:
        for start in ("published the", "then ", "built ", "search index updated"):
            if line.startswith(start):
                lines[start] = time.perf_counter() - started
    command.wait()
    ended = time.perf_counter() - started
    _until(lambda: len(seen) == 2, time.perf_counter(), limit=5)
    return (f"the page held the edit after {seen.get('page', float('nan')):.2f} s, the new name's page after "
            f"{seen.get('name', float('nan')):.2f} s; printed 'published' after "
            f"{lines.get('published the', float('nan')):.2f} s"
            + (f" (the later pages of the quote index after {lines['then ']:.2f} s)" if "then " in lines else "")
            + f", the summary after {lines.get('built ', float('nan')):.2f} s; "
            f"ended (search index current) after {ended:.2f} s, exit {command.returncode}")


if __name__ == "__main__":
    sys.exit(main())

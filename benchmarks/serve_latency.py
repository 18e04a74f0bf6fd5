"""Preview latency: from saving a document to the browser showing the edit, in `serve`.

Starts `archivist serve SITE --port 0`, waits for its first build, then edits one
document several times, --pause seconds apart (as a writer reads the page before
saving again; the search index is made again meanwhile, and the first edit also waits
--pause seconds after the first build). Each edit appends a marker and a sentence in
which a person the archive does not know yet speaks, so the edit changes the
document's page and makes a page for that name. Each time it measures how long until
the reload request the served pages make (RELOAD_PATH) answers with a new number
after which the served document page shows the edit (the server's preview), then
how long until the new name's page shows it too, until both pages are written to
the output folder (at once, publish_early.py), and until the build has written the
rest of the site (its summary line in the server's log). The document is
restored at the end, and the server stopped once it has rebuilt the site, so that
the next run starts from a site it trusts.

With --design it edits archivist's own templates instead (so run it from a checkout;
they are restored at the end): each time the stylesheet, timed until the server
serves it and until it is written, then base.html, timed until the document's page
and the entity index show it and until the build has written the document's page
(every page is made again).

    python benchmarks/serve_latency.py SITE [--edits 3] [--pause 5] [--design]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from archivist.config import load_config
from archivist.render import templates_dir
from archivist.serve import RELOAD_PATH
from archivist.slugs import make_slug

ARCHIVIST = Path(sys.executable).with_name("archivist")
NEW_NAME = "ヨハン・ゼッテルマイヤー"  # a person no livedoor article names
SERVING = re.compile(r"serving on (http://\S+)")
PREVIEWED = re.compile(r"^previewed .* in ([0-9.]+) s$")  # serve.py's log of a preview


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="archive folder, built or not")
    parser.add_argument("--edits", type=int, default=3, help="edits timed")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between an edit shown and the next")
    parser.add_argument("--design", action="store_true", help="edit the stylesheet and a template instead")
    args = parser.parse_args(argv)
    if args.design:
        return design_edits(args)
    document = sorted(p for p in (args.site / "content").rglob("*") if p.suffix in (".txt", ".md"))[0]
    original = document.read_bytes()
    output = load_config(args.site).output_path
    written = output / "documents" / document.stem / "index.html"
    named = f"entities/person/{make_slug(NEW_NAME)}/"
    server = subprocess.Popen([str(ARCHIVIST), "serve", str(args.site), "--port", "0"],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    marker = None  # the last edit's
    log: list[str] = []  # the server's output after it started serving
    try:
        url = _wait_for_server(server, log)
        number = int(_get(f"{url}{RELOAD_PATH.lstrip('/')}?build=-1"))
        print(f"serving {args.site} at {url}; first build done", file=sys.stderr)
        for edit in range(1, args.edits + 1):
            time.sleep(args.pause)
            marker = f"（追記{edit}）"
            text = original.decode("utf-8")
            logged = len(log)
            document.write_text(_edited(text, marker), encoding="utf-8")
            saved = time.perf_counter()
            number = _wait_until_shown(url, number, f"documents/{document.stem}/", marker)
            shown = time.perf_counter() - saved
            while marker not in _get(url + quote(named), missing=""):
                time.sleep(0.01)
            name_shown = time.perf_counter() - saved
            for page in (written, output / named / "index.html"):
                while not page.is_file() or marker not in page.read_text(encoding="utf-8", errors="replace"):
                    time.sleep(0.01)
            on_disk = time.perf_counter() - saved
            while not any(line.startswith("built ") for line in log[logged:]):
                time.sleep(0.05)
            built = time.perf_counter() - saved
            print(f"edit {edit}: shown after {shown:.2f} s, the new name's page after {name_shown:.2f} s "
                  f"(the server's preview took {_preview_seconds(log, logged)} s of it); both written after "
                  f"{on_disk:.2f} s, the whole site after {built:.2f} s")
    finally:
        document.write_bytes(original)
        _wait_until_written(written, marker)
        server.terminate()
        server.wait(timeout=30)
    return 0


def design_edits(args: argparse.Namespace) -> int:
    """The --design run (see the module doc)."""
    templates = templates_dir()
    stylesheet, base = templates / "static/style.css", templates / "base.html"
    originals = {path: path.read_bytes() for path in (stylesheet, base)}
    document = sorted(p for p in (args.site / "content").rglob("*") if p.suffix in (".txt", ".md"))[0]
    output = load_config(args.site).output_path
    page = f"documents/{document.stem}/"
    server = subprocess.Popen([str(ARCHIVIST), "serve", str(args.site), "--port", "0"],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        url = _wait_for_server(server)
        print(f"serving {args.site} at {url}; first build done", file=sys.stderr)
        for edit in range(1, args.edits + 1):
            time.sleep(args.pause)
            rule = f"/* edit {edit} */"
            stylesheet.write_bytes(originals[stylesheet] + rule.encode() + b"\n")
            saved = time.perf_counter()
            shown = _until(lambda: rule in _get(url + "static/style.css"), saved)
            written = _until(lambda: rule in (output / "static/style.css").read_text(encoding="utf-8"), saved)
            print(f"stylesheet edit {edit}: served after {shown:.2f} s; written after {written:.2f} s")
            time.sleep(args.pause)
            marker = f'data-edit="{edit}"'
            base.write_text(originals[base].decode("utf-8").replace("<main ", f"<main {marker} "), encoding="utf-8")
            saved = time.perf_counter()
            shown = _until(lambda: marker in _get(url + page), saved)
            listed = _until(lambda: marker in _get(url + "entities/"), saved)
            written = _until(lambda: marker in (output / page / "index.html").read_text(encoding="utf-8"), saved)
            print(f"template edit {edit}: the document's page shown after {shown:.2f} s, the entity index after "
                  f"{listed:.2f} s; written with the whole site after {written:.1f} s")
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        _until(lambda: "data-edit=" not in (output / page / "index.html").read_text(encoding="utf-8"),
               time.perf_counter(), limit=600)  # fmt: skip
        time.sleep(1)  # the build's records are written after its pages
        server.terminate()
        server.wait(timeout=30)
    return 0


def _until(done, since: float, limit: float = 900) -> float:
    """Seconds from since until done() is true, looking every 10 ms."""
    stop = time.monotonic() + limit
    while not done() and time.monotonic() < stop:
        time.sleep(0.01)
    return time.perf_counter() - since


def _wait_until_written(written: Path, marker: str | None, limit: float = 300) -> None:
    """Until the build of the restored document has written it: a server stopped in
    the middle of a build leaves a site the next build does not trust, and the next
    run would measure that."""
    stop = time.monotonic() + limit
    while marker and time.monotonic() < stop and marker in written.read_text(encoding="utf-8", errors="replace"):
        time.sleep(0.2)
    time.sleep(1)  # the build's records are written after its pages


def _edited(text: str, marker: str) -> str:
    """text with marker and a sentence naming NEW_NAME appended to its last non-empty line."""
    lines = text.rstrip("\n").split("\n")
    lines[-1] += f"{marker}{NEW_NAME}氏は「順調だ」と語った。"
    return "\n".join(lines) + "\n"


def _wait_for_server(server: subprocess.Popen, log: list[str] | None = None) -> str:
    """The server's address; its later output is read into log (else dropped), so it
    never blocks."""
    for line in server.stderr:
        if match := SERVING.search(line):
            threading.Thread(target=(log if log is not None else []).extend, args=(server.stderr,),
                             daemon=True).start()  # fmt: skip
            return match[1]
    raise SystemExit("the server stopped before serving")


def _preview_seconds(log: list[str], since: int) -> str:
    """The seconds the server's log gives its previews since line number since: the
    time spent making the pages, from reading the edited source on."""
    times = [match[1] for line in log[since:] if (match := PREVIEWED.search(line))]
    return ", ".join(times) or "none"


def _wait_until_shown(url: str, seen: int, page: str, marker: str) -> int:
    """The first build or preview number after seen whose page shows marker, waiting
    on the server's reload request as the served pages do."""
    while True:
        now = int(_get(f"{url}{RELOAD_PATH.lstrip('/')}?build={seen}"))
        if now != seen and marker in _get(url + page):
            return now
        seen = now


def _get(url: str, missing: str | None = None) -> str:
    """The page at url; missing instead when there is none (else HTTPError)."""
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        if missing is None or error.code != 404:
            raise
        return missing


if __name__ == "__main__":
    sys.exit(main())

"""Hostile documents build into a site that shows them as text and runs none of them.

The archive in tests/cases/hostile/ puts script, event handlers, javascript: addresses,
quotes and bidi overrides into titles, bodies, bylines, related links, front matter and
the registry; binary, broken and huge files are added at test time. Every page built
is opened in Debian's Chromium.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from archivist.build import build
from archivist.config import load_config

playwright = pytest.importorskip("playwright.sync_api")

CASES = Path(__file__).parent / "cases" / "hostile"
BAD_FILES = {
    "content/nul-bytes.txt": b"Title\n\nA body \x00\x00\x00 with \x00 NUL \x00 bytes\x00\x00.\n" * 3,
    "content/invalid-utf8.txt": b"Title \xff\xfe\xfd\n\n\x80\x81\x82\x83 \xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28\n",
}
HUGE_LINE = "content/huge-line.txt"
HOSTILE_TEXT = ["<script>window.__pwned=1;alert(1)</script>", '<img src=x onerror="window.__pwned=1">',
                "</script><script>window.__pwned=1</script>"]
# What a browser ignores at the start of an address: whitespace and control characters.
IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _huge_line() -> bytes:
    sentence = "A very long line <script>window.__pwned=1</script> & more. "
    return ("Huge\n\n" + sentence * (10_000_000 // len(sentence) + 1)).encode("utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    """The hostile archive with its generated files, built with the fast profile."""
    site = tmp_path_factory.mktemp("hostile") / "site"
    shutil.copytree(CASES, site, ignore=shutil.ignore_patterns("README.md"))
    for name, data in BAD_FILES.items():
        (site / name).write_bytes(data)
    (site / HUGE_LINE).write_bytes(_huge_line())
    result = build(load_config(site))
    return site, result


def test_bad_documents_are_reported_by_file_and_the_rest_build(hostile_site):
    site, result = hostile_site
    reported = "\n".join(str(problem) for problem in result.problems)
    assert "content/nul-bytes.txt: binary data" in reported, reported
    assert f"{HUGE_LINE}: too large" in reported, reported
    assert len(result.problems) <= 3, reported
    built = {p.parent.name for p in (site / "public" / "documents").glob("*/index.html")}
    assert {"markdown-front", "livedoor-hostile", "livedoor-url", "scraped-hostile"} <= built
    # bytes that are not UTF-8 are read in the legacy encoding that fits, or reported
    assert "invalid-utf8" in built or "content/invalid-utf8.txt" in reported


def _pages(public: Path) -> list[str]:
    return sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(hostile_site):
    site, _ = hostile_site
    handler = functools.partial(_QuietHandler, directory=str(site / "public"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_every_page_shows_hostile_text_and_runs_none_of_it(hostile_site, server, browser):
    site, _ = hostile_site
    public = site / "public"
    pages = _pages(public)
    assert len(pages) > 10
    failures: list[str] = []
    shown = ""
    for path in pages:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m, p=problems: p.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e, p=problems: p.append(f"pageerror: {e}"))
        page.on("dialog", lambda d, p=problems: (p.append(f"dialog: {d.message}"), d.dismiss()))
        response = page.goto(server + path)
        if path != "404.html" and (response is None or not response.ok):
            problems.append(f"status {response and response.status}")
        page.hover("body")
        if page.evaluate("window.__pwned !== undefined"):
            problems.append("window.__pwned is set")
        for address in page.evaluate(
            "() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]"
            ".flatMap(e => ['href','src','action','formaction'].map(a => e.getAttribute(a)))"
            # Pagefind's own search form, which submits nowhere
            ".filter(v => v !== 'javascript:void(0);')"
            ".filter(v => v !== null)"
        ):
            if IGNORED.sub("", address).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                problems.append(f"address {address!r}")
        shown += page.inner_text("body")
        page.close()
        failures += [f"{path}: {problem}" for problem in problems]
    assert failures == []
    for text in HOSTILE_TEXT:
        assert text in shown
    assert "\u202e" in shown


def test_hostile_strings_stay_text_in_every_page_source(hostile_site):
    site, _ = hostile_site
    public = site / "public"
    for path in public.rglob("*"):
        if path.suffix not in (".html", ".xml") or not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in source, path
        assert "<img src=x" not in source, path
        assert 'onmouseover="window' not in source, path


def test_a_file_over_the_size_limit_is_a_document_error(tmp_path):
    from archivist.errors import DocumentError
    from archivist.sources import MAX_BYTES, read_document

    path = tmp_path / "huge.txt"
    path.write_bytes(b"Title\n\n" + b"x" * MAX_BYTES)
    with pytest.raises(DocumentError, match="huge.txt: too large"):
        read_document(path)

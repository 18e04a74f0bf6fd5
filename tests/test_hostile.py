"""Hostile documents build into a site that shows them as text and runs none of them.

The archive in tests/cases/hostile/ puts script, event handlers, javascript: addresses,
</script> (which would end a JSON-LD block), quotes and angle brackets bound for
attributes, and bidi overrides into titles, bodies, bylines, related links and their
addresses, front matter, registry names and names the annotators find; NUL bytes,
invalid UTF-8 and a 10 MB line are added at test time. Every page built is opened in
Debian's Chromium: any dialog, console message or page error fails the test, and the
hostile text must read as it was written.

Decisions: a file with NUL bytes is binary, not text, and a front matter value holding
NUL or another control character is refused; a file over the parsers' limit
(sources.MAX_BYTES, 4 MB) is too large. Each is reported naming the file and skipped,
and the rest of the archive builds.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archivist.build import build
from archivist.config import load_config

playwright = pytest.importorskip("playwright.sync_api")

CASES = Path(__file__).parent / "cases" / "hostile"
BAD_FILES = {
    "content/nul-bytes.txt": b"Title\n\nA body \x00\x00\x00 with \x00 NUL \x00 bytes\x00\x00.\n" * 3,
    "content/invalid-utf8.txt": b"Title \xff\xfe\xfd\n\n\x80\x81\x82\x83 \xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28\n",
    "content/front-nul.md": b'---\ntitle: "Nul \\0 in the title"\nauthor: "A\\x00B"\n---\n\nBody.\n',
    "content/front-nul.toml.md": b'+++\ntitle = "Nul \\u0000 title"\n+++\n\nBody.\n',
    "content/invalid-utf8-front.md": b'---\ntitle: "T\xff\xfe title"\nauthor: "\xc3\x28"\n---\n\nBody \xc3\x28 \xa0.\n',
}
REPORTED = {  # file -> what the report says
    "content/nul-bytes.txt": "binary data",
    "content/front-nul.md": "U+0000",
    "content/front-nul.toml.md": "U+0000",
    "content/huge-line.txt": "too large",
}
HUGE_LINE = "content/huge-line.txt"
HOSTILE_TEXT = ["<script>window.__pwned=1;alert(1)</script>", '<img src=x onerror="window.__pwned=1">',
                "</script><script>window.__pwned=1</script>"]
# Text as written in the case files, and the page that must show it.
READS_AS_WRITTEN = {
    "documents/livedoor-related-urls/index.html": [
        '見出し"二重"と\'一重\'と<角括弧>と\u202e逆向き</script><script>window.__pwned=1</script>',
        "マロ\u202eリー", '関連"><script>window.__pwned=1</script>記事', "逆向き\u202e記事"],
    "documents/front-attributes/index.html": [
        'Quotes " and \' and <angle> & \u202eevil </script><script>window.__pwned=1</script>',
        'Eve" onmouseover="window.__pwned=1 \u202eevil </script><script>window.__pwned=1</script>',
        "John O'Brien", "Bob \u202eEvil\u202c Jones"],
    "documents/scraped-byline/index.html": [
        '題名"引用"と\'一重\'と\u202e逆向き', "関連見出し<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=1">'],
    "documents/markdown-front/index.html": ['Mallory <img src=x onerror="window.__pwned=1">'],
    "entities/org/script-script-window-__pwned-1-script-evil-org/index.html": [
        '</script><script>window.__pwned=1</script> \u202eevil\' "Org"'],
    "entities/person/マロ-リー/index.html": ["マロ\u202eリー"],
    "entities/person/mallory/index.html": ["Mallory <script>window.__pwned=1;alert(1)</script>",
                                            "</script><script>window.__pwned=1</script>"],
}
# Related links' addresses as written: each must come back whole from its href attribute.
ADDRESSES = ['http://example.com/r1"><script>window.__pwned=1</script>',
             "http://example.com/r2'onmouseover='window.__pwned=1'", "http://example.com/r3?a=1&b=<2>",
             'https://example.com/s1"><script>window.__pwned=1</script>',
             "https://example.com/s2'onfocus='window.__pwned=1'autofocus='"]
# The one console message a page may give: the search box asks for focus (autofocus in
# templates/static/script.js) after the test's events have focused something else.
EXPECTED_CONSOLE = ("Autofocus processing was blocked because a document already has a focused element",)
# Fire what an injected handler would wait for, on every element.
EVERY_EVENT = """() => document.querySelectorAll('*').forEach(e => {
  for (const kind of ['mouseover', 'mouseenter', 'click', 'focus', 'focusin']) {
    if (kind === 'click' && e.closest('a[href], button, input, select, label, form')) continue;
    e.dispatchEvent(new Event(kind, {bubbles: true}));
  }
})"""
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
    for name, reason in REPORTED.items():
        assert f"{name}: " in reported and reason in reported.split(f"{name}: ", 1)[1].split("\n")[0], reported
    assert len(result.problems) <= len(REPORTED) + 2, reported
    built = {p.parent.name for p in (site / "public" / "documents").glob("*/index.html")}
    committed = {p.stem for p in (CASES / "content").iterdir()}
    assert committed <= built
    # bytes that are not UTF-8 are read in the legacy encoding that fits, or reported
    for name in ("invalid-utf8", "invalid-utf8-front"):
        assert name in built or f"content/{name}." in reported


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
    assert len(pages) > 20
    failures: list[str] = []
    shown: dict[str, str] = {}
    hrefs: set[str] = set()
    for path in pages:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m, p=problems: None if m.text.startswith(EXPECTED_CONSOLE)
                else p.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e, p=problems: p.append(f"pageerror: {e}"))
        page.on("dialog", lambda d, p=problems: (p.append(f"dialog: {d.message}"), d.dismiss()))
        response = page.goto(server + path)
        if path != "404.html" and (response is None or not response.ok):
            problems.append(f"status {response and response.status}")
        page.hover("body")
        page.evaluate(EVERY_EVENT)
        if page.evaluate("window.__pwned !== undefined"):
            problems.append("window.__pwned is set")
        addresses = page.evaluate(
            "() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]"
            ".flatMap(e => ['href','src','action','formaction'].map(a => e.getAttribute(a)))"
            ".filter(v => v !== null)"
        )
        hrefs.update(addresses)
        for address in addresses:
            if address == "javascript:void(0);":
                continue  # Pagefind's own search form, which submits nowhere
            if IGNORED.sub("", address).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                problems.append(f"address {address!r}")
        for data in page.evaluate(
            "() => [...document.querySelectorAll('script[type=\"application/ld+json\"]')].map(s => s.textContent)"
        ):
            try:
                json.loads(data)
            except ValueError as error:
                problems.append(f"structured data cut short: {error}")
        if path.startswith("documents/"):
            slug = path.split("/")[1]
            title = json.loads((public / "data/documents" / f"{slug}.json").read_text(encoding="utf-8"))["title"]
            if not page.title().startswith(title):
                problems.append(f"<title> {page.title()!r} does not start with {title!r}")
        shown[path] = page.inner_text("body")
        page.close()
        failures += [f"{path}: {problem}" for problem in problems]
    assert failures == []
    everything = "\n".join(shown.values())
    for text in HOSTILE_TEXT:
        assert text in everything
    assert "\u202e" in everything
    for path, texts in READS_AS_WRITTEN.items():
        for text in texts:
            assert text in shown[path], (path, text)
    assert set(ADDRESSES) <= hrefs


class _Markup(HTMLParser):
    """Event-handler attributes and script text, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.scripts: list[tuple[str, str]] = []  # (type, text)
        self._script: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        self.handlers += [f"<{tag} {name}=...>" for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._script = dict(attrs).get("type") or ""
            self.scripts.append((self._script, ""))

    def handle_data(self, data) -> None:
        if self._script is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._script = None


def test_hostile_strings_stay_text_in_every_page_source(hostile_site):
    site, _ = hostile_site
    public = site / "public"
    checked = 0
    for path in public.rglob("*"):
        if path.suffix not in (".html", ".xml") or not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in source, path
        assert "<img src=x" not in source, path
        if path.suffix == ".xml":
            root = ET.fromstring(source)
            assert not [e.tag for e in root.iter() if any(a.startswith("on") for a in e.attrib)], path
        else:
            markup = _Markup()
            markup.feed(source)
            assert markup.handlers == [], path
            assert [t for kind, t in markup.scripts if kind != "application/ld+json" and "__pwned" in t] == [], path
            for kind, text in markup.scripts:
                if kind == "application/ld+json":
                    json.loads(text)
        checked += 1
    assert checked > 20


def test_a_file_over_the_size_limit_is_a_document_error(tmp_path):
    from archivist.errors import DocumentError
    from archivist.sources import MAX_BYTES, read_document

    path = tmp_path / "huge.txt"
    path.write_bytes(b"Title\n\n" + b"x" * MAX_BYTES)
    with pytest.raises(DocumentError, match="huge.txt: too large"):
        read_document(path)

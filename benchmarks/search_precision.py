"""Search precision: how many of the first results a query shows hold what was typed.

Serves a built archive's output folder, opens its search page in Chromium with each
query in the address (as a link to a search would), and counts, among the results
Pagefind's interface shows first (a page of 5), the documents whose page holds every
word of the query. The queries, unless given, are the archive's own commonest words,
by the number of documents they occur in, so none is chosen for how it fares:

- katakana words with voicing marks (データ, ドコモ): Pagefind stores them without
  their marks, and the browser cuts some of them differently from the index;
- kanji words of 3 or 4 characters (携帯電話, 主人公): the index and the browser's
  Intl.Segmenter cut some compounds differently.

It also prints how long after the page was opened the first results showed.

    python benchmarks/search_precision.py SITE [--katakana 30] [--kanji 20] [QUERY ...]

SITE is an archive folder built with its search index, such as the one
build_vs_peers.py makes (WORK/archivist); the queries' words are counted in the
documents' text as published (public/data/documents/*.json). Needs Chromium at
/usr/bin/chromium and Playwright (`.[test]`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import json
import http.server
import re
import statistics
import sys
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
KATAKANA = re.compile(r"[ァ-ヺー]{3,}")
KANJI = re.compile(r"[一-龯]{3,4}")
SETTLE_MS = 1_500  # after the first results: a later search, were one made, would show by now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="archive folder, built with its search index")
    parser.add_argument("queries", nargs="*", help="queries to search instead of the commonest words")
    parser.add_argument("--katakana", type=int, default=30, help="katakana words with voicing marks")
    parser.add_argument("--kanji", type=int, default=20, help="kanji words of 3 or 4 characters")
    args = parser.parse_args(argv)
    public = args.site / "public"
    if not (public / "pagefind").is_dir():
        print(f"{public}: no search index; build the archive first", file=sys.stderr)
        return 1
    if args.queries:
        groups = {"queries given": args.queries}
    else:
        texts = [published_text(p) for p in sorted((public / "data" / "documents").glob("*.json"))]
        groups = {"katakana with voicing marks": commonest(texts, KATAKANA, args.katakana, voiced=True),
                  "kanji, 3 or 4 characters": commonest(texts, KANJI, args.kanji)}  # fmt: skip
    with served(public) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for group, queries in groups.items():
            report(group, [search(browser, url, public, query) for query in queries])
        browser.close()
    return 0


def published_text(path: Path) -> str:
    """A document's title and text as its page shows them, from its published JSON: not
    its source, whose labels (■関連記事) the parser takes out."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join([document.get("title") or "", *(block["text"] for block in document["blocks"])])


def commonest(texts: list[str], pattern: re.Pattern[str], count: int, voiced: bool = False) -> list[str]:
    """The words pattern finds in the most texts (with a voicing mark, if voiced)."""
    found: Counter[str] = Counter()
    for text in texts:
        found.update({w for w in pattern.findall(text) if not voiced or unicodedata.normalize("NFD", w) != w})
    return [word for word, _ in found.most_common(count)]


def search(browser, url: str, public: Path, query: str) -> tuple[str, int, int, float]:
    """query's results on the search page: (query, shown, holding every word, seconds)."""
    page = browser.new_context().new_page()
    start = time.perf_counter()
    page.goto(url + "search/index.html?q=" + quote(query))
    try:
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=30_000)
    except Exception:  # noqa: BLE001 - no result at all is a figure too
        page.context.close()
        return query, 0, 0, float("nan")
    seconds = time.perf_counter() - start
    page.wait_for_timeout(SETTLE_MS)
    results = page.locator(".pagefind-ui__result").all()  # a document's, its sub-results inside
    links = [result.locator(".pagefind-ui__result-link").first.get_attribute("href") or "" for result in results]
    page.context.close()
    words = query.split()
    held = sum(all(word in page_text(public, link) for word in words) for link in links)
    return query, len(links), held, seconds


def page_text(public: Path, link: str) -> str:
    path = public / link.split("#")[0].lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def report(group: str, rows: list[tuple[str, int, int, float]]) -> None:
    print(f"\n{group}: results shown first that hold the query")
    for query, shown, held, seconds in rows:
        timing = f"{seconds:.2f} s" if shown else "no results"
        print(f"  {query:<16} {held} of {shown}   {timing}")
    shown = sum(row[1] for row in rows)
    held = sum(row[2] for row in rows)
    times = [row[3] for row in rows if row[1]]
    spread = f", first results after {min(times):.2f} to {max(times):.2f} s (median {statistics.median(times):.2f})" if times else ""
    print(f"  all {len(rows)} queries: {held} of {shown} results hold the query{spread}")


@contextlib.contextmanager
def served(public: Path) -> Iterator[str]:
    """public served on a free local port: its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(public)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    sys.exit(main())

"""The built sample site in Debian's Chromium, driven by Playwright."""

import functools
import http.server
import threading
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

SEED_PAGE = "documents/000_1e3ef660da145d7e/index.html"
PAGES = ["index.html", SEED_PAGE, "entities/index.html", "quotes/index.html",
         "entities/person/martin-chorzempa/index.html", "404.html"]


@pytest.fixture(scope="module")
def server(sample_site: Path):
    """The sample site served under a subpath, as on a project site."""
    root = sample_site.parent / "host"
    root.mkdir(exist_ok=True)
    if not (root / "archive").exists():
        (root / "archive").symlink_to(sample_site)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/archive/"
    httpd.shutdown()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    response = page.goto(url)
    assert response is not None and response.ok, url
    return page, problems


def test_seed_page_has_highlights_linking_to_entity_pages(browser, server):
    page, problems = open_page(browser, server + SEED_PAGE)
    assert page.locator("html").get_attribute("lang") == "ja"
    highlights = page.locator("a.ent")
    assert highlights.count() >= 30
    types = set(highlights.evaluate_all("els => els.map(e => e.dataset.type)"))
    assert {"PERSON", "ORG", "PLACE"} <= types
    quotes = page.locator(".quote")
    assert quotes.count() >= 10
    first = page.locator('a.ent[data-type="PERSON"]').first
    name = first.get_attribute("title")
    assert name, "a highlight names its entity on hover"
    page.keyboard.press("Tab")
    while not page.evaluate("document.activeElement.classList.contains('ent')"):
        page.keyboard.press("Tab")  # keyboard alone reaches the first highlight
    display, content, title = page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el, '::after');
        return [style.display, style.content, el.title];
    }""")
    assert display != "none" and title and title in content, "focus shows the entity's name and type"
    first.click()
    page.wait_for_load_state()
    assert "/entities/person/" in page.url
    assert page.locator("h1").inner_text().strip() != ""
    assert problems == []


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_page_kinds_load_cleanly_narrow_and_wide(browser, server, path, width):
    page, problems = open_page(browser, server + path, width)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways at {width}px"
    for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
        if href.startswith(server) and path != "404.html":
            assert page.request.get(href.split("#")[0]).ok, f"{path} links to missing {href}"
    assert problems == []


def test_site_works_from_file_urls(browser, sample_site):
    page, problems = open_page(browser, (sample_site / SEED_PAGE).as_uri())
    link = page.locator("a.ent").first
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert problems == []


def test_facets_filter_a_one_page_list_in_the_browser(browser, make_site):
    from archivist.build import build
    from archivist.config import load_config

    registry = ('[[entity]]\nname = "山田花子"\ntype = "PERSON"\n\n'
                '[[entity]]\nname = "名古屋"\ntype = "PLACE"\n')
    site = make_site({
        "entities.toml": registry,
        "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田花子さんが話した。\n",
        "content/b.md": "---\ntitle: B\ndate: 2023-05-06\n---\n\n名古屋で雨が降った。\n",
        "content/c.md": "---\ntitle: C\ndate: 2023-07-08\n---\n\n山田花子さんは名古屋にいる。\n",
    }, config='title = "Facets"\nprofile = "fast"\n')  # fmt: skip
    assert not build(load_config(site)).problems
    page, problems = open_page(browser, (site / "public" / "index.html").as_uri())
    cards = page.locator(".doc-card")
    assert cards.count() == 3 and page.locator("[data-facets]").is_visible()
    page.locator('[data-facet="types"][data-value="PERSON"]').click()
    assert page.locator(".doc-card:visible").count() == 2
    page.select_option("[data-facet-year]", "2023")
    assert page.locator(".doc-card:visible").all_inner_texts()[0].startswith("C")
    page.locator("[data-facet-clear]").click()
    assert page.locator(".doc-card:visible").count() == 3
    assert problems == []

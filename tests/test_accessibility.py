"""Accessibility of the built sample site in Chromium: axe-core, the keyboard, JavaScript off.

axe-core comes from the npm registry (`make checkers`, run by `make test`); it is injected
into every page kind, in light and dark colour schemes, narrow and wide.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".venv" / "checkers" / "node_modules" / "axe-core" / "axe.min.js"
SEED_PAGE = "documents/000_1e3ef660da145d7e/index.html"
ENTITY_TYPES = ("person", "org", "place", "product", "event")
BLOCKING = ("serious", "critical")


def page_kinds(public: Path) -> dict[str, str]:
    """One output path per page kind, an entity page of each type included."""
    kinds = {
        "index": "index.html",
        "document": SEED_PAGE,
        "entities": "entities/index.html",
        "quotes": "quotes/index.html",
        "search": "search/index.html",
        "404": "404.html",
    }
    for kind in ENTITY_TYPES:
        pages = sorted((public / "entities" / kind).glob("*/index.html"))
        assert pages, f"the sample site has no {kind} page"
        kinds[f"entity-{kind}"] = pages[0].relative_to(public).as_posix()
    return kinds


LONG_LIST_PAGES = {  # the document list cut into pages, served beside the sample site
    "long list, first page": "../long/index.html",
    "long list, a middle page": "../long/page/3/index.html",
    "long quote index, second page": "../long/quotes/page/2/index.html",
    "entity in many documents, second page": "../long/entities/person/山田花子/page/2/index.html",
}


@pytest.fixture(scope="module")
def server(sample_site: Path, long_site: Path):
    """The sample site served under a subpath, as on a project site; the long one beside it."""
    root = sample_site.parent / "host-a11y"
    root.mkdir(exist_ok=True)
    for name, public in (("archive", sample_site), ("long", long_site)):
        if not (root / name).exists():
            (root / name).symlink_to(public)
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/archive/"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make checkers` (part of `make test`)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is shown."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        """async () => await axe.run(document, {resultTypes: ['violations']})"""
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            reason = node["failureSummary"].splitlines()[-1]
            lines.append(f"    {' '.join(node['target'])}: {reason}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_serious_violation_on_any_page_kind(browser, server, sample_site, axe_source,
                                                         scheme, width):
    found = {}
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        for kind, path in {**page_kinds(sample_site), **LONG_LIST_PAGES}.items():
            page = context.new_page()
            page.goto(server + path)
            page.wait_for_load_state("load")
            # Open the closed disclosures too, so what they hide is checked as well.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            violations = axe_violations(page, axe_source)
            if violations:
                found[f"{kind} ({path})"] = describe(violations)
            page.close()
    finally:
        context.close()
    assert not found, "\n".join(f"{k}:\n{v}" for k, v in found.items())


# Marks every element focus lands on, and whether focus was visible there.
RECORD_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    el.dataset.focused = visible ? 'visible' : 'invisible';
    return el.outerHTML.slice(0, 120);
}"""
KEYBOARD_TARGETS = {
    "entity highlight": "[data-doc-text] .ent",
    "quote highlight": "[data-doc-text] .quote",
    "type switch": "input[data-type]",
    "site navigation": ".site-nav a",
    "citation box": ".cite-box > summary",
    "side panel link": ".aside a",
    "quote citation": ".aside .cite > summary",
}


def tab_through(page, presses: int) -> list[str]:
    """Press Tab until focus comes back to the first element it reached; what it reached."""
    reached: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        html = page.evaluate(RECORD_FOCUS)
        if html is not None and reached and html == reached[0]:
            break
        if html is not None:
            reached.append(html)
    return reached


def missed(page, selector: str) -> list[str]:
    """Elements matching selector that focus never reached, or reached without a visible mark."""
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.dataset.focused !== 'visible')"
        "          .map(e => e.outerHTML.slice(0, 120))"
    )


def test_keyboard_alone_reaches_every_highlight_and_control_with_visible_focus(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + SEED_PAGE)
    page.wait_for_load_state("load")
    focusable = page.locator("a[href], button, input, summary, [tabindex='0']").count()
    tab_through(page, focusable + 20)
    problems = {}
    for name, selector in KEYBOARD_TARGETS.items():
        assert page.locator(selector).count(), f"the document page has no {name}"
        problems.update({f"{name}: {html}": "" for html in missed(page, selector)})
    assert not problems, "not reached, or focus not visible:\n" + "\n".join(problems)
    # Opening the citation box from the keyboard offers a copy button for each format.
    page.focus(".cite-box > summary")
    page.keyboard.press("Enter")
    buttons = page.locator(".cite-box .copy-button")
    buttons.nth(2).wait_for()  # the buttons come with the toggle event, a task after the key
    assert buttons.count() == 3
    for _ in range(buttons.count()):
        page.keyboard.press("Tab")
        page.evaluate(RECORD_FOCUS)
    assert not missed(page, ".cite-box .copy-button")
    page.close()


def test_everything_but_search_works_with_javascript_off(browser, server, sample_site):
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    try:
        for kind, path in page_kinds(sample_site).items():
            page.goto(server + path)
            # No control that needs script is left on show without it.
            assert page.locator("button:visible, input:visible, select:visible").count() == 0, kind
            assert page.locator(".site-nav a:visible").count() == 4, kind
        page.goto(server + SEED_PAGE)
        highlights = page.locator("[data-doc-text] a.ent")
        assert highlights.count() >= 30 and highlights.first.is_visible()
        assert page.locator("[data-doc-text] .quote").first.is_visible()
        assert page.locator(".legend-item:visible").count() >= 3  # the key, without switches
        page.locator(".cite-box > summary").click()  # <details> opens without script
        assert page.locator(".cite-box pre").first.is_visible()
        highlights.first.click()
        page.wait_for_load_state()
        assert "/entities/" in page.url and page.locator("h1").inner_text().strip()
        page.locator(".site-nav a").nth(2).click()
        page.wait_for_load_state()
        assert page.url.endswith("/quotes/index.html")
        page.goto(server + "search/index.html")
        notice = page.locator("p.notice", has_text="JavaScript")  # the one thing that needs it
        assert notice.is_visible()
    finally:
        context.close()


def test_a_long_list_is_browsed_without_javascript(browser, long_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto((long_site / "index.html").as_uri())
        assert page.locator(".facets-links").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 1
        assert page.locator("button:visible").count() == 0
        page.locator(".facets-links a", has_text="2021").click()
        page.wait_for_load_state()
        assert page.url.endswith("/page/4/index.html#year-2021")
        assert page.locator("#year-2021").is_visible()
        page.locator(".pager a[rel=next]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/page/5/index.html")
        assert page.locator(".pager a[aria-current=page]").inner_text() == "5"
        assert page.locator(".pager a[rel=next]").count() == 0
    finally:
        context.close()

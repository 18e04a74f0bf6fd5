"""Every internal link and anchor of a built site resolves, at a domain root and under a subpath.

Each HTML file is parsed with html.parser; every href and src that stays on the site
(relative, root-relative, or absolute under base_url) is resolved as a browser would from
the page's address, and the file and #fragment it names must exist in the output.
The 404 page is also checked as a host shows it: at the address of any missing page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from archivist.build import build
from archivist.config import load_config
from conftest import LONG_COUNT

HOST = "https://example.org"
LINK_ATTRIBUTES = {"href", "src"}
NOT_FOUND = "404.html"
DEEP_MISSING = "no/such/page/"  # a missing address where a host shows the 404 page
NEAR_MISSING = "no-such-page.html"  # one beside 404.html: all a site without base_url needs


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)  # fragment targets: id, and name on <a>
    links: list[str] = field(default_factory=list)  # every href and src, as written
    base: str | None = None  # <base href>, when the page has one


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            elif name in LINK_ATTRIBUTES and tag == "base":
                self.page.base = value
            elif name in LINK_ATTRIBUTES:
                self.page.links.append(value)


def parse(path: Path) -> ParsedPage:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def broken_links(public: Path, prefix: str, missing: str = DEEP_MISSING) -> list[str]:
    """Every link of every page that leads to no file or no anchor; the site served at prefix.

    404.html is checked at its own address and as shown for the missing address.
    """
    pages = {p.relative_to(public).as_posix(): parse(p) for p in sorted(public.rglob("*.html"))}
    shown_at = {path: [path] for path in pages}
    shown_at[NOT_FOUND] = [NOT_FOUND, missing]
    problems = []
    for path, page in pages.items():
        for address in shown_at[path]:
            page_url = HOST + prefix + address
            base = urljoin(page_url, page.base) if page.base else page_url
            for link in page.links:
                if link.startswith("#") and not page.base:  # within the page itself
                    ok = link == "#" or unquote(link[1:]) in page.ids
                    problem = None if ok else f"no {link} in the page"
                else:
                    problem = link_problem(public, pages, prefix, urljoin(base, link))
                if problem:
                    problems.append(f"{path} (shown at {prefix}{address}): {link} -> {problem}")
    return problems


def link_problem(public: Path, pages: dict[str, ParsedPage], prefix: str, url: str) -> str | None:
    """What is wrong with an absolute address, or None when it is fine or not ours."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != HOST:
        return None  # another site, mailto:, data: and the like
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return "outside the site"
    target = path[len(prefix):]
    if target == "" or target.endswith("/"):
        target += "index.html"
    elif (public / target).is_dir():
        target += "/index.html"
    if not (public / target).is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no #{fragment} in {target}"
    return None


def built_copy(sample: Path, folder: Path, base_url: str) -> Path:
    """The sample archive (annotation cache included) rebuilt with another base_url."""
    site = folder / "site"
    shutil.copytree(sample.parent, site, ignore=shutil.ignore_patterns("public"))
    result = build(load_config(site, base_url=base_url))
    assert not result.problems, result.problems
    return site / "public"


@pytest.fixture(scope="module")
def subpath_site(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_copy(sample_site, tmp_path_factory.mktemp("subpath"), HOST + "/archive/")


@pytest.mark.parametrize("prefix", ["/", "/archive/"])
def test_no_broken_link_without_base_url(sample_site, prefix):
    # Relative links work anywhere; the 404 page needs base_url to work at any depth.
    problems = broken_links(sample_site, prefix, missing=NEAR_MISSING)
    assert not problems, "\n".join(problems)


def test_no_broken_link_under_a_subpath_with_base_url(subpath_site):
    problems = broken_links(subpath_site, "/archive/")
    assert not problems, "\n".join(problems)


def test_the_404_page_links_under_base_url_from_any_depth(subpath_site):
    page = parse(subpath_site / NOT_FOUND)
    internal = [link for link in page.links if not urlsplit(link).netloc and link[0] != "#"]
    assert internal and all(link.startswith("/archive/") for link in internal), internal


def test_the_checker_finds_a_missing_anchor_and_a_missing_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#there">ok</a><a href="a/#gone">x</a>'
        '<a href="b/index.html">x</a><a href="/x.css">x</a><a href="https://other.org/">ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<p id="there"></p>', encoding="utf-8")
    problems = broken_links(tmp_path, "/archive/")
    assert [p.split(" -> ")[1] for p in problems] == [
        "no #gone in a/index.html", "no such file", "outside the site",
    ]



def test_a_long_list_is_cut_into_linked_pages(long_site):
    pages = [long_site / "index.html"] + sorted((long_site / "page").glob("*/index.html"))
    assert [p.relative_to(long_site).as_posix() for p in pages] == [
        "index.html", *(f"page/{n}/index.html" for n in range(2, 6))
    ]
    second = (long_site / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="prev" href="../../index.html">' in second
    assert '<link rel="next" href="../3/index.html">' in second
    assert 'aria-current="page">2</a>' in second


def test_every_document_is_reachable_from_the_list(long_site):
    listed = []
    for page in [long_site / "index.html", *(long_site / "page").glob("*/index.html")]:
        base = page.parent.relative_to(long_site).as_posix()
        documents = [urljoin(f"/{base}/", link) for link in parse(page).links
                     if "documents/" in link and "#" not in link]  # fmt: skip
        assert 0 < len(set(documents)) <= 50, page
        listed += set(documents)
    built = {f"/{p.relative_to(long_site).as_posix()}"
             for p in (long_site / "documents").glob("*/index.html")}  # fmt: skip
    assert len(built) == LONG_COUNT and sorted(listed) == sorted(built)


@pytest.mark.parametrize("prefix", ["/", "/archive/"])
def test_no_broken_link_in_a_long_archive(long_site, prefix):
    problems = broken_links(long_site, prefix, missing=NEAR_MISSING)
    assert not problems, "\n".join(problems)


def test_a_long_quote_index_is_cut_into_linked_pages(long_site):
    count = len(list((long_site / "quotes/page").glob("*/index.html"))) + 1
    pages = [long_site / "quotes/index.html", *(long_site / f"quotes/page/{n}/index.html" for n in range(2, count + 1))]
    assert count >= 2 and all(page.is_file() for page in pages)
    held = [len([i for i in parse(page).ids if i.startswith("q-")]) for page in pages]
    quotes = [i for page in pages for i in parse(page).ids if i.startswith("q-")]
    assert len(quotes) == len(set(quotes)) == LONG_COUNT  # every quote once: 山田花子's, one a document
    assert all(100 <= n <= 400 for n in held[:-1])  # PAGE_SIZE 200: from half as many to twice
    text = pages[1].read_text(encoding="utf-8")
    assert "（続き）" in text  # her group goes on under the same heading
    assert '<link rel="prev" href="../../index.html">' in text
    assert 'aria-current="page">2</a>' in text


def test_a_name_in_many_documents_lists_its_mentions_on_linked_pages(long_site):
    folder = long_site / "entities/person/山田花子"
    pages = [folder / "index.html", *(folder / "page" / str(n) / "index.html" for n in range(2, 6))]
    assert sorted(folder.rglob("index.html")) == sorted(pages)  # 250 documents, 50 a page
    listed = []
    for page in pages:
        documents = [urljoin(f"/{page.parent.relative_to(long_site).as_posix()}/", link).split("#")[0]
                     for link in parse(page).links if "documents/" in link and "#b-" in link]  # fmt: skip
        assert len(set(documents)) == 50, page
        listed += dict.fromkeys(documents)
    assert len(listed) == len(set(listed)) == LONG_COUNT  # every document once
    second = pages[1].read_text(encoding="utf-8")
    assert '<link rel="prev" href="../../index.html">' in second
    assert 'aria-current="page">2</a>' in second
    assert 'id="quotes-by"' in pages[0].read_text(encoding="utf-8")  # her quotes, on the first page only
    assert 'id="quotes-by"' not in second and "application/ld+json" not in second

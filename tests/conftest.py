"""Shared fixtures: a tiny site written from a dict, and the sample archive built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SITE = ROOT / "site"
SEED = ROOT / "site" / "content" / "000_1e3ef660da145d7e.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/")


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory):
    """The user's cache folder (the source store's secret) in a temporary folder, and
    no build daemon left behind by a build whose output is the terminal's
    (test_build_daemon.py asks for one)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        patch.setenv("ARCHIVIST_DAEMON", "0")
        yield


@pytest.fixture
def make_site(tmp_path: Path):
    """Write a site from {relative path: text or bytes} and return its folder."""

    def make(files: dict[str, str | bytes], config: str = 'title = "Test"\n') -> Path:
        site = tmp_path / "site"
        (site / "content").mkdir(parents=True, exist_ok=True)
        (site / "archive.toml").write_text(config, encoding="utf-8")
        for name, content in files.items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return site

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive copied to a temporary folder and built once per test run."""
    from archivist.build import build
    from archivist.config import load_config

    site = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(SAMPLE_SITE, site, ignore=shutil.ignore_patterns("public", ".archivist"))
    result = build(load_config(site))
    assert not result.problems, result.problems
    return site / "public"


LONG_REGISTRY = """\
[[entity]]
name = "山田花子"
type = "PERSON"
wikidata = "Q42"

[[entity]]
name = "経済産業省"
type = "ORG"

[[entity]]
name = "名古屋"
type = "PLACE"
"""
LONG_COUNT = 250  # documents: five pages of the document list


def write_long_archive(folder: Path) -> Path:
    """An archive of LONG_COUNT short Markdown documents over five years, a few undated."""
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    (site / "archive.toml").write_text('title = "長い一覧"\nprofile = "fast"\n', encoding="utf-8")
    (site / "entities.toml").write_text(LONG_REGISTRY, encoding="utf-8")
    for n in range(LONG_COUNT):
        date = f"date: {2020 + n % 5}-{1 + n % 12:02d}-{1 + n % 28:02d}\n" if n % 25 else ""
        text = (
            f"---\ntitle: 記事{n:03d}\n{date}---\n\n"
            f"山田花子さんは名古屋で{n}回目の会見を開き、「準備は進んでいる」と語った。\n\n"
            f"経済産業省は{n}件の申請を受け付けた。\n"
        )
        (site / "content" / f"doc-{n:03d}.md").write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive of LONG_COUNT documents (fast profile), built once per test run."""
    from archivist.build import build
    from archivist.config import load_config

    site = write_long_archive(tmp_path_factory.mktemp("long"))
    result = build(load_config(site))
    assert not result.problems, result.problems
    return site / "public"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, started once per test run."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

"""Review mode: the preview server's review page, its overrides, and nothing of it published."""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest
from waiting import wait_for

REVIEW = "__archivist__/review"
ARTICLE = """---
title: 記者会見
---

山田太郎氏は14日、東京都内で新しい計画を発表した。トヨタ自動車も参加する。

山田氏は「来年には全国に広げたい」と語った。トヨタ自動車は大阪にも工場を持つ。NHKが報じた。
"""
REGISTRY = '[[entity]]\nname = "山田太郎"\ntype = "PERSON"\nslug = "taro-yamada"\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def builds(base: str) -> int:
    """The latest build's number (the reload endpoint answers at once when asked for "now")."""
    return int(get(base + "__archivist__/wait?build=now")[1])


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """archivist serve --review on a small archive; (site, base URL)."""
    site = tmp_path_factory.mktemp("review") / "site"
    (site / "content").mkdir(parents=True)
    (site / "archive.toml").write_text('title = "Review"\nprofile = "fast"\n', encoding="utf-8")
    (site / "entities.toml").write_text(REGISTRY, encoding="utf-8")
    (site / "content" / "a.md").write_text(ARTICLE, encoding="utf-8")
    port = free_port()
    log = (site.parent / "serve.log").open("w")
    command = [sys.executable, "-m", "archivist", "serve", str(site), "--port", str(port), "--review"]
    process = subprocess.Popen(command, stderr=log)
    base = f"http://127.0.0.1:{port}/"
    assert wait_for(lambda: _answers(base), 120), (site.parent / "serve.log").read_text()
    yield site, base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _answers(base: str) -> bool:
    try:
        return get(base)[0] == 200
    except OSError:
        time.sleep(0.1)
        return False


def rows(page: str) -> list[dict[str, str]]:
    """Each mention row: confidence, source, words and its snippets by action."""
    found = []
    for row in re.findall(r'<tr class="mention">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        snippets = dict(re.findall(r'<pre class="snippet" data-action="([^"]+)">(.*?)</pre>', row, re.S))
        found.append({"confidence": float(cells[0]), "source": cells[1], "type": cells[2],
                      "words": html.unescape(re.search(r"<mark>(.*?)</mark>", cells[3]).group(1)),
                      **{k: html.unescape(v) for k, v in snippets.items()}})
    return found


def test_review_lists_annotators_and_confidence_doubtful_first(review_server):
    site, base = review_server
    status, page = get(base + REVIEW)
    assert status == 200
    found = rows(page)
    assert len(found) >= 4
    confidences = [r["confidence"] for r in found]
    assert confidences == sorted(confidences)
    assert confidences[0] < 1.0
    assert {"registry", "rules"} <= {r["source"] for r in found}
    assert any(r["words"] == "山田太郎" and r["source"] == "registry" for r in found)
    assert all({"reject", "change type", "link"} <= set(r) for r in found)
    assert "content/a.overrides.toml" in page
    assert 'id="quotes"' in page and "来年には全国に広げたい" in page


def test_a_pasted_override_from_the_review_page_takes_effect(review_server):
    site, base = review_server
    target = next(r for r in rows(get(base + REVIEW)[1]) if r["words"] == "トヨタ自動車")
    assert target["reject"].startswith('[[reject]]\nexact = "トヨタ自動車"\nprefix = ')
    before = builds(base)
    (site / "content" / "a.overrides.toml").write_text(target["reject"], encoding="utf-8")
    assert wait_for(lambda: builds(base) > before, 60)
    data = json.loads((site / "public" / "data" / "documents" / "a.json").read_text(encoding="utf-8"))
    minato = [m for m in data["mentions"] if m["text"] == "トヨタ自動車"]
    assert len(minato) == 1  # the other occurrence, told apart by its context, stays
    after = rows(get(base + REVIEW)[1])
    assert sum(r["words"] == "トヨタ自動車" for r in after) == 1


def test_nothing_of_the_review_mode_is_published(review_server):
    site, _ = review_server
    public = site / "public"
    assert not (public / "__archivist__").exists()
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".css", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "__archivist__" not in text and "page-review" not in text, path


def test_without_review_there_is_no_review_page(tmp_path):
    from archivist.build import build
    from archivist.config import load_config
    from archivist.serve import BuildState, make_handler

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "archive.toml").write_text('title = "T"\nprofile = "fast"\n', encoding="utf-8")
    (site / "content" / "a.md").write_text(ARTICLE, encoding="utf-8")
    build(load_config(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site / "public", BuildState()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert get(base + REVIEW)[0] == 404
        assert get(base)[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_pasted_quote_override_sets_speaker_and_kind(review_server):
    site, base = review_server
    page = get(base + REVIEW)[1]
    row = next(r for r in re.findall(r'<tr class="quote">(.*?)</tr>', page, re.S) if "来年には" in r)
    snippet = html.unescape(re.search(r'<pre class="snippet">(.*?)</pre>', row, re.S).group(1))
    assert snippet.startswith('[[quote]]\nexact = "来年には全国に広げたい"\nprefix = ')
    edited = re.sub(r'speaker = "[^"]*"', 'speaker = "person/taro-yamada"', snippet)
    edited = re.sub(r'kind = "[^"]*"', 'kind = "partial"', edited)
    overrides = site / "content" / "a.overrides.toml"
    before = builds(base)
    existing = overrides.read_text(encoding="utf-8") if overrides.exists() else ""
    overrides.write_text(existing + "\n" + edited, encoding="utf-8")
    assert wait_for(lambda: builds(base) > before, 60)
    data = json.loads((site / "public" / "data" / "documents" / "a.json").read_text(encoding="utf-8"))
    quote = next(q for q in data["quotes"] if q["text"] == "来年には全国に広げたい")
    assert (quote["kind"], quote["speaker"]) == ("partial", "person/taro-yamada")

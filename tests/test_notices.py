"""A quotation bracket that never closes is reported, and swallows nothing."""

from __future__ import annotations

import json
import subprocess
import sys

from archivist.annotators.quotes import find_pairs, unclosed
from archivist.build import build
from archivist.config import load_config
from archivist.errors import ContentWarning

ARTICLE = """---
title: 会見
---

山田氏は「予算は足りない、と述べたが閉じていない。

田中氏は「次の会議で決める」と語った。

佐藤氏は「賛成だ」と述べ、鈴木氏は「反対『絶対に」と語った。
"""


def test_unclosed_finds_every_opener_left_open_inside_or_outside_quotes() -> None:
    assert unclosed("彼は「こんにちは") == [2]
    assert unclosed("「a」と「b") == [4]
    assert unclosed("「外『内」") == [2]  # inside a quote that closes
    assert unclosed("“open") == [0]
    assert unclosed("「完全」と『本』") == []
    assert find_pairs("「a」と「b") == [(0, 2)]  # the open one is not a quote


def test_build_warns_names_the_file_and_block_and_keeps_later_quotes(make_site) -> None:
    site = make_site({"content/a.md": ARTICLE, "content/b.md": "---\ntitle: b\n---\n\n普通の文。\n"})
    result = build(load_config(site, profile="fast"))
    warnings = [p for p in result.problems if isinstance(p, ContentWarning)]
    assert len(warnings) == 2 and result.errors == []
    assert all(w.path == "content/a.md" for w in warnings)
    assert "block 1: 「 at character 5 never closes" in str(warnings[0])
    assert "『" in str(warnings[1])
    assert result.documents == 2 and "2 warning(s)" in result.summary()
    data = json.loads(next((site / "public" / "data" / "documents").glob("a*.json")).read_text(encoding="utf-8"))
    quoted = [q["text"] for q in data["quotes"]]
    assert "次の会議で決める" in quoted and "賛成だ" in quoted  # not swallowed by the open bracket
    assert not any(q.startswith("予算は足りない") for q in quoted)


def test_cli_prints_warnings_and_still_succeeds(make_site) -> None:
    site = make_site({"content/a.md": ARTICLE}, config='title = "T"\nprofile = "fast"\n')
    for command in ("check", "build"):
        run = subprocess.run([sys.executable, "-m", "archivist", command, str(site)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert run.stderr.count("warning: content/a.md: block") == 2, run.stderr


def test_a_quote_a_later_paragraph_closes_is_no_mistake() -> None:
    from archivist.model import Block, Document
    from archivist.notices import document_notices

    def notices(*texts: str) -> list[str]:
        document = Document("d", "d", "d.txt", "ja", "t", [Block("paragraph", t) for t in texts])
        return [str(n) for n in document_notices(document)]

    assert notices("「長い発言の始まり、", "その続きです」と語った。") == []
    assert len(notices("「閉じない発言", "地の文。")) == 1


def test_one_mark_typed_twice_is_no_mistake() -> None:
    from archivist.model import Block, Document
    from archivist.notices import document_notices

    document = Document("d", "d", "d.txt", "ja", "t", [Block("paragraph", "“切腹“と“介錯")])
    notices = [str(n) for n in document_notices(document)]
    assert len(notices) == 1 and "block 1: “ at character 6 never closes" in notices[0]  # only the third
    assert "'“切腹“と“介錯'" in notices[0]  # quoted as written, not as paired

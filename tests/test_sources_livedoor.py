"""The livedoor layout, on a hand-written article in that layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.errors import DocumentError
from archivist.model import Block, Related
from archivist.sources import read_document
from archivist.sources.livedoor import parse
from archivist.sources.parsed import ParseError

FIXTURE = Path(__file__).resolve().parent / "cases" / "sources" / "livedoor-layout.txt"


@pytest.fixture(scope="module")
def document():
    return read_document(FIXTURE)


def test_header(document):
    assert document.meta["layout"] == "livedoor"
    assert document.url == "http://news.example.jp/article/detail/1234567/"
    assert document.date == "2013-04-01T09:30:00+0900"
    assert document.title == "港町の古書店、百年目の春を迎える"
    assert document.lang == "ja"


def test_body_one_block_per_line(document):
    assert document.blocks == [
        Block(
            "paragraph",
            "海沿いの小さな町で、古書店「潮風堂」が創業百年を迎えた。"
            "店主の山田花子さんは「本が好きな人が集まる場所を守りたい」と話す。",
        ),
        Block("paragraph", "店には地元の郷土史や古い地図が並び、週末には遠方から訪れる客も多い。"),
        Block("paragraph", "記念の展示は今月末まで続く。"),
        Block("heading", "■展示の見どころ"),
        Block("paragraph", "創業当時の帳簿と、初代店主が描いた店の絵が公開されている。"),
        Block("paragraph", "Copyright 2013 Example News. All rights reserved."),
    ]


def test_related_lists_with_urls(document):
    assert document.related == [
        Related("港町に新しい図書館が開館", "http://news.example.jp/article/detail/1234000/"),
        Related("古書の修復を学ぶ講座、今年も満員"),
        Related("潮風堂の公式サイト", "https://shiokaze.example.jp/"),
    ]


def test_related_lists_are_not_body(document):
    source = FIXTURE.read_text(encoding="utf-8")
    for block in document.blocks:
        assert block.text in source
        assert "関連" not in block.text
        assert "図書館" not in block.text
        assert not block.text.startswith(("・", "http"))


def test_headline_without_mark_and_inline_list():
    parsed = parse(
        "https://news.example.jp/a/1/\n2012-05-06T10:00:00+0900\n題名\n本文。\n\n"
        "【関連記事】\n市場の話題\n https://news.example.jp/a/2/ \n\n"
        "【関連ニュース】・同じ行の見出し\n\n続きの本文。\n"
    )
    assert parsed.related == [
        Related("市場の話題", "https://news.example.jp/a/2/"),
        Related("同じ行の見出し"),
    ]
    assert [block.text for block in parsed.blocks] == ["本文。", "続きの本文。"]


def test_explicit_layout_on_other_text_is_rejected(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("題名\n本文です。\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="line 1 is not a URL") as error:
        read_document(path, layout="livedoor")
    assert "note.txt" in str(error.value)
    with pytest.raises(ParseError, match="ISO date"):
        parse("http://example.jp/\nyesterday\n題名\n本文\n")

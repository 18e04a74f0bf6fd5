"""Quotes: brackets and nesting, kinds, cues and the words naming the speaker."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from archivist.annotators import AnnotateContext, quotes
from archivist.model import Block, Document
from archivist.registry import Registry

CASES = tomllib.loads((Path(__file__).parent / "cases" / "annotators" / "quotes.toml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_quote_case(case: dict) -> None:
    text = case["text"]
    found = quotes.find_quotes(text, case.get("lang", "ja"))
    for quote in found:
        assert text[quote.start:quote.end] == quote.text
        assert text[quote.start - 1] in "「『“\"" and text[quote.end] in "」』”\""
        if quote.speaker_text is not None:
            start = quote.speaker_start
            assert text[start:start + len(quote.speaker_text)] == quote.speaker_text
    expected = [(q["text"], q["kind"], q.get("cue"), q.get("speaker")) for q in case["quotes"]]
    assert [(q.text, q.kind, q.cue, q.speaker_text) for q in found] == expected


def test_find_pairs_outermost_only() -> None:
    text = "「外『中「奥」中』外」と「閉じない"
    assert quotes.find_pairs(text) == [(0, 10)]
    assert quotes.find_pairs("「」と『』") == []  # empty pairs are not quotes


def test_annotate_numbers_blocks_and_skips_nothing() -> None:
    doc = Document("d", "d", "d.txt", "ja", "t",
                   [Block("paragraph", "見出し"), Block("paragraph", "彼は「はい」と語った。「いいえ」")])
    result = quotes.annotate(doc, AnnotateContext(names=("quotes",), registry=Registry.empty()))
    assert [(q.block, q.text) for q in result.quotes] == [(1, "はい"), (1, "いいえ")]
    assert result.mentions == []
    assert quotes.settings(None) == ""

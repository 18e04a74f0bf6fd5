"""The Markdown layout: front matter, rendered blocks, and sanitising of raw HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.errors import DocumentError
from archivist.model import Block
from archivist.sources import read_document
from archivist.sources.markdown import parse
from archivist.sources.parsed import ParseError

CASES = Path(__file__).resolve().parent / "cases" / "sources"


def test_yaml_front_matter():
    document = read_document(CASES / "yaml-front.md")
    assert document.title == "港の朝"
    assert document.date == "2024-03-05"
    assert document.byline == "佐藤次郎"
    assert document.lang == "ja"
    assert document.tags == ["港", "朝市"]
    assert document.url == "https://example.org/minato"
    assert document.meta == {
        "series": "町の記録",
        "draft": "false",
        "layout": "markdown",
        "encoding": "utf-8",
    }


def test_yaml_body_blocks_are_rendered_text():
    document = read_document(CASES / "yaml-front.md")
    assert document.blocks == [
        Block("paragraph", "朝市は五時に始まる。漁師の声が&響く。"),
        Block("heading", "魚の種類"),
        Block("paragraph", "アジ"),
        Block("paragraph", "サバ"),
        Block("paragraph", "最後の段落。"),
    ]


def test_raw_html_does_not_pass_through():
    document = read_document(CASES / "yaml-front.md")
    for block in document.blocks:
        for unsafe in ("alert", "<script", "onerror", "onclick", "steal", "color: red", "<"):
            assert unsafe not in block.text


def test_toml_front_matter():
    document = read_document(CASES / "toml-front.md")
    assert document.title == "A Quiet Harbour"
    assert document.date == "2024-03-05T06:30:00+09:00"
    assert document.byline == "Jiro Sato"
    assert document.tags == ["harbour", "morning"]
    assert document.lang == "en"
    assert document.blocks == [
        Block("paragraph", "The morning market opens at five. Fishermen call out their catch."),
        Block("heading", "Fish of the day"),
        Block("paragraph", "Mackerel and horse mackerel, fresh from the boats."),
    ]


def test_title_from_first_h1_then_stem(tmp_path):
    parsed = parse("Intro line.\n\n# The Title\n\nBody.\n\n# Second h1\n")
    assert parsed.title == "The Title"
    assert parsed.blocks == [
        Block("paragraph", "Intro line."),
        Block("paragraph", "Body."),
        Block("heading", "Second h1"),
    ]
    path = tmp_path / "no-title.md"
    path.write_text("Just a paragraph.\n", encoding="utf-8")
    assert read_document(path).title == "no-title"


def test_nested_blocks_and_tables():
    parsed = parse(
        "> quoted **bold** text\n\n"
        "1. first\n\n   second paragraph\n\n"
        "| a | b |\n|---|---|\n| x &lt; y | z |\n\n"
        "```\ncode  line\n```\n"
    )
    assert [block.text for block in parsed.blocks] == [
        "quoted bold text",
        "first",
        "second paragraph",
        "a",
        "b",
        "x < y",
        "z",
        "code  line",
    ]


@pytest.mark.parametrize(
    "name, problem",
    [("bad-yaml.md", "bad YAML front matter on line 3"), ("unclosed-front.md", "never closed")],
)
def test_malformed_front_matter_is_rejected(name, problem):
    with pytest.raises(DocumentError, match=problem) as error:
        read_document(CASES / name)
    assert name in str(error.value)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("+++\ntitle = \n+++\nBody\n", "bad TOML front matter"),
        ("---\n- a\n- b\n---\nBody\n", "table of keys"),
        ("---\ntitle: [a, b]\n---\nBody\n", "'title' must be a single value"),
        ("---\ndate: 2024-13-45\n---\nBody\n", "bad YAML front matter: month must be"),
        ("---\na: &x [*x]\n---\nBody\n", "aliases"),
    ],
)
def test_bad_front_matter_values(text, problem):
    with pytest.raises(ParseError, match=problem):
        parse(text)


def test_deep_nesting_is_a_parse_error():
    with pytest.raises(ParseError, match="nested too deeply"):
        parse("- " * 3000 + "x\n")


def test_front_matter_tags_from_string_and_empty_front_matter():
    assert parse("---\ntags: a, b ,c\n---\nx\n").tags == ["a", "b", "c"]
    assert parse("---\n---\n# T\n").title == "T"

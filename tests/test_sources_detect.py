"""Layout detection, the plain-text layout, and language detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.model import Block
from archivist.sources import read_document
from archivist.sources.detect import detect_layout
from archivist.sources.lang import detect_language
from archivist.sources.text import parse

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "sources"
SEED = ROOT / "site" / "content" / "000_1e3ef660da145d7e.txt"


@pytest.mark.parametrize(
    "name, layout",
    [
        ("scraped-layout.txt", "scraped"),
        ("livedoor-layout.txt", "livedoor"),
        ("yaml-front.md", "markdown"),
        ("toml-front.md", "markdown"),
        ("english.txt", "text"),
        ("japanese.txt", "text"),
    ],
)
def test_fixture_layouts(name, layout):
    path = CASES / name
    assert detect_layout(path.read_text(encoding="utf-8"), path.suffix) == layout


def test_seed_is_scraped():
    assert detect_layout(SEED.read_text(encoding="utf-8"), ".txt") == "scraped"


def test_front_matter_makes_markdown_whatever_the_suffix():
    assert detect_layout("---\ntitle: x\n---\nBody\n", ".txt") == "markdown"
    assert detect_layout("+++\ntitle = 'x'\n+++\nBody\n", ".txt") == "markdown"
    assert detect_layout("Title\n\nBody\n", ".md") == "markdown"
    assert detect_layout("Title\n\nBody\n", ".MARKDOWN") == "markdown"


def test_livedoor_needs_url_then_date():
    assert detect_layout("https://a.example/1\n2012-01-02T03:04:05+0900\nT\nB\n") == "livedoor"
    assert detect_layout("https://a.example/1\n2012-01-02\nT\nB\n") == "livedoor"
    assert detect_layout("https://a.example/1\nnot a date\nT\nB\n") == "text"


def test_one_long_line_of_joined_paragraphs_is_scraped():
    body = " ".join(["これは段落の文です。" * 40] * 4)
    assert detect_layout(f"{body}\n題名\n") == "scraped"
    assert detect_layout("題名\n" + "これは段落の文です。" * 200 + "\n") == "text"


def test_text_layout_blank_line_paragraphs():
    parsed = parse("\n  Title line  \n\nFirst paragraph\nstill first.\n\n\nSecond.\n")
    assert parsed.title == "Title line"
    assert parsed.blocks == [
        Block("paragraph", "First paragraph\nstill first."),
        Block("paragraph", "Second."),
    ]


def test_text_layout_line_paragraphs_without_blank_lines():
    document = read_document(CASES / "japanese.txt")
    assert document.meta["layout"] == "text"
    assert document.title == "川沿いの散歩"
    assert document.blocks == [
        Block("paragraph", "桜はまだ三分咲きで、風は少し冷たかった。"),
        Block("paragraph", "角の喫茶店では、店主が祭りの話をしていた。"),
    ]


def test_title_only_text():
    parsed = parse("Only a title\n")
    assert parsed.title == "Only a title" and parsed.blocks == []


def test_languages_of_fixtures():
    assert read_document(CASES / "english.txt").lang == "en"
    assert read_document(CASES / "japanese.txt").lang == "ja"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The committee met on Tuesday to discuss the budget for next year.", "en"),
        ("NVIDIAのCEOであるジェンスン・フアン氏は、Washington D.C.でTrump大統領と会談した。", "ja"),
        ("ソニー", "ja"),
        ("Toyota's slogan, 「もっといいクルマ」, appeared on every poster in the "
         "showroom, next to a long list of models, prices, and financing offers.", "en"),
        ("Le comité s'est réuni mardi pour discuter du budget de l'année prochaine.", "fr"),
        ("", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_front_matter_lang_wins(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\nlang: ja\n---\nThis text is written in English.\n", encoding="utf-8")
    assert read_document(path).lang == "ja"

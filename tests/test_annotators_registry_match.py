"""Registry matching: longest match first, word boundaries for Latin names."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.annotators import AnnotateContext, registry_match
from archivist.model import Block, Document
from archivist.registry import Registry, load_registry

CASES = Path(__file__).parent / "cases" / "annotators" / "registry"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(CASES / "good.toml")


def run(registry: Registry, *texts: str) -> list[tuple[int, str, str | None]]:
    doc = Document("d", "d", "d.txt", "ja", "t", [Block("paragraph", t) for t in texts])
    result = registry_match.annotate(doc, AnnotateContext(names=("registry",), registry=registry))
    for m in result.mentions:
        assert doc.blocks[m.block].text[m.start:m.end] == m.text
        assert m.source == "registry" and m.confidence == 1.0
    return [(m.block, m.text, m.entity) for m in result.mentions]


def test_longest_match_first_without_overlap(registry: Registry) -> None:
    found = run(registry, "ジョン・ビラセノール氏は語った。ビラセノール氏はまた述べた。")
    assert found == [
        (0, "ジョン・ビラセノール", "person/john-villasenor"),
        (0, "ビラセノール", "person/john-villasenor"),
    ]


def test_latin_names_need_word_boundaries(registry: Registry) -> None:
    found = run(registry, "OpenAIとAIの話。生成AIとAIチップ。MAIL と AI2 は違う。", "Brookings Institutional")
    # "Brookings Institution" does not end at a word boundary there; "Brookings" does
    assert [text for _, text, _ in found] == ["OpenAI", "AI", "AI", "AI", "Brookings"]
    assert found[0][2] == "org/openai"  # the registry spells it in full-width letters


def test_full_width_text_matches_half_width_names(registry: Registry) -> None:
    assert run(registry, "Ｂｒｏｏｋｉｎｇｓの分析") == [(0, "Ｂｒｏｏｋｉｎｇｓ", "org/ブルッキングス研究所")]


def test_settings_follow_the_registry(registry: Registry) -> None:
    ctx = AnnotateContext(names=("registry",), registry=registry)
    empty = AnnotateContext(names=("registry",), registry=Registry.empty())
    assert registry_match.settings(ctx) != registry_match.settings(empty)
    assert run(Registry.empty(), "ビラセノール") == []

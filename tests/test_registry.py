"""The entity registry: loading entities.toml, its index, and every kind of problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.errors import ProblemList, RegistryError
from archivist.registry import Registry, load_registry

CASES = Path(__file__).parent / "cases" / "annotators" / "registry"


def test_missing_file_is_an_empty_registry(tmp_path: Path) -> None:
    registry = load_registry(tmp_path / "entities.toml")
    assert registry.entities == []
    assert registry.lookup("anything") is None
    assert registry.digest() == Registry.empty().digest()


def test_entities_ids_aliases_and_links() -> None:
    registry = load_registry(CASES / "good.toml")
    person = registry.lookup("ビラセノール")
    assert person is not None
    assert person.id == "person/john-villasenor"
    assert person.name == "ジョン・ビラセノール"
    assert person.aliases == ["ビラセノール", "John Villasenor"]
    assert person.links == {"wikidata": "Q6266073"}
    assert person.description == "Professor at UCLA."
    assert person.registry is True
    assert registry.lookup("Brookings").id == "org/ブルッキングス研究所"
    assert registry.get("org/ブルッキングス研究所").name == "ブルッキングス研究所"


def test_lookup_compares_in_nfkc_form() -> None:
    registry = load_registry(CASES / "good.toml")
    assert registry.lookup("OpenAI").id == "org/openai"
    assert registry.lookup(" John Villasenor ").id == "person/john-villasenor"


def test_digest_changes_with_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[entity]]\nname = "A"\ntype = "ORG"\n', encoding="utf-8")
    first = load_registry(path).digest()
    assert load_registry(path).digest() == first
    path.write_text('[[entity]]\nname = "A"\ntype = "ORG"\naliases = ["B"]\n', encoding="utf-8")
    assert load_registry(path).digest() != first


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ProblemList) as raised:
        load_registry(CASES / "bad.toml")
    messages = [str(p) for p in raised.value.problems]
    assert all(isinstance(p, RegistryError) for p in raised.value.problems)
    assert all(m.startswith(str(CASES / "bad.toml")) for m in messages)
    expected = [
        "entity 2: unknown key 'colour'",
        "entity 2: missing 'name'",
        "entity 3 (Third): type 'COMPANY' is not one of",
        "entity 4 (Fourth): name 'Shared' is already claimed by 'person/first'",
        "entity 5 (first): id 'person/first' is already used",
        "entity 6 (Sixth): 'aliases' must be a list",
        "entity 6 (Sixth): slug 'Not A Slug' is not a URL segment",
    ]
    for text in expected:
        assert any(text in m for m in messages), (text, messages)
    assert len(messages) == len(expected)


def test_one_problem_is_a_registry_error(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[entity]]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match=r"entities.toml: entity 1 \(A\): missing 'type'"):
        load_registry(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[entity]\nname = 1", "cannot read"),
        ('title = "x"\n', "unknown top-level key"),
        ('entity = "x"\n', "must be an array of tables"),
    ],
)
def test_unreadable_or_misshapen_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "entities.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)

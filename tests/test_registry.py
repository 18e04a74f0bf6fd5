"""The entity registry: loading entities.toml, its index, and every kind of problem."""

from __future__ import annotations

import json
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


# Slugs, merges and splits


def registry_from(tmp_path: Path, text: str) -> Registry:
    path = tmp_path / "entities.toml"
    path.write_text(text, encoding="utf-8")
    return load_registry(path)


def test_slugs_keep_japanese_as_written_and_are_never_empty() -> None:
    from archivist.slugs import make_slug

    assert make_slug("東京都") == "東京都"  # no Chinese reading of the kanji
    assert make_slug("ジョン・ビラセノール") == "ジョン-ビラセノール"
    assert make_slug("ＮＨＫ") == "nhk"
    assert make_slug("「」") == make_slug("「」") and make_slug("「」").startswith("x-")
    assert make_slug("「」") != make_slug("『』")


def test_an_explicit_slug_wins_and_collisions_are_numbered_in_file_order(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, (
        '[[entity]]\nname = "Tanaka"\ntype = "PERSON"\n\n'
        '[[entity]]\nname = "TANAKA"\ntype = "PERSON"\n\n'
        '[[entity]]\nname = "田中一郎"\ntype = "PERSON"\nslug = "tanaka"\n'))
    assert [e.id for e in registry.entities] == ["person/tanaka-2", "person/tanaka-3", "person/tanaka"]
    assert registry_from(tmp_path, (
        '[[entity]]\nname = "TANAKA"\ntype = "PERSON"\n\n'
        '[[entity]]\nname = "Tanaka"\ntype = "PERSON"\n\n'
        '[[entity]]\nname = "田中一郎"\ntype = "PERSON"\nslug = "tanaka"\n')).entities[1].id == "person/tanaka-3"


def test_merged_and_split_ids(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, (
        '[[entity]]\nname = "島田紳助"\ntype = "PERSON"\nmerged_from = ["person/紳助", "person/shinsuke"]\n'
        'split_from = ["person/島田"]\n\n'
        '[[entity]]\nname = "島田洋七"\ntype = "PERSON"\nsplit_from = ["person/島田"]\n'))
    assert registry.canonical("person/紳助") == "person/島田紳助"
    assert registry.canonical("person/島田") == "person/島田"  # a split id stands for nobody
    assert registry.canonical("person/other") == "person/other"
    assert registry.redirects() == {"person/紳助": ["person/島田紳助"], "person/shinsuke": ["person/島田紳助"],
                                    "person/島田": ["person/島田紳助", "person/島田洋七"]}


def test_bad_merges_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProblemList) as raised:
        registry_from(tmp_path, (
            '[[entity]]\nname = "A"\ntype = "PERSON"\nmerged_from = ["person/x"]\n\n'
            '[[entity]]\nname = "B"\ntype = "PERSON"\nmerged_from = ["person/x"]\n\n'
            '[[entity]]\nname = "C"\ntype = "PERSON"\nmerged_from = ["person/a"]\n\n'
            '[[entity]]\nname = "D"\ntype = "PERSON"\nsplit_from = ["Not an id"]\n\n'
            '[[entity]]\nname = "E"\ntype = "PERSON"\nmerged_from = ["person/f"]\n\n'
            '[[entity]]\nname = "F"\ntype = "PERSON"\n'))
    messages = [str(p) for p in raised.value.problems]
    assert any("entity 4 (D): 'split_from' must be a list of entity ids" in m for m in messages)
    assert any("entity 2 (B): merged_from 'person/x' is already" in m for m in messages)
    assert any("entity 3 (C): merged_from 'person/a' is already an entity" in m for m in messages)
    assert any("'person/f' is an entity and also listed as replaced" in m for m in messages)


def test_a_merge_joins_mentions_and_leaves_a_redirect_page(make_site) -> None:
    from archivist.build import build
    from archivist.config import load_config

    site = make_site({
        "content/a.txt": "題\n\n島田紳助さんが来た。\n",
        "content/b.txt": "題\n\n紳助さんが笑った。\n",
        "content/a.overrides.toml": '[[link]]\nexact = "島田紳助"\nentity = "person/old-shimada"\n',
        "content/b.overrides.toml": '[[add]]\nexact = "紳助"\ntype = "PERSON"\n',
    }, 'title = "T"\nprofile = "fast"\nlanguage = "en"\n')
    assert build(load_config(site)).problems == []
    entities = site / "public" / "entities" / "person"
    assert (entities / "old-shimada" / "index.html").is_file()
    assert (entities / "紳助" / "index.html").is_file()
    (site / "entities.toml").write_text(
        '[[entity]]\nname = "島田紳助"\ntype = "PERSON"\nslug = "shinsuke-shimada"\n'
        'merged_from = ["person/old-shimada", "person/紳助"]\n', encoding="utf-8")
    assert build(load_config(site)).problems == []
    data = json.loads((site / "public" / "data" / "documents" / "b.json").read_text(encoding="utf-8"))
    assert [m["entity"] for m in data["mentions"]] == ["person/shinsuke-shimada"]
    page = (entities / "old-shimada" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../shinsuke-shimada/index.html">' in page
    assert '<link rel="canonical" href="../shinsuke-shimada/index.html">' in page
    assert '<a href="../shinsuke-shimada/index.html">島田紳助</a>' in page
    assert "This page has moved" in page
    assert (entities / "紳助" / "index.html").read_text(encoding="utf-8").count("shinsuke-shimada") >= 2
    sitemap_and_feeds = [p.read_text(encoding="utf-8") for p in (site / "public").rglob("*.xml")]
    assert not any("old-shimada" in text for text in sitemap_and_feeds)


def test_a_split_leaves_a_page_listing_each_entity(make_site) -> None:
    from archivist.build import build
    from archivist.config import load_config

    site = make_site({
        "content/a.txt": "題\n\n島田紳助さんが来た。島田洋七さんも来た。\n",
        "entities.toml": ('[[entity]]\nname = "島田紳助"\ntype = "PERSON"\nslug = "shinsuke"\n'
                          'split_from = ["person/島田"]\n\n'
                          '[[entity]]\nname = "島田洋七"\ntype = "PERSON"\nslug = "yoshichi"\n'
                          'split_from = ["person/島田"]\n'),
    }, 'title = "T"\nprofile = "fast"\n')
    assert build(load_config(site)).problems == []
    page = (site / "public" / "entities" / "person" / "島田" / "index.html").read_text(encoding="utf-8")
    assert "refresh" not in page and "canonical" not in page
    assert '<a href="../shinsuke/index.html">島田紳助</a>' in page
    assert '<a href="../yoshichi/index.html">島田洋七</a>' in page


def test_control_characters_in_names_are_refused_naming_the_entry(tmp_path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[entity]]\nname = "悪\\u0000名"\ntype = "PERSON"\n\n'
                    '[[entity]]\nname = "正常"\ntype = "ORG"\naliases = ["A\\u001b[31m"]\n', encoding="utf-8")
    with pytest.raises(ProblemList) as caught:
        load_registry(path)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2 and all("control character" in m for m in messages)
    assert messages[0].startswith(f"{path}: entity 1") and "entity 2 (正常)" in messages[1]

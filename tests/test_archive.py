"""Archive.from_documents: ordering, indexes, sentence context and slug collisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.archive import Archive, sentence_around, sorted_documents, url_path
from archivist.config import Config
from archivist.errors import BuildError
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote

CONFIG = Config(site_dir=Path("."))


def doc(id: str, date: str | None, *texts: str, slug: str | None = None) -> Document:
    blocks = [Block("paragraph", text) for text in texts]
    return Document(id, slug or id, f"content/{id}.txt", "ja", f"Title {id}", blocks, date=date)


def mention(block: int, text: str, whole: str, entity: str, type: str = "PERSON") -> Mention:
    start = whole.index(text)
    return Mention(block, start, start + len(text), text, type, entity)


A_TEXT = "最初の文です。米国の田中氏は「規制は続く」と語った。次の文。"
B_TEXT = "東京で田中氏と鈴木氏が会った。"
C_TEXT = "Mr. Smith went to the U.S. yesterday. Then he left!"

A = doc("a", "2025-02-14", A_TEXT)
B = doc("b", "2024-11-20", B_TEXT)
C = doc("c", None, C_TEXT)
D = doc("d", "2025-02-14", "空。")

ENTITIES = [
    Entity("person/tanaka", "田中", "PERSON"),
    Entity("person/suzuki", "鈴木", "PERSON"),
    Entity("place/us", "米国", "PLACE"),
    Entity("place/tokyo", "東京", "PLACE"),
    Entity("person/smith", "Smith", "PERSON"),
    Entity("org/silent", "Silent", "ORG"),  # neither mentioned nor quoted
    Entity("org/speaker", "Speaker Org", "ORG"),  # quoted only
]

NOTES = {
    "a": Annotations(
        [mention(0, "米国", A_TEXT, "place/us", "PLACE"), mention(0, "田中氏", A_TEXT, "person/tanaka")],
        [Quote(0, A_TEXT.index("規制"), A_TEXT.index("」"), "規制は続く", "direct", "person/tanaka"),
         Quote(0, 0, 2, "最初", "term")],
    ),  # fmt: skip
    "b": Annotations(
        [mention(0, "東京", B_TEXT, "place/tokyo", "PLACE"),
         mention(0, "田中氏", B_TEXT, "person/tanaka"),
         mention(0, "鈴木氏", B_TEXT, "person/suzuki"),
         Mention(0, 0, 1, "東", "PLACE", None),  # unresolved: not indexed
         Mention(0, 0, 1, "東", "PLACE", "place/unknown")],  # unknown entity: not indexed
        [Quote(0, 0, 2, "東京", "partial", "org/speaker"),
         Quote(0, 3, 5, "田中", "partial", "person/nobody")],  # unknown speaker id
    ),  # fmt: skip
    "c": Annotations([mention(0, "Smith", C_TEXT, "person/smith")], []),
}


@pytest.fixture(scope="module")
def archive() -> Archive:
    return Archive.from_documents(CONFIG, [C, B, D, A], NOTES, ENTITIES)


def test_documents_newest_first_undated_last_ties_by_id(archive: Archive) -> None:
    assert [d.id for d in archive.documents] == ["a", "d", "b", "c"]
    assert sorted_documents([D, A]) == [A, D]


def test_documents_without_annotations_get_empty_ones(archive: Archive) -> None:
    assert archive.annotations["d"] == Annotations()


def test_only_mentioned_or_quoted_entities_are_listed(archive: Archive) -> None:
    assert "org/silent" not in archive.entities
    assert "org/speaker" in archive.entities
    assert list(archive.entities) == sorted(archive.entities)


def test_mentions_index_with_sentence_context(archive: Archive) -> None:
    tanaka = archive.mentions["person/tanaka"]
    assert [(o.document, o.mention.block) for o in tanaka] == [("a", 0), ("b", 0)]
    first = tanaka[0]
    assert (first.before, first.text, first.after) == ("米国の", "田中氏", "は「規制は続く」と語った。")
    assert (tanaka[1].before, tanaka[1].after) == ("東京で", "と鈴木氏が会った。")
    assert "place/unknown" not in archive.mentions
    assert archive.mention_count("person/tanaka") == 2
    assert archive.mention_count("org/speaker") == 0


def test_quotes_by_speaker_unknown_grouped_under_none(archive: Archive) -> None:
    def listed(speaker: str | None) -> list[tuple[str, str]]:
        return [(r.document, r.quote.text) for r in archive.quotes[speaker]]

    assert listed("person/tanaka") == [("a", "規制は続く")]
    assert listed(None) == [("a", "最初"), ("b", "田中")]
    assert [r.quote.text for r in archive.quotes["org/speaker"]] == ["東京"]
    assert archive.quotes_in("a") == NOTES["a"].quotes


def test_document_entities_counts(archive: Archive) -> None:
    assert archive.document_entities["a"] == [("person/tanaka", 1), ("place/us", 1)]
    assert archive.document_entities["d"] == []
    # ties by name: 東京 < 田中 < 鈴木 in code point order
    assert [e for e, _ in archive.document_entities["b"]] == [
        "place/tokyo", "person/tanaka", "person/suzuki"
    ]  # fmt: skip


def test_co_mentions_count_documents_in_common(archive: Archive) -> None:
    assert archive.co_mentions("person/tanaka") == [
        ("place/tokyo", 1), ("place/us", 1), ("person/suzuki", 1)
    ]  # fmt: skip
    assert archive.co_mentions("person/smith") == []


def test_timeline_by_month_from_document_dates(archive: Archive) -> None:
    assert archive.timeline("person/tanaka") == {"2024-11": 1, "2025-02": 1}
    assert archive.timeline("person/smith") == {}  # its document is undated


def test_by_type_most_mentioned_first(archive: Archive) -> None:
    assert archive.by_type["PERSON"] == ["person/tanaka", "person/smith", "person/suzuki"]
    assert archive.by_type["ORG"] == ["org/speaker"]
    assert archive.by_type["EVENT"] == []


def test_paths(archive: Archive) -> None:
    assert archive.document_path(A) == "documents/a/index.html"
    assert archive.entity_path(ENTITIES[0]) == "entities/person/tanaka/index.html"
    assert url_path("documents/a b#c?d%/日本/") == "documents/a%20b%23c%3Fd%25/日本/"


def test_duplicate_slugs_are_rejected_naming_both_files() -> None:
    one = doc("one", None, "x", slug="same")
    two = doc("two", None, "y", slug="same")
    with pytest.raises(BuildError) as raised:
        Archive.from_documents(CONFIG, [two, one], {}, [])
    assert "content/one.txt" in str(raised.value)
    assert "content/two.txt" in str(raised.value)


def test_entities_sharing_a_page_are_rejected() -> None:
    text = "甲と乙"
    notes = {"one": Annotations([Mention(0, 0, 1, "甲", "PERSON", "person/x"),
                                 Mention(0, 2, 3, "乙", "PERSON", "org/x")])}  # fmt: skip
    entities = [Entity("person/x", "甲", "PERSON"), Entity("org/x", "乙", "PERSON")]
    with pytest.raises(BuildError, match="share the page person/x/"):
        Archive.from_documents(CONFIG, [doc("one", None, text)], notes, entities)


@pytest.mark.parametrize(
    "text, target, before, after",
    [
        ("一つ目。二つ目の米国です。三つ目。", "米国", "二つ目の", "です。"),
        ("「すごい。」米国は言った！次", "米国", "", "は言った！"),
        ("本当？米国か", "米国", "", "か"),
        ("Mr. Smith went to the U.S. yesterday. Then he left!", "Smith", "Mr. ",
         " went to the U.S. yesterday."),
        ("Talks ended. J. D. Vance spoke. Later", "Vance", "J. D. ", " spoke."),
        ("It rose 3.5 percent. Then Japan fell. End", "Japan", "Then ", " fell."),
        ("No end here Japan and more", "Japan", "No end here ", " and more"),
    ],
)
def test_sentence_around(text: str, target: str, before: str, after: str) -> None:
    start = text.index(target)
    assert sentence_around(text, start, start + len(target)) == (before, after)


def test_sentence_context_is_capped() -> None:
    text = "あ" * 500 + "米国" + "い" * 500
    before, after = sentence_around(text, 500, 502)
    assert before.startswith("…") and len(before) == 161
    assert after.endswith("…") and len(after) == 161


# An edit: b loses 鈴木 and its quotes, gains a new entity and moves before a; e is new.
B_EDITED_TEXT = "大阪で田中氏と高橋氏が会った。"
B_EDITED = doc("b", "2025-03-01", B_EDITED_TEXT)
E = doc("e", "2024-01-01", "鈴木氏は「はい」と言った。")
TAKAHASHI = Entity("person/takahashi", "高橋", "PERSON")
EDITED_NOTES = {
    "b": Annotations([mention(0, "田中氏", B_EDITED_TEXT, "person/tanaka"),
                      mention(0, "高橋氏", B_EDITED_TEXT, "person/takahashi")], []),
    "e": Annotations([mention(0, "鈴木氏", E.blocks[0].text, "person/suzuki")],
                     [Quote(0, 4, 6, "はい", "direct", "person/takahashi")]),
}  # fmt: skip


def test_a_revised_archive_is_the_archive_indexed_anew(archive: Archive) -> None:
    edited_b, e, new, notes = B_EDITED, E, [TAKAHASHI], EDITED_NOTES
    revised = archive.revised([edited_b, e], notes, new)
    anew = Archive.from_documents(CONFIG, [C, edited_b, D, A, e], {**NOTES, **notes}, ENTITIES + new,
                                  archive.search_filters)  # fmt: skip
    assert revised == anew
    assert [d.id for d in revised.documents] == ["b", "a", "d", "e", "c"]
    assert [o.document for o in revised.mentions["person/tanaka"]] == ["b", "a"]
    assert "place/tokyo" not in revised.entities and "org/speaker" not in revised.entities
    assert archive.mentions["place/tokyo"][0].document == "b"  # the archive revised is as it was


def test_a_document_revised_as_it_was_leaves_the_archive_as_it_was(archive: Archive) -> None:
    assert archive.revised([B], {"b": NOTES["b"]}, []) == archive


def test_an_updated_archive_is_the_archive_indexed_anew(archive: Archive, monkeypatch) -> None:
    monkeypatch.setattr("archivist.archive.UPDATE_SHARE", 0)  # four documents: any change is a large share
    # The edit above, and c is gone and 田中 renamed.
    edited_b, e, notes = B_EDITED, E, {**NOTES, **EDITED_NOTES}
    renamed = Entity("person/tanaka", "田中一郎", "PERSON")
    entities = [renamed if x.id == renamed.id else x for x in ENTITIES] + [TAKAHASHI]
    updated = archive.updated(CONFIG, [edited_b, D, A, e], notes, entities)
    anew = Archive.from_documents(CONFIG, [edited_b, D, A, e], notes, entities)
    assert updated == anew
    assert list(updated.document_entities) == list(anew.document_entities)  # in the order of documents
    assert updated.entities["person/tanaka"].name == "田中一郎"
    assert "person/smith" not in updated.entities and "c" not in updated.documents_by_id
    assert archive.updated(CONFIG, [A, B, C, D], NOTES, ENTITIES) == archive  # nothing changed


def test_an_archive_is_not_updated_when_much_changed_or_a_name_is_unknown(archive: Archive, monkeypatch) -> None:
    edited_c = doc("c", None, C_TEXT + " Again.")
    assert archive.updated(CONFIG, [A, B, edited_c, D], NOTES, ENTITIES) is None  # a quarter of the documents
    monkeypatch.setattr("archivist.archive.UPDATE_SHARE", 0)
    unknown = [entity for entity in ENTITIES if entity.id != "person/suzuki"]  # b still names 鈴木
    assert archive.updated(CONFIG, [A, B, edited_c, D], NOTES, unknown) is None


def test_a_revision_that_takes_a_slug_is_refused(archive: Archive) -> None:
    with pytest.raises(BuildError, match="share the slug"):
        archive.revised([doc("e", None, "空。", slug="a")], {}, [])

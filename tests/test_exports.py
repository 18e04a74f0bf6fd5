"""Open data under data/: CSV rows and their formula guard, entities with counts, and
W3C Web Annotations whose selectors find their text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from archivist.archive import Archive
from archivist.build import build
from archivist.config import Config, load_config
from archivist.exports import (
    MENTION_COLUMNS, QUOTE_COLUMNS, cell, data_files, entities_json, mentions_csv, quotes_csv,
)  # fmt: skip
from archivist.i18n import EN
from archivist.model import Annotations, Block, Document, Entity, Mention, Quote
from archivist.web_annotations import (
    ANNOTATION_CONTEXT, BLOCK_SEPARATOR, CONTEXT, block_starts, document_annotations, full_text,
)  # fmt: skip

FAST = 'title = "Test"\nprofile = "fast"\nlanguage = "en"\n'
FORMULAS = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "'kept", "＝全角", "\tTab"]


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def small_archive(base_url: str = "") -> Archive:
    """Two documents; the first has three blocks, a hostile cell and an unlisted mention."""
    a0 = "Alice Smith met Bob in Paris."
    a1 = "=HYPERLINK(\"http://x\") was typed, she said."
    a2 = 'Bob said "we will go, again" and left; Acme, Inc. paid.'
    b0 = "山田太郎氏は「続ける」と述べた。"
    a = Document("a", "a-doc", "content/a.md", "en", "Meeting",
                 [Block("paragraph", a0), Block("heading", a1), Block("paragraph", a2)],
                 byline="Reporter", date="2024-05-06")  # fmt: skip
    b = Document("b", "b-doc", "content/b.txt", "ja", "会見", [Block("paragraph", b0)])
    entities = [
        Entity("person/alice", "Alice Smith", "PERSON", links={"wikidata": "Q42"}),
        Entity("person/bob", "Bob", "PERSON", links={"wikidata": "not a qid"}),
        Entity("place/paris", "Paris", "PLACE"),
        Entity("person/yamada", "山田太郎", "PERSON"),
    ]
    notes = {
        "a": Annotations(
            [Mention(0, *at(a0, "Alice Smith"), "Alice Smith", "PERSON", "person/alice", "registry"),
             Mention(0, *at(a0, "Bob"), "Bob", "PERSON", "person/bob", "ner", 0.87649),
             Mention(0, *at(a0, "Paris"), "Paris", "PLACE", "place/paris"),
             Mention(1, *at(a1, "=HYPERLINK"), "=HYPERLINK", "PRODUCT", None),
             Mention(2, *at(a2, "Bob"), "Bob", "PERSON", "person/bob"),
             Mention(2, *at(a2, "Acme, Inc."), "Acme, Inc.", "ORG", None),
             Mention(5, 0, 3, "bad", "ORG", None)],  # a block that does not exist
            [Quote(1, *at(a1, '=HYPERLINK("http://x")'), '=HYPERLINK("http://x")', "direct",
                   "person/alice", "she said"),
             Quote(2, *at(a2, "we will go, again"), "we will go, again", "direct",
                   "person/bob", "said")],
        ),
        "b": Annotations(
            [Mention(0, 0, 5, "山田太郎氏", "PERSON", "person/yamada")],
            [Quote(0, *at(b0, "続ける"), "続ける", "direct", "person/yamada", "と述べた")],
        ),
    }  # fmt: skip
    config = Config(site_dir=Path("."), title="Test", language="en", base_url=base_url)
    return Archive.from_documents(config, [a, b], notes, entities)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cell_guards_formulas_and_is_reversible() -> None:
    for text in FORMULAS:
        guarded = cell(text)
        assert guarded == "'" + text
        assert guarded[1:] == text  # drop the apostrophe: the text as written
    for text in ["Alice", "1+1", "", "山田", " =x"]:
        assert cell(text) == text


def test_mentions_csv_rows_in_order_with_rfc4180_quoting() -> None:
    text = mentions_csv(small_archive())
    assert not text.startswith("\ufeff")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    table = rows(text)
    assert tuple(table[0]) == MENTION_COLUMNS
    body = [dict(zip(MENTION_COLUMNS, row)) for row in table[1:]]
    assert [(r["document_id"], r["block"], r["start"]) for r in body] == [
        ("a", "0", "0"), ("a", "0", "16"), ("a", "0", "23"), ("a", "1", "0"),
        ("a", "2", "0"), ("a", "2", "39"), ("a", "5", "0"), ("b", "0", "0"),
    ]  # fmt: skip
    assert body[0] == {
        "document_id": "a", "document_slug": "a-doc", "block": "0", "start": "0", "end": "11",
        "text": "Alice Smith", "type": "PERSON", "entity_id": "person/alice",
        "entity_name": "Alice Smith", "source": "registry", "confidence": "1.0",
    }  # fmt: skip
    assert body[1]["confidence"] == "0.876"
    assert body[3]["text"] == "'=HYPERLINK" and body[3]["entity_id"] == ""
    assert body[5]["text"] == "Acme, Inc."
    assert '"Acme, Inc."' in text  # a comma inside a field: the field is quoted


def test_quotes_csv_rows_and_guard() -> None:
    table = rows(quotes_csv(small_archive()))
    assert tuple(table[0]) == QUOTE_COLUMNS
    body = [dict(zip(QUOTE_COLUMNS, row)) for row in table[1:]]
    assert [r["text"] for r in body] == ["'=HYPERLINK(\"http://x\")", "we will go, again", "続ける"]
    assert body[0]["speaker_id"] == "person/alice" and body[0]["speaker_name"] == "Alice Smith"
    assert body[2]["cue"] == "と述べた" and body[2]["kind"] == "direct"
    assert all(not value.startswith(("=", "+", "@")) for row in table for value in row)


def test_entities_json_counts_links_and_addresses() -> None:
    entities = {e["id"]: e for e in entities_json(small_archive())}
    assert list(entities) == sorted(entities)
    bob = entities["person/bob"]
    assert (bob["mentions"], bob["documents"], bob["quotes"]) == (2, 1, 1)
    assert "wikidata" not in bob  # the link is not a well-formed item id
    alice = entities["person/alice"]
    assert alice["links"] == {"wikidata": "Q42"}
    assert alice["wikidata"] == "http://www.wikidata.org/entity/Q42"
    assert alice["url"] == "../entities/person/alice/index.html"
    absolute = entities_json(small_archive("https://example.org/x"))
    assert absolute[0]["url"].startswith("https://example.org/x/entities/")


def test_full_text_joins_blocks_with_a_blank_line() -> None:
    doc = small_archive().documents_by_id["a"]
    text = full_text(doc)
    assert BLOCK_SEPARATOR == "\n\n"
    assert text == BLOCK_SEPARATOR.join(b.text for b in doc.blocks)
    for block, start in zip(doc.blocks, block_starts(doc)):
        assert text[start : start + len(block.text)] == block.text


@pytest.mark.parametrize("base_url", ["", "https://example.org/sub"])
def test_every_selector_finds_its_text(base_url: str) -> None:
    archive = small_archive(base_url)
    for doc in archive.documents:
        data = document_annotations(archive, doc, EN)
        text = full_text(doc)
        items = data["first"]["items"]
        assert data["total"] == len(items) > 0
        assert len({item["id"] for item in items}) == len(items)
        for item in items:
            quote, position, fragment = item["target"]["selector"]
            start, end = position["start"], position["end"]
            assert text[start:end] == quote["exact"]
            assert quote["prefix"] == text[max(0, start - CONTEXT) : start]
            assert quote["suffix"] == text[end : end + CONTEXT]
            assert len(quote["prefix"]) <= CONTEXT and len(quote["suffix"]) <= CONTEXT
            block = doc.blocks[int(fragment["value"].removeprefix("b-"))].text
            inner = fragment["refinedBy"]
            assert block[inner["start"] : inner["end"]] == quote["exact"]


def test_annotations_shape_and_bodies() -> None:
    archive = small_archive()
    data = document_annotations(archive, archive.documents_by_id["a"], EN)
    assert data["@context"] == ANNOTATION_CONTEXT == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["label"] == "Meeting"
    assert data["id"] == "a-doc.jsonld"
    assert data["first"]["type"] == "AnnotationPage" and data["first"]["startIndex"] == 0
    items = {item["id"].split("#")[1]: item for item in data["first"]["items"]}
    assert "mention-5-0-3" not in items  # its block does not exist: it cannot be anchored
    assert len(items) == 8  # six mentions and two quotes
    alice = items["mention-0-0-11"]
    assert alice["type"] == "Annotation" and alice["motivation"] == "identifying"
    assert [(b["type"], b.get("source", b.get("value")), b["purpose"]) for b in alice["body"]] == [
        ("SpecificResource", "../../entities/person/alice/index.html", "identifying"),
        ("SpecificResource", "http://www.wikidata.org/entity/Q42", "identifying"),
        ("TextualBody", "PERSON", "tagging"),
        ("TextualBody", "Alice Smith", "tagging"),
    ]  # fmt: skip
    assert alice["target"]["source"] == "../../documents/a-doc/index.html"
    unlisted = items["mention-2-39-49"]
    assert unlisted["motivation"] == "tagging"
    assert [b["value"] for b in unlisted["body"]] == ["ORG"]
    said = items["quote-2-10-27"]
    assert said["motivation"] == "describing"
    assert said["body"][0] == {"type": "TextualBody", "value": "Direct quote — Bob",
                               "purpose": "describing", "format": "text/plain",
                               "language": "en"}  # fmt: skip
    assert said["body"][1]["value"] == "direct" and said["body"][1]["purpose"] == "classifying"
    assert said["body"][2]["source"] == "../../entities/person/bob/index.html"
    assert said["target"]["selector"][1] == {"type": "TextPositionSelector",
                                              "start": 86, "end": 103}  # fmt: skip


def test_annotation_addresses_are_absolute_with_a_base_url() -> None:
    archive = small_archive("https://example.org/sub/")
    data = document_annotations(archive, archive.documents_by_id["b"], EN)
    assert data["id"] == "https://example.org/sub/data/annotations/b-doc.jsonld"
    item = data["first"]["items"][0]
    assert item["id"] == "https://example.org/sub/data/annotations/b-doc.jsonld#mention-0-0-5"
    assert item["target"]["source"] == "https://example.org/sub/documents/b-doc/index.html"
    page = item["body"][0]["source"]
    assert unquote(page) == "https://example.org/sub/entities/person/yamada/index.html"


def test_data_files_are_listed_once_in_a_fixed_order() -> None:
    paths = [page.path for page in data_files(small_archive())]
    assert paths == [
        "data/documents/a-doc.json", "data/documents/b-doc.json", "data/entities.json",
        "data/mentions.csv", "data/quotes.csv", "data/annotations/a-doc.jsonld",
        "data/annotations/b-doc.jsonld", "data/index.json",
    ]  # fmt: skip
    assert data_files(small_archive()) == data_files(small_archive())


def test_built_site_data_files_resolve(make_site) -> None:
    site = make_site({
        "content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n"
                        "Alice Smith said \"=1+1 is two\".\n\nBob Jones went to London.\n",
        "content/b.md": "---\ntitle: B\n---\n\n山田太郎氏は「こんにちは」と述べた。\n",
    }, FAST)  # fmt: skip
    result = build(load_config(site))
    assert not result.problems
    public = site / "public"
    index = json.loads((public / "data/index.json").read_text(encoding="utf-8"))
    base = (public / "data/index.json").as_uri()
    for name in ("entities", "mentions", "quotes"):
        assert Path(unquote(urljoin(base, index[name])[7:])).is_file(), name
    for entry in index["documents"]:
        for key in ("page", "json", "annotations"):
            assert Path(unquote(urljoin(base, entry[key])[7:])).is_file(), entry[key]
        file = public / "data/annotations" / f"{entry['slug']}.jsonld"
        collection = json.loads(file.read_text(encoding="utf-8"))
        contract = json.loads((public / "data/documents" / f"{entry['slug']}.json").read_text())
        text = BLOCK_SEPARATOR.join(block["text"] for block in contract["blocks"])
        for item in collection["first"]["items"]:
            source = urljoin(file.as_uri(), item["target"]["source"])
            assert Path(unquote(source[7:])).is_file()
            quote, position = item["target"]["selector"][:2]
            assert text[position["start"] : position["end"]] == quote["exact"]
    for file in [*public.glob("data/*.json"), *public.glob("data/*/*.json"), *public.glob("data/*/*.jsonld")]:
        assert file.read_text(encoding="utf-8").count("\n") == 1, file  # compact: one line each
    raw = (public / "data/mentions.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8").startswith("document_id,")
    quotes = rows((public / "data/quotes.csv").read_text(encoding="utf-8"))
    assert ["'=1+1 is two"] == [row[5] for row in quotes[1:] if "two" in row[5]]


# Terms of http://www.w3.org/ns/anno.jsonld that the files use, and the classes and
# motivations the Web Annotation vocabulary defines: anything else would be lost to
# a JSON-LD processor or rejected by an annotation server.
ANNO_TERMS = {
    "@context", "id", "type", "label", "total", "first", "items", "startIndex", "motivation",
    "body", "target", "source", "purpose", "value", "format", "language", "selector", "exact",
    "prefix", "suffix", "start", "end", "conformsTo", "refinedBy",
}  # fmt: skip
ANNO_CLASSES = {
    "AnnotationCollection", "AnnotationPage", "Annotation", "SpecificResource", "TextualBody",
    "TextQuoteSelector", "TextPositionSelector", "FragmentSelector",
}  # fmt: skip
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip


def walk(node, found: dict[str, set]) -> None:
    if isinstance(node, list):
        for item in node:
            walk(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            found["keys"].add(key)
            if key == "type":
                found["types"].add(value)
            elif key in ("motivation", "purpose"):
                found["motivations"].add(value)
            walk(value, found)


def test_annotations_use_only_the_web_annotation_vocabulary() -> None:
    archive = small_archive("https://example.org/")
    found: dict[str, set] = {"keys": set(), "types": set(), "motivations": set()}
    for doc in archive.documents:
        walk(document_annotations(archive, doc, EN), found)
    assert found["keys"] <= ANNO_TERMS, found["keys"] - ANNO_TERMS
    assert found["types"] <= ANNO_CLASSES, found["types"] - ANNO_CLASSES
    assert found["motivations"] <= MOTIVATIONS, found["motivations"] - MOTIVATIONS

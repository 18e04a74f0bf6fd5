"""English named entities by rules (no English spaCy pipeline is installed here)."""

from __future__ import annotations

from archivist.annotators import AnnotateContext, english
from archivist.model import Block, Document
from archivist.registry import Registry

CTX = AnnotateContext(names=("english",), registry=Registry.empty())


def found(*texts: str, lang: str = "en") -> list[tuple[int, str, str]]:
    doc = Document("d", "d", "d.txt", lang, "t", [Block("paragraph", t) for t in texts])
    mentions = english.annotate(doc, CTX).mentions
    for m in mentions:
        assert doc.blocks[m.block].text[m.start:m.end] == m.text
        assert m.source == "english"
    return [(m.block, m.text, m.type) for m in mentions]


def test_titles_mark_people_and_stay_outside() -> None:
    result = found("The U.S. government said Mr. Smith met President Joe Biden and Dr. Jane Goodall.")
    assert (0, "Smith", "PERSON") in result
    assert (0, "Joe Biden", "PERSON") in result
    assert (0, "Jane Goodall", "PERSON") in result
    assert (0, "U.S.", "PLACE") in result


def test_speech_verbs_and_appositions_mark_people() -> None:
    result = found("“We lead,” Karp said. Jensen Huang, the chief executive, told reporters.")
    assert (0, "Karp", "PERSON") in result
    assert (0, "Jensen Huang", "PERSON") in result


def test_organisation_words_and_of_phrases() -> None:
    result = found("Alex Karp of Palantir Technologies spoke at the University of California "
                   "and at Sony Group Inc. in Japan.")
    assert (0, "Palantir Technologies", "ORG") in result
    assert (0, "University of California", "ORG") in result
    assert (0, "Sony Group Inc.", "ORG") in result
    assert (0, "Japan", "PLACE") in result


def test_sentence_openers_and_unmarked_words_are_not_names() -> None:
    result = found("However, the plan failed. The Committee met. Yesterday was quiet in Tokyo.")
    assert [text for _, text, _ in result] == []


def test_a_typed_name_is_marked_everywhere_with_last_names() -> None:
    result = found("President Joe Biden spoke.", "Later Joe Biden left; Biden was tired.")
    assert (1, "Joe Biden", "PERSON") in result
    assert (1, "Biden", "PERSON") in result


def test_only_english_documents() -> None:
    assert found("President Joe Biden spoke.", lang="ja") == []
    assert english.settings(CTX) in ("rules", *english.SPACY_MODELS)

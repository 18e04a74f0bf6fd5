"""English named entities by rules (no English spaCy pipeline is installed here)."""

from __future__ import annotations

import pytest

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
    assert [(text, kind) for _, text, kind in result] == [("Tokyo", "PLACE")]  # "in" is evidence


def test_a_typed_name_is_marked_everywhere_with_last_names() -> None:
    result = found("President Joe Biden spoke.", "Later Joe Biden left; Biden was tired.")
    assert (1, "Joe Biden", "PERSON") in result
    assert (1, "Biden", "PERSON") in result


def test_only_english_documents() -> None:
    assert found("President Joe Biden spoke.", lang="ja") == []
    assert english.settings(CTX) in ("rules", *english.SPACY_MODELS)


def test_rules_read_evidence_before_a_name() -> None:
    from archivist.annotators.english import find_names

    text = ('"We will wait," said Maria Okafor. The plant near Porto opens in March. '
            'Investors led by Atlântico Ventures backed a robot called "Mantis" on the River Mere.')
    typed = {text[s:e]: kind for s, e, kind in find_names(text)[0]}
    assert typed["Maria Okafor"] == "PERSON"  # after "said"
    assert typed["Porto"] == "PLACE"  # after "near"
    assert "March" not in typed  # a month after "in" is a time
    assert typed["Atlântico Ventures"] == "ORG"  # accented capitals and an organisation word
    assert typed["Mantis"] == "PRODUCT"  # right after "called" and a quotation mark
    assert typed["River Mere"] == "PLACE"


def test_news_conventions_type_organisations_and_places() -> None:
    result = found("WASHINGTON — Nvidia, the Santa Clara-based chipmaker, said the White House and NATO "
                   "had met OpenAI, as AI spending grew, the CEO said.")
    assert [(text, kind) for _, text, kind in result] == [
        ("WASHINGTON", "PLACE"), ("Nvidia", "ORG"), ("Santa Clara", "PLACE"), ("White House", "ORG"),
        ("NATO", "ORG"), ("OpenAI", "ORG")]  # not AI, a common noun, nor the CEO


@pytest.mark.parametrize(("text", "names"), [
    pytest.param("Federal Reserve Chairman Jerome Powell and UK Prime Minister Keir Starmer met General Motors "
                 "executives.", [("Federal Reserve", "ORG"), ("Jerome Powell", "PERSON"), ("UK", "PLACE"),
                                 ("Keir Starmer", "PERSON"), ("General Motors", "ORG")], id="a title parts a run"),
    pytest.param("Nvidia Chief Executive Jensen Huang and Boeing CFO Brian West met Chief Executive Officer Satya "
                 "Nadella.", [("Nvidia", "ORG"), ("Jensen Huang", "PERSON"), ("Boeing", "ORG"),
                              ("Brian West", "PERSON"), ("Satya Nadella", "PERSON")],
                 id="a company officer parts a run and names the company"),
    pytest.param("Senator Elizabeth Warren, a Democrat from Massachusetts, said no. A letter from John Smith said yes.",
                 [("Elizabeth Warren", "PERSON"), ("Massachusetts", "PLACE"), ("John Smith", "PERSON")],
                 id="a place ending an apposition before said stays a place"),
])  # fmt: skip
def test_titles_and_appositions_inside_a_sentence(text: str, names: list[tuple[str, str]]) -> None:
    assert [(name, kind) for _, name, kind in found(text)] == names

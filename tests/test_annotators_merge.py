"""The one rule for overlapping mentions from different annotators."""

from __future__ import annotations

from archivist.annotators.merge import merge_annotations, merge_mentions
from archivist.model import Annotations, Mention, Quote


def mention(start: int, end: int, source: str, confidence: float = 0.8, block: int = 0,
            kind: str = "PERSON") -> Mention:
    return Mention(block, start, end, "x" * (end - start), kind, None, source, confidence)


def spans(result: Annotations) -> list[tuple[int, int, int, str]]:
    return [(m.block, m.start, m.end, m.source) for m in result.mentions]


def test_registry_beats_a_more_confident_longer_model_guess() -> None:
    registry = Annotations([mention(2, 6, "registry", 1.0)])
    ner = Annotations([mention(0, 10, "ner", 1.0)])
    assert spans(merge_annotations([ner, registry])) == [(0, 2, 6, "registry")]


def test_otherwise_higher_confidence_then_longer_then_earlier_annotator() -> None:
    ner = Annotations([mention(0, 4, "ner", 0.9), mention(10, 14, "ner", 0.6), mention(20, 24, "ner")])
    english = Annotations([mention(2, 8, "english", 0.7), mention(11, 18, "english", 0.6),
                           mention(20, 24, "english")])
    result = merge_annotations([ner, english])
    assert spans(result) == [(0, 0, 4, "ner"), (0, 11, 18, "english"), (0, 20, 24, "ner")]


def test_no_two_mentions_overlap_and_output_is_sorted() -> None:
    a = Annotations([mention(5, 9, "ner"), mention(0, 3, "ner", block=1), mention(0, 6, "ner")])
    b = Annotations([mention(8, 12, "rules"), mention(2, 4, "rules", block=1)])
    result = merge_annotations([a, b]).mentions
    assert [(m.block, m.start) for m in result] == sorted((m.block, m.start) for m in result)
    for first, second in zip(result, result[1:]):
        assert first.block != second.block or first.end <= second.start
    # nested spans count as overlapping, in other blocks they do not
    assert (1, 0, 3) in [(m.block, m.start, m.end) for m in result]


def test_quotes_are_concatenated_deduplicated_and_sorted() -> None:
    q1 = Quote(1, 5, 9, "abcd", "term")
    q2 = Quote(0, 3, 7, "efgh", "direct", cue="と語った")
    duplicate = Quote(1, 5, 9, "abcd", "partial")
    result = merge_annotations([Annotations(quotes=[q1]), Annotations(quotes=[duplicate, q2])])
    assert result.quotes == [q2, q1]


def test_spans_are_cut_back_to_a_well_formed_name() -> None:
    from archivist.annotators.merge import tidy

    def tidied(text: str, start: int = 10) -> tuple[str, int, int] | None:
        mention = tidy(Mention(0, start, start + len(text), text, "ORG", source="ner", confidence=0.5))
        return mention and (mention.text, mention.start, mention.end)

    assert tidied("Mixture of Experts(MoE") == ("Mixture of Experts", 10, 28)
    assert tidied("MoE)モデル") == ("モデル", 14, 17)
    assert tidied("「DeepSeek」、") == ("DeepSeek", 11, 19)
    assert tidied("ソニー(SONY)") == ("ソニー(SONY)", 10, 19)  # balanced brackets stay
    assert tidied("・") is None
    # A web address or an account's handle is no part of a name; a copyright line, an
    # e-mail domain or an address alone is no name.
    assert tidied("iTunes Store：http://itunes.apple.com/jp/app/id1") == ("iTunes Store", 10, 22)
    assert tidied("HP＊http://www.example.com") == ("HP", 10, 12)
    assert tidied("上倉賢 @kamikura") == ("上倉賢", 10, 13)
    assert tidied("http://type.jp/s/x") is tidied("@ezweb.ne.jp") is tidied("Copyright 2012 x. All rights reserved.") is None
    assert tidied("@nifty電話占い") == ("@nifty電話占い", 10, 20)  # a name written with @
    assert tidied("Amazon.co.jp") == ("Amazon.co.jp", 10, 22)
    # Ellipses trail off a sentence, not a name; a face drawn in symbols is no name.
    assert tidied("レディ・ガガ……") == ("レディ・ガガ", 10, 16)
    assert tidied("´▽｀") is tidied("(⌒∇⌒)") is tidied("←→") is None
    assert tidied("B'z") == ("B'z", 10, 13)
    merged = merge_mentions([[Mention(0, 0, 22, "Mixture of Experts(MoE", "PRODUCT", source="ner")]])
    assert [(m.text, m.start, m.end) for m in merged] == [("Mixture of Experts", 0, 18)]

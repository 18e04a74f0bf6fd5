"""Quotes: brackets and nesting, kinds, cues and the words naming the speaker."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from archivist.annotators import AnnotateContext, Models, morphemes, quotes
from archivist.model import Block, Document
from archivist.registry import Registry

CASES = tomllib.loads((Path(__file__).parent / "cases" / "annotators" / "quotes.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def tokenizer():
    return morphemes.load_tokenizer()


def doc(*texts: str, lang: str = "ja") -> Document:
    return Document("d", "d", "d.txt", lang, "t", [Block("paragraph", t) for t in texts])


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_quote_case(case: dict, tokenizer) -> None:
    text = case["text"]
    found = quotes.find_quotes(text, case.get("lang", "ja"), tokenizer=tokenizer)
    for quote in found:
        assert text[quote.start:quote.end] == quote.text
        assert text[quote.start - 1] in "「『“\"" and text[quote.end] in "」』”\""
        if quote.speaker_text is not None:
            start = quote.speaker_start
            assert text[start:start + len(quote.speaker_text)] == quote.speaker_text
    expected = [(q["text"], q["kind"], q.get("cue"), q.get("speaker")) for q in case["quotes"]]
    assert [(q.text, q.kind, q.cue, q.speaker_text) for q in found] == expected


def test_find_pairs_outermost_only() -> None:
    text = "「外『中「奥」中』外」と「閉じない"
    assert quotes.find_pairs(text) == [(0, 10)]
    assert quotes.find_pairs("「」と『』") == []  # empty pairs are not quotes


def test_annotate_numbers_blocks_and_skips_nothing() -> None:
    document = doc("見出し", "彼は「はい」と語った。「いいえ」")
    result = quotes.annotate(document, AnnotateContext(names=("quotes",), registry=Registry.empty()))
    assert [(q.block, q.text) for q in result.quotes] == [(1, "はい"), (1, "いいえ")]
    assert result.mentions == []


def test_the_tokenizer_is_loaded_once_and_named_in_the_settings() -> None:
    ctx = AnnotateContext(names=("quotes",), registry=Registry.empty(), models=Models())
    quotes.annotate(doc("彼は「はい」と語った。"), ctx)
    assert list(ctx.models.loaded) == [morphemes.MODEL]
    assert quotes.annotate(doc("“Yes,” he said.", lang="en"), ctx).quotes[0].speaker_text == "he"
    assert quotes.settings(ctx).startswith("sudachidict-core ")


def test_a_paragraph_announced_by_the_one_above(tokenizer) -> None:
    found = quotes.find_quotes("「準備はできています」", "ja", 1, tokenizer=tokenizer,
                               previous="山田花子氏は次のように語った。")
    assert [(q.block, q.kind, q.cue, q.speaker_text) for q in found] == [(1, "direct", "次のように語った", None)]


def test_a_heading_repeating_a_speaker_is_partial() -> None:
    document = doc("“A fair deal”", "“We want a fair deal for everyone,” said Joan Miller.", lang="en")
    result = quotes.annotate(document, AnnotateContext(names=("quotes",), registry=Registry.empty()))
    assert [q.kind for q in result.quotes] == ["partial", "direct"]


def test_long_blocks_are_read_in_pieces_with_true_offsets(tokenizer) -> None:
    sentence = "山田氏は「今日は晴れです」と語った。"
    text = sentence * 3000  # over Sudachi's 49,149-byte limit on one input
    words = morphemes.morphemes(tokenizer, text)
    assert all(text[m.start:m.end] == m.surface for m in words)
    found = quotes.find_quotes(text, "ja", tokenizer=tokenizer)
    assert len(found) == 3000 and {(q.kind, q.speaker_text) for q in found} == {("direct", "山田")}


def _quoted(document: Document) -> list[tuple[int, str, str | None, str | None]]:
    found = quotes.annotate(document, AnnotateContext(names=("quotes",), registry=Registry.empty())).quotes
    for quote in found:
        text = document.blocks[quote.block].text
        assert text[quote.start:quote.end] == quote.text
        if quote.speaker_text is not None:
            assert text[quote.speaker_start:quote.speaker_start + len(quote.speaker_text)] == quote.speaker_text
    return [(q.block, q.text, q.speaker_text, q.cue) for q in found]


def test_a_quote_running_over_paragraphs_is_a_quote_in_each() -> None:
    closed_later = doc("山田さんは振り返る。", "「最初は不安でしたが、", "仲間に支えられました」と山田さんは語った。")
    assert _quoted(closed_later) == [(1, "最初は不安でしたが、", None, None),
                                     (2, "仲間に支えられました", "山田", "と語った")]
    opened_again = doc("「一つ目の段落です。", "「二つ目の段落です。", "「三つ目の段落です」と佐藤氏は述べた。")
    assert [(block, text) for block, text, *_ in _quoted(opened_again)] == [
        (0, "一つ目の段落です。"), (1, "二つ目の段落です。"), (2, "三つ目の段落です")]


def test_a_bracket_no_later_paragraph_closes_stays_text() -> None:
    typo = doc("「閉じ忘れた発言です。", "地の文が続く。", "「別の発言」と述べた。")  # narration between: no quote runs on
    assert [(block, text) for block, text, *_ in _quoted(typo)] == [(2, "別の発言")]
    wrong_closer = doc("“ハクナ・マタタ", "地の文。", "仲間の”愛”を描く。")  # two closers: no quote ends there
    assert _quoted(wrong_closer) == []
    assert quotes.spanning(["「開いたまま", "普通の段落"]) == {}


def test_marks_the_wrong_way_round_are_a_pair() -> None:
    ctx = AnnotateContext(names=("quotes",), registry=Registry.empty())
    found = quotes.annotate(doc("最近は”女性用“を謳う商品が多い。", "一般的に”共感“とは『他人の意見』を認めること。"), ctx).quotes
    assert [(q.block, q.text, q.start) for q in found][:2] == [(0, "女性用", 4), (1, "共感", 5)]
    assert quotes.paired_marks("“A”B“") == "“A”B“"  # that ” closes “A: B“ stays unclosed
    assert quotes.paired_marks("仲間の”愛”を描く") == "仲間の”愛”を描く"  # two closers: no pair
    assert quotes.paired_marks("彼は”「すごい」“と") == "彼は”「すごい」“と"  # a bracket between


def test_one_mark_typed_twice_is_a_pair() -> None:
    ctx = AnnotateContext(names=("quotes",), registry=Registry.empty())
    found = quotes.annotate(doc("二人が“切腹“という行為を通して描く。", "“一“と“二“、そして“三"), ctx).quotes
    assert [(q.block, q.text) for q in found] == [(0, "切腹"), (1, "一"), (1, "二")]
    assert quotes.find_pairs(quotes.paired_marks("“外“と“内”")) == [(0, 2), (4, 6)]  # styles mixed
    nested = doc("彼は「女の人で“肉じゃが“と思う」と言っていた。")
    assert [q.text for q in quotes.annotate(nested, ctx).quotes] == ["女の人で“肉じゃが“と思う"]  # as written
    crossing = "「“あ」と“い"  # the two lone marks have a bracket between them: no pair
    assert quotes.paired_marks(crossing) == crossing


@pytest.mark.parametrize(("text", "words", "named"), [
    ("店員さんは「いらっしゃいませ」と言った。", "店員さん", False),
    ("お父ちゃんはそのとき「ダメだ」と言った。", "お父ちゃん", False),
    ("妹さんは「うん」と頷いた。", "妹さん", False),
    ("好きな生主さんは「囲ってナンボ」と言う。", "生主さん", False),  # a streamer, not someone named 主
    ("女性店員さんは「どうぞ」と言った。", "女性店員さん", False),
    ("弁護団は「不当だ」と述べた。", "弁護団", True),
    ("結局は「無理だ」と語った。", None, True),  # a word the dictionary has for no thing is no organisation
    ("A子さんは「別れた」と語った。", "A子さん", False),
    ("Ｂさんも「同じです」と話す。", "Ｂさん", False),
    ("孫社長は「やりましょう」と語った。", "孫", True),
    ("野村前監督は「すごい」と語った。", "野村", True),  # the former manager 野村, not someone named 前
    ("平田直教授は「慌てないで」と語った。", "平田直", True),  # not 直 alone
    ("山田元首相は「はい」と語った。", "山田", True),
    ("サナエさんは「楽しい」と語った。", "サナエ", True),
    ("山田教授は「興味深い」と語った。", "山田", True),
])
def test_words_naming_or_describing_a_speaker(text, words, named, tokenizer) -> None:
    [quote] = quotes.find_quotes(text, "ja", tokenizer=tokenizer)
    assert (quote.speaker_text, quote.speaker_named) == (words, named)

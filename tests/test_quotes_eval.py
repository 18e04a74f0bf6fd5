"""The quote benchmark's matching and scoring, on tiny hand-made gold and predictions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("quotes_eval", ROOT / "benchmarks" / "quotes_eval.py")
qe = importlib.util.module_from_spec(SPEC)
sys.modules.setdefault("quotes_eval", qe)  # dataclasses look their module up by name
SPEC.loader.exec_module(qe)


def gold(text, kind="direct", speaker=None, article="a.txt", lang="ja", prefix=None):
    typ = "PERSON" if speaker else None
    return qe.GoldQuote(lang, article, text, kind, speaker, typ, None, prefix)


def guess(text, kind="direct", names=(), article="a.txt", lang="ja", block="", opener="「"):
    speaker = "person/x" if names else None
    return qe.PredictedQuote(lang, article, text, kind, tuple(names), speaker, block, opener)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("abcde", "abcde", True),
    ("abcdefghij", "abcdefghi", True),  # 9 of 10
    ("abcdefghij", "abcdefgh", True),  # 8 of 10: the limit
    ("abcdefghij", "abcdefg", False),  # 7 of 10
    ("abcdefghij", "bcdefghijk", False),  # overlapping, neither contains the other
    ("", "", False),
])
def test_loose_match_needs_containment_and_four_fifths(a, b, expected):
    assert qe.loose_match(a, b) is expected
    assert qe.loose_match(b, a) is expected


def test_match_pairs_exact_then_loose_and_lists_misses_and_spurious():
    golds = [gold("今日は晴れです。"), gold("Sleep,", lang="en", article="b.md"), gold("誰も言わない")]
    predicted = [guess("今日は晴れです。"), guess("Sleep", lang="en", article="b.md", opener="“"),
                 guess("余計な引用")]
    matching = qe.match_quotes(golds, predicted)
    assert [(p.gold.text, p.predicted.text, p.loose) for p in matching.pairs] == [
        ("今日は晴れです。", "今日は晴れです。", False), ("Sleep,", "Sleep", True)]
    assert [q.text for q in matching.missed] == ["誰も言わない"]
    assert [q.text for q in matching.spurious] == ["余計な引用"]


def test_match_never_crosses_articles():
    matching = qe.match_quotes([gold("同じ", article="a.txt")], [guess("同じ", article="b.txt")])
    assert not matching.pairs and len(matching.missed) == 1 and len(matching.spurious) == 1


def test_repeated_texts_pair_by_block_prefix():
    golds = [gold("衝突事故", speaker="鳩山", prefix="記事によると")]
    predicted = [guess("衝突事故", block="30日、鳩山元首相が「衝突事故」"),
                 guess("衝突事故", names=["鳩山"], block="記事によると、同氏は「衝突事故」")]
    matching = qe.match_quotes(golds, predicted)
    assert matching.pairs[0].predicted.block_text.startswith("記事によると")
    assert len(matching.spurious) == 1


def test_japanese_quotes_outside_the_gold_brackets_are_not_scored():
    predicted = [guess("中国寄り", kind="term", opener="“"), guess("売国", kind="term", opener="「")]
    matching = qe.match_quotes([], predicted)
    assert [q.text for q in matching.outside] == ["中国寄り"]
    assert [q.text for q in matching.spurious] == ["売国"]
    english = qe.match_quotes([], [guess("dark warehouses,", kind="term", lang="en", opener="“")])
    assert len(english.spurious) == 1 and not english.outside


@pytest.mark.parametrize(("gold_name", "names", "expected"), [
    ("財前宣之", ["財前宣之"], True),
    ("鳩山", ["鳩山由紀夫"], True),  # the gold name inside the predicted one
    ("Inês Ferreira", ["Ferreira"], True),  # the predicted name inside the gold one
    ("孫正義", ["ソフトバンク", "孫 正義"], True),  # an alias, spaces ignored
    ("ＡｎｇｕｓＭａｃｋａｙ", ["angus mackay"], True),  # NFKC and case
    ("テイラー・キッチュ", ["ジョン・カーター"], False),
    ("Maria Okafor", [], False),
    ("Maria Okafor", [""], False),
])
def test_speaker_matches(gold_name, names, expected):
    assert qe.speaker_matches(gold_name, names) is expected


def test_score_counts_every_figure():
    golds = [gold("一", speaker="上原浩治"), gold("二", speaker="上原浩治"), gold("三"),
             gold("四", kind="term"), gold("五")]
    predicted = [guess("一", names=["上原"]), guess("二", kind="partial", names=["国内"]),
                 guess("三", names=["記者"]), guess("四", kind="term"), guess("六")]
    s = qe.score(qe.match_quotes(golds, predicted))
    assert (s.gold, s.predicted, s.matched, s.loose, s.outside) == (5, 5, 4, 0, 0)
    assert (s.direct_gold, s.direct_predicted, s.direct_matched) == (4, 3, 2)
    assert s.direct_recall == 0.5
    assert s.kind_right == 3
    assert (s.speaker_gold, s.speaker_right, s.speaker_accuracy) == (2, 1, 0.5)
    assert (s.null_gold, s.null_right) == (2, 1)  # 三 got a speaker, 四 did not
    assert s.confusion[("direct", "direct")] == 2
    assert s.confusion[("direct", "partial")] == 1
    assert s.confusion[("direct", qe.NONE)] == 1  # 五 missed
    assert s.confusion[(qe.NONE, "direct")] == 1  # 六 spurious


def test_scores_of_nothing_are_zero_not_errors():
    s = qe.score(qe.Matching())
    assert s.direct_recall == 0.0 and s.speaker_accuracy == 0.0
    assert "0.000" in qe.format_scores("ja", s)
    assert "NOT met" in qe.format_targets(s)


def test_predicted_quotes_read_the_json_contract():
    document = {
        "source": "text/x/x-1.txt",
        "blocks": [{"kind": "paragraph", "text": "同氏は「こんにちは」と語った。"}],
        "entities": [{"id": "person/鳩山由紀夫", "name": "鳩山由紀夫", "type": "PERSON", "aliases": ["鳩山"]}],
        "quotes": [{"block": 0, "start": 4, "end": 9, "text": "こんにちは", "kind": "direct",
                    "speaker": "person/鳩山由紀夫", "cue": "と語った"},
                   {"block": 0, "start": 0, "end": 2, "text": "同氏", "kind": "term", "speaker": None, "cue": None}],
    }
    found = qe.predicted_quotes([document], "ja", lambda source: source)
    assert found[0].speaker_names == ("鳩山由紀夫", "鳩山")
    assert found[0].opener == "「" and found[0].article == "text/x/x-1.txt"
    assert found[1].speaker_names == () and found[1].opener == ""
    assert qe.predicted_quotes([document], "ja", lambda source: None) == []


def test_article_finder_accepts_relative_and_absolute_sources(tmp_path):
    article_for = qe.article_finder(tmp_path)
    assert article_for("en/a.md") == "en/a.md"
    assert article_for(str(tmp_path / "text" / "b.txt")) == "text/b.txt"
    assert article_for("/elsewhere/c.txt") is None


def test_load_gold_names_the_file_and_line_of_a_bad_record(tmp_path):
    path = tmp_path / "quotes_ja.jsonl"
    good = '{"article": "a.txt", "text": "x", "kind": "direct", "speaker": "甲", "speaker_type": "PERSON"}'
    path.write_text(good + "\n\n" + good.replace('"direct"', '"quip"') + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"quotes_ja.jsonl:3: kind 'quip'"):
        qe.load_gold(path, "ja")
    path.write_text('{"article": "a.txt", "text": "x", "kind": "term", "speaker": "甲", "speaker_type": "PERSON"}\n')
    with pytest.raises(ValueError, match="a term has no speaker"):
        qe.load_gold(path, "ja")


def test_gold_problems_finds_missing_and_overcounted_texts():
    golds = [gold("晴れ"), gold("晴れ"), gold("雨", article="c.txt")]
    assert qe.gold_problems(golds, {"a.txt": "「晴れ」「晴れ」"}) == ["c.txt: article not found"]
    problems = qe.gold_problems(golds[:2], {"a.txt": "「晴れ」"})
    assert problems == ["a.txt: '晴れ' occurs 1 times, gold has 2"]


def test_the_gold_files_are_well_formed_and_the_english_gold_fits_its_texts():
    ja = qe.load_gold(qe.GOLD_DIR / "quotes_ja.jsonl", "ja")
    en = qe.load_gold(qe.GOLD_DIR / "quotes_en.jsonl", "en")
    assert len(ja) >= 40 and len({q.article.split("/")[1] for q in ja}) >= 5
    assert len(en) >= 20
    texts = {a: (qe.GOLD_DIR / a).read_text(encoding="utf-8") for a in {q.article for q in en}}
    assert qe.gold_problems(en, texts) == []

"""The news entity benchmark's gold mentions and its gold file, on hand-made documents."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("ner_news_eval", ROOT / "benchmarks" / "ner_news_eval.py")
ne = importlib.util.module_from_spec(SPEC)
sys.modules.setdefault("ner_news_eval", ne)
SPEC.loader.exec_module(ne)


def doc(*texts: str) -> dict:
    return {"blocks": [{"text": text} for text in texts], "mentions": []}


def test_every_occurrence_is_a_mention_and_a_longer_name_wins() -> None:
    names = [["石川遼", "PERSON"], ["石川", "PERSON"], ["日本テレビ", "ORG"], ["日本", "PLACE"]]
    spans = ne.gold_spans(doc("石川遼が日本テレビに出た。", "石川は日本で話した。"), names)
    assert spans == {(0, 0, 3, "PERSON"), (0, 4, 9, "ORG"), (1, 0, 2, "PERSON"), (1, 3, 5, "PLACE")}


def test_words_before_an_occurrence_give_it_their_own_type() -> None:
    names = [["平清盛", "PRODUCT"], ["平清盛", "PERSON", "主役の"]]
    spans = ne.gold_spans(doc("ドラマ「平清盛」では、主役の平清盛を演じる。"), names)
    assert spans == {(0, 4, 7, "PRODUCT"), (0, 14, 17, "PERSON")}


def test_scores_are_strict() -> None:
    assert ne.score(3, 1, 2) == (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)
    assert ne.score(0, 0, 0) == (0.0, 0.0, 0.0)


def test_the_gold_file_names_each_article_once_with_known_types() -> None:
    gold = ne.load_gold()
    categories = [Path(article).parts[1] for article in gold]
    assert len(gold) == 18 and all(categories.count(c) == 2 for c in categories)  # two per category
    for names in gold.values():
        assert all(entry[1] in ne.TYPES and len(entry) in (2, 3) for entry in names)
        plain = [entry[0] for entry in names if len(entry) == 2]
        assert len(plain) == len(set(plain))  # one type per name, besides the contextual ones

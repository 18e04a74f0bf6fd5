"""The fast profile's Japanese recogniser: Sudachi parts of speech and suffix rules."""

import pytest

from archivist.annotators import AnnotateContext, Models
from archivist.annotators import rules_ja
from archivist.model import Block, Document
from archivist.registry import Registry


@pytest.fixture(scope="module")
def ctx():
    return AnnotateContext(names=("rules",), registry=Registry.empty(), models=Models())


def spans(ctx, text: str, lang: str = "ja") -> list[tuple[str, str]]:
    doc = Document(id="d", slug="d", source="d.txt", lang=lang, title="", blocks=[Block("paragraph", text)])
    result = rules_ja.annotate(doc, ctx)
    for m in result.mentions:
        assert text[m.start:m.end] == m.text and m.source == "rules" and 0 < m.confidence <= 1
    return [(m.text, m.type) for m in result.mentions]


def test_people_without_their_titles(ctx):
    found = spans(ctx, "山川電機の田中一郎社長と、研究員のジョン・スミス氏が会見した。")
    assert ("田中一郎", "PERSON") in found
    assert ("ジョン・スミス", "PERSON") in found
    assert not any(text.endswith(("社長", "氏")) for text, _ in found)


def test_an_honorific_the_dictionary_joined_to_a_name_is_left_out(ctx):
    found = spans(ctx, "評論家の勝間和代氏と北澤豪氏、それに金正恩氏が話した。")
    assert [text for text, kind in found if kind == "PERSON"] == ["勝間和代", "北澤豪", "金正恩"]


def test_a_name_ending_like_an_honorific_keeps_it(ctx):
    found = spans(ctx, "足利尊氏と源氏の物語。")
    assert ("足利尊氏", "PERSON") in found and ("源氏", "PERSON") in found


def test_organisation_suffix_takes_the_whole_phrase(ctx):
    found = spans(ctx, "北海道大学と日本銀行、そして米国商務省が発表した。")
    assert ("米国商務省", "ORG") in found
    assert ("日本銀行", "ORG") in found


def test_places(ctx):
    assert ("大阪", "PLACE") in spans(ctx, "大阪で雨が降った。")


def test_other_languages_are_left_alone(ctx):
    assert spans(ctx, "Tokyo is large.", lang="en") == []


def test_a_name_filling_brackets_is_a_title(ctx):
    found = spans(ctx, "新作ゲーム「ファイナルファンタジーXVI」を発売し、『ONE PIECE』で連載した。")
    assert ("ファイナルファンタジーXVI", "PRODUCT") in found
    assert ("ONE PIECE", "PRODUCT") in found


def test_brackets_holding_a_sentence_or_an_organisation_are_not_titles(ctx):
    found = spans(ctx, "山田氏は「トヨタが勝つ」と語り、「日本銀行」にも触れた。")
    assert not any(kind == "PRODUCT" for _, kind in found)
    assert ("日本銀行", "ORG") in found


def test_an_english_word_the_dictionary_calls_a_name_is_no_person_alone(ctx):
    found = spans(ctx, "「AQUOS PHONE」はRAM 1GBを積む。Johnさんは喜んだ。")
    assert not any(text in ("PHONE", "RAM") for text, _ in found)
    assert ("John", "PERSON") in found  # an honorific still marks one


def test_a_number_before_a_suffix_is_a_quantity_or_a_date_not_a_name(ctx):
    found = spans(ctx, "ビールは620万杯売れ、今まで10通りの案があり、2月17日全国ロードショーとなる。")
    assert found == []


def test_a_number_glued_to_a_name_is_left_out(ctx):
    found = spans(ctx, "11.11.01ソニー・ピクチャーズエンタテインメントが発売した。")
    assert [text for text, _ in found] == ["ソニー・ピクチャーズエンタテインメント"]


@pytest.mark.parametrize("text, names", [
    # a numbered event or unit keeps its number
    ("1972年札幌オリンピックの後、第91回天皇杯と第6師団の話をした。",
     [("1972年札幌オリンピック", "EVENT"), ("第91回天皇杯", "EVENT"), ("第6師団", "ORG")]),
    # a series is a line of products unless a place plays it
    ("新しいXperiaシリーズが出た。日本シリーズは巨人が勝った。", [("Xperiaシリーズ", "PRODUCT"), ("日本シリーズ", "EVENT")]),
], ids=["numbered", "series"])
def test_numbered_names_and_series(ctx, text, names):
    found = spans(ctx, text)
    assert [name for name in names if name not in found] == []


def test_a_films_release_is_not_an_event(ctx):
    found = spans(ctx, "新宿ピカデリーほか全国ロードショー。東京モーターショーも開かれた。")
    assert not any(kind == "EVENT" and text.endswith("ロードショー") for text, kind in found)
    assert ("東京モーターショー", "EVENT") in found


def test_brackets_after_a_kind_of_work_hold_a_title_whatever_its_words(ctx):
    found = spans(ctx, "映画「恐るべき子どもたち」と、新曲の『野菊の墓』を聴いた。彼は「行こう」と語った。")
    assert ("恐るべき子どもたち", "PRODUCT") in found
    assert ("野菊の墓", "PRODUCT") in found
    assert not any(text == "行こう" for text, _ in found)


@pytest.mark.parametrize("text, products", [
    # a number glued to a Latin name, or after a space or hyphen, with the letters glued to it
    ("MSM8960を搭載し、Android 4.0で動くiPhone 4Sの対抗機。", ["MSM8960", "Android 4.0", "iPhone 4S"]),
    # the Latin words before the number belong to the name
    ("GALAXY Tab 7.7とWindows Phone 8、Prophet-5を比べた。", ["GALAXY Tab 7.7", "Windows Phone 8", "Prophet-5"]),
    # English words before the name are not part of it
    ("・docomo with series ARROWS Me F-11D | 製品", ["ARROWS Me F-11D"]),
    # a number starting with 0 is a model's when letters are glued to it
    ("・HTC Desire HD SoftBank 001HT", ["HTC Desire HD SoftBank 001HT"]),
], ids=["glued-or-spaced", "several-words", "english-before", "zero-led-model"])
def test_a_latin_name_with_a_model_number_is_a_product(ctx, text, products):
    found = spans(ctx, text)
    assert [name for name in products if (name, "PRODUCT") not in found] == []


def test_a_unit_a_year_a_group_an_age_or_a_telephone_after_a_latin_name_make_no_product(ctx):
    found = spans(ctx, "RAM 1GBの端末をINTEROP2011とAnimeJapan 2014で見せ、AKB48とU-19代表が来た。TEL 03(6427)")
    assert [text for text, kind in found if kind == "PRODUCT"] == []
    assert ("AKB48", "ORG") in found


def test_capitalised_latin_words_spaced_apart_are_one_name(ctx):
    found = [text for text, _ in spans(ctx, "Google Play StoreとMac OS Xを、smaxjp on Twitterで紹介した。")]
    assert "Google Play Store" in found and "Mac OS X" in found
    assert "Twitter" in found and not any(text.endswith(" Twitter") for text in found)


def test_a_middle_dot_between_kanji_names_separates_a_list(ctx):
    found = spans(ctx, "岡田克也・二階俊博・野田毅が集まり、ウォルト・ディズニーを語った。")
    assert [name for name in ("岡田克也", "二階俊博", "野田毅") if (name, "PERSON") not in found] == []
    assert "ウォルト・ディズニー" in [text for text, _ in found]


def test_katakana_names_joined_by_a_middle_dot_are_people(ctx):
    found = spans(ctx, "メリル・ストリープとハリソン・フォードが出演した。")
    assert ("メリル・ストリープ", "PERSON") in found and ("ハリソン・フォード", "PERSON") in found


def test_schools_halls_factories_and_cabinets_take_the_whole_phrase(ctx):
    found = spans(ctx, "灘中学校を出て、福岡市民会館と神戸工場を訪れ、野田内閣を批判した。")
    for name, kind in (("灘中学校", "PLACE"), ("福岡市民会館", "PLACE"), ("神戸工場", "PLACE"), ("野田内閣", "ORG")):
        assert (name, kind) in found


def test_an_era_starting_a_date_is_no_name(ctx):
    found = spans(ctx, "明治5年の調査と平成10年度の予算、明治元年の記録を沢尻エリカ 2012年の写真集と比べた。")
    assert [text for text, _ in found] == ["沢尻エリカ"]


def test_a_name_sudachi_reads_as_one_word_is_typed_by_its_suffix(ctx):
    found = spans(ctx, "品川駅から羽田空港へ向かい、東京ドームで阪神・淡路大震災を振り返った。アダムとマグカップ。")
    for name, kind in (("品川駅", "PLACE"), ("羽田空港", "PLACE"), ("東京ドーム", "PLACE"), ("阪神・淡路大震災", "EVENT")):
        assert (name, kind) in found
    assert not any(kind in ("PLACE", "EVENT") and text in ("アダム", "マグカップ") for text, kind in found)


def test_ministries_agencies_houses_and_parties_named_by_common_nouns(ctx):
    found = spans(ctx, "環境省と郵政省、参議院と国民党が応じた。同省と野党は黙った。")
    assert [text for text, kind in found if kind == "ORG"] == ["環境省", "郵政省", "参議院", "国民党"]


def test_a_letter_standing_for_someone_unnamed_or_a_laugh_is_no_name(ctx):
    found = spans(ctx, "Aさんと A子さん、B氏が来た。すごいww。新しいXシリーズと田中さん。")
    assert [text for text, _ in found] == ["Xシリーズ", "田中"]


def test_a_list_of_thousands_of_names_is_each_of_them(ctx):
    found = spans(ctx, "・".join(["山田太郎", "鈴木花子"] * 1500) + "が来た。")
    assert len(found) == 3000 and {text for text, _ in found} == {"山田太郎", "鈴木花子"}


def test_a_name_of_one_character_is_no_name(ctx):
    found = spans(ctx, "所 在 地：東京都港区。王さんは「M」サイズを選び、林真理子氏を訪ねた。")
    assert found == [("東京都港区", "PLACE"), ("林真理子", "PERSON")]

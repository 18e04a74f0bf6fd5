"""Names that are one entity although spelt apart: scripts, spellings, short forms."""

import pytest

from archivist.name_match import organisation_short_form, same_sound, script, skeleton


@pytest.mark.parametrize("katakana, latin", [
    ("ムサヴィザデ", "Mousavizadeh"),
    ("ジョゼンパ", "Jozempa"),
    ("ディープシーク", "DeepSeek"),
    ("アンドロイド", "Android"),
    ("マイクロソフト", "Microsoft"),
    ("サムスン", "Samsung"),
    ("ロンドン", "London"),
])
def test_katakana_and_latin_spellings_of_one_name_match(katakana, latin):
    assert same_sound(katakana, latin)
    assert same_sound(latin, katakana)


@pytest.mark.parametrize("a, b", [
    ("トランプ", "Jozempa"),
    ("バイデン", "Jobs"),
    ("アップル", "Google"),
    ("ソニー", "Sun"),  # one skeleton (sn), but too short to tell
    ("ブラウン", "ブライアン"),  # two katakana names need a long skeleton
    ("Biden", "Bidden"),  # Latin spellings are compared as written
    ("東京", "Tokyo"),  # kanji are not read
])
def test_different_names_do_not_match(a, b):
    assert not same_sound(a, b)


def test_a_single_name_matches_the_family_name_ending_a_full_name():
    assert same_sound("Mousavizadeh", "アレクサンドラ・ムサヴィザデ")
    assert not same_sound("Alexandra", "アレクサンドラ・ムサヴィザデ")


def test_two_katakana_spellings_with_a_shared_kanji_ending_match():
    assert same_sound("カリフォルニア州", "カルフォルニア州")
    assert same_sound("ブロター・ネット", "ブローター・ネット")
    assert not same_sound("カリフォルニア州", "カリフォルニア大学")


def test_skeleton_folds_sounds_japanese_does_not_tell_apart():
    assert skeleton("ムサヴィザデ") == skeleton("Mousavizadeh") == "msbzd"
    assert skeleton("ＤｅｅｐＳｅｅｋ") == skeleton("DeepSeek")  # full-width letters fold first


def test_script():
    assert script("アレクサンドラ・ムサヴィザデ") == "katakana"
    assert script("Steve Jobs") == "latin"
    assert script("雁屋哲") is None


@pytest.mark.parametrize("short, full, expected", [
    ("パランティア", "パランティア・テクノロジーズ", True),
    ("Evident", "Evident Inc.", True),
    ("朝日新聞", "朝日新聞社", True),
    ("富士通", "富士通東芝", False),
    ("パランティア", "パランティア", False),
])
def test_organisation_short_form(short, full, expected):
    assert organisation_short_form(short, full) is expected

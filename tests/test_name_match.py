"""Names that are one entity although spelt apart: scripts, spellings, short forms."""

import pytest

from archivist.name_match import (
    comparable_letters, letters, organisation_short_form, organisation_short_forms, same_sound, script,
    skeleton,
)


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


def test_organisation_short_forms_are_those_organisation_short_form_accepts():
    names = ["パランティア・テクノロジーズ", "Evident Inc.", "朝日新聞社", "富士通東芝", "トヨタ"]
    for full in names:
        forms = organisation_short_forms(full)
        for end in range(1, len(full)):
            assert (full[:end].strip() in forms) is organisation_short_form(full[:end], full), (full, end)
    assert organisation_short_forms("トヨタ") == frozenset()  # no corporate suffix: no short form


@pytest.mark.parametrize("name, kind", [
    ("ムサヴィザデ", "katakana"), ("ｶｰﾌﾟ", "katakana"), ("Mousavizadeh", "latin"), ("Ｊｏｚｅｍｐａ", "latin"),
    ("山田太郎", None), ("東京都", None), ("ドナルド・Trump", "katakana"),
])
def test_letters_reads_names_as_their_normal_form_would(name, kind):
    assert letters(name) == kind


def test_only_names_with_letters_that_can_sound_alike_are_compared():
    assert comparable_letters("山田太郎") == ()
    assert "latin" in comparable_letters("ムサヴィザデ")
    assert comparable_letters("Mousavizadeh") == ("katakana",)  # Latin spellings are compared as written
    for a, b in [("ムサヴィザデ", "Mousavizadeh"), ("ジョゼンパ", "Jozempa")]:
        assert same_sound(a, b) and letters(b) in comparable_letters(a) and letters(a) in comparable_letters(b)

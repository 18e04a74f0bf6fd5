"""Evidence that two names in one document are one entity, beyond exact spelling.

News writes foreign names in katakana and in Latin letters, often in the same
article (Mousavizadeh, ムサヴィザデ), and sometimes spells one name two ways
(カリフォルニア州, カルフォルニア州). Both are compared by their consonant skeleton:
the katakana romanised (jaconv, Hepburn), then both lower-cased with the sounds
Japanese does not tell apart folded together (l/r, v/b, c/k ...), vowels dropped
and doubled letters merged: ムサヴィザデ and Mousavizadeh are both ``msbzd``.
Short skeletons say little (ソニー and Sun are both ``sn``), so a match needs a
long one, and two katakana spellings a longer one still.

An organisation's short form drops its legal or corporate suffix
(パランティア for パランティア・テクノロジーズ, Evident for Evident Inc.).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

import jaconv

KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc・＝\s]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z .'\-]*")
NAME_PARTS = re.compile(r"[・＝=\s]+")
KANA_LETTER = re.compile(r"[\u30a1-\u30fa\u30fc]")
SOUNDED = re.compile(r"[\u30a1-\u30fa\u30fc・＝\sA-Za-z]")  # what KATAKANA or LATIN may match
FOLDS = (("ph", "f"), ("th", "s"), ("ck", "k"), ("l", "r"), ("v", "b"), ("c", "k"), ("q", "k"), ("x", "ks"))
LEAST_ACROSS_SCRIPTS = 3  # skeleton letters for a Latin and a katakana name to match exactly
LEAST_FUZZY = 4  # skeleton letters for a near match (one sound more or less)
LEAST_KATAKANA = 5  # skeleton letters for two katakana spellings to match
NEAR = 0.85  # SequenceMatcher ratio of a near match
CORPORATE_SUFFIXES = (
    "テクノロジーズ", "テクノロジー", "ホールディングス", "グループ", "コーポレーション", "インク",
    "株式会社", "有限会社", "社", "Technologies", "Technology", "Holdings", "Group", "Corporation",
    "Corp.", "Corp", "Inc.", "Inc", "Ltd.", "Ltd", "LLC", "Co.",
)


@lru_cache(maxsize=1 << 14)
def script(name: str) -> str | None:
    """'katakana' or 'latin' when the whole name is written in that script, else None."""
    name = unicodedata.normalize("NFKC", name)
    if KATAKANA.fullmatch(name):
        return "katakana"
    if LATIN.fullmatch(name):
        return "latin"
    return None


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """The consonants of a katakana or Latin name, folded as above."""
    name = unicodedata.normalize("NFKC", name)
    if script(name) == "katakana":
        name = jaconv.kata2alphabet(name)
    letters = re.sub(r"[^a-z]", "", name.lower())
    for before, after in FOLDS:
        letters = letters.replace(before, after)
    letters = re.sub(r"n(?=[bmp])", "m", letters)  # ン before b, m, p sounds m
    letters = re.sub(r"[aeiouyhw]", "", letters)
    return re.sub(r"(.)\1+", r"\1", letters)


@lru_cache(maxsize=1 << 14)
def letters(name: str) -> str | None:
    """'katakana' when name holds a katakana letter, else 'latin' when it holds a Latin
    letter (or a space, ・ or ＝), else None. Read in NFKD form, so that full-width,
    half-width and composed letters count as they do once NFKC-normalised."""
    name = unicodedata.normalize("NFKD", name)
    if KANA_LETTER.search(name):
        return "katakana"
    return "latin" if SOUNDED.search(name) else None


def may_sound_alike(a: str, b: str) -> bool:
    """Whether same_sound could hold, cheaply: every part it compares lies within a or b
    and must be written in katakana or Latin letters, and one side in katakana (a name
    with neither, 山田太郎 or 東京都, sounds like no other)."""
    first, second = letters(a), letters(b)
    return first is not None and second is not None and "katakana" in (first, second)


@lru_cache(maxsize=1 << 16)  # the same pairs of names meet again across an archive
def same_sound(a: str, b: str) -> bool:
    """Whether a and b look like one name written in katakana and Latin letters, or
    two katakana spellings of one name; a single name matches the family name that
    ends a full one (Mousavizadeh, アレクサンドラ・ムサヴィザデ)."""
    a, b = _without_common_suffix(a, b)
    if _sounds_alike(a, b):
        return True
    a_parts, b_parts = NAME_PARTS.split(a.strip()), NAME_PARTS.split(b.strip())
    if len(a_parts) == 1 and len(b_parts) > 1:
        return _sounds_alike(a, b_parts[-1])
    if len(b_parts) == 1 and len(a_parts) > 1:
        return _sounds_alike(a_parts[-1], b)
    return False


def _without_common_suffix(a: str, b: str) -> tuple[str, str]:
    """a and b without the kanji ending they share (州 in カリフォルニア州, カルフォルニア州)."""
    common = 0
    while common < min(len(a), len(b)) - 1 and a[-1 - common] == b[-1 - common] and not KATAKANA.match(a[-1 - common]):
        common += 1
    return (a[:-common], b[:-common]) if common else (a, b)


def _sounds_alike(a: str, b: str) -> bool:
    scripts = {script(a), script(b)}
    if None in scripts or a == b:
        return False
    first, second = skeleton(a), skeleton(b)
    if scripts == {"katakana"}:
        return first == second and len(first) >= LEAST_KATAKANA
    if scripts == {"latin"}:
        return False  # Latin spellings are compared as written
    if first == second:
        return len(first) >= LEAST_ACROSS_SCRIPTS
    shorter = min(len(first), len(second))
    return shorter >= LEAST_FUZZY and SequenceMatcher(None, first, second).ratio() >= NEAR


def organisation_short_form(short: str, full: str) -> bool:
    """Whether short is full without its corporate suffix (パランティア, パランティア・テクノロジーズ)."""
    short, full = short.strip(), full.strip()
    if not short or short == full or not full.startswith(short):
        return False
    rest = full[len(short):].lstrip(" ・,")
    return rest in CORPORATE_SUFFIXES

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
NOT_LETTER = re.compile(r"[^a-z]")
N_AS_M = re.compile(r"n(?=[bmp])")
VOWEL = re.compile(r"[aeiouyhw]")
DOUBLED = re.compile(r"(.)\1+")
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


@lru_cache(maxsize=1 << 14)
def skeleton(name: str) -> str:
    """The consonants of a katakana or Latin name, folded as above."""
    name = unicodedata.normalize("NFKC", name)
    if script(name) == "katakana":
        name = jaconv.kata2alphabet(name)
    letters = NOT_LETTER.sub("", name.lower())
    for before, after in FOLDS:
        letters = letters.replace(before, after)
    letters = N_AS_M.sub("m", letters)  # ン before b, m, p sounds m
    letters = VOWEL.sub("", letters)
    return DOUBLED.sub(r"\1", letters)


@lru_cache(maxsize=1 << 14)
def _voice(name: str) -> tuple[str | None, str]:
    """The script of a name and, if it has one, its skeleton."""
    kind = script(name)
    return kind, skeleton(name) if kind else ""


@lru_cache(maxsize=1 << 14)
def _family_name(name: str) -> str | None:
    """The last part of a name of several (ムサヴィザデ in アレクサンドラ・ムサヴィザデ), else None."""
    parts = NAME_PARTS.split(name.strip())
    return parts[-1] if len(parts) > 1 else None


@lru_cache(maxsize=1 << 15)
def letters(name: str) -> str | None:
    """'katakana' when name holds a katakana letter, else 'latin' when it holds a Latin
    letter (or a space, ・ or ＝), else None. Read in NFKD form, so that full-width,
    half-width and composed letters count as they do once NFKC-normalised."""
    name = unicodedata.normalize("NFKD", name)
    if KANA_LETTER.search(name):
        return "katakana"
    return "latin" if SOUNDED.search(name) else None


@lru_cache(maxsize=1 << 15)
def comparable_letters(name: str) -> tuple[str, ...]:
    """The letters() of the names same_sound may find name sounds like, a quick test: every
    part it compares lies within the two names and must be written in katakana or Latin
    letters, one of the two in katakana. None for 山田太郎 or 東京都: they sound like no other."""
    return {"katakana": ("katakana", "latin"), "latin": ("katakana",)}.get(letters(name), ())


@lru_cache(maxsize=1 << 16)  # the same pairs of names meet again across an archive
def same_sound(a: str, b: str) -> bool:
    """Whether a and b look like one name written in katakana and Latin letters, or
    two katakana spellings of one name; a single name matches the family name that
    ends a full one (Mousavizadeh, アレクサンドラ・ムサヴィザデ)."""
    a, b = _without_common_suffix(a, b)
    if _sounds_alike(a, b):
        return True
    a_family, b_family = _family_name(a), _family_name(b)
    if a_family is None and b_family is not None:
        return _sounds_alike(a, b_family)
    if b_family is None and a_family is not None:
        return _sounds_alike(a_family, b)
    return False


def _without_common_suffix(a: str, b: str) -> tuple[str, str]:
    """a and b without the kanji ending they share (州 in カリフォルニア州, カルフォルニア州)."""
    common = 0
    while common < min(len(a), len(b)) - 1 and a[-1 - common] == b[-1 - common] and not KATAKANA.match(a[-1 - common]):
        common += 1
    return (a[:-common], b[:-common]) if common else (a, b)


def _sounds_alike(a: str, b: str) -> bool:
    if a == b:
        return False
    (a_script, first), (b_script, second) = _voice(a), _voice(b)
    if a_script is None or b_script is None:
        return False
    if a_script == b_script:  # Latin spellings are compared as written
        return a_script == "katakana" and first == second and len(first) >= LEAST_KATAKANA
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


@lru_cache(maxsize=1 << 14)
def organisation_short_forms(full: str) -> frozenset[str]:
    """Every short form of an organisation's name with outer spaces trimmed, to test many
    names against one: organisation_short_form(short, full) when short.strip() is in it."""
    full = full.strip()
    if not full.endswith(CORPORATE_SUFFIXES):
        return frozenset()
    return frozenset(full[:end] for end in range(1, len(full)) if organisation_short_form(full[:end], full))

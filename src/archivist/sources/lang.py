"""Language of a document's text: Japanese by its kana, others by py3langid."""

from __future__ import annotations

import re

KANA_SHARE = 0.15  # kana among letters: Japanese news is full of Latin names
CJK_SHARE = 0.3  # kana and kanji among letters, for kanji-heavy Japanese headlines
MIN_LETTERS = 3
LETTER = re.compile(r"[^\W\d_]")
KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9d]")  # not ・
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def detect_language(text: str) -> str:
    """A language code for text: "ja" when kana (or kana with kanji) abound, else
    py3langid's choice; "en" when there is too little text to tell."""
    kana = len(KANA.findall(text))
    if kana and kana >= KANA_SHARE * len(text):
        return "ja"  # kana abound even among all characters: letters need no counting
    letters = len(LETTER.findall(text))
    kanji = len(KANJI.findall(text))
    if kana and kana >= KANA_SHARE * letters:
        return "ja"
    if kana and kana + kanji >= CJK_SHARE * letters:
        return "ja"
    if letters < MIN_LETTERS:
        return "en"
    import py3langid  # here: it loads numpy, 0.15 s of a build that reads no new text

    language, _ = py3langid.classify(text)
    return language or "en"

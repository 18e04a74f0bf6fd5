"""Who is quoted: the words naming a quote's speaker, found around the quote.

These are pure functions of a block's text returning (speaker text, offset in the
block). They only find words; resolve.py links them to entities: a name to the
mention it overlaps, a pronoun (彼, 彼女, 同氏, 同社, he, she) to the person or
organisation last mentioned before the quote.

Japanese: the subject of the sentence holding the quote, before it
(X氏は、「…」と語った; ...の上級研究員X氏は、「…」; X大統領は ...; 彼女は、「…」), or after it
(「…」と同氏は述べた), or of the sentence announcing it (X氏は次のように述べた。「…」).
A subject marked by 氏 or a title is preferred to a bare one. The name is the run
of katakana and Latin letters (or of kanji) right before the honorific or title.
English: "…," X said / said X; X said: "…"; "…," according to X.
"""

from __future__ import annotations

import re

from .. import places
from .ner_ja import HONORIFICS, TITLES

PRONOUNS_JA = ("彼女", "彼ら", "彼", "同氏", "同社", "同大統領", "同首相", "同教授", "同長官")
PRONOUNS_EN = ("he", "she", "He", "She", "they", "They")
SOURCE_NOUNS = ("分析", "報告書", "報告", "調査", "声明", "発表", "論文", "研究")
NAME_CHARS = r"\u30a1-\u30fa\u30fc\u30fb\uff1dA-Za-zＡ-Ｚａ-ｚ"
KANJI = r"\u4e00-\u9fff\u3005\u30f6"
MARK = "|".join(map(re.escape, sorted(HONORIFICS + TITLES, key=len, reverse=True)))
SHORTS = "".join(p.short for p in places.PLACES if p.short)

# A subject with an honorific or title: ジョン・ビラセノール氏は、 / トランプ大統領は / ヴァンス米副大統領は
MARKED_SUBJECT = re.compile(
    rf"(?P<name>[{NAME_CHARS}]+(?: [A-Za-z]+)*|[{KANJI}]{{2,6}})[{SHORTS}]?(?:{MARK})(?:は|が)"
)
PRONOUN_SUBJECT = re.compile(rf"(?P<name>{'|'.join(PRONOUNS_JA)})(?:は|が)")
SOURCE_SUBJECT = re.compile(rf"(?P<name>[{NAME_CHARS}{KANJI}]+)の(?:{'|'.join(SOURCE_NOUNS)})(?:は|が)")
BARE_SUBJECT = re.compile(rf"(?P<name>[{NAME_CHARS}]+|[{KANJI}]+)は、?$")

EN_VERBS = r"(?:said|says|told|added|explained|wrote|asked|argued|noted|warned|states|stated|reads)"
EN_WORD = r"(?:[A-Z]\.|[A-Z][\w'’\-]*)"
EN_NAME = rf"(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen)\.\s+)?{EN_WORD}(?:\s+(?:{EN_WORD}|of|de|van|von))*"
EN_AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<name>{EN_NAME}|he|she|they)\s+(?P<verb>{EN_VERBS})\b"
    rf"|(?P<verb2>{EN_VERBS})\s+(?P<name2>{EN_NAME})"
    rf"|according\s+to\s+(?P<name3>{EN_NAME}))"
)
EN_BEFORE = re.compile(
    rf"(?P<name>{EN_NAME}|[Hh]e|[Ss]he|[Tt]hey)\s+(?P<verb>{EN_VERBS})(?:\s+[\w.]+){{0,4}}?\s*[:,]\s*$"
)
EN_TITLES = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen)\.?|President|Senator|Professor)\s+")


def _found(match: re.Match, base: int, group: str = "name") -> tuple[str, int]:
    return match.group(group), base + match.start(group)


def subject_before(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The speaker named as the subject in text[start:end] (the sentence up to the quote)."""
    part = text[start:end]
    candidates = [m for pattern in (MARKED_SUBJECT, PRONOUN_SUBJECT, SOURCE_SUBJECT)
                  for m in pattern.finditer(part)]
    if candidates:
        best = max(candidates, key=lambda m: m.end())
        return _found(best, start)
    bare = BARE_SUBJECT.search(part)
    return _found(bare, start) if bare else None


def subject_after(text: str, start: int, end: int) -> tuple[str, int] | None:
    """A subject between a quote's end and its reporting verb: 「…」と同氏は述べた."""
    part = text[start:end]
    for pattern in (PRONOUN_SUBJECT, MARKED_SUBJECT):
        match = pattern.search(part)
        if match:
            return _found(match, start)
    return None


def english_after(text: str, position: int) -> tuple[str, int, str] | None:
    """(speaker, offset, cue) for a quote followed by "X said", "said X" or "according to X"."""
    match = EN_AFTER.match(text, position)
    if not match:
        return None
    for name, verb in (("name", "verb"), ("name2", "verb2"), ("name3", None)):
        if match.group(name):
            speaker, offset = _without_title(match.group(name), match.start(name))
            return speaker, offset, match.group(verb) if verb else "according to"
    return None


def english_before(text: str, start: int, end: int) -> tuple[str, int, str] | None:
    """(speaker, offset, cue) for a quote announced by "X said:" in text[start:end]."""
    match = EN_BEFORE.search(text[start:end])
    if not match:
        return None
    speaker, offset = _without_title(match.group("name"), start + match.start("name"))
    return speaker, offset, match.group("verb")


def _without_title(name: str, offset: int) -> tuple[str, int]:
    title = EN_TITLES.match(name)
    if title and title.end() < len(name):
        return name[title.end():], offset + title.end()
    return name, offset

"""Who is quoted in Japanese: the words naming a quote's speaker, read from morphemes.

These functions only find words (a noun phrase and its offset in the block);
quote_speakers.py links them to entities: a name to the mention it overlaps, a pronoun
or anaphor (彼, 彼女, 同氏, 同社, 同弁護士) to the person or organisation last mentioned.

A noun phrase is a run of nouns, suffixes and prefixes (joined by ・ or ＝) before a
particle. It names a speaker by what it holds, in this order of strength:

- a person: a personal name, or a name marked by an honorific or title (中田英寿氏,
  吉田社長, 陸くん); the words are the name without the mark (a bare title, 監督, stays);
  a common noun of the dictionary so marked, unless in katakana, describes someone, a
  relation or a role, and names nobody (店員さん, 叔母さん, お父ちゃん, 妹さん; not
  孫社長), and so does a letter standing for someone left unnamed (Aさん, B子さん): the
  words are kept as written, mark and all, and no entity is made of them;
- a pronoun (彼, 彼女) or an anaphor (同氏, 同社, 同弁護士);
- an organisation: an organisation's name or suffix (教育委員会, 弁護団; not 結局 or
  反省, words the dictionary has for no thing); someone
  speaking for it stands for it (同社の関係者 -> 同社), and so does its report or
  analysis (研究所の分析は -> 研究所);
- a name-like run of katakana, Latin letters or proper nouns (テイラー・キッチュ);
- an anonymous source (ネット掲示板, ネットユーザー, 男子生徒): kept, so that nobody
  else is credited with what it said.

The speaker of a quote is named after it (found by quotes_ja.py), right before it as in a
headline (X監督「…」), or is the subject before it in its sentence (X氏は, 弁護団が, 陸くん
も), a source (Xからの, Xによると), a place of anonymous speech (ネット掲示板では), the
agent of a passive (社長に「…」と誘われ), or, when the sentence names nobody, the one the
paragraph was last about: the last quote's speaker or the last subject before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bisect import bisect_left
from dataclasses import dataclass

from ..model import Quote
from .morphemes import Morpheme
from .ner_ja import HONORIFICS, NOT_ORG_SUFFIXES, ORG_SUFFIXES, TITLES
from .quote_words import said_to_subject
from .rules_ja import ANONYMOUS as LETTER_FOR_SOMEONE

PRONOUNS_JA = ("彼女", "彼ら", "彼")
ANAPHOR = "同"  # 同氏, 同社, 同弁護士: the one just named
PERSON_MARKS = tuple(sorted(HONORIFICS + ("くん", "君", "ちゃん", "先生", "選手", "監督", "容疑者", "被告")
                            + TITLES, key=len, reverse=True))
GROUP_SUFFIXES = ORG_SUFFIXES + ("団", "球団", "事務所", "チーム", "運営", "当局")
SPOKESPEOPLE = ("関係者", "広報", "担当者", "報道官", "広報担当", "スポークスマン", "幹部", "代表者")
SOURCES = ("分析", "報告", "報告書", "調査", "声明", "発表", "論文", "研究", "試算", "見解", "談話")
ANONYMOUS = (  # words ending so (ネットユーザー, 韓国メディア), or holding the first two (掲示板上)
    "ネット", "掲示板", "ユーザー", "ツイッター", "Twitter", "SNS", "読者", "視聴者", "ファン", "サポーター",
    "住民", "市民", "国民", "世間", "利用者", "ユーザ", "書き込み", "声", "人々", "メディア",
)
PEOPLE_HEADS = ("者", "人", "民", "生徒", "学生", "男性", "女性", "客", "側", "陣", "層", "たち", "ら")
EVERYONE = ("皆", "みな", "みんな", "誰", "自分", "私", "僕", "俺", "あなた", "お客", "各位")
NOT_AGENTS = ("各", "両", "他", "多く", "一部")  # 各社, 両国: several at once, nobody in particular
PLACE_SHORTS = ("米", "中", "英", "露", "韓", "日", "仏", "独")  # ヴァンス米副大統領
TITLE_MODIFIERS = ("前", "元", "現", "故", "新")  # 野村前監督: the title of 野村
BEFORE_TITLES = PLACE_SHORTS + TITLE_MODIFIERS  # words between a name and its title
FAMILIAR_MARKS = ("さん", "ちゃん", "くん", "君", "様")
KIN = ("父", "母", "兄", "姉", "弟", "妹", "娘", "妻", "夫", "嫁", "孫", "子", "甥", "姪")  # 妹さん; 孫社長 names
HONORIFIC_PREFIXES = ("お", "ご", "御")  # お父さん, お孫さん, ご主人: a relation, not a name
RANKS = {"person": 4, "pronoun": 4, "anaphor": 4, "org": 3, "name": 2, "anonymous": 1}


@dataclass(frozen=True)
class Speaker:
    text: str  # the words naming the speaker, as written
    start: int  # where they start in the block
    kind: str  # one of RANKS: person, pronoun, anaphor, org, name, anonymous
    marked: bool = False  # a person marked by an honorific or title, or with a full name
    named: bool = True  # False: words describing someone (店員さん), shown but never an entity

    @property
    def rank(self) -> int:
        return RANKS[self.kind]


def index_at(ms: Sequence[Morpheme], position: int) -> int:
    """Index of the first morpheme starting at or after position."""
    return bisect_left(ms, position, key=lambda m: m.start)


def _name_piece(m: Morpheme) -> bool:
    """A proper noun, or a word written in katakana or Latin letters only."""
    return m.is_("名詞", "固有名詞") or all(
        "\u30a1" <= c <= "\u30fc" or c.isascii() and c.isalnum() or "Ａ" <= c <= "ｚ" for c in m.surface)


def phrase_before(ms: Sequence[Morpheme], index: int, text: str) -> tuple[int, int]:
    """(first, end) indexes of the noun phrase ending right before ms[index]; first == end if none.

    A bracketed aside right before (マナさん（26歳）は) is skipped over."""
    end = index
    if end and ms[end - 1].surface in ")）":
        opening = next((i for i in range(end - 1, -1, -1) if ms[i].surface in "(（"), None)
        end = opening if opening is not None and end - opening <= 12 else end
    first = end
    while first and (ms[first - 1].nominal or _joiner(ms, first - 1, end)):
        first -= 1
    while first < end and not ms[first].nominal:
        first += 1
    return first, end


def _joiner(ms: Sequence[Morpheme], i: int, end: int) -> bool:
    """・ or ＝ between two name pieces, or a space between Latin words."""
    if ms[i].surface not in ("・", "＝", "=", " ") or i == 0 or i + 1 >= end:
        return False
    return _name_piece(ms[i - 1]) and _name_piece(ms[i + 1])


def phrase_after(ms: Sequence[Morpheme], index: int) -> tuple[int, int]:
    """(index, end) of the noun phrase starting at ms[index]; index == end if none."""
    end = index
    while end < len(ms) and (ms[end].nominal or end > index and ms[end].surface in ("・", "＝")
                             and end + 1 < len(ms) and _name_piece(ms[end + 1])):
        end += 1
    return index, end


def anonymous(words: str) -> bool:
    """Whether words name an anonymous source (ネット掲示板, 韓国メディア, 視聴者, 皆さん)."""
    return (words.endswith(ANONYMOUS) or any(word in words for word in ANONYMOUS[:2])
            or words.rstrip("さん様たちら") in EVERYONE)


def classify(ms: Sequence[Morpheme], first: int, end: int, text: str) -> Speaker | None:
    """The speaker the noun phrase ms[first:end] names, or None if it names none."""
    if first >= end:
        return None
    words = text[ms[first].start:ms[end - 1].end]
    if words.startswith(NOT_AGENTS) or all(m.is_("名詞", "数詞") or m.pos[0] == "補助記号" or m.is_("接尾辞")
                                          or m.pos[2].startswith("助数詞") for m in ms[first:end]):
        return None
    if words in PRONOUNS_JA:
        return Speaker(words, ms[first].start, "pronoun")
    if words.rstrip("さん様たちら") in EVERYONE:
        return Speaker(words, ms[first].start, "anonymous")  # 皆さんが「…」と感じる
    if words.startswith(ANAPHOR) and (words[1:] in PERSON_MARKS + ("社", "紙", "誌") or words[1:].endswith(GROUP_SUFFIXES)):
        return Speaker(words, ms[first].start, "anaphor")  # 同氏, 同社, 同弁護士; not 同番組
    person = _person(ms, first, end, text)
    if person:
        return person
    if words.endswith(SPOKESPEOPLE + SOURCES) and first >= 2 and ms[first - 1].surface == "の":
        owner = classify(ms, *phrase_before(ms, first - 1, text), text)
        return owner or Speaker(words, ms[first].start, "anonymous")
    if any(m.is_("名詞", "固有名詞", "組織名") for m in ms[first:end]) or words.endswith(GROUP_SUFFIXES):
        if not anonymous(words) and not words.endswith(NOT_ORG_SUFFIXES):
            if end - first > 1 or not _dictionary_word(ms[first]) or ms[first].is_("名詞", "普通名詞", "一般"):
                return Speaker(words, ms[first].start, "org")  # not 結局, 反省: no organisation
    if anonymous(words) or words.endswith(PEOPLE_HEADS) and not _name_piece(ms[end - 1]):
        return Speaker(words, ms[first].start, "anonymous")
    if all(_name_piece(m) or m.surface in ("・", "＝") for m in ms[first:end]) and any(
            m.is_("名詞", "固有名詞") or m.unknown or m.surface in ("・", "＝") or m.surface.isascii()
            for m in ms[first:end]):
        return Speaker(words, ms[first].start, "name")  # not a common word (ホラーは「…」)
    return None


def _person(ms: Sequence[Morpheme], first: int, end: int, text: str) -> Speaker | None:
    """A personal name, with or without an honorific or title after it (the mark left out)."""
    cut = end
    while cut > first and (_is_mark(ms[cut - 1].surface) or cut < end and ms[cut - 1].surface in BEFORE_TITLES):
        cut -= 1
    marked = cut < end
    name = cut
    while name > first and (_name_piece(ms[name - 1]) or ms[name - 1].surface in ("・", "＝")
                            and name - 1 > first and _name_piece(ms[name - 2])):
        name -= 1
    if name == cut and marked and cut > first and ms[cut - 1].is_("名詞"):
        name = cut - 1  # 孫社長, 山田教授: a name Sudachi does not know, marked all the same
        if _describes(ms, name, ms[cut].surface):
            begin = name  # the words describing someone, whole: お + 父さん, 生 + 主さん
            while begin > first and (ms[begin - 1].is_("接頭辞") or _dictionary_word(ms[begin - 1])):
                begin -= 1
            start = ms[begin].start
            return Speaker(text[start:ms[end - 1].end], start, "person", True, named=False)
        while name > first and ms[name - 1].is_("名詞", "固有名詞"):
            name -= 1  # 平田直教授, 金順得さん: a name's last character the dictionary took for a word
    if name < cut and (marked or any(m.is_("名詞", "固有名詞", "人名") for m in ms[name:cut])):
        words = text[ms[name].start:ms[cut - 1].end]
        mark = next((mark for mark in PERSON_MARKS if words.endswith(mark) and len(words) > len(mark)), "")
        full = marked or bool(mark) or cut - name > 1 and ms[name].is_("名詞", "固有名詞", "人名")
        if re.fullmatch(LETTER_FOR_SOMEONE, words[:len(words) - len(mark)]):  # Aさん: somebody else each time
            return Speaker(text[ms[name].start:ms[end - 1].end], ms[name].start, "person", full, named=False)
        return Speaker(words[:len(words) - len(mark)], ms[name].start, "person", full)  # トランプ大統領: one word
    if marked and cut == first:  # 監督は: a bare title, resolved to the one who holds it
        return Speaker(text[ms[first].start:ms[end - 1].end], ms[first].start, "person", True)
    return None


def _is_mark(word: str) -> bool:
    """An honorific or title, or a title its holder no longer or newly holds (元首相, 前監督)."""
    return word in PERSON_MARKS or word[:1] in TITLE_MODIFIERS and word[1:] in PERSON_MARKS


def _describes(ms: Sequence[Morpheme], index: int, mark: str) -> bool:
    """Whether the word at ms[index], marked by mark as a person, describes someone rather
    than names them: a relation or a role (お父さん, 妹さん, 店員さん, 叔母さん). Katakana
    words are left as names: many given names are common nouns to the dictionary (サナエ)."""
    word = ms[index]
    if index and ms[index - 1].surface in HONORIFIC_PREFIXES and ms[index - 1].is_("接頭辞"):
        return True
    if not _dictionary_word(word) or _name_piece(word):
        return False
    if len(word.surface) == 1 and index and (ms[index - 1].is_("接頭辞") or _dictionary_word(ms[index - 1])):
        return True  # the end of a compound of common words (生 + 主さん, a streamer), not a one-letter name
    return len(word.surface) > 1 or word.surface in KIN and mark in FAMILIAR_MARKS


def _dictionary_word(word: Morpheme) -> bool:
    """A common noun the dictionary knows (not a proper noun, not a word it guessed)."""
    return word.is_("名詞", "普通名詞") and not word.unknown


def _marked_phrase(ms: Sequence[Morpheme], index: int, text: str) -> Speaker | None:
    """The speaker named by the noun phrase that the particle at ms[index] marks, if it is one."""
    m = ms[index]
    if m.pos[0] != "助詞":
        return None
    following = ms[index + 1].surface if index + 1 < len(ms) else ""
    if m.surface in ("は", "が", "も"):
        if m.surface == "は" and index and ms[index - 1].surface in ("で", "に"):
            speaker = classify(ms, *phrase_before(ms, index - 1, text), text)  # ネットでは
            return speaker if speaker and speaker.kind == "anonymous" else None
        return classify(ms, *phrase_before(ms, index, text), text)
    if m.surface == "から" and following in ("の", "「", "は"):
        return classify(ms, *phrase_before(ms, index, text), text)  # サラからの「…」, 彼女からは「…」
    if m.surface == "の" and following == "「":
        speaker = classify(ms, *phrase_before(ms, index, text), text)  # マキヒロチさんの「…」
        return speaker if speaker and speaker.kind == "person" else None
    after = text[m.end:m.end + 4]
    if m.surface == "に" and after.startswith(("よると", "よれば", "依ると")):
        return classify(ms, *phrase_before(ms, index, text), text)  # Xによると, not Xによる逮捕
    if m.surface in ("で", "には") and following in ("「", "、", "は"):
        speaker = classify(ms, *phrase_before(ms, index, text), text)
        return speaker if speaker and speaker.kind == "anonymous" else None
    if m.surface == "まで":
        speaker = classify(ms, *phrase_before(ms, index, text), text)  # 高木氏まで登場し「…」
        return speaker if speaker and speaker.kind == "person" else None
    return None


def subject_before(ms: Sequence[Morpheme], start: int, end: int, text: str, quoted: bytes) -> Speaker | None:
    """The speaker named in text[start:end] before a quote: the strongest of those governing the
    quote (no verb between: 浅尾が…挙げ、松山は「…」; 彼女が決まった時に、ネットでは「…」),
    else the nearest person or organisation, else the nearest name or anonymous source. Words
    inside quotes (quoted[i] set) do not count."""
    found = [(i, s) for i in range(index_at(ms, start), index_at(ms, end)) if not quoted[ms[i].start]
             for s in [_marked_phrase(ms, i, text)] if s]
    # Xから「…」と言われ: X said those words to the subject, who may say the next.
    found = [(i, s) for i, s in found if ms[i].surface != "から" or _governs(ms, i, end)
             or not _passive_between(ms, i, end, quoted)]
    governing = [s for i, s in found if _governs(ms, i, end)]
    if governing:
        return max(reversed(governing), key=lambda s: s.rank)  # the strongest, the nearest on ties
    strong = [s for i, s in found if s.rank >= 3]
    named = [s for i, s in found if s.rank >= 2]
    return (strong or named or [s for i, s in found] or [None])[-1]


def _governs(ms: Sequence[Morpheme], index: int, end: int) -> bool:
    """Whether no predicate stands between the particle at ms[index] and position end."""
    return not any(m.pos[0] in ("動詞", "形容詞") for m in ms[index + 1:index_at(ms, end)])


def _passive_between(ms: Sequence[Morpheme], index: int, end: int, quoted: bytes) -> bool:
    """Whether a passive (言われ, 訊かれる) outside quotes stands between ms[index] and end."""
    return any(m.pos[0] == "助動詞" and m.lemma in ("れる", "られる") and not quoted[m.start]
               for m in ms[index + 1:index_at(ms, end)])


def person_right_before(ms: Sequence[Morpheme], opening: int, text: str) -> Speaker | None:
    """A person named right before the quote with no particle, as in a headline (X監督「…」)."""
    index = index_at(ms, opening)
    if not index or ms[index - 1].end != opening:
        return None
    speaker = classify(ms, *phrase_before(ms, index, text), text)
    return speaker if speaker and speaker.kind == "person" and speaker.marked else None


def agent_before(ms: Sequence[Morpheme], start: int, end: int, text: str) -> Speaker | None:
    """Who made someone hear the words of a passive (社長に「…」と誘われ, 先生から「…」と
    言われた): Xに or Xから before the quote."""
    for index in range(index_at(ms, end) - 1, index_at(ms, start) - 1, -1):
        if ms[index].surface in ("に", "から") and ms[index].pos[0] == "助詞":
            speaker = classify(ms, *phrase_before(ms, index, text), text)
            if speaker and speaker.rank >= 2:
                return speaker
    return None


def unknown_subject(ms: Sequence[Morpheme], start: int, end: int, quoted: bytes) -> bool:
    """Whether a subject this module cannot name governs the quote at end (矢作兼が「…」); a
    topic (事件は「…」とした) may be the object, so only が counts."""
    return any(not quoted[ms[i].start] and ms[i].pos[0] == "助詞" and ms[i].surface == "が" and i
               and ms[i - 1].nominal and _governs(ms, i, end) for i in range(index_at(ms, start), index_at(ms, end)))


def going_on(ms: Sequence[Morpheme], start: int, text: str, quoted: bytes, earlier: list[Quote]) -> Speaker | None:
    """The speaker a sentence naming nobody goes on from, in text before start: the last
    quote's speaker, or what a sentence was last about: a person or organisation (X氏は,
    …した佐藤。), or an anonymous source (男性は…聞いてみると。), which names nobody."""
    # Words someone said to the subject (Xから「…」と言われ) do not make X the one going on.
    last_quote = next((q for q in reversed(earlier) if q.speaker_text and not said_to_subject(q.cue)), None)
    floor = last_quote.start if last_quote else -1
    for index in range(index_at(ms, start) - 1, -1, -1):
        m = ms[index]
        if m.start < floor:
            break
        if quoted[m.start] or not (m.pos[0] == "助詞" and m.surface in ("は", "が", "も") or m.surface == "。"):
            continue
        found = classify(ms, *phrase_before(ms, index, text), text)
        if found and found.rank != 2 and (m.surface != "。" or found.kind == "person"):
            return found
    if last_quote is None:
        return None
    return Speaker(last_quote.speaker_text, last_quote.speaker_start, "person", named=last_quote.speaker_named)

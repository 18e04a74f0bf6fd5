"""Japanese quotes: what follows a quote tells its kind and cue, and often its speaker.

Quotes side by side (「…」「…」, 「…」、「…」, 「…」や「…」) share what follows the last
of them and what precedes the first. After them:

- the quotative particle (と, って, などと) and a predicate of the same clause, whatever
  lies between (と即答, と元気よく返答した, と、最強コンビを絶賛している): reported
  speech. But a naming verb (と呼ぶ, と題した) or a label (と表示される, と書かれた看板)
  makes a term, and と規定 a document; quoted words that are a mere noun phrase count
  as reported only with a verb of saying or thinking (「衝突事故」と表現した, とした),
  not with any verb (「PRADA」とコラボレーションし, 「X」と言えば);
- という, との, などの + a noun: the noun decides (声, ツイート, 挨拶: speech; 規約,
  広告, 設問: a document; 言葉, 名前, 記事: a term; someone, 「…」というサナエさん,
  「…」という人: speech, and its speaker);
- a particle (「…」を, が, の) or a verb: a term, or someone's words when a verb of
  saying follows in the sentence (「歴史認識問題の克服」の必要性を訴え); next to a
  percentage, a survey's wording (a document);
- nothing (the paragraph or sentence ends): speech if the words are a sentence.

A quote right after a noun (日本テレビ「…」, 映画『…』) or after a label and a colon
(togetter：「…」) is a title. Reported words are ``direct`` when they are an utterance
(a predicate, an interjection, a sentence end) and ``partial`` when a noun phrase.
Who speaks: speakers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Quote
from . import speakers
from .morphemes import Morpheme
from .quote_words import (
    ANNOUNCED, ANNOUNCING_REACH, CONDITIONAL, DOCUMENT_HEADS, DOCUMENT_PLACE, DOCUMENT_VERBS, DOCUMENT_WORDS,
    CREDIT, FORMAL_NOUNS, HEARSAY, LABEL_VERBS, NAMING_HEADS, NAMING_VERBS, PERSONAL, QUOTATIVE, SAY,
    SCREEN_VERBS, said_to_subject,
    SPEECH_HEADS, SPEECH_VERBS, SURVEY_AFTER, SURVEY_BEFORE, THINKING, UTTERANCE_ENDS, UTTERANCE_LEAST, WORDS,
)
from .speakers import Speaker, classify, index_at, phrase_after, phrase_before

ENDS = "。！？!?"
BULLETS = " \u3000・•■◆●○*-－"  # what may stand before a quote opening its paragraph
RUN_GAPS = ("", "、", "，", "や", "と", "・", " ", "　")


@dataclass
class Tail:
    form: str  # reported, named, noun, alone, survey
    cue: str | None = None  # the reporting phrase
    speaker: Speaker | None = None  # a speaker named after the quote
    kind: str | None = None  # decided by the words after: term, document, direct; spoken (direct for an
    # utterance, else a term); noun-only (reported only if the quote is an utterance)
    passive: bool = False  # 「…」と尋ねられると: someone other than the subject said it


def read_block(text: str, pairs: list[tuple[int, int]], ms: list[Morpheme], previous: str) -> list[Quote]:
    """The quotes of one block, in order, with kinds, cues and speaker words."""
    quotes: list[Quote] = []
    quoted = bytearray(len(text))  # 1 inside a quote's brackets
    for opening, close in pairs:
        quoted[opening + 1:close] = b"\x01" * (close - opening - 1)
    for run in _runs(text, pairs):
        first, last = run[0], run[-1]
        end = _sentence_end(text, last[1], quoted)
        tail = _tail(text, ms, last[1], end)
        start = _sentence_start(text, first[0], quoted)
        for opening, close in run:
            content = ms[index_at(ms, opening + 1):index_at(ms, close)]
            kind = _kind(text, (start, opening, close, end), content, tail, ms)
            quote = Quote(0, opening + 1, close, text[opening + 1:close], kind,
                          cue=None if kind == "term" else tail.cue)
            if kind != "term":
                _attribute(quote, text, ms, quoted, (start, first[0]), tail, quotes, previous)
            if tail.form == "noun" and kind == "partial" and not quote.speaker_text:
                quote.kind, quote.cue = "term", None  # 「…」を…と話した: words of nobody named are a term
            quotes.append(quote)
    return quotes


def reported(cue: str | None) -> bool:
    """Whether a cue reports the quote as its subject's words (と語った), not as a name (という),
    hearsay (とのこと) or words someone else said to the subject (と聞かれ)."""
    return bool(cue) and cue.startswith(("と", "って")) and not cue.startswith(
        ("という", "との", "といった", "とか")) and not said_to_subject(cue)


def _runs(text: str, pairs: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    runs: list[list[tuple[int, int]]] = []
    for pair in pairs:
        if runs and text[runs[-1][-1][1] + 1:pair[0]] in RUN_GAPS:
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return runs


def _sentence_start(text: str, position: int, quoted: bytes) -> int:
    """Start of the sentence holding position; sentence ends inside quotes do not count."""
    for index in range(position - 1, -1, -1):
        if text[index] in ENDS and not quoted[index]:
            return index + 1
    return 0


def _sentence_end(text: str, position: int, quoted: bytes) -> int:
    for index in range(position, len(text)):
        if text[index] in ENDS and not quoted[index]:
            return index
    return len(text)


def _tail(text: str, ms: list[Morpheme], close: int, end: int) -> Tail:
    """What the words after a quote (up to the sentence end) make of it."""
    i, stop = index_at(ms, close + 1), index_at(ms, end)
    if i < stop and ms[i].surface in "（(":
        closing = next((j for j in range(i, stop) if ms[j].surface in ")）"), None)
        if closing is not None:
            inner = classify(ms, *phrase_after(ms, i + 1), text)  # 「…」（絹代さん／31歳）, not （X監督）
            personal = PERSONAL.search(text, ms[i].end, ms[closing].start)
            if inner and inner.kind == "person" and personal and inner.start < ms[closing].start:
                return Tail("alone", speaker=inner)
            if CREDIT.search(text, ms[i].end, ms[closing].start):
                return Tail("noun", kind="term")  # 「…」（X監督）, 「…」（4日放送）: a title
            i = closing + 1
    if SURVEY_AFTER.match(text[ms[i].start if i < stop else end:end]):
        return Tail("survey", kind="document")
    if i < stop and ms[i].surface == "など":
        i += 1
        if i < stop and ms[i].surface == "の":
            return _named(text, ms, i + 1, stop, i - 1)  # 「…」などの声
        if i < stop and ms[i].surface in "、，":
            return Tail("named", kind="spoken")  # 「…」「…」など、批判が相次いだ: remarks listed
    if i < stop and ms[i].pos[0] == "助詞" and ms[i].surface in QUOTATIVE:
        following = ms[i + 1] if i + 1 < stop else None
        if following and following.surface == "の":
            return _named(text, ms, i + 2, stop, i)  # 「…」との見解
        if ms[i].surface == "との" or following and ms[i].surface in ("って", "なんて") and following.nominal:
            return _named(text, ms, i + 1, stop, i)  # 「…」なんてこと
        return _quotative(text, ms, i, stop)
    if i >= stop or ms[i].pos[0] == "補助記号":
        return Tail("alone")
    modifier = ms[i].nominal and ms[i].surface not in FORMAL_NOUNS
    return Tail("noun", kind="term" if modifier else None)  # 「X」カテゴリー: a modifier


def _named(text: str, ms: list[Morpheme], i: int, stop: int, lead: int) -> Tail:
    """という + a noun: the noun tells what the quote is (批判的なコメント -> コメント; 情報
    リテラシーを求める声 -> 声, after the clause describing it); ms[lead] is the particle after
    the quote."""
    begin = i
    for k in range(i, min(stop, i + 16)):
        m = ms[k]
        if m.pos[0] == "補助記号" or m.pos[0] == "助詞" and m.surface in ("が", "は", "も"):
            break
        attributive = (m.pos[0] in ("動詞", "形容詞") or m.surface == "な") and m.attributive
        if attributive and k + 1 < stop and ms[k + 1].nominal and (m.surface == "な" or _clause_object(ms, i, k)):
            begin = k + 1
    first = end = begin
    for k in range(begin, min(stop, begin + 12)):
        m = ms[k]
        if m.nominal:
            first, end = (first, k + 1) if end == k and first < end else (k, k + 1)
        elif not (m.surface in ("の", "な") or m.pos[0] in ("形状詞", "連体詞", "副詞", "形容詞")):
            break
    if first >= end:
        return Tail("named", kind="term")
    head = text[ms[first].start:ms[end - 1].end]
    following = ms[end].surface if end < stop else "。"
    if head.endswith(DOCUMENT_HEADS):
        return Tail("named", kind="document")
    if head in HEARSAY and following in ("だ", "です", "。", "で", "らしい"):
        return Tail("named", cue=text[ms[lead].start:ms[end - 1].end], kind="spoken")  # とのことだ
    if head.endswith(NAMING_HEADS) or head in HEARSAY:
        return Tail("named", kind="term")
    if head.endswith(SPEECH_HEADS):
        owner = classify(ms, *phrase_before(ms, first - 1, text), text) if ms[first - 1].surface == "の" else None
        owner = owner if owner and owner.kind == "person" else None  # という指原のコメント
        return Tail("named", cue=text[ms[lead].start:ms[end - 1].end], speaker=owner,
                    kind="spoken" if head in WORDS else "direct")
    speaker = classify(ms, first, end, text)
    if speaker and speaker.kind != "name":  # というサナエさん, という人
        return Tail("named", cue=text[ms[lead].start:ms[i - 1].end], speaker=speaker, kind="direct")
    return Tail("named")


def _clause_object(ms: list[Morpheme], i: int, k: int) -> bool:
    """Whether the nouns after という (from ms[i]) are objects of the verb at ms[k], so that
    the clause describes a later noun (「…」といった個々に情報リテラシーを求める声)."""
    return any(m.surface in ("に", "を") and m.pos[0] == "助詞" for m in ms[i:k])


def _quotative(text: str, ms: list[Morpheme], i: int, stop: int) -> Tail:
    """と + (a speaker) + whatever lies between + the predicate of the clause."""
    particle = ms[i]
    j = i + 1 + (i + 1 < stop and ms[i + 1].surface in "、，")
    if j >= stop:
        return Tail("reported", cue=particle.surface)
    if ms[j].surface in "「『":
        return Tail("noun")  # 「A」と「B」
    if ms[j].surface in SAY and ms[j].pos[0] == "動詞":
        after = j + 1 + (j + 1 < stop and ms[j + 1].is_("助動詞"))
        if after < stop and ms[after].nominal:
            return _named(text, ms, after, stop, i)
    if ms[j].surface == "は" and ms[j].pos[0] == "助詞":
        j += 1  # 「X」とは: what X is, or 「X」とは思わなかった
    speaker = None
    first, end = phrase_after(ms, j)
    if end > first:
        found = classify(ms, first, end, text)
        following = ms[end].surface if end < stop else "。"
        if found and found.rank >= 2 and following in ("は", "が", "も", "から"):
            speaker, j = found, end + 1  # 「…」と同氏は述べた
        elif found and found.kind == "anonymous" and following in ("で", "では", "には", "など"):
            speaker = found  # 「…」とネット掲示板で物議を醸す
        elif found and found.kind == "person" and found.marked and following in ("。", "、", "）", ")"):
            return Tail("reported", cue=particle.surface, speaker=found)  # 「…」と嶋田毅氏。
    return _predicate(text, ms, particle, j, stop, speaker)


def _predicate(text: str, ms: list[Morpheme], particle: Morpheme, j: int, stop: int,
               speaker: Speaker | None) -> Tail:
    """The reporting predicate after と, its cue, and what it makes of the quote."""
    k = j
    while k < stop and ms[k].surface not in "「『" and not _predicate_at(ms, k, j):
        k += 1
    if k >= stop or ms[k].surface in "「『":
        return Tail("reported", cue=particle.surface, speaker=speaker, kind="noun-only")
    verb, phrase_end = ms[k], _phrase_end(ms, k, stop)
    auxiliaries = [m.lemma for m in ms[k + 1:phrase_end]]
    passive = any(lemma in ("れる", "られる", "せる", "させる") for lemma in auxiliaries)
    cue = particle.surface + text[verb.start:ms[phrase_end - 1].end]
    head = phrase_end < stop and ms[phrase_end].nominal
    if verb.lemma == "する" and k == j and ms[k + 1:k + 2] and ms[k + 1].surface == "て" and not (
            k + 2 < stop and ms[k + 2].is_("動詞", "非自立可能")):
        return Tail("noun")  # 「…」として: as
    if verb.lemma in NAMING_VERBS and k == j or verb.lemma in SCREEN_VERBS or (
            verb.lemma in LABEL_VERBS and (passive or "ある" in auxiliaries) and head):
        return Tail("reported", kind="term")
    if verb.lemma in DOCUMENT_VERBS:
        return Tail("reported", cue=cue, speaker=speaker, kind="document")
    if head and verb.lemma == "する":
        named = _named(text, ms, phrase_end, stop, phrase_end - 1)  # とする規定: a document
        if named.kind == "document":
            return named
    if speaker is None and text[ms[phrase_end - 1].end:].startswith("のは"):
        found = _head(text, ms, phrase_end + 2, stop)  # と話してくれたのは主婦のマコさん
        speaker = found if found and found.rank >= 3 else None
    if speaker is None and head and ms[phrase_end - 1].attributive:
        found = _head(text, ms, phrase_end, stop)  # 「…」と話した財前は
        if found and (found.rank >= 3 or found.rank == 2 and verb.lemma in SPEECH_VERBS):
            speaker = found
    conditional = text[ms[phrase_end - 1].end:].startswith(CONDITIONAL)
    saying = verb.lemma in SPEECH_VERBS + THINKING and not (verb.lemma == "言う" and conditional)
    return Tail("reported", cue=cue, speaker=speaker, passive=passive and not speaker,
                kind=None if saying else "noun-only")


def _phrase_end(ms: list[Morpheme], k: int, stop: int) -> int:
    """End of the predicate starting at ms[k]: its auxiliaries and helping verbs (している)."""
    end = k + 1
    while end < stop and (ms[end].is_("助動詞") or ms[end].is_("動詞", "非自立可能") or ms[end].surface in ("て", "で")
                          and end + 1 < stop and ms[end + 1].is_("動詞", "非自立可能")):
        end += 1
    return end


def _predicate_at(ms: list[Morpheme], k: int, j: int) -> bool:
    m = ms[k]
    if m.pos[0] == "動詞" and (not m.is_("動詞", "非自立可能") or k == j or ms[k - 1].surface in ("を", "に", "が")):
        return True  # 見せる in 笑顔を見せた, not いる in している
    if m.is_("名詞", "普通名詞", "サ変可能"):
        following = ms[k + 1] if k + 1 < len(ms) else None
        return following is None or following.lemma == "する" or following.surface in "。、"
    return False


def _head(text: str, ms: list[Morpheme], i: int, stop: int) -> Speaker | None:
    """The noun phrase a relative clause ends on (モーニング娘。の道重さゆみ -> 道重さゆみ)."""
    first, end = phrase_after(ms, i)
    while end + 1 < stop and ms[end].surface == "の" and phrase_after(ms, end + 1)[1] > end + 1:
        first, end = phrase_after(ms, end + 1)
    return classify(ms, first, end, text)


def _utterance(content: list[Morpheme], words: str) -> bool:
    """Whether quoted words are an utterance (a sentence) rather than a noun phrase."""
    words = words.rstrip()
    if any(mark in words for mark in "。！？!?") or words.endswith(UTTERANCE_ENDS):
        return True
    last = next((m for m in reversed(content) if m.pos[0] not in ("補助記号", "空白")), None)
    if last is None:
        return False
    if last.pos[0] in ("動詞", "形容詞", "助動詞", "助詞", "感動詞", "副詞", "接続詞") or last.is_("形状詞", "助動詞語幹"):
        return True
    particles = {m.surface for m in content if m.pos[0] == "助詞"}
    if last.is_("名詞", "普通名詞", "サ変可能") and particles & {"を", "が", "に"}:
        return True  # 全裸にして射精を強要: a clause ending in a verbal noun
    return bool(particles & {"は", "も"}) and len(words) >= UTTERANCE_LEAST  # 僕らの年代では、…選手


def _titled(text: str, ms: list[Morpheme], opening: int, tail: Tail) -> bool:
    """Whether the quote names something: after a noun (日本テレビ「…」, not 山田氏「…」 nor
    発音に直し「…」), after a clause describing it (配信される「…」) unless a noun after it
    says what it is, or after a label and a colon (togetter：「…」)."""
    index = index_at(ms, opening)
    before = ms[index - 1] if index and ms[index - 1].end == opening else None
    if before is not None and before.nominal and before.pos[0] != "代名詞" and not before.is_(
            "名詞", "普通名詞", "副詞可能"):
        first, end = phrase_before(ms, index, text)
        speaker = classify(ms, first, end, text)
        verbal = first and ms[first - 1].pos[0] == "助詞" and ms[first - 1].surface not in ("の", "や", "と")
        return not verbal and not (speaker and speaker.kind == "person")
    if before is not None and before.pos[0] in ("動詞", "形容詞", "助動詞") and before.attributive:
        return tail.form != "named"
    before = text[max(0, opening - 4):opening].rstrip()
    if not before.endswith(("：", ":")):
        return False
    colon = index_at(ms, opening - (len(text[max(0, opening - 4):opening]) - len(before)) - 1)
    speaker = classify(ms, *phrase_before(ms, colon, text), text)
    return not (speaker and speaker.kind == "person")  # 宮迫：「…」 is speech


def _is_document(text: str, opening: int, close: int, start: int) -> bool:
    """Whether a law, order or report is named just before the quote or right after it, or is
    where the sentence finds it (報告書で、日本を「…」に分類; 規約に「…」)."""
    ahead = text[max(0, opening - 8):opening]
    after = re.split(r"[、。,.「『]", text[close + 1:close + 17], maxsplit=1)[0]
    if any(word in ahead or word in after for word in DOCUMENT_WORDS):
        return True
    return bool(DOCUMENT_PLACE.search(text, start, opening))


def _kind(text: str, where: tuple[int, int, int, int], content: list[Morpheme], tail: Tail,
          ms: list[Morpheme]) -> str:
    """The quote's kind; where is (sentence start, opening bracket, closing bracket, sentence end)."""
    start, opening, close, end = where
    utterance = _utterance(content, text[opening + 1:close])
    spoken = "direct" if utterance else "partial"
    survey = tail.form == "reported" and SURVEY_BEFORE.search(text, max(0, opening - 16), opening)  # 46.6％が
    if survey or tail.form != "reported" and _is_document(text, opening, close, start):
        return "document"
    if tail.kind in ("document", "term") or _titled(text, ms, opening, tail):
        return tail.kind if tail.kind == "document" else "term"
    if tail.form == "reported":
        return "term" if tail.kind == "noun-only" and not utterance else spoken
    if tail.form == "named" and tail.kind == "spoken":
        return "direct" if utterance else "term"
    if tail.form == "named":
        return tail.kind or ("partial" if utterance else "term")
    if tail.form == "noun":
        return spoken if _said_later(text, ms, close, end) else "term"
    return spoken if tail.speaker or utterance and text[opening] == "「" else "term"


def _said_later(text: str, ms: list[Morpheme], close: int, end: int) -> str | None:
    """A verb of saying later in the sentence (…「派生型」であり…と説明した), as cue; not one
    that another quote's と leads to (「A」を経営する…氏は「B」と発言)."""
    index, stop = index_at(ms, close + 1), index_at(ms, end)
    while index < stop:
        m = ms[index]
        if m.surface in "「『":
            closing = next((k for k in range(index, stop) if ms[k].surface in "」』"), stop - 1)
            if closing + 1 < stop and ms[closing + 1].surface in ("と", "って", "など"):
                return None
            index = closing + 1
            continue
        if (m.pos[0] == "動詞" or m.is_("名詞", "普通名詞", "サ変可能")) and m.lemma in SPEECH_VERBS:
            particle = ms[index - 1].surface if ms[index - 1].surface in ("と", "って") else ""
            return particle + text[m.start:ms[_phrase_end(ms, index, stop) - 1].end]
        index += 1
    return None


def _attribute(quote: Quote, text: str, ms: list[Morpheme], quoted: bytes, sentence: tuple[int, int],
               tail: Tail, earlier: list[Quote], previous: str) -> None:
    """Set the speaker words (and an announcing cue) of a quote that is not a term."""
    start, opening = sentence
    announced = ANNOUNCED.search(text, max(0, opening - ANNOUNCING_REACH), opening)
    speaker = tail.speaker
    if speaker is None and announced and not text[announced.end():opening].strip():
        quote.cue = announced.group("cue")
        speaker = speakers.subject_before(ms, _sentence_start(text, announced.start(), quoted),
                                          announced.start(), text, quoted)
    elif speaker is None and opening < 8 and not text[:opening].strip(BULLETS) and ANNOUNCED.search(previous):
        quote.cue = quote.cue or ANNOUNCED.search(previous).group("cue")
    if speaker is None:
        speaker = speakers.person_right_before(ms, opening, text)  # ポール・ハギス監督「…」
    if speaker is None and tail.passive:
        speaker = speakers.agent_before(ms, start, opening, text)  # Xに「…」と言われ
    elif speaker is None:
        speaker = speakers.subject_before(ms, start, opening, text, quoted)
    if quote.kind == "partial" and quote.cue is None:
        quote.cue = _said_later(text, ms, quote.end, _sentence_end(text, quote.end, quoted))
    unnamed = not tail.passive and not speakers.unknown_subject(ms, start, opening, quoted)
    if speaker is None and unnamed and quote.kind in ("direct", "partial"):
        speaker = speakers.going_on(ms, start, text, quoted, earlier)
    if speaker:
        quote.speaker_text, quote.speaker_start, quote.speaker_named = speaker.text, speaker.start, speaker.named

"""Quotes: 「」 (with 『』 nested inside), 『』 alone, “ ” and straight "…" quotes.

The outermost pair is the quote; pairs nested inside belong to it. A bracket that
never closes in its block is ignored (it does not swallow the rest of the block),
and so is an empty pair. Quote offsets exclude the brackets. Each quote gets:

- kind: ``document`` when it quotes a law, order, rule or report (大統領令, 規則,
  報告書, 声明 ... next to it, or 〜と規定 after it); ``direct`` for reported speech
  (と + a reporting verb after it: と語った, と述べた, と指摘 ...; announced by
  次のように述べた。/ こう記している。; or full sentences on their own, as when a
  speaker goes on); ``partial`` for a few words a named source used (カープ氏は、
  ...「派生型」であり...と説明); ``term`` for anything else (「テックカーニバルシーズン」).
- cue: the reporting phrase (と語った, 次のように述べています, said) or None.
- speaker_text and speaker_start: the words naming the speaker (speakers.py). A
  quote that simply goes on after another one has neither; resolve gives it the
  speaker of the direct quote right before it.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ..model import Annotations, Document, Quote
from . import speakers

NAME = "quotes"
VERSION = "1"
PAIRS = MappingProxyType({"「": "」", "『": "』", "“": "”"})
CLOSERS = frozenset(PAIRS.values())
ENDS = "。！？!?"
VERBS_JA = (
    "語っ", "語り", "語る", "語ら", "述べ", "指摘", "説明", "付け加え", "話し", "話す", "強調",
    "明らかに", "主張", "訴え", "批判", "表明", "明言", "証言", "答え", "回答", "記し", "記す",
    "書い", "警告", "発言", "コメント", "言っ", "言い", "言う", "予想", "予測", "分析", "評価",
    "呼びかけ", "発表", "宣言", "反論", "認め", "述懐", "話っ",
)
DOCUMENT_VERBS_JA = ("規定", "定め", "明記", "記載", "うた")
DOCUMENT_WORDS = (
    "大統領令", "規則", "法案", "法律", "憲法", "条例", "条約", "報告書", "声明", "命令", "指令",
    "決議", "判決", "通達", "ガイドライン", "公式文書", "executive order", "the order", "the law",
    "the bill", "the report", "the statement", "the rule", "regulation",
)
CUE_JA = re.compile(
    rf"(?:と|とも|って)、?(?P<between>[^。「」]{{0,30}}?)"
    rf"(?P<verb>{'|'.join(DOCUMENT_VERBS_JA + VERBS_JA)})(?P<tail>[ぁ-ゖ]{{0,6}})"
)
ANNOUNCED = re.compile(r"(?P<cue>(?:次のように|こう|以下のように)[^。「」]{0,20})[。：:]\s*$")
NAMING = ("という", "といった", "との")
NOT_REPORTING = ("には", "ても", "のは", "を", "が")  # と言っても過言ではない, と批判を呼ぶ
SHORT = 10  # quotes shorter than this (in code points) without a sentence end are "a few words"
SHORT_WORDS = 6  # the same for English, in words


def settings(ctx) -> str:
    return ""


def find_pairs(text: str) -> list[tuple[int, int]]:
    """(opening, closing) bracket positions of the outermost quotes in text."""
    pairs = []
    position = 0
    while position < len(text):
        if text[position] in PAIRS:
            close = _closing(text, position)
            if close is not None:
                if close > position + 1:
                    pairs.append((position, close))
                position = close + 1
                continue
        position += 1
    return sorted(pairs + _straight_pairs(text, pairs))


def _closing(text: str, opening: int) -> int | None:
    """Where the bracket at opening closes; an inner bracket left open is skipped over."""
    expected = [PAIRS[text[opening]]]
    for position in range(opening + 1, len(text)):
        char = text[position]
        if char in PAIRS:
            expected.append(PAIRS[char])
        elif char in CLOSERS and char in expected:
            while expected.pop() != char:
                pass
            if not expected:
                return position
    return None


def _straight_pairs(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Straight "..." pairs outside the bracketed quotes: an opener after a space or start."""
    pairs = []
    marks = [i for i, c in enumerate(text) if c == '"' and not any(a < i < b for a, b in taken)]
    index = 0
    while index + 1 < len(marks):
        opening, close = marks[index], marks[index + 1]
        if (opening == 0 or not text[opening - 1].isalnum()) and close > opening + 1:
            pairs.append((opening, close))
            index += 2
        else:
            index += 1
    return pairs


def _sentence_start(text: str, position: int, pairs: list[tuple[int, int]]) -> int:
    """Start of the sentence holding position; sentence ends inside quotes do not count."""
    for index in range(position - 1, -1, -1):
        if text[index] in ENDS and not any(a < index < b for a, b in pairs):
            return index + 1
        if text[index] == "." and text[index + 1:index + 2].isspace():
            return index + 1
    return 0


def _sentence_end(text: str, position: int, pairs: list[tuple[int, int]]) -> int:
    for index in range(position, len(text)):
        if text[index] in ENDS and not any(a < index < b for a, b in pairs):
            return index
    return len(text)


def _is_document(text: str, opening: int, close: int, before: int = 8) -> bool:
    """Whether a law, order or report is named just before the quote or right after it."""
    ahead = text[max(0, opening - before):opening]
    after = re.split(r"[、。,.]", text[close + 1:close + 17], maxsplit=1)[0]
    return any(word in ahead or word in after for word in DOCUMENT_WORDS)


def _japanese(text: str, opening: int, close: int, pairs: list[tuple[int, int]]) -> Quote:
    """A Japanese quote with kind, cue and speaker words."""
    content = text[opening + 1:close]
    cue, speaker, document = _cue_ja(text, opening, close, pairs)
    after = text[close + 1:]
    naming = after.startswith(NAMING)  # 「…」という質問: a name for something, not speech
    reported = None if naming else _reported_later(text, close, _sentence_end(text, close, pairs))
    if document or _is_document(text, opening, close):
        kind = "document"
    elif cue or (reported and after.startswith(("と", "って"))):
        kind = "direct" if len(content) >= SHORT or "。" in content else "partial"
        cue = cue or reported
    elif speaker and reported:
        kind = "direct" if "。" in content else "partial"  # embedded in the sentence
        cue = reported
    elif len(content) >= SHORT and content.rstrip()[-1] in ENDS and text[opening] == "「" and not naming:
        kind, speaker = "direct", None
    else:
        kind, speaker = "term", None
    return _quote(text, opening, close, kind, cue, speaker)


def _cue_ja(text: str, opening: int, close: int, pairs: list[tuple[int, int]]
            ) -> tuple[str | None, tuple[str, int] | None, bool]:
    """The reporting phrase right after the quote (or announcing it), the speaker words,
    and whether the phrase says a document is quoted (と規定)."""
    speaker = speakers.subject_before(text, _sentence_start(text, opening, pairs), opening)
    announced = ANNOUNCED.search(text, 0, opening)
    if announced:
        start = _sentence_start(text, announced.start(), pairs)
        return announced.group("cue"), speakers.subject_before(text, start, announced.start()), False
    match = CUE_JA.match(text, close + 1)
    if match is None or _cue(match) is None:
        return None, speaker, False
    if match.group("between"):
        speaker = speakers.subject_after(text, match.start("between"), match.end("between"))
        if speaker is None:
            return None, speakers.subject_before(text, _sentence_start(text, opening, pairs), opening), False
    return _cue(match), speaker, match.group("verb") in DOCUMENT_VERBS_JA


def _cue(match: re.Match) -> str | None:
    """と + the reporting verb as written, or None when the words are not reporting (と言っても)."""
    if match.group("tail").startswith(NOT_REPORTING):
        return None
    return "と" + match.group("verb") + match.group("tail")


def _reported_later(text: str, close: int, end: int) -> str | None:
    """A reporting verb later in the sentence (…「派生型」であり…と説明した), as cue."""
    for match in CUE_JA.finditer(text, close + 1, end):
        if match.group("verb") in VERBS_JA and _cue(match):
            return _cue(match)
    return None


def _english(text: str, opening: int, close: int, pairs: list[tuple[int, int]]) -> Quote:
    """An English quote with kind, cue and speaker words."""
    content = text[opening + 1:close]
    found = speakers.english_after(text, close + 1) or speakers.english_before(
        text, _sentence_start(text, opening, pairs), opening)
    if found and found[2] in ("states", "stated", "reads"):
        found = None
    words = len(content.split())
    start = _sentence_start(text, opening, pairs)
    if found:
        kind = "direct" if words >= SHORT_WORDS else "partial"
    elif _is_document(text, opening, close, before=opening - start):
        kind = "document"
    elif words >= 8 and content.rstrip(" ,")[-1:] in ".!?":
        kind = "direct"
    else:
        kind = "term"
    speaker = (found[0], found[1]) if found else None
    return _quote(text, opening, close, kind, found[2] if found else None, speaker)


def _quote(text: str, opening: int, close: int, kind: str, cue: str | None,
           speaker: tuple[str, int] | None) -> Quote:
    return Quote(
        block=0, start=opening + 1, end=close, text=text[opening + 1:close], kind=kind,
        cue=cue or None, speaker_text=speaker[0] if speaker else None,
        speaker_start=speaker[1] if speaker else None,
    )


def find_quotes(text: str, lang: str, block: int = 0) -> list[Quote]:
    """Every quote in one block's text."""
    pairs = find_pairs(text)
    quotes = []
    for opening, close in pairs:
        quote = (_english if lang == "en" else _japanese)(text, opening, close, pairs)
        quote.block = block
        quotes.append(quote)
    return quotes


def annotate(doc: Document, ctx) -> Annotations:
    """Quotes in every block of doc."""
    quotes = [q for index, block in enumerate(doc.blocks) for q in find_quotes(block.text, doc.lang, index)]
    return Annotations(quotes=quotes)

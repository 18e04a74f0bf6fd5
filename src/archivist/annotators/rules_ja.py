"""Japanese entities without a neural model: Sudachi's parts of speech and suffix rules.

The fast profile's recogniser. A name is a run of proper nouns, unknown words and
Latin words (joined by ・ or ＝); its type comes from evidence around it:

- a run followed within a few common nouns by an organisation suffix (研究所, 大学,
  省, 社, 銀行 ...) becomes an organisation covering the whole phrase
  (ピーターソン国際経済研究所, 米国商務省);
- a run of Sudachi person names, or any run followed by an honorific or a title
  (氏, さん, 大統領, 社長), is a person; the honorific stays outside the span;
- a run of place names is a place;
- another proper noun is taken as an organisation, with low confidence.
"""

from __future__ import annotations

from ..model import Annotations, Document, Mention
from .morphemes import Morpheme, load_tokenizer, morphemes, settings as sudachi_settings

NAME = "rules"
VERSION = "1"

ORG_SUFFIXES = (
    "研究所", "研究機構", "大学", "大学院", "学院", "高校", "省", "庁", "局", "社", "会社",
    "銀行", "協会", "委員会", "機構", "財団", "連盟", "連合", "党", "組合", "学会", "グループ",
    "ホールディングス", "工業", "自動車", "電機", "製作所", "商事", "証券", "新聞", "放送",
    "政府", "議会", "裁判所", "警察", "軍", "球団", "センター", "事務所", "研究会",
)
HONORIFICS = (
    "氏", "さん", "様", "君", "ちゃん", "容疑者", "被告", "選手", "監督", "大統領", "副大統領",
    "首相", "総理", "大臣", "長官", "知事", "市長", "議員", "社長", "会長", "代表", "教授",
    "博士", "CEO", "氏ら", "夫妻", "元首相", "前首相", "外相", "国務長官",
)
MAX_SUFFIX_REACH = 4  # common nouns allowed between a name and its organisation suffix


def settings(ctx) -> str:
    return sudachi_settings()


def annotate(doc: Document, ctx) -> Annotations:
    """Mentions found by rules in each Japanese block."""
    if doc.lang != "ja":
        return Annotations()
    tokenizer = ctx.models.get("sudachi", load_tokenizer)
    mentions = []
    for index, block in enumerate(doc.blocks):
        words = morphemes(tokenizer, block.text)
        for start, end, kind, confidence in find_names(words):
            mentions.append(Mention(index, start, end, block.text[start:end], kind,
                                    source=NAME, confidence=confidence))
    return Annotations(mentions=mentions)


def find_names(words: list[Morpheme]) -> list[tuple[int, int, str, float]]:
    """(start, end, type, confidence) of every name found in a block's words."""
    found, i = [], 0
    while i < len(words):
        j = _run_end(words, i)
        if j == i:
            i += 1
            continue
        found_here = _classify(words, i, j)
        if found_here:
            found.append(found_here[:4])
            i = found_here[4]
        else:
            i = j
    return found


def _is_name_part(word: Morpheme) -> bool:
    if word.is_("名詞", "固有名詞"):
        return True
    if word.unknown and word.pos[0] == "名詞":
        return True
    return word.surface.isascii() and word.surface[:1].isalpha() and word.pos[0] == "名詞"


def _run_end(words: list[Morpheme], i: int) -> int:
    """The end of the run of name parts starting at i (i when there is none)."""
    j = i
    while j < len(words) and _is_name_part(words[j]):
        j += 1
        if j + 1 < len(words) and words[j].surface in ("・", "＝", "=") and _is_name_part(words[j + 1]):
            j += 1
    return j


def _classify(words: list[Morpheme], i: int, j: int) -> tuple | None:
    """(start, end, type, confidence, next index) for the run words[i:j], or None."""
    start = words[i].start
    suffix_end = _org_suffix_end(words, j)
    if suffix_end is not None:
        return start, words[suffix_end - 1].end, "ORG", 0.8, suffix_end
    run = words[i:j]
    parts = [w for w in run if w.surface not in ("・", "＝", "=")]
    followed_by_title = j < len(words) and words[j].surface in HONORIFICS
    if followed_by_title or all(w.is_("名詞", "固有名詞", "人名") for w in parts):
        confidence = 0.85 if followed_by_title else 0.7
        return start, words[j - 1].end, "PERSON", confidence, j
    if all(w.is_("名詞", "固有名詞", "地名") for w in parts):
        return start, words[j - 1].end, "PLACE", 0.8, j
    if any(w.is_("名詞", "固有名詞") for w in parts):
        return start, words[j - 1].end, "ORG", 0.5, j
    return None


def _org_suffix_end(words: list[Morpheme], j: int) -> int | None:
    """The index after an organisation suffix reached from j over a few common nouns."""
    for k in range(j, min(j + MAX_SUFFIX_REACH + 1, len(words))):
        word = words[k]
        if _ends_like_org(word.surface) and (word.nominal or word.is_("接尾辞")):
            return k + 1
        if not (word.is_("名詞", "普通名詞") or word.is_("接頭辞")):
            return None
    return None


def _ends_like_org(surface: str) -> bool:
    return surface.endswith(ORG_SUFFIXES)

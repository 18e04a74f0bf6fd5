"""Japanese named entities: a recogniser trained for archivist, corrected by general rules.

The recogniser (src/archivist/models/ner_ja, trained by benchmarks/train_ner.py on
Stockmark's ner-wikipedia-ja) labels PERSON, ORG, PLACE, PRODUCT and EVENT spans: it
is ja_ginza's Sudachi tokenizer and tok2vec, fine-tuned for these five types, with
the tokens' parts of speech and characters as extra features. Its confidence for a
type is the precision it reached on held-out sentences. Then, for each span:

- a span holding a verb or auxiliary (the start of a quote the recogniser took for a
  title) is dropped unless it fills a pair of brackets, and so is a single character,
  a span across a line break and one filling brackets that hold someone's words
  (「好きだ」と語った), and, unless a word naming a kind of work comes before them,
  one that asks (「地元どこなの？」); so is a span ending in a sentence-final particle
  (抱き枕よね, 「正直だな」);
- a description joined to the name by ＝ is cut off its start (日本代表＝なでしこジャパン);
- titles and honorifics are cut off its end (トランプ大統領 -> トランプ) and, like a
  following 氏, さん or title, are evidence that a name-like span names a person,
  stronger than the recogniser's type;
- a span ending in 研究所, 大学, 省, 銀行, 協会 ... names an organisation unless the
  recogniser saw a facility there (a school), and common nouns between it
  and such a word are taken in (ピーターソン国際 + 経済研究所); a name followed by
  のCEO, の社長 ... or after 企業, 会社 ... names one too;
- a span filling brackets after a word naming a kind of work (映画『のぼうの城』,
  ドラマ「…」) is the work's title, a product, whatever its words look like;
- country names are places; a name ending like an event (…会議, …作戦, …五輪) is
  an event and one ending like a facility (…スタジアム, …駅) a place, where the
  recogniser saw an organisation or a product, but …シリーズ after anything but a
  country's name is a line of products (HP09シリーズ; 日本シリーズ is an event);
- Latin words ending in a model number (GALAXY SIII SC-06D) are a product where the
  recogniser saw an event or an organisation;
- single common nouns (as places, products, events) and common nouns ending in a
  generic word (AIシステム, ...経済) are dropped, and so is one katakana word typed a
  person that the dictionary knows as a common noun (ユーザー, ヒーロー), unless an
  honorific or title marks it.

Names the recogniser missed are added from the same evidence: a run of name-like
words (katakana, Latin letters, words the dictionary knows as names) right before 氏
or a title is a person; before のCEO, after 企業, or ending in an organisation suffix,
an organisation; short forms in compounds (米中, 対日) are places; what fills brackets
after a word naming a kind of work is a title (映画『サンクタム』). Adjacent spans that
end in an organisation become one (カリフォルニア大学 + ロサンゼルス校). Within one
document a name keeps one type, the one its spans mostly got, and its other
occurrences are marked too, unless it is made of words the dictionary knows as common
nouns and was found as a name in a third or less of its occurrences (ビール, CPU).
Sudachi refuses inputs over 49,149 bytes, so long blocks are cut after sentence ends
into chunks.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from types import MappingProxyType
from typing import Any, Mapping

from .. import models, places
from . import morphemes, quote_words, rules_ja
from ..model import ENTITY_TYPES, Annotations, Document, Mention

NAME = "ner"
VERSION = "36"
MODEL = "ner_ja"  # the name the loaded recogniser is shared under in ctx.models
MAX_CHUNK_BYTES = 40_000  # below Sudachi's 49,149, leaving room for its normalisation
OVERRULED = 0.8  # confidence factor when the rules changed the model's type
# What follows an adjectival noun used as one: スマートな, スマートさ, スマートだ, バラバラになる
ADJECTIVAL_USE = re.compile(r"な(?![どら])|さ|だ|すぎ|そう|に[なす]")
SPORADIC_OCCURRENCES = 3  # a common noun found as a name in a third or less of as many is none (consistent)
RULE_ONLY = 0.6  # confidence of names the rules found alone
# confidence of a person marked by an honorific or title, or of a title by its kind of
# work (映画『…』): it outweighs the model
MARKED = 0.9

HONORIFICS = ("氏", "さん", "様")
TITLES = (  # written after a name: トランプ大統領, 山田教授
    "大統領", "副大統領", "首相", "副首相", "総理", "大臣", "長官", "知事", "市長", "議員",
    "議長", "社長", "副社長", "会長", "CEO", "最高経営責任者", "教授", "准教授", "博士",
    "監督", "選手", "総裁", "委員長", "理事長", "所長", "局長", "大使", "国王", "女王",
    "国家主席", "主席", "総統", "書記長", "容疑者", "被告", "弁護士", "記者", "報道官",
    "研究員", "アナリスト",
)
PERSON_MARKS = tuple(sorted(HONORIFICS + TITLES, key=len, reverse=True))
ORG_SUFFIXES = (
    "研究所", "研究院", "研究センター", "大学", "大学院", "学院", "学校", "省", "庁", "局",
    "社", "銀行", "協会", "機構", "財団", "基金", "委員会", "連盟", "連合", "組合", "公社",
    "党", "政府", "政権", "議会", "裁判所", "グループ", "ホールディングス", "新聞", "放送",
    "電鉄", "電力", "証券", "保険", "製薬", "工業", "重工", "商事", "物産", "航空", "電機",
    "化学", "製作所", "FC", "校",
)
NOT_ORG_SUFFIXES = ("神社", "大社", "会社")  # shrines are places; 会社 alone is a common noun
SCHOOLS = ("学校", "校")
ORG_AFTER = ("のCEO", "の最高経営責任者", "の社長", "の会長", "の創業者", "の共同創業者",
             "の幹部", "の従業員", "の社員", "の株価", "の子会社", "傘下")
ORG_BEFORE = ("企業", "会社", "メーカー", "スタートアップ")
GENERIC_HEADS = frozenset((
    "会社", "企業", "経済", "技術", "システム", "エコシステム", "モデル", "チップ", "アプリ",
    "アプリケーション", "サービス", "製品", "市場", "産業", "分野", "業界", "プラットフォーム",
    "ソフトウェア", "ハードウェア", "コンピューティング", "ネットワーク", "データ", "規制", "政策",
    "スタートアップ", "ベンチャー", "メーカー", "コンピュータ", "コンピューター",
))
GENERIC_ENDINGS = tuple(GENERIC_HEADS)  # for str.endswith
EDGE_CHARS = " \u3000\n\t「」『』()（）、。，．・：:／/"
OPENING_CHARS = EDGE_CHARS + "！!？?〜~…"  # also cut from a start only: titles may end in them (OZZY!!)
QUOTED_AFTER = re.compile(  # 」と言った, 」と語る, 」という声: the brackets hold someone's words
    r"[」』](?:と|って)(?:言[わいうえっ]|語|述べ|話|綴|叫|思|感じ|答|明か|漏ら|振り返|嘆|コメント|ツイート|つぶや)"
    rf"|[」』](?:という|との)(?:{'|'.join(quote_words.SPEECH_HEADS)})")
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\u30fd\u30fe＝=]+")
LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9０-９.&'’\-]*")
ACRONYM = re.compile(r"[A-Z]{1,3}")
TAIL = re.compile(  # see _before_tail
    r"\s[|｜]|｜|\s-\s|\u3000[-−－]\u3000"
    r"|[\s\u3000：:]*[0-9０-９][0-9０-９,，.]*万?円$"
    r"|(?:さん|氏)[／/（(]")
BRACKETS = ("「」", "『』", "（）", "()", "【】")
MAX_TITLE_CHARS = 40  # the longest title in brackets taken whole
BRACKETED = re.compile(r"(?<=[「『])[^「」『』\n]{1,%d}(?=[」』])" % MAX_TITLE_CHARS)  # what brackets hold
BRACKET_OR_BREAK = re.compile(r"[「」『』\n]")
# A country written before a foreign name (米グーグル, 英国BBC, 米国ウェルチ社): 日 is left
# out, as 日ハム and 日テレ are names of their own; ソ (米ソ) is no name's first word.
COUNTRY_BEFORE = re.compile(r"(?<![\u4e00-\u9fff])(?:米国|英国|[%s])(?=[\u30a1-\u30faA-Za-zＡ-Ｚａ-ｚ][\u30a1-\u30fcA-Za-zＡ-Ｚａ-ｚ])"
                            % "".join(p.short for p in places.PLACES if p.short and p.short != "日"))
COUNTRY_OWNED = ("賞", "リーグ")  # names that keep their country: 英国アカデミー賞, 米メジャーリーグ
DIRECTIONS = "東西南北"
COUNTRY_TAG = "名詞-固有名詞-地名-国"  # Sudachi's countries, past ones too (ソ連, 東ドイツ)
NOT_PLACE_AFTER = ("語", "一")  # 日本語 is a language, 日本一 "the best in Japan"
GOVERNMENT = ("省", "庁")  # the last character of a ministry's or agency's name (財務省, 金融庁)
GENERIC_GOVERNMENT = ("省庁", "官庁")
AWARD = "賞"  # an award is a product to the gold data (グラミー賞), or an event when numbered (第146回芥川賞)
APPOSITION = re.compile(r"(?<![\u30a1-\u30fa\u30fcA-Za-z0-9])[＝=]")  # ＝ after a word no name part ends in
# Latin words ending in a model number, letters and digits mixed, not a year: AQUOS PHONE SL IS15SH
LATIN_MODEL = re.compile(r"[A-Za-z0-9.\-]+(?: [A-Za-z0-9.\-]+)* "  # Latin words, then the last one:
                         r"(?=[^ ]*[A-Za-z])(?=[^ ]*[0-9])(?![^ ]*(?:19|20)[0-9]{2}$)[A-Za-z0-9.\-]+")
BATCH_SIZE = 64  # chunks per nlp.pipe batch: larger matrices, fewer Python round trips
SEEN_PIECES = 20_000  # pieces whose spans a recogniser remembers (Recogniser.seen)


@dataclass(frozen=True)
class Token:
    start: int  # code point offset in the chunk
    end: int
    tag: str  # Sudachi part of speech, e.g. "名詞-固有名詞-人名-一般"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    confidence: float


@dataclass(frozen=True)
class Recogniser:
    nlp: Any  # the spaCy pipeline: ja_ginza's tokenizer, its tok2vec fine-tuned, then "ner"
    confidence: Mapping[str, float]  # per type: the recogniser's precision on held-out sentences
    # piece of text -> its spans: a piece's spans depend on it alone, so a piece seen
    # before (a paragraph left as it was in an edited document, boilerplate) is not read again
    seen: dict[str, tuple[Span, ...]] = field(default_factory=dict, compare=False, repr=False)

    def spans(self, pieces: list[str]) -> dict[str, tuple[Span, ...]]:
        """The spans of each distinct piece, from the model where not seen before."""
        found = {piece: self.seen[piece] for piece in pieces if piece in self.seen}
        todo = [piece for piece in dict.fromkeys(pieces) if piece not in found]
        for piece, parsed in zip(todo, self.nlp.pipe(todo, batch_size=BATCH_SIZE)):
            tokens = [Token(t.idx, t.idx + len(t.text), t.tag_) for t in parsed]
            ents = [(e.start_char, e.end_char, e.label_) for e in parsed.ents]
            found[piece] = tuple(find_spans(piece, tokens, ents, self.confidence))
        if len(self.seen) + len(todo) > SEEN_PIECES:
            self.seen.clear()
        self.seen.update((piece, found[piece]) for piece in todo)
        return found


def settings(ctx) -> str:
    return _versions()


@cache  # asked once per document; reading package metadata is slow
def _versions() -> str:
    return f"{MODEL} {models.ner_ja_meta()['version']} {models.GINZA} {metadata.version('ja-ginza')}"


def load_model() -> Recogniser:
    """The trained recogniser on top of ja_ginza, with its per-type precision.

    Its layers multiply matrices with numpy's BLAS rather than thinc's default, blis:
    the tok2vec taken from GiNZA is most of the work, and numpy's is about 1.5 times
    as fast on one core, with the same entities found.
    """
    from thinc.api import use_ops  # late, like spaCy itself

    with use_ops("numpy", use_blis=False):  # models take the ops current when they are built
        nlp = models.load_ner_ja()
    precision = nlp.meta["performance"]["dev_precision"]
    return Recogniser(nlp, MappingProxyType({kind: float(precision[kind]) for kind in ENTITY_TYPES}))


def chunks(text: str, limit: int = MAX_CHUNK_BYTES) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering text, each under limit UTF-8 bytes, cut after 。 where possible."""
    pieces = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    size, end = 0, start
    while end < len(text) and size + len(text[end].encode("utf-8")) < limit:
        size += len(text[end].encode("utf-8"))
        end += 1
    if end == len(text):
        return end
    for mark in ("。", "\n", "．", "！", "？", "、", " "):
        stop = text.rfind(mark, start, end)
        if stop > start:
            return stop + 1
    return end


def _kind(text: str) -> str:
    if KATAKANA.fullmatch(text):
        return "katakana"
    if LATIN.fullmatch(text):
        return "latin"
    return "other"


def _person_like(token: Token, text: str) -> bool:
    return "人名" in token.tag or _kind(text[token.start:token.end]) != "other"


def _name_like(token: Token, text: str) -> bool:
    return "固有名詞" in token.tag or _kind(text[token.start:token.end]) != "other"


def _inside(tokens: list[Token], start: int, end: int) -> list[Token]:
    """The tokens within start:end (tokens are in text order)."""
    first = bisect_left(tokens, start, key=lambda t: t.start)
    return [t for t in tokens[first:bisect_left(tokens, end, key=lambda t: t.start)]
            if t.end <= end and t.tag != "空白"]


def _all(tokens: list[Token], text: str, test) -> bool:
    words = [t for t in tokens if not t.tag.startswith("補助記号")]
    return bool(words) and all(test(t, text) for t in words)


def _generic(tokens: list[Token], text: str, kind: str) -> bool:
    """Whether a span of kind is a common phrase rather than a name.

    One common noun is rarely a place, product or event (スーパーコンピュータ), nor a
    kanji word a person. Names the dictionary does not know are tagged common too, so
    one katakana word is kept as an organisation or place (ヨーク), or a person unless
    the dictionary has it as a common noun (ユーザー), one Latin
    word as anything, and so is one word ending like a name of its type (東日本大震災).
    Common nouns ending in a generic head (AIシステム, ...経済) are never names, unless
    joined by ・ (フロム・ソフトウェア), and neither is a common noun after a prefix
    (現政権) or one compound word with a generic head (大規模言語モデル).
    """
    words = [text[t.start:t.end] for t in tokens]
    if not words or any("固有名詞" in t.tag for t in tokens):
        return False
    if ACRONYM.fullmatch(words[-1]) and len(words) == 1:
        return kind != "ORG"
    if len(tokens) == 2 and tokens[0].tag.startswith("接頭辞") and tokens[1].tag.startswith("名詞-普通名詞"):
        return True  # 現政権, 新会社
    if len(words) > 1 or not tokens[0].tag.startswith("名詞-普通名詞"):
        return words[-1] in GENERIC_HEADS and "・" not in words
    if _kind(words[0]) == "latin" or _named_by_suffix(words[0], kind):
        return False
    if words[0].endswith(GENERIC_ENDINGS) and words[0] not in GENERIC_HEADS:
        return True  # one compound word with a generic head: 大規模言語モデル
    if kind == "PLACE" and _kind(words[0]) == "katakana":
        return False  # foreign places are tagged common too (ヨーク)
    if kind in ("PLACE", "PRODUCT", "EVENT"):
        return True
    if kind == "PERSON" and _kind(words[0]) == "katakana":
        return _known_common_noun(words[0])
    return kind == "PERSON" and _kind(words[0]) == "other"


@cache
def _known_common_noun(word: str) -> bool:
    """Whether Sudachi's dictionary has word as one common noun (ユーザー, ヒーロー)."""
    found = morphemes.morphemes(_dictionary(), word)
    return len(found) == 1 and _common(found[0])


@cache
def _common_words(text: str) -> bool:
    """Whether Sudachi's dictionary has text as one common noun (ビール, CPU), or as
    common nouns of which one is a katakana word and none an English one (セレクト +
    ショップ, ソフトウェア + 更新). An English word among others is more often part of a
    name (GALAXY Note), and kanji common nouns make many a given name (美 + 元)."""
    found = [w for w in morphemes.morphemes(_dictionary(), text) if w.surface.strip()]
    kinds = {_kind(w.surface) for w in found}
    if len(found) > 1 and ("latin" in kinds or "katakana" not in kinds):
        return False
    return bool(found) and all(map(_common, found))


def _common(word: morphemes.Morpheme) -> bool:
    """Whether the dictionary has word as a common noun: a word it does not know is
    tagged common too, for want of better (a foreign name)."""
    return word.is_("名詞", "普通名詞") and not word.unknown


@cache
def _dictionary():
    return morphemes.load_tokenizer()


def _named_by_suffix(word: str, kind: str) -> bool:
    """Whether one word ends like a name of kind, with a name of two or more characters before."""
    suffixes = {"EVENT": rules_ja.EVENT_SUFFIXES, "PLACE": rules_ja.FACILITY_SUFFIXES}.get(kind, ())
    return any(word.endswith(suffix) and len(word) - len(suffix) >= 2 for suffix in suffixes)


def _trim(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """start, end without edge punctuation and a trailing title; and the title cut, if any."""
    while start < end and text[start] in OPENING_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    cut = None
    for mark in PERSON_MARKS:
        if text.endswith(mark, start, end) and end - start > len(mark):
            cut, end = mark, end - len(mark)
            break
    return start, end, cut


def _extend_org(text: str, tokens: list[Token], end: int) -> int:
    """end moved over up to three common nouns that finish with an organisation suffix."""
    first = bisect_left(tokens, end, key=lambda t: t.start)
    following = tokens[first:first + 3]
    position = end
    for token in following:
        if token.start != position or not token.tag.startswith(("名詞-普通名詞", "接尾辞")):
            break
        position = token.end
        if _org_suffix(text[end:position]) and text[end:position] not in ORG_SUFFIXES:
            return position
    return end


def _org_suffix(surface: str) -> bool:
    """Whether surface is a name of two or more characters and an organisation suffix
    (米国商務省; not 現政権, which names no one)."""
    return (any(surface.endswith(suffix) and len(surface) - len(suffix) >= 2 for suffix in ORG_SUFFIXES)
            and not surface.endswith(NOT_ORG_SUFFIXES))


def _mark_after(text: str, end: int) -> str | None:
    """The honorific or title right after end, if any; a title may follow a country (米副大統領)."""
    rest = text[end:end + 12].lstrip(" \u3000")
    mark = next((mark for mark in PERSON_MARKS if rest.startswith(mark)), None)
    if mark is None and rest and places.short_form(rest[0]):
        mark = next((mark for mark in TITLES if rest.startswith(mark, 1)), None)
    return mark


def _person(tokens: list[Token], text: str, mark: str | None) -> bool:
    """Whether tokens marked by an honorific (katakana will do) or a title (a known name) are a person."""
    if mark in HONORIFICS:
        return _all(tokens, text, _person_like)
    return mark is not None and _all(tokens, text, _known_name)


def _known_name(token: Token, text: str) -> bool:
    return "人名" in token.tag or _kind(text[token.start:token.end]) == "latin"


def _org_context(text: str, start: int, end: int) -> bool:
    return text.startswith(ORG_AFTER, end) or text[:start].endswith(ORG_BEFORE)


def _after_org_word(text: str, start: int, end: int) -> int:
    """start moved past 企業, 会社 ... inside a span when a name follows (スタートアップ企業Anthropic)."""
    surface = text[start:end]
    cuts = [surface.rfind(word) + len(word) for word in ORG_BEFORE if word in surface]
    cut = max(cuts, default=0)
    if 0 < cut < len(surface) and _kind(surface[cut:]) != "other":
        return start + cut
    return start


def _after_apposition(text: str, start: int, end: int) -> int:
    """start moved past a description the span joins to a name with ＝ (日本代表＝なでしこ
    ジャパン): within a name, ＝ only joins katakana or Latin words (ジャン＝ポール,
    マルクス=レーニン), and a description ending in one is left alone."""
    for match in APPOSITION.finditer(text, start, end - 1):
        if start < match.start():
            start = match.end()
    return start


def _after_country(text: str, start: int, end: int, model_type: str) -> int:
    """start moved past a country written before a foreign name (米グーグル, 英国BBC), a
    place of its own (_countries_before), as news name a company's country. A place
    keeps it (米国ノースカロライナ州, as the gold data writes it), and so do awards and
    leagues (COUNTRY_OWNED)."""
    match = COUNTRY_BEFORE.match(text, start, end)
    if not match or model_type == "PLACE" or end - match.end() < 2 or text.endswith(COUNTRY_OWNED, start, end):
        return start
    return match.end()


def _clause(tokens: list[Token], text: str, start: int, end: int) -> bool:
    """Whether a span holds a verb or auxiliary, as the start of a quote does, and is no bracketed title."""
    return not _fills_brackets(text, start, end) and any(t.tag.startswith(("動詞", "助動詞")) for t in tokens)


def _fills_brackets(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is all that a pair of 「」 or 『』 holds."""
    return start > 0 and end < len(text) and text[start - 1] in "「『" and text[end] in "」』"


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the span fills brackets that hold someone's words (「好きだ」と語った), or
    crosses a line break, which no name does."""
    bracketed = start > 0 and text[start - 1] in "「『"
    return "\n" in text[start:end] or bracketed and QUOTED_AFTER.match(text, end) is not None


def _work_title(text: str, start: int, end: int) -> bool:
    """Whether the span fills brackets after a word naming a kind of work (映画『…』,
    新曲の「…」): a title, though it may read like a place or a person."""
    close = rules_ja.TITLE_BRACKETS.get(text[start - 1]) if start > 0 else None
    if close is None or not text.startswith(close, end):
        return False
    before = text[:start - 1].rstrip(" \u3000")
    return before.removesuffix("の").endswith(rules_ja.KINDS_OF_WORK)


def _cued_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whole of what fills the brackets the span lies in, when they hold a title
    (_work_title): 大河ドラマ「江〜姫たちの戦国〜」, of which the recogniser saw 江〜姫."""
    reach = max(0, start - MAX_TITLE_CHARS)
    opened = max(text.rfind("「", reach, start), text.rfind("『", reach, start))
    if opened < 0:
        return None
    closed = text.find(rules_ja.TITLE_BRACKETS[text[opened]], opened)
    if closed < end or closed - opened > MAX_TITLE_CHARS or BRACKET_OR_BREAK.search(text, opened + 1, closed):
        return None
    return (opened + 1, closed) if _work_title(text, opened + 1, closed) else None


def _spoken(tokens: list[Token], text: str, start: int, end: int) -> bool:
    """Whether a span reads as someone's words: it ends in a sentence-final particle
    (抱き枕よね; 「正直だな」), as no name and hardly a title does, or fills brackets and
    asks (「地元どこなの？」)."""
    words = [token for token in tokens if not token.tag.startswith("補助記号")]
    ending = len(words)
    while ending and words[ending - 1].tag.startswith("助詞-終助詞"):
        ending -= 1
    if ending < len(words) and not (ending and "固有名詞" in words[ending - 1].tag):
        return True  # not after a name, where the tagger reads a given name's end (サエキけん + ぞう)
    return _fills_brackets(text, start, end) and text[start:end].rstrip("！!〜ー…").endswith(("？", "?"))


def _org_by_suffix(text: str, start: int, end: int, model_type: str) -> bool:
    """Whether text[start:end] ends in an organisation suffix that overrules model_type.

    Schools are facilities, hence places, to the recogniser's training data; it is
    believed there, as their buildings are what sentences often speak of.
    """
    return _org_suffix(text[start:end]) and not (model_type == "PLACE" and text.endswith(SCHOOLS, start, end))


def _model_span(text: str, tokens: list[Token], ent: tuple[int, int, str],
                confidence: Mapping[str, float]) -> Span | None:
    """The span a model entity becomes after the rules, or None when dropped."""
    model_type = ent[2]
    start, end, cut = _trim(text, ent[0], _before_tail(text, ent[0], ent[1]))
    start = _after_org_word(text, start, end)
    start = _after_apposition(text, start, end)
    start = _after_country(text, start, end, model_type)
    surface = text[start:end]
    inside = _inside(tokens, start, end)
    if end - start < 2 or _clause(inside, text, start, end) or _quoted(text, start, end):
        return None  # one character is a name only in compounds (米中, 訪日), found below
    if (title := _cued_title(text, start, end)) is not None:
        return Span(*title, "PRODUCT", max(confidence["PRODUCT"], MARKED))
    if _spoken(inside, text, start, end):
        return None
    if places.place_for(surface):
        kind = "PLACE"
    elif (by_suffix := _type_by_suffix(surface, model_type)) is not None:
        kind = by_suffix
    elif _org_by_suffix(text, start, _extend_org(text, tokens, end), model_type):
        end = _extend_org(text, tokens, end)
        kind = "ORG"
    elif _person(inside, text, cut or _mark_after(text, end)):
        return Span(start, end, "PERSON", max(confidence["PERSON"], MARKED))
    elif _org_context(text, start, end) and _all(inside, text, _name_like):
        kind = "ORG"
    elif model_type not in confidence or _generic(inside, text, model_type):
        return None
    elif model_type in ("EVENT", "ORG") and LATIN_MODEL.fullmatch(surface):
        kind = "PRODUCT"  # GALAXY SIII SC-06D: the recogniser knows events like MWC2012, companies like NTT
    else:
        kind = model_type
    return Span(start, end, kind, confidence[kind] * (1.0 if kind == model_type else OVERRULED))


def _before_tail(text: str, start: int, end: int) -> int:
    """end moved back before what follows a name in lists and page titles: a site's
    name after a separator (… - MOVIE ENTER, … | サポート), a price (… 3,360円), an
    honorific and what it introduces (Yさん／32歳), or a bracket closing before the
    span opened it."""
    surface = text[start:end]
    tail = TAIL.search(surface)
    end = start + tail.start() if tail else end
    for opener, closer in BRACKETS:  # a title's closing bracket with the word after it: スパルタカス』特集
        close = surface.find(closer, 0, end - start)
        if close > 0 and opener not in surface[:close]:
            end = start + close
    return end


def _type_by_suffix(surface: str, model_type: str) -> str | None:
    """EVENT for a name ending like one (…会議, …作戦, …五輪), PLACE for a facility
    (…スタジアム, …駅), where the recogniser saw an organisation or a product; PRODUCT
    for an award it saw as an organisation or a person (ノーベル賞, 木村伊兵衛写真賞)."""
    if surface.endswith(AWARD) and len(surface) > len(AWARD) + 1 and model_type in ("ORG", "PERSON"):
        return "PRODUCT"
    suffixed = rules_ja.suffix_type(surface)
    if suffixed == "EVENT" and surface.endswith(rules_ja.SERIES) and model_type in ("ORG", "PRODUCT") \
            and not places.place_for(surface.removesuffix(rules_ja.SERIES)):
        return "PRODUCT"  # a line of products (HP09シリーズ), unless a country's (日本シリーズ)
    if suffixed == "EVENT" and model_type in ("ORG", "PRODUCT", "PLACE"):
        return "EVENT"
    if suffixed == "PLACE" and model_type in ("ORG", "PRODUCT"):
        return "PLACE"
    return None


def _runs(text: str, tokens: list[Token], test) -> list[tuple[int, int]]:
    """Maximal runs of adjacent tokens passing test (a ・ or space may join two of them)."""
    runs: list[tuple[int, int]] = []
    current: list[Token] = []
    for token in tokens + [Token(len(text), len(text), "")]:
        joins = current and token.start == current[-1].end
        if joins and (test(token, text) or text[token.start:token.end] in ("・", " ", "＝")):
            current.append(token)
            continue
        while current and not test(current[-1], text):
            current.pop()  # a run never ends in a joiner
        if current:
            runs.append((current[0].start, current[-1].end))
        current = [token] if token.tag and test(token, text) else []
    return runs


def _covered(text: str, spans: list[Span]) -> bytearray:
    """1 for every code point of text inside one of spans."""
    covered = bytearray(len(text))
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    return covered


def _rule_spans(text: str, tokens: list[Token], taken: list[Span]) -> list[Span]:
    """Names the model missed, from a following honorific or title, or organisation context."""
    found = []
    covered = _covered(text, taken)
    for start, end in _runs(text, tokens, _name_like):
        if end - start < 2 or any(covered[start:end]):
            continue
        inside = _inside(tokens, start, end)
        _, name_end, cut = _trim(text, start, end)  # トランプ大統領 can be one word
        if places.place_for(text[start:name_end]):
            continue
        if _person(inside, text, cut or _mark_after(text, end)):
            found.append(Span(start, name_end, "PERSON", MARKED))
        elif _org_context(text, start, end) or (
                _org_suffix(text[start:end]) and any("固有名詞" in t.tag for t in inside)):
            found.append(Span(start, end, "ORG", RULE_ONLY))
    return found


def _government_words(text: str, tokens: list[Token], taken: list[Span]) -> list[Span]:
    """Ministries and agencies the model missed: the dictionary has them as one common
    noun ending in 省 or 庁 (財務省, 金融庁), as it has none of the words so ending that
    name no one body but the generic 省庁 and 官庁 (中央省庁), left out."""
    covered = _covered(text, taken)
    return [Span(t.start, t.end, "ORG", RULE_ONLY) for t in tokens
            if t.tag.startswith("名詞-普通名詞") and t.end - t.start >= 3 and text.endswith(GOVERNMENT, t.start, t.end)
            and not text.endswith(GENERIC_GOVERNMENT, t.start, t.end) and not any(covered[t.start:t.end])]


def _cued_titles(text: str, taken: list[Span]) -> list[Span]:
    """Titles the model missed, filling brackets after a word naming a kind of work (映画『サンクタム』)."""
    covered = _covered(text, taken)
    return [Span(match.start(), match.end(), "PRODUCT", MARKED) for match in BRACKETED.finditer(text)
            if _work_title(text, match.start(), match.end()) and not any(covered[match.start():match.end()])]


def _compound_places(text: str, taken: list[Span], confidence: float) -> list[Span]:
    covered = _covered(text, taken)
    return [
        Span(start, end, "PLACE", confidence * OVERRULED)
        for start, end, _ in places.find_compounds(text)
        if not any(covered[start:end])
    ]


def _countries_before(text: str, spans: list[Span], confidence: float) -> list[Span]:
    """spans, and the country written before each name (米 of 米グーグル, see
    COUNTRY_BEFORE) as a place. What follows one is a company, not a product (米Apple)."""
    covered = _covered(text, spans)
    result = []
    for span in spans:
        country = _country_before(text, span.start)
        if country is None or span.type == "PLACE" or any(covered[country:span.start]):
            result.append(span)
            continue
        result.append(Span(country, span.start, "PLACE", confidence * OVERRULED))
        foreign = span.type == "PRODUCT" and _kind(text[span.start:span.end]) != "other"
        result.append(replace(span, type="ORG") if foreign else span)
    return result


def _country_before(text: str, start: int) -> int | None:
    """Where a country written right before start begins (COUNTRY_BEFORE), if one is."""
    for match in COUNTRY_BEFORE.finditer(text, max(0, start - 2), start + 2):
        if match.end() == start:
            return match.start()
    return None


def _place_items(text: str, tokens: list[Token], span: Span) -> list[Span]:
    """A place split at each ・ between places (東京・後楽園ホール, ミラノ・フィレンツェ) or
    between words in kanji (東北線・高崎線): news write the city before the venue, and
    lists so, which the gold data writes as places of their own. A foreign name keeps its
    ・ (リオ・デ・ジャネイロ, ブルックリン・ブリッジ)."""
    inside = _inside(tokens, span.start, span.end)
    if span.type != "PLACE":
        return _listed_places(span, text, inside)
    ends_place = {t.end for t in inside if "地名" in t.tag}
    starts_name = {t.start for t in inside if "固有名詞" in t.tag}
    items, start = [], span.start
    for dot in range(span.start + 2, span.end - 2):
        if text[dot] != "・" or dot - start < 2:
            continue
        between_kanji = _kanji(text[dot - 1]) and _kanji(text[dot + 1])
        after_place = dot in ends_place or places.place_for(text[start:dot])
        if between_kanji or (after_place and (dot + 1 in starts_name or _kanji(text[dot + 1]))):
            items.append(replace(span, start=start, end=dot))
            start = dot + 1
    return [*items, replace(span, start=start)]


def _known_places(text: str, covered: bytearray) -> list[tuple[int, int]]:
    """Countries and regions the recogniser passed over, as in 日本製, フランス人 or a list
    (ソ連・東ドイツ): the gold data marks them wherever they are a word of their own or
    begin one, with a direction before them (東日本, 南インド), but not a language (日本語),
    nor 日本一, nor inside a longer word (西東京, タイトル). A name ending in 国 before kanji may be the shorter name and a word in 国
    (日本 + 国内; 米 + 国務長官, too short to be taken alone)."""
    found = []
    for match in _place_names().finditer(text):
        start, end = match.span()
        if text.endswith("国", start, end) and end < len(text) and _kanji(text[end]):
            end -= 1
            if end - start < 2 or not places.place_for(text[start:end]):
                continue
        if start and text[start - 1] in DIRECTIONS and not (start > 1 and _kanji(text[start - 2])):
            start -= 1  # 東日本, 南インド: a part of the country
        if any(covered[start:end]) or text.startswith(NOT_PLACE_AFTER, end) or _inside_word(text, start, end):
            continue
        found.append((start, end))
    return found


def _inside_word(text: str, start: int, end: int) -> bool:
    """Whether a kanji name follows kanji, or a katakana name touches katakana."""
    if _kind(text[start:end]) == "katakana":
        return _kind(text[start - 1:start] or "。") == "katakana" or _kind(text[end:end + 1] or "。") == "katakana"
    return start > 0 and _kanji(text[start - 1])


@cache
def _place_names() -> re.Pattern[str]:
    names = {name for place in places.PLACES for name in (place.ja, *place.variants) if len(name) > 1 and not name.isascii()}
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))


def _listed_places(span: Span, text: str, inside: list[Token]) -> list[Span]:
    """A name of another type that lists countries (フランス・スペイン, ソ連・東ドイツ) as
    those places. Other places so joined name clubs as often (ボルシア・ドルトムント)."""
    countries = {(t.start, t.end) for t in inside if t.tag.startswith(COUNTRY_TAG)}
    items, start = [], span.start
    for end in [*(i for i in range(span.start, span.end) if text[i] == "・"), span.end]:
        if not ((start, end) in countries or places.place_for(text[start:end])):
            return [span]
        items.append(replace(span, start=start, end=end, type="PLACE"))
        start = end + 1
    return items if len(items) > 1 else [span]


def _kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def find_spans(text: str, tokens: list[Token], ents: list[tuple[int, int, str]],
               confidence: Mapping[str, float]) -> list[Span]:
    """Entity spans in one text from its tokens and the recogniser's (start, end, type) entities.

    confidence gives each type the recogniser's precision for it.
    """
    spans: list[Span] = []
    for ent in ents:
        span = _model_span(text, tokens, ent, confidence)
        if span and not (spans and spans[-1].end > span.start):  # the model's spans come in order
            spans.append(span)
    spans.extend(_rule_spans(text, tokens, spans))
    spans.extend(_government_words(text, tokens, spans))
    spans.extend(_cued_titles(text, spans))
    spans.extend(_compound_places(text, spans, confidence["PLACE"]))
    spans = _countries_before(text, spans, confidence["PLACE"])
    spans = [item for span in spans for item in _place_items(text, tokens, span)]
    return _joined(sorted(spans, key=lambda s: s.start), text)


def _joined(spans: list[Span], text: str) -> list[Span]:
    """Adjacent spans that end in an organisation made one (カリフォルニア大学 + ロサンゼルス校)."""
    result: list[Span] = []
    for span in spans:
        last = result[-1] if result else None
        if (last and last.end == span.start and span.type == "ORG" and last.type in ("ORG", "PLACE")
                and _org_suffix(text[last.start:span.end]) and _country_before(text, last.end) != last.start):
            result[-1] = Span(last.start, span.end, "ORG", min(last.confidence, span.confidence))
        else:
            result.append(span)
    return result


def _same_script_edge(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] continues a word of the same script on either side."""
    def script(char: str) -> str:
        return _kind(char) if _kind(char) != "other" else ("kanji" if "\u4e00" <= char <= "\u9fff" else "")

    before = start > 0 and script(text[start - 1]) and script(text[start - 1]) == script(text[start])
    after = end < len(text) and script(text[end]) and script(text[end]) == script(text[end - 1])
    return bool(before or after)


def consistent(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """One type per name in the document (by confidence-weighted vote), every occurrence
    marked, then the countries and regions written outside them (_known_places); but
    words the dictionary knows as common nouns are dropped when the recogniser saw a
    name in a third or less of their three or more occurrences (ビール, CPU,
    ソフトウェア更新): a name is seen wherever it is written, a common word only where its
    context happens to look like a name's. So are adjectival nouns the document uses as
    adjectives (スマートな, スマートさ)."""
    dropped = _sporadic(doc, mentions) | _adjectival(doc, mentions)
    mentions = [m for m in mentions if m.text not in dropped]
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for mention in mentions:
        votes[mention.text][mention.type] += mention.confidence
    types = {text: max(ENTITY_TYPES, key=lambda t: (v.get(t, 0.0), -ENTITY_TYPES.index(t)))
             for text, v in votes.items()}
    result = [m if m.type == types[m.text] else
              replace(m, type=types[m.text], confidence=m.confidence * OVERRULED) for m in mentions]
    taken = [bytearray(len(block.text)) for block in doc.blocks]
    for m in result:
        taken[m.block][m.start:m.end] = b"\x01" * (m.end - m.start)
    for surface in sorted(types, key=lambda s: (-len(s), s)):
        if len(surface) < 2:
            continue
        confidence = min(m.confidence for m in result if m.text == surface) * OVERRULED
        for index, block in enumerate(doc.blocks):
            for match in re.finditer(re.escape(surface), block.text):
                start, end = match.span()
                if _same_script_edge(block.text, start, end) or any(taken[index][start:end]):
                    continue
                taken[index][start:end] = b"\x01" * (end - start)
                result.append(Mention(index, start, end, surface, types[surface], None, NAME, confidence))
    for index, block in enumerate(doc.blocks):  # last: a longer name written elsewhere comes first (日本代表)
        result += [Mention(index, start, end, block.text[start:end], "PLACE", None, NAME, RULE_ONLY)
                   for start, end in _known_places(block.text, taken[index])]
    return sorted(result, key=lambda m: (m.block, m.start))


def _sporadic(doc: Document, mentions: list[Mention]) -> set[str]:
    """The common nouns (the dictionary's, or compounds of them) found as names in a
    third or less of their three or more occurrences in the document, those inside a
    longer name left out: see consistent."""
    found = Counter(m.text for m in mentions)
    spans = defaultdict(set)  # name -> (block, start, end) of each span of it
    for m in mentions:
        spans[m.text].add((m.block, m.start, m.end))
    sporadic = set()
    for surface, seen in found.items():
        if len(surface) < 2 or not _common_words(surface):
            continue
        longer = [span for name in found if surface in name and name != surface for span in spans[name]]
        written = sum(1 for index, block in enumerate(doc.blocks)
                      for match in re.finditer(re.escape(surface), block.text)
                      if not _same_script_edge(block.text, match.start(), match.end())
                      and not any(b == index and a <= match.start() < match.end() <= e
                                  for b, a, e in longer))  # fmt: skip
        if written >= SPORADIC_OCCURRENCES and seen * 3 <= written:
            sporadic.add(surface)
    return sporadic


def _adjectival(doc: Document, mentions: list[Mention]) -> set[str]:
    """The adjectival nouns (the dictionary's スマート, バラバラ) the document uses as
    such somewhere (スマートな, スマートさ, バラバラになる): no names there, though the
    recogniser took some of them for organisations (see consistent)."""
    return {surface for surface in {m.text for m in mentions}
            if _adjectival_noun(surface) and any(ADJECTIVAL_USE.match(block.text, match.end())
                                                 for block in doc.blocks
                                                 for match in re.finditer(re.escape(surface), block.text))}


@cache
def _adjectival_noun(text: str) -> bool:
    """Whether Sudachi's dictionary has text as one adjectival noun (形状詞: スマート)."""
    found = [w for w in morphemes.morphemes(_dictionary(), text) if w.surface.strip()]
    return len(found) == 1 and found[0].is_("形状詞")


def annotate(doc: Document, ctx) -> Annotations:
    """Named entities in a Japanese document; nothing for other languages."""
    return annotate_many([doc], ctx)[0]


def annotate_many(docs: list[Document], ctx) -> list[Annotations]:
    """annotate() for each of docs, their chunks read by the recogniser in shared batches."""
    japanese = [number for number, doc in enumerate(docs) if doc.lang == "ja"]
    if not japanese:
        return [Annotations() for _ in docs]
    recogniser = ctx.models.get(MODEL, load_model)
    pieces = [(number, index, offset, piece) for number in japanese
              for index, block in enumerate(docs[number].blocks) for offset, piece in chunks(block.text)]
    mentions: dict[int, list[Mention]] = {number: [] for number in japanese}
    spans = recogniser.spans([piece for *_, piece in pieces])
    for number, index, offset, piece in pieces:
        for span in spans[piece]:
            text = piece[span.start:span.end]
            mentions[number].append(Mention(index, offset + span.start, offset + span.end, text,
                                            span.type, None, NAME, round(span.confidence, 3)))
    return [Annotations(mentions=consistent(doc, mentions[number])) if number in mentions else Annotations()
            for number, doc in enumerate(docs)]

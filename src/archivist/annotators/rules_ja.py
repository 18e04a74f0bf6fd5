"""Japanese entities without a neural model: Sudachi's parts of speech and suffix rules.

The fast profile's recogniser. A name is a run of proper nouns, unknown words and
Latin words (joined by ・ or ＝, or by spaces when each Latin word after the first
starts with a capital: Mac OS X, not on Twitter); between words in kanji or hiragana,
・ separates a list (毛沢東・周恩来) unless an event's suffix ends it (阪神・淡路大震災).
Its type comes from evidence around it:

- a run followed within a few common nouns by an organisation suffix (研究所, 大学,
  省, 社, 銀行 ...) becomes an organisation covering the whole phrase
  (ピーターソン国際経済研究所, 米国商務省); an event suffix (大会, 選挙, 戦争, 五輪 ...)
  makes an event (東京五輪, 第二次世界大戦) and a facility suffix (駅, 空港, 神社,
  スタジアム ...) a place;
- a run of Sudachi person names, or any run followed by an honorific or a title
  (氏, さん, 大統領, 社長), is a person; the honorific stays outside the span;
- a run of place names is a place;
- a name that alone fills a pair of 「」 or 『』, or a phrase of nouns there holding a
  name, is the title of a work or a product (「ウルティマオンライン」, 『ONE PIECE』), and
  so is whatever fills them after a word naming a kind of work (映画『恐るべき子どもたち』);
- a Latin name ending in a model or version number is a product, with the Latin words
  before the number (MSM8960, Windows 8, GALAXY Tab 7.7, iPhone 4S: model_numbers.py);
- katakana words joined by ・, one of them a personal name to the dictionary and none
  a place's, are a person (メリル・ストリープ, ウイリアム・J・ロビンソン);
- common nouns ending in the suffix of a ministry, an agency, a house or a party are
  an organisation (環境省, 郵政省, 参議院, 国民党), though Sudachi calls none of them a name;
- another proper noun is taken as an organisation, with low confidence;
- a number starts a name only in a numbered event or unit (2008年北京オリンピック,
  第6師団); before a counter it is a quantity or a date (620万杯, 17日全国ロードショー);
- a name of one character is dropped (所 在 地, 彩さん, 「M」サイズ).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import places
from ..model import Annotations, Document, Mention
from .model_numbers import capitalised, is_latin, model_end
from .morphemes import Morpheme, load_tokenizer, morphemes, settings as sudachi_settings

NAME = "rules"
VERSION = "19"

ORG_SUFFIXES = (
    "研究所", "研究機構", "大学", "大学院", "学院", "高校", "省", "庁", "局", "社", "会社",
    "銀行", "協会", "委員会", "機構", "財団", "連盟", "連合", "党", "組合", "学会", "グループ",
    "ホールディングス", "工業", "自動車", "電機", "製作所", "商事", "証券", "新聞", "放送",
    "政府", "議会", "裁判所", "警察", "軍", "球団", "センター", "事務所", "研究会",
    "航空", "物産", "交通", "鉄道", "電鉄", "楽団", "劇団", "工業会", "選手会", "出版", "製薬",
    "電力", "重工", "商会", "艦隊", "軍管区", "師団", "連隊", "部隊", "王朝", "テレビ", "放送局",
)
HONORIFICS = (
    "氏", "さん", "様", "君", "ちゃん", "容疑者", "被告", "選手", "監督", "大統領", "副大統領",
    "首相", "総理", "大臣", "長官", "知事", "市長", "議員", "社長", "会長", "代表", "教授",
    "博士", "CEO", "氏ら", "夫妻", "元首相", "前首相", "外相", "国務長官",
)
JOINED_HONORIFICS = ("氏", "さん", "様", "ちゃん")  # found inside a dictionary's name entries
EVENT_SUFFIXES = (
    "大会", "選手権", "選挙", "戦争", "大戦", "事件", "会議", "サミット", "作戦", "震災", "地震",
    "事故", "合戦", "革命", "映画祭", "音楽祭", "博覧会", "万博", "五輪", "オリンピック", "パラリンピック",
    "ワールドカップ", "杯", "カップ", "グランプリ", "リーグ戦", "シリーズ", "マラソン", "フェスティバル",
    "フェス", "ショー", "まつり", "祭り", "の乱", "の変", "の戦い", "空襲", "テロ", "国体", "展覧会", "ツアー",
)
FACILITY_SUFFIXES = (
    "駅", "空港", "港", "城", "寺", "神社", "大社", "神宮", "橋", "公園", "球場", "スタジアム", "競技場",
    "アリーナ", "ドーム", "劇場", "病院", "美術館", "博物館", "図書館", "記念館", "タワー", "ホール",
    "ダム", "トンネル", "通り", "街道", "ビル", "ホテル", "遺跡", "宮殿",
)
NOT_EVENT = ("ロードショー",)  # a film's release in cinemas
# Suffixes of these rules alone: the default profile's recogniser reads suffix_type as its
# cached results have it.
MORE_ORG_SUFFIXES = ("選手団", "内閣", "政権", "軍団", "商店", "幕府")
MORE_FACILITY_SUFFIXES = (
    "学校", "工場", "会館", "競輪場", "競馬場", "競艇場", "体育館", "支店", "営業所", "出張所", "キャンパス",
)
SERIES = "シリーズ"  # an event after a place's name (日本シリーズ), else a line of products
ONE_WORD_SUFFIXES = FACILITY_SUFFIXES + MORE_FACILITY_SUFFIXES + EVENT_SUFFIXES  # see _own_suffix_type
# Words naming a kind of work: what a bracket after one holds is a title (映画「…」).
KINDS_OF_WORK = (
    "映画", "ドラマ", "作品", "新作", "前作", "曲", "シングル", "アルバム", "小説", "漫画", "マンガ", "アニメ",
    "番組", "ゲーム", "舞台", "芝居", "主題歌", "写真集", "絵本", "楽曲", "歌", "詩", "戯曲", "連載", "ソフト",
)
MAX_CUED_TITLE_WORDS = 30
ANONYMOUS = r"[A-ZＡ-Ｚ][子男夫美氏]?"  # Aさん, A子さん, Ｂ男
LAUGH = r"[wｗ]{2,}"
FIRST_YEAR, YEARS = "元年", ("年", "年度", "年間", "年代")  # 明治元年, 昭和54年
TITLE_BRACKETS = {"「": "」", "『": "』"}
MAX_TITLE_WORDS = 8
NOT_ORG = ("神社", "大社", "会社")  # shrines are places; 会社 alone is a common noun
PUBLIC_BODY_SUFFIXES = ("省", "庁", "議院", "党")  # after common nouns: 環境省, 参議院, 国民党
MAX_EVENT_LIST_WORDS = 8  # names and ・ read ahead for an event's suffix (阪神・淡路大震災)
MAX_SUFFIX_REACH = 4  # common nouns allowed between a name and its organisation suffix
# A name of one character is no name: on livedoor news 1,265 such "names" were
# mostly words cut apart by spacing (所 在 地), a first name or surname alone that
# every article gives someone else (彩, 王さん) or a size or key (「M」, 「i」).
# The default profile's recogniser drops them too.
MIN_NAME_LENGTH = 2


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


def find_names(words: Sequence[Morpheme]) -> list[tuple[int, int, str, float]]:
    """(start, end, type, confidence) of every name found in a block's words."""
    found, i = [], 0
    while i < len(words):
        found_here = _bracketed_title(words, i)
        j = _run_end(words, i)
        if not found_here and words[i].is_("名詞", "数詞") and (j > i or _ordinal(words, i)):
            j = max(j, i + 1)  # Sudachi knows one-digit numbers: 第6師団
            found_here, i = _numbered(words, i, j)
            if not found_here and i == j:
                continue
        if not found_here and j == i:
            found_here = _public_body(words, i)
            if not found_here:
                i += 1
                continue
        found_here = found_here or _classify(words, i, j)
        if found_here:
            if found_here[1] - found_here[0] >= MIN_NAME_LENGTH:
                found.append(found_here[:4])
            i = found_here[4]
        else:
            i = j
    return found


def _public_body(words: Sequence[Morpheme], i: int) -> tuple | None:
    """An organisation named by common nouns and the suffix of a ministry, an agency, a
    house or a party (環境省, 郵政省, 参議院, 国民党), which Sudachi does not call a
    name: (start, end, type, confidence, next index), or None."""
    word = words[i]
    if not word.is_("名詞", "普通名詞") or word.unknown:
        return None
    if len(word.surface) >= 3 and word.surface.endswith(PUBLIC_BODY_SUFFIXES):
        return word.start, word.end, "ORG", 0.6, i + 1
    after = words[i + 1] if i + 1 < len(words) else None
    if after and len(word.surface) >= 2 and after.is_("接尾辞") and after.surface in PUBLIC_BODY_SUFFIXES:
        return word.start, after.end, "ORG", 0.6, i + 2
    return None


def _is_name_part(word: Morpheme) -> bool:
    if word.is_("名詞", "固有名詞"):
        return True
    if word.unknown and word.pos[0] == "名詞":
        return True
    return word.surface.isascii() and word.surface[:1].isalpha() and word.pos[0] == "名詞"


def _run_end(words: Sequence[Morpheme], i: int) -> int:
    """The end of the run of name parts starting at i (i when there is none)."""
    j = i
    while j < len(words) and _is_name_part(words[j]):
        j += 1
        if j + 1 < len(words) and words[j].surface in ("・", "＝", "=") and _is_name_part(words[j + 1]) and \
                not (_native(words[j - 1]) and _native(words[j + 1]) and not _names_an_event(words, j + 1)):
            j += 1
        elif j + 1 < len(words) and words[j].surface == " " and is_latin(words[j - 1]) and \
                is_latin(words[j + 1]) and capitalised(words[j - 1:j]) and words[j + 1].surface[:1].isupper() \
                and _is_name_part(words[j + 1]):
            j += 1  # Latin words capitalised and spaced are one name (Mac OS X, Google Play)
    return j


def _foreign_personal_name(run: Sequence[Morpheme]) -> bool:
    """Katakana words joined by ・, one of them a personal name to the dictionary and
    none a place's (ジョルジオ・トニン, ウイリアム・J・ロビンソン): how foreign people's
    names are written, where an organisation's would more often end in a suffix."""
    parts, joints = run[::2], run[1::2]
    return len(parts) > 1 and all(w.surface == "・" for w in joints) and all(
        _katakana(w.surface) or len(w.surface) == 1 and w.surface.isupper() for w in parts) and any(
        w.is_("名詞", "固有名詞", "人名") for w in parts) and not any(w.is_("名詞", "固有名詞", "地名") for w in parts)


def _katakana(text: str) -> bool:
    return all("\u30a0" <= c <= "\u30ff" for c in text)


def _own_suffix_type(surface: str) -> str | None:
    """PLACE or EVENT for a word that is a name with a facility's or an event's suffix
    (品川駅, 東京ドーム, 阪神・淡路大震災), else None. The suffix must follow two
    characters at least, and a katakana one a change of script: アダム, マグカップ and
    ジェイク・ギレンホール do not end in ダム, カップ or ホール."""
    if not surface.endswith(ONE_WORD_SUFFIXES) or surface.endswith(NOT_EVENT):
        return None  # most words: no suffix to look at
    for kind, suffixes in (("PLACE", FACILITY_SUFFIXES + MORE_FACILITY_SUFFIXES), ("EVENT", EVENT_SUFFIXES)):
        for suffix in suffixes:
            stem = surface[: -len(suffix)]
            if surface.endswith(suffix) and len(stem) >= 2 and suffix != SERIES \
                    and not (_katakana(suffix[0]) and _katakana(stem[-1])):
                return kind
    return None


def _not_a_name(text: str) -> bool:
    """A letter standing for someone left unnamed (Aさん, A子さん, B氏) or a laugh (ww):
    every such A in an archive is somebody else."""
    return re.fullmatch(ANONYMOUS, text) is not None or re.fullmatch(LAUGH, text) is not None


def _is_era(words: Sequence[Morpheme], i: int, j: int) -> bool:
    """Whether the run words[i:j] is an era's name starting a date (明治5年, 平成10年度,
    明治元年), not a name."""
    if j < len(words) and words[j].surface == FIRST_YEAR:
        return True
    k = j
    while k > i + 1 and words[k - 1].is_("名詞", "数詞"):
        k -= 1  # 平成10: the number is part of the run to Sudachi
    n = k
    while n < len(words) and words[n].is_("名詞", "数詞"):
        n += 1
    era = words[i]  # one word, not a person's or a place's name (沢尻エリカ 2012年, ロンドン2012年)
    if k != i + 1 or era.is_("名詞", "固有名詞", "人名") or era.is_("名詞", "固有名詞", "地名") or places.place_for(era.surface):
        return False
    return k < n < len(words) and words[n].surface in YEARS


def _names_an_event(words: Sequence[Morpheme], i: int) -> bool:
    """Whether the name parts and joints from i end in an event's suffix: the list
    before them names one event (阪神・淡路大震災). Only a few words ahead are read, so
    a long list of names costs no more per name than a short one."""
    k, end = i, min(i + MAX_EVENT_LIST_WORDS, len(words))
    while k < end and (_is_name_part(words[k]) or words[k].surface in ("・", "＝", "=")):
        k += 1
    suffixed = _suffix_end(words, k)
    return suffixed is not None and suffixed[1] == "EVENT"


def _native(word: Morpheme) -> bool:
    """Whether a word is written in kanji or hiragana alone: between two such words, ・
    separates the items of a list (毛沢東・周恩来, いわき・日立); it joins the parts of a
    name written in katakana or Latin letters (マーティン・チョルゼンパ)."""
    return all("\u3040" <= c <= "\u309f" or "\u4e00" <= c <= "\u9fff" or c == "々" for c in word.surface)


def _classify(words: Sequence[Morpheme], i: int, j: int) -> tuple | None:
    """(start, end, type, confidence, next index) for the run words[i:j], or None."""
    start = words[i].start
    if _is_era(words, i, j) or (_not_a_name(_text(words[i:j])) and not _text(words[j:j + 1]).startswith(SERIES)):
        return None  # but Xシリーズ, a line of products
    suffixed = _suffix_end(words, j)
    if suffixed is not None:
        end, kind = suffixed
        if words[end - 1].surface.endswith(SERIES) and not places.place_for(_text(words[i:j])):
            kind = "PRODUCT"  # a product line (Xperiaシリーズ), not a country's series (日本シリーズ)
        return start, words[end - 1].end, kind, 0.8, end
    run = words[i:j]
    if own := _own_suffix_type(words[j - 1].surface):
        return start, words[j - 1].end, own, 0.8, j  # 品川駅, 東京ドーム: one word to Sudachi
    if (numbered := model_end(words, i, j)) is not None:
        first = next(w for w in words[i:numbered] if w.surface.strip() and not w.surface.islower())  # with ARROWS X
        return first.start, words[numbered - 1].end, "PRODUCT", 0.6, numbered
    if places.place_for(_text(run)):
        return start, words[j - 1].end, "PLACE", 0.9, j  # 日本代表: a country, whatever follows
    parts = [w for w in run if w.surface not in ("・", "＝", "=")]
    followed_by_title = j < len(words) and words[j].surface in HONORIFICS
    if not followed_by_title and len(parts) == 1 and parts[0].surface.isascii():
        if parts[0].is_("名詞", "固有名詞", "人名"):
            return None  # the dictionary calls many English words names (PHONE, RAM, Valentine)
    if followed_by_title or all(w.is_("名詞", "固有名詞", "人名") for w in parts):
        end = _name_end(parts)
        confidence = 0.85 if followed_by_title or end < words[j - 1].end else 0.7
        return start, end, "PERSON", confidence, j
    if all(w.is_("名詞", "固有名詞", "地名") for w in parts):
        return start, words[j - 1].end, "PLACE", 0.8, j
    if _foreign_personal_name(words[i:j]):
        return start, words[j - 1].end, "PERSON", 0.6, j
    if any(w.is_("名詞", "固有名詞") for w in parts):
        return start, words[j - 1].end, "ORG", 0.5, j
    return None


def _numbered(words: Sequence[Morpheme], i: int, j: int) -> tuple[tuple | None, int]:
    """A run words[i:j] that starts with a number (Sudachi calls digits unknown nouns):
    (a name, next index) for a numbered event or organisation (2008年北京オリンピック,
    第91回天皇杯, 第6師団), else (None, where the run's name starts after the number).
    A number before a suffix with no name between them is a quantity or a date
    (620万杯, 10通り, 17日全国ロードショー), and so is one before an organisation's name
    (1986年 日本広告写真家協会); one glued to a name is not part of it."""
    suffixed = _suffix_end(words, j)
    ordinal = _ordinal(words, i)
    if suffixed is None and j + 1 < len(words) and words[j].is_("名詞", "普通名詞") and _is_name_part(words[j + 1]):
        suffixed = _named_suffix(words, _run_end(words, j + 1))  # 1972年 札幌 オリンピック
    if suffixed is not None:
        end, kind = suffixed
        named = kind == "EVENT" and any(_is_name_part(w) and not w.is_("名詞", "数詞") for w in words[i:end])
        if ordinal or named:
            start = words[i - 1].start if ordinal else words[i].start
            return (start, words[end - 1].end, kind, 0.8, end), end
    while i < j and (words[i].is_("名詞", "数詞") or words[i].surface in ("・", "＝", "=")):
        i += 1
    return None, i


def _ordinal(words: Sequence[Morpheme], i: int) -> bool:
    return i > 0 and words[i - 1].surface == "第"


def _named_suffix(words: Sequence[Morpheme], k: int) -> tuple[int, str] | None:
    """(index after it, type) of the suffix that ends the name run ending at k (W杯),
    or follows it (札幌 オリンピック)."""
    kind = _name_suffix_type(words[k - 1].surface)
    return (k, kind) if kind else _suffix_end(words, k)


def _text(words: Sequence[Morpheme]) -> str:
    return "".join(w.surface for w in words)


def _name_end(parts: Sequence[Morpheme]) -> int:
    """Where a person's name ends: before an honorific the dictionary joined to its last
    word, a surname or given name (北澤豪氏 is 北澤 and 豪氏 to Sudachi, 金正恩氏 金正 and
    恩氏); a name of its own (源氏, 足利尊氏) keeps it."""
    last = parts[-1]
    if last.is_("名詞", "固有名詞", "人名", "名") or last.is_("名詞", "固有名詞", "人名", "姓"):
        for honorific in JOINED_HONORIFICS:
            left = len(last.surface) - len(honorific)
            if last.surface.endswith(honorific) and left >= 1 and (left >= 2 or len(parts) > 1):
                return last.end - len(honorific)
    return last.end


def _bracketed_title(words: Sequence[Morpheme], i: int) -> tuple | None:
    """A product for the nouns filling the brackets that open just before i, if they hold
    a name, or for whatever fills them after a word naming a kind of work (映画「…」)."""
    if i == 0 or words[i - 1].surface not in TITLE_BRACKETS:
        return None
    close = TITLE_BRACKETS[words[i - 1].surface]
    if _after_kind_of_work(words, i - 1):
        for k in range(i, min(i + MAX_CUED_TITLE_WORDS, len(words))):
            if words[k].surface == close:
                return (words[i].start, words[k - 1].end, "PRODUCT", 0.6, k) if k > i else None
            if words[k].surface in TITLE_BRACKETS or words[k].is_("補助記号", "句点"):
                return None
    for k in range(i, min(i + MAX_TITLE_WORDS, len(words))):
        if words[k].surface == close:
            inside = words[i:k]
            names = [w for w in inside if _is_name_part(w)]
            if not names or _name_suffix_type(inside[-1].surface) or len(names) == len(inside) and all(
                    w.is_("名詞", "固有名詞", "人名") or w.is_("名詞", "固有名詞", "地名") for w in names):
                return None  # an organisation, event, facility, person or place: _classify's
            return inside[0].start, inside[-1].end, "PRODUCT", 0.5, k
        if not (words[k].nominal or words[k].is_("接頭辞") or words[k].surface in ("・", "＝", "=")):
            return None
    return None


def _after_kind_of_work(words: Sequence[Morpheme], bracket: int) -> bool:
    """Whether the bracket follows a word naming a kind of work (新曲「…」, 映画の「…」)."""
    before = bracket - 1
    if before >= 1 and words[before].surface == "の":
        before -= 1
    return before >= 0 and words[before].surface.endswith(KINDS_OF_WORK)


def _suffix_end(words: Sequence[Morpheme], j: int) -> tuple[int, str] | None:
    """(index after it, type) of an organisation, event or facility suffix reached from j
    over a few common nouns."""
    for k in range(j, min(j + MAX_SUFFIX_REACH + 1, len(words))):
        word = words[k]
        kind = _name_suffix_type(word.surface) if word.nominal or word.is_("接尾辞") else None
        if kind:
            return k + 1, kind
        if not (word.is_("名詞", "普通名詞") or word.is_("接頭辞")):
            return None
    return None


def _name_suffix_type(surface: str) -> str | None:
    """suffix_type, but for these rules' words that end like an event and are not one
    (NOT_EVENT), and with these rules' own suffixes (MORE_ORG_SUFFIXES,
    MORE_FACILITY_SUFFIXES); the recogniser's use of suffix_type is left as its cached
    results have it."""
    if surface.endswith(NOT_EVENT):
        return None
    if kind := suffix_type(surface):
        return kind
    if surface.endswith(MORE_FACILITY_SUFFIXES):
        return "PLACE"
    return "ORG" if surface.endswith(MORE_ORG_SUFFIXES) else None


def suffix_type(surface: str) -> str | None:
    """The type a phrase ending in this word has, by its last characters."""
    if surface.endswith(EVENT_SUFFIXES):
        return "EVENT"
    if surface.endswith(FACILITY_SUFFIXES):
        return "PLACE"
    if surface.endswith(ORG_SUFFIXES) and not surface.endswith(NOT_ORG):
        return "ORG"
    return None

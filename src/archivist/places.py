"""Built-in general knowledge: countries and major regions, with their short forms.

Every place has a language-neutral key (its English name as a slug, e.g.
"united-states"), which becomes the entity id ``place/<key>``, and one name per
language ("アメリカ合衆国", "United States"); the archive shows the name in the
language most of the documents mentioning it are written in. Variants (米国,
アメリカ, USA, U.S., ...) all lead to the same place.

Single-character short forms (米, 中, 英, 日, ...) are also words of their own
(米 is rice, 中 is "inside"), so they count only where the recogniser gave them
as a span, or in compounds such as 米中, 日米韓, 対中, 訪日 (``find_compounds``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class Place:
    key: str  # language-neutral slug, the entity id is "place/<key>"
    ja: str  # canonical Japanese name
    en: str  # canonical English name
    variants: tuple[str, ...] = ()  # other names in either language, short forms excluded
    short: str | None = None  # single-character form used in compounds (米, 中, ...)

    @property
    def entity_id(self) -> str:
        return f"place/{self.key}"

    def name(self, lang: str) -> str:
        """The canonical name for documents in lang."""
        return self.ja if lang == "ja" else self.en

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every multi-character name of the place."""
        return (self.ja, self.en, *self.variants)


# (key, Japanese, English, variants, short form)
PLACES: tuple[Place, ...] = (
    Place("united-states", "アメリカ合衆国", "United States",
          ("アメリカ", "米国", "合衆国", "USA", "U.S.", "U.S.A.", "US", "United States of America",
           "America"), "米"),
    Place("china", "中国", "China", ("中華人民共和国", "PRC", "People's Republic of China"), "中"),
    Place("japan", "日本", "Japan", ("日本国", "ニッポン"), "日"),
    Place("united-kingdom", "イギリス", "United Kingdom",
          ("英国", "連合王国", "UK", "U.K.", "Britain", "Great Britain"), "英"),
    Place("france", "フランス", "France", ("フランス共和国",), "仏"),
    Place("germany", "ドイツ", "Germany", ("ドイツ連邦共和国",), "独"),
    Place("italy", "イタリア", "Italy", (), "伊"),
    Place("spain", "スペイン", "Spain"),
    Place("portugal", "ポルトガル", "Portugal"),
    Place("netherlands", "オランダ", "Netherlands", ("Holland", "The Netherlands"), "蘭"),
    Place("belgium", "ベルギー", "Belgium"),
    Place("switzerland", "スイス", "Switzerland"),
    Place("austria", "オーストリア", "Austria"),
    Place("sweden", "スウェーデン", "Sweden"),
    Place("norway", "ノルウェー", "Norway"),
    Place("denmark", "デンマーク", "Denmark"),
    Place("finland", "フィンランド", "Finland"),
    Place("ireland", "アイルランド", "Ireland"),
    Place("poland", "ポーランド", "Poland"),
    Place("greece", "ギリシャ", "Greece", ("ギリシア",)),
    Place("ukraine", "ウクライナ", "Ukraine"),
    Place("russia", "ロシア", "Russia", ("ロシア連邦", "Russian Federation"), "露"),
    Place("turkey", "トルコ", "Turkey", ("Türkiye",)),
    Place("israel", "イスラエル", "Israel"),
    Place("iran", "イラン", "Iran"),
    Place("iraq", "イラク", "Iraq"),
    Place("syria", "シリア", "Syria"),
    Place("saudi-arabia", "サウジアラビア", "Saudi Arabia", ("サウジ",)),
    Place("united-arab-emirates", "アラブ首長国連邦", "United Arab Emirates", ("UAE",)),
    Place("qatar", "カタール", "Qatar"),
    Place("egypt", "エジプト", "Egypt"),
    Place("south-africa", "南アフリカ", "South Africa", ("南アフリカ共和国", "南ア")),
    Place("nigeria", "ナイジェリア", "Nigeria"),
    Place("kenya", "ケニア", "Kenya"),
    Place("ethiopia", "エチオピア", "Ethiopia"),
    Place("india", "インド", "India", (), "印"),
    Place("pakistan", "パキスタン", "Pakistan"),
    Place("bangladesh", "バングラデシュ", "Bangladesh"),
    Place("afghanistan", "アフガニスタン", "Afghanistan"),
    Place("kazakhstan", "カザフスタン", "Kazakhstan"),
    Place("mongolia", "モンゴル", "Mongolia"),
    Place("south-korea", "韓国", "South Korea", ("大韓民国", "Republic of Korea", "Korea"), "韓"),
    Place("north-korea", "北朝鮮", "North Korea", ("朝鮮民主主義人民共和国", "DPRK")),
    Place("taiwan", "台湾", "Taiwan"),
    Place("vietnam", "ベトナム", "Vietnam", ("Viet Nam",)),
    Place("thailand", "タイ", "Thailand"),
    Place("malaysia", "マレーシア", "Malaysia"),
    Place("singapore", "シンガポール", "Singapore"),
    Place("indonesia", "インドネシア", "Indonesia"),
    Place("philippines", "フィリピン", "Philippines", ("The Philippines",)),
    Place("australia", "オーストラリア", "Australia", ("豪州",), "豪"),
    Place("new-zealand", "ニュージーランド", "New Zealand"),
    Place("canada", "カナダ", "Canada"),
    Place("mexico", "メキシコ", "Mexico"),
    Place("brazil", "ブラジル", "Brazil"),
    Place("argentina", "アルゼンチン", "Argentina"),
    Place("chile", "チリ", "Chile"),
    Place("peru", "ペルー", "Peru"),
    Place("colombia", "コロンビア", "Colombia"),
    Place("venezuela", "ベネズエラ", "Venezuela"),
    Place("cuba", "キューバ", "Cuba"),
    Place("european-union", "欧州連合", "European Union", ("EU",)),
    Place("europe", "欧州", "Europe", ("ヨーロッパ",), "欧"),
    Place("asia", "アジア", "Asia"),
    Place("southeast-asia", "東南アジア", "Southeast Asia", ("South-East Asia",)),
    Place("middle-east", "中東", "Middle East"),
    Place("africa", "アフリカ", "Africa"),
    Place("north-america", "北米", "North America"),
    Place("latin-america", "中南米", "Latin America", ("ラテンアメリカ",)),
)

# Words that make a run of short forms a compound: 米中関係, 日米首脳, 米中間の...
COMPOUND_AFTER = (
    "関係", "首脳", "会談", "貿易", "摩擦", "対立", "協議", "交渉", "同盟", "合意", "戦争",
    "外交", "両国", "共同", "対話", "協力", "競争", "紛争", "連携", "外相", "防衛", "経済",
    "間",
)
# Prefixes that make a single short form a country: 対中, 訪日, 駐米, 反米, 親日, 渡米.
COMPOUND_BEFORE = ("対", "訪", "駐", "反", "親", "渡")
# 米中間選挙 is the US midterm election (米 + 中間選挙), not US-China.
NOT_AFTER = ("間選挙",)  # checked right after the run


def normalise(surface: str) -> str:
    """The form names are compared in: NFKC, outer spaces and a leading "the" dropped."""
    text = unicodedata.normalize("NFKC", surface).strip()
    return text[4:] if text.lower().startswith("the ") else text


@cache
def _index() -> Mapping[str, Place]:
    index = {normalise(surface): place for place in PLACES for surface in place.surfaces}
    return MappingProxyType(index)


@cache
def _shorts() -> Mapping[str, Place]:
    return MappingProxyType({place.short: place for place in PLACES if place.short})


def place_for(surface: str) -> Place | None:
    """The place a multi-character name stands for, or None."""
    return _index().get(normalise(surface))


def short_form(surface: str) -> Place | None:
    """The place a single-character short form (米, 中, ...) stands for, or None."""
    return _shorts().get(surface.strip())


@cache
def _compound_pattern() -> re.Pattern[str]:
    chars = "".join(sorted(_shorts()))
    after = "|".join(COMPOUND_AFTER)
    before = "".join(COMPOUND_BEFORE)
    return re.compile(
        rf"(?P<run>[{chars}]{{2,4}})(?=(?:{after}))"
        rf"|(?<=[{before}])(?P<one>[{chars}])(?![{chars}])"
    )


def _starts_full_name(text: str, position: int) -> bool:
    return any(text.startswith(name, position) for name in _index() if len(name) > 1)


def find_compounds(text: str) -> list[tuple[int, int, Place]]:
    """Short forms used as countries in compounds: (start, end, place), one per character."""
    found = []
    for match in _compound_pattern().finditer(text):
        start, end = match.span()
        if any(text.startswith(word, end) for word in NOT_AFTER):
            continue  # the last character starts another word (米中間選挙)
        if _starts_full_name(text, end - 1):
            continue  # 対中国: the full name, which the recogniser finds
        run = match.group("run") or match.group("one")
        if len(set(run)) != len(run):
            continue  # 日日, 中中: not a list of countries
        found.extend((start + i, start + i + 1, short_form(char)) for i, char in enumerate(run))
    return found

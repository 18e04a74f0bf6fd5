"""Interface strings in Japanese and English, and how dates and counts are written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def number(n: int) -> str:
    """A count as pages show it, thousands separated: 8,744."""
    return f"{n:,}"


@dataclass(frozen=True)
class Strings:
    """Every word of the interface in one language; templates read them as t.<name>."""

    lang: str  # the language code written into <html lang>
    skip: str  # link to skip to the main content
    nav_label: str  # accessible name of the main navigation
    documents: str  # the list of documents
    entities: str  # the index of names
    quotes: str  # the quotes, grouped by speaker
    documents_count: tuple[str, str]  # "{n} document(s)": singular, plural
    entities_count: tuple[str, str]  # "{n} name(s)"
    quotes_count: tuple[str, str]  # "{n} quote(s)"
    mentions_count: tuple[str, str]  # "{n} mention(s)"
    byline: str  # "By {name}"
    original: str  # link to the original address
    legend: str  # title of the key to entity types
    show_types: str  # title of the switches that show or hide each type
    related: str  # related headlines
    in_document: str  # the side panel of names in this document
    document_quotes: str  # the quotes in this document
    said_by: str  # "{name}" said
    unknown_speaker: str  # the group of quotes without a known speaker
    continued: str  # after a heading carried over from the page before
    aliases: str  # other names of an entity
    mentions: str  # every mention of an entity
    quotes_by: str  # the quotes by an entity
    co_mentions: str  # names mentioned in the same documents
    timeline: str  # mentions over time
    timeline_summary: str  # "{count} from {first} to {last}"
    timeline_single: str  # "{count} in {first}"
    as_table: str  # show the chart's numbers as a table
    period_column: str  # column header: month or year
    count_column: str  # column header: number of mentions
    undated: str  # note that undated documents are not in the chart
    filter: str  # title of the index filters
    filter_types: str  # filter by entity type
    filter_entities: str  # filter by entity
    filter_year: str  # filter by year
    all_years: str  # the year filter's "any" choice
    clear: str  # clear every filter
    shown: str  # "{n} of {total} shown"
    no_match: str  # no document matches the filters
    browse: str  # title of the index's facet links when the list has several pages
    pages_label: str  # accessible name of the page links of the document list
    previous_page: str  # link to the page before
    next_page: str  # link to the page after
    page_of: str  # "page {n} of {total}"
    all_names: str  # from a type's leading names on the entity index to its own list: "see all {n}"
    not_found: str  # title of the 404 page
    not_found_text: str  # what to do on the 404 page
    footer: str  # the line at the foot of every page
    search: str  # the search page and its link
    search_intro: str  # what the search page searches
    search_noscript: str  # search needs JavaScript
    search_file: str  # search needs the site served over http(s), not opened from a file
    search_empty: str  # there is nothing to search yet
    feed: str  # link to an Atom feed
    cite: str  # opens the citation of a quote
    cite_document: str  # opens the citations of a document
    cite_text: str  # the plain-text reference
    copy: str  # the copy button
    copied: str  # the copy button once it has copied
    copy_failed: str  # when the browser will not copy: the text is selected instead
    document_data: str  # this document's data files
    open_data: str  # the open data section and its link in the footer
    open_data_intro: str  # what the data files are
    open_data_documents: str  # each document page links to its own files
    data_terms: str  # whose the data is, and whose the texts are
    data_entities: str  # the entity list (JSON)
    data_mentions: str  # the mentions (CSV)
    data_quotes: str  # the quotes (CSV)
    data_index: str  # the list of every data file (JSON)
    types: Mapping[str, str]  # entity type -> its name
    badges: Mapping[str, str]  # entity type -> its one-letter mark
    quote_kinds: Mapping[str, str]  # quote kind -> its name

    def count(self, forms: tuple[str, str], n: int) -> str:
        """forms[0] or forms[1] (by n) with {n} filled in, thousands separated (8,744)."""
        return (forms[0] if n == 1 else forms[1]).format(n=number(n))

    def type_label(self, entity_type: str) -> str:
        """The name of an entity type, or the type itself when unknown."""
        return self.types.get(entity_type, entity_type.title())

    def badge(self, entity_type: str) -> str:
        """The short mark of an entity type, shown beside every mention."""
        return self.badges.get(entity_type, entity_type[:1])

    def quote_kind(self, kind: str) -> str:
        """The name of a quote kind."""
        return self.quote_kinds.get(kind, kind)

    def date(self, iso: str) -> str:
        """A date (ISO 8601, any precision down to the day) as readers write it."""
        match = _DATE.match(iso)
        if not match:
            return iso
        year, month, day = match[1], match[2], match[3]
        if self.lang == "ja":
            parts = [f"{year}年"]
            parts += [f"{int(month)}月"] if month else []
            parts += [f"{int(day)}日"] if day else []
            return "".join(parts)
        words = [str(int(day))] if day and month else []
        words += [_MONTHS_EN[int(month) - 1]] if month and 1 <= int(month) <= 12 else []
        return " ".join([*words, year])

    def month(self, period: str) -> str:
        """A "YYYY-MM" or "YYYY" period, short."""
        return self.date(period)


JA = Strings(
    lang="ja",
    skip="本文へ移動",
    nav_label="サイト内の案内",
    documents="文書",
    entities="索引",
    quotes="発言",
    documents_count=("{n}件の文書", "{n}件の文書"),
    entities_count=("{n}件の名前", "{n}件の名前"),
    quotes_count=("{n}件の発言", "{n}件の発言"),
    mentions_count=("{n}回の言及", "{n}回の言及"),
    byline="文：{name}",
    original="元の記事",
    legend="凡例",
    show_types="表示する種類",
    related="関連する見出し",
    in_document="この文書に登場する名前",
    document_quotes="この文書の発言",
    said_by="{name}の発言",
    unknown_speaker="話者不明・語句",
    continued="（続き）",
    aliases="別名",
    mentions="言及",
    quotes_by="発言",
    co_mentions="一緒に登場する名前",
    timeline="言及の推移",
    timeline_summary="{first}から{last}までに{count}",
    timeline_single="{first}に{count}",
    as_table="表で見る",
    period_column="時期",
    count_column="言及数",
    undated="日付のない文書は含みません。",
    filter="絞り込み",
    filter_types="種類",
    filter_entities="名前",
    filter_year="年",
    all_years="すべての年",
    clear="条件を解除",
    shown="{total}件中{n}件を表示",
    no_match="条件に合う文書はありません。",
    browse="名前・種類・年から探す",
    pages_label="ページ",
    previous_page="前のページ",
    next_page="次のページ",
    page_of="{total}ページ中{n}ページ目",
    all_names="{n}件すべてを見る",
    not_found="ページが見つかりません",
    not_found_text="お探しのページは移動または削除された可能性があります。",
    footer="archivist で作成した注釈付きアーカイブ",
    search="検索",
    search_intro="文書の本文・見出し・筆者を検索し、種類・名前・年で絞り込めます。",
    search_noscript="検索には JavaScript が必要です。文書の一覧と索引はそのまま使えます。",
    search_file="検索はウェブサーバーから配信したときだけ動きます（ファイルとして開くと使えません）。",
    search_empty="検索できる文書はまだありません。",
    feed="フィード",
    cite="引用する",
    cite_document="この文書を引用する",
    cite_text="文献表記",
    copy="コピー",
    copied="コピーしました",
    copy_failed="選択しました。キーボードでコピーしてください",
    document_data="この文書のデータ",
    open_data="オープンデータ",
    open_data_intro="注釈（名前・言及・発言）は、機械で読めるファイルとしても公開しています。",
    open_data_documents="文書ごとの JSON と W3C Web Annotation は、各文書のページからたどれます。",
    data_terms=(
        "注釈と名前の一覧はこのアーカイブの発行者によるデータで、利用条件は発行者が定めます。"
        "文書の本文の権利は、その著者と元の発行者にあります。"
    ),
    data_entities="名前の一覧（JSON）",
    data_mentions="言及（CSV）",
    data_quotes="発言（CSV）",
    data_index="データ一覧（JSON）",
    types=MappingProxyType(
        {"PERSON": "人物", "ORG": "組織", "PLACE": "場所", "PRODUCT": "製品", "EVENT": "出来事"}
    ),
    badges=MappingProxyType(
        {"PERSON": "人", "ORG": "組", "PLACE": "地", "PRODUCT": "品", "EVENT": "事"}
    ),
    quote_kinds=MappingProxyType(
        {"direct": "発言", "partial": "部分引用", "term": "語句", "document": "文書の引用"}
    ),
)

EN = Strings(
    lang="en",
    skip="Skip to content",
    nav_label="Site",
    documents="Documents",
    entities="Entities",
    quotes="Quotes",
    documents_count=("{n} document", "{n} documents"),
    entities_count=("{n} entity", "{n} entities"),
    quotes_count=("{n} quote", "{n} quotes"),
    mentions_count=("{n} mention", "{n} mentions"),
    byline="By {name}",
    original="Original",
    legend="Key",
    show_types="Show",
    related="Related headlines",
    in_document="In this document",
    document_quotes="Quotes in this document",
    said_by="Quotes by {name}",
    unknown_speaker="Unknown speaker and terms",
    continued="(continued)",
    aliases="Also called",
    mentions="Mentions",
    quotes_by="Quotes",
    co_mentions="Mentioned with",
    timeline="Mentions over time",
    timeline_summary="{count} from {first} to {last}",
    timeline_single="{count} in {first}",
    as_table="As a table",
    period_column="Period",
    count_column="Mentions",
    undated="Undated documents are not counted.",
    filter="Filter",
    filter_types="Type",
    filter_entities="Entity",
    filter_year="Year",
    all_years="All years",
    clear="Clear filters",
    shown="{n} of {total} shown",
    no_match="No document matches these filters.",
    browse="Browse by name, type and year",
    pages_label="Pages",
    previous_page="Previous page",
    next_page="Next page",
    page_of="Page {n} of {total}",
    all_names="See all {n}",
    not_found="Page not found",
    not_found_text="The page you are looking for may have moved or been removed.",
    footer="An annotated archive made with archivist",
    search="Search",
    search_intro="Search the documents' text, headings and bylines; filter by type, name, year.",
    search_noscript="Search needs JavaScript. The document list and the index work without it.",
    search_file="Search works only when the site is served over the web, not opened as a file.",
    search_empty="There are no documents to search yet.",
    feed="Feed",
    cite="Cite",
    cite_document="Cite this document",
    cite_text="Reference",
    copy="Copy",
    copied="Copied",
    copy_failed="Selected: copy it with your keyboard",
    document_data="This document as data",
    open_data="Open data",
    open_data_intro="The annotations (names, mentions, quotes) as files for reuse.",
    open_data_documents="Each document page links to its own JSON and W3C Web Annotations.",
    data_terms=(
        "The annotations and entity lists are this archive's publisher's data, on the "
        "publisher's terms; the documents' texts belong to their authors and original publishers."
    ),
    data_entities="Entities (JSON)",
    data_mentions="Mentions (CSV)",
    data_quotes="Quotes (CSV)",
    data_index="Every data file (JSON)",
    types=MappingProxyType(
        {"PERSON": "Person", "ORG": "Organisation", "PLACE": "Place",
         "PRODUCT": "Product", "EVENT": "Event"}
    ),  # fmt: skip
    badges=MappingProxyType(
        {"PERSON": "P", "ORG": "O", "PLACE": "L", "PRODUCT": "Pr", "EVENT": "E"}
    ),
    quote_kinds=MappingProxyType(
        {"direct": "Direct quote", "partial": "Partial quote", "term": "Term",
         "document": "Document text"}
    ),  # fmt: skip
)

LANGUAGES: Mapping[str, Strings] = MappingProxyType({"ja": JA, "en": EN})


def strings(language: str) -> Strings:
    """The interface strings for a language code ("ja" unless "en")."""
    return LANGUAGES.get(language, JA)

"""Properties that hold for every input: highlight keeps the text and writes balanced
HTML; read_document returns a Document or raises ArchivistError, whatever the bytes;
a page's links lead where posixpath.relpath says."""

from __future__ import annotations

import html
import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivist.errors import ArchivistError
from archivist.highlight import EntityLink, highlight
from archivist.model import ENTITY_TYPES, QUOTE_KINDS, Document, Mention, Quote
from archivist.pages import relative
from archivist.sources import read_document

SETTINGS = dict(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LAYOUTS = ("auto", "scraped", "livedoor", "markdown", "text")
VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr"})

# Characters that matter to HTML and to the parsers, mixed with any other text.
HOSTILE = "<>&\"'`=/ \n\t\u3000「」『』。|-#*[]()!:\u202e\u200b日本語テキスト😀👍🏽\u0301"
PLAIN = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


def _mix(plain: str, picks: bytes) -> str:
    """plain with hostile characters put in where picks say: byte pairs (where, which)."""
    chars = list(plain)
    for where, which in zip(picks[0::2], picks[1::2]):
        chars.insert(where % (len(chars) + 1), HOSTILE[which % len(HOSTILE)])
    return "".join(chars)


# Few draws per example keep thousands of examples fast.
TEXT = st.builds(_mix, PLAIN, st.binary(max_size=40))


class _Balance(HTMLParser):
    """Text content and a check that every tag opened is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_data(self, data) -> None:
        self.text.append(data)

    def handle_comment(self, data) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data) -> None:
        self.problems.append("unknown declaration")


def _parse(markup: str) -> _Balance:
    parser = _Balance()
    parser.feed(markup)
    parser.close()
    return parser


def _spans(data: bytes) -> list[tuple[int, int, int]]:
    """(start, end, kind) from byte triples: positions from 3 before the text to past
    its end; half the ends near the start (short, empty or reversed spans), half
    anywhere, so spans come overlapping, nested and out of order."""
    spans = []
    for a, b, c in zip(data[0::3], data[1::3], data[2::3]):
        start = a % 66 - 3
        end = b % 66 - 3 if c % 2 else start + b % 14 - 2
        spans.append((start, end, c // 2 % 5))
    return spans


SPANS = st.binary(max_size=24).map(_spans)
NAMES = ['<script>alert(1)</script>', 'Q1" onmouseover="x', "O'Brien & <Co>", "日本", "", "😀\u202e"]
LABELS = st.one_of(st.none(), st.sampled_from(NAMES))


@st.composite
def highlight_cases(draw):
    text = draw(TEXT)
    mentions = [
        Mention(0, start, end, text[max(start, 0) : max(end, 0)], ENTITY_TYPES[kind])
        for start, end, kind in draw(SPANS)
    ]
    quotes = [
        Quote(0, start, end, text[max(start, 0) : max(end, 0)], QUOTE_KINDS[kind % len(QUOTE_KINDS)])
        for start, end, kind in draw(SPANS)
    ]
    return text, mentions, quotes, draw(st.booleans()), draw(LABELS)


@settings(max_examples=6000, **SETTINGS)
@given(highlight_cases())
def test_highlight_is_balanced_html_whose_text_is_the_input(case):
    text, mentions, quotes, linked, label = case

    def link(mention: Mention) -> EntityLink:
        name = NAMES[mention.start % len(NAMES)] or mention.text
        href = f"../{name}/" if linked else None
        return EntityLink(href, name, mention.type, name, badge=name[:1])

    markup = str(highlight(text, mentions, quotes, link=link, quote_label=lambda q: label))
    parsed = _parse(markup)
    assert parsed.problems == []
    assert parsed.stack == []
    assert "".join(parsed.text) == text
    # nothing but the fixed tags: no raw "<" outside them, escaped quotes in attributes
    assert html.unescape(_strip_tags(markup)) == text


def _strip_tags(markup: str) -> str:
    out, inside, quote = [], False, ""
    for char in markup:
        if inside:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                inside = False
        elif char == "<":
            inside = True
        else:
            out.append(char)
    return "".join(out)


SCRATCH = Path(tempfile.mkdtemp(prefix="archivist-properties-"))

# Bytes that look like each layout, then anything at all.
PREFIXES = [
    b"",
    b"---\n",
    b"+++\n",
    b"---\ntitle: x\n---\n",
    b"https://example.com/a\n2024-01-02T03:04:05+09:00\n",
    b"|\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x1b$B",
]
PIECES = [
    b"\n", b"\r\n", b"---", b"+++", b"|", b"-", b"# ", b"[a](javascript:x)", b"<script>",
    "関連するおすすめ記事".encode(), "「あ」と語った。".encode(), b"(byline)", b"\x00",
    "日本語".encode("cp932"), "日本語".encode("euc_jp"), "テキスト".encode("utf-16-le"),
    b"*a: &a [*a, *a]", b"!!python/object:os.system", b"\t", b"&amp;", b"\xed\xa0\x80",
    b"title: ", b"date: 2024-13-45", b"http://", b"2024-01-02", "\u202e".encode(),
]  # fmt: skip


def _source(prefix: bytes, text: str, noise: bytes, picks: bytes) -> bytes:
    """prefix, then text as UTF-8 with noise bytes and layout pieces put in where picks say."""
    data = bytearray(text.encode("utf-8"))
    for index, (where, which) in enumerate(zip(picks[0::2], picks[1::2])):
        piece = PIECES[which % len(PIECES)] if which % 4 else noise[index % len(noise) :][:3] if noise else b""
        at = where * len(data) // 256
        data[at:at] = piece
    return prefix + bytes(data)


SOURCES = st.builds(
    _source, st.sampled_from(PREFIXES), TEXT, st.binary(max_size=30), st.binary(max_size=30)
)


def _check_read(data: bytes, layout: str, suffix: str) -> None:
    path = SCRATCH / f"doc{suffix}"
    path.write_bytes(data)
    try:
        doc = read_document(path, layout=layout)
    except ArchivistError as error:
        assert str(path) in str(error)
        return
    assert isinstance(doc, Document)
    assert doc.title and all(block.text and block.text == block.text.strip() for block in doc.blocks)


@settings(max_examples=1000, **SETTINGS)
@given(SOURCES, st.sampled_from((".txt", ".md")))
def test_read_document_auto_returns_document_or_archivist_error(data, suffix):
    _check_read(data, "auto", suffix)


@settings(max_examples=800, **SETTINGS)
@given(SOURCES)
def test_read_document_scraped(data):
    _check_read(data, "scraped", ".txt")


@settings(max_examples=800, **SETTINGS)
@given(SOURCES)
def test_read_document_livedoor(data):
    _check_read(data, "livedoor", ".txt")


@settings(max_examples=800, **SETTINGS)
@given(SOURCES)
def test_read_document_markdown(data):
    _check_read(data, "markdown", ".md")


@settings(max_examples=600, **SETTINGS)
@given(SOURCES)
def test_read_document_text(data):
    _check_read(data, "text", ".txt")


# Path segments a site has, and the odd ones a link may hold.
SEGMENTS = st.sampled_from(["entities", "person", "x", "documents", "index.html", "feed.xml", ".", "", "personnel",
                            "a.b", ".well-known", "日本", "%E6%97%A5"])


@settings(max_examples=3000, **SETTINGS)
@given(st.lists(SEGMENTS, min_size=1, max_size=5), st.lists(SEGMENTS, min_size=1, max_size=5))
def test_relative_links_lead_where_relpath_says(page, target) -> None:
    from_page, to_path = "/".join(page), "/".join(target)
    if not to_path or to_path.startswith("/") or from_page.startswith("/"):
        return
    assert relative(from_page, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")

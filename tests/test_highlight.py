"""highlight(): escaping, the nesting rule, and hand-written cases from tests/cases/highlight."""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment
from markupsafe import Markup

from archivist.highlight import EntityLink, highlight, plain_link, select_spans
from archivist.model import Mention, Quote

CASES = Path(__file__).parent / "cases" / "highlight"
_OFFSETS = re.compile(r"^\[(-?\d+):(-?\d+)\]$")
_OCCURRENCE = re.compile(r"^(.*)@(\d+)$")


@dataclass
class Case:
    name: str
    text: str = ""
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    unlinked: set[int] = field(default_factory=set)
    expect: str = ""


def read_cases(path: Path) -> list[Case]:
    """Cases of one file: `== name` then `key: value` lines (see the README there)."""
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            cases.append(Case(line[3:].strip()))
            continue
        key, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        case = cases[-1]
        if key == "text":
            case.text = value
        elif key == "expect":
            case.expect = value
        elif key == "mention":
            words = value.split(" ")
            nolink = words[-1] == "nolink"
            words = words[:-1] if nolink else words
            start, end = _locate(case.text, " ".join(words[:-1]))
            if nolink:
                case.unlinked.add(len(case.mentions))
            case.mentions.append(Mention(0, start, end, case.text[start:end], words[-1]))
        elif key == "quote":
            target, kind = value.rsplit(" ", 1)
            start, end = _locate(case.text, target)
            case.quotes.append(Quote(0, start, end, case.text[start:end], kind))
        else:
            raise ValueError(f"{path}: unknown key {key!r}")
    return cases


def _locate(text: str, target: str) -> tuple[int, int]:
    offsets = _OFFSETS.match(target)
    if offsets:
        return int(offsets[1]), int(offsets[2])
    occurrence = _OCCURRENCE.match(target)
    nth = 1
    if occurrence:
        target, nth = occurrence[1], int(occurrence[2])
    start = -1
    for _ in range(nth):
        start = text.index(target, start + 1)
    return start, start + len(target)


def compact(markup: str) -> str:
    """The output with tags written as ⟨TYPE:…⟩, ⟨TYPE?…⟩ and «kind:…»."""
    markup = re.sub(r'<a [^>]*data-type="([^"]*)"[^>]*>', r"⟨\1:", markup)
    markup = re.sub(r'<span class="ent [^>]*data-type="([^"]*)"[^>]*>', r"⟨\1?", markup)
    markup = re.sub(r'<span class="quote quote-([^"]*)"[^>]*>', r"«\1:", markup)
    markup = markup.replace("</a>", "⟩")
    # Quote and unlinked mention spans both close with </span>: match them by nesting.
    out, stack = [], []
    for piece in re.split(r"(⟨\w+\?|«\w+:|</span>)", markup):
        if re.fullmatch(r"⟨\w+\?|«\w+:", piece):
            stack.append("⟩" if piece.startswith("⟨") else "»")
            out.append(piece)
        elif piece == "</span>":
            out.append(stack.pop())
        else:
            out.append(piece)
    return "".join(out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data) -> None:
        self.parts.append(data)


def text_content(markup: str) -> str:
    """Text of markup, tags stripped and character references decoded; checks nesting."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    assert not parser.open, f"unclosed {parser.open}"
    return "".join(parser.parts)


def case_link(case: Case):
    def link(mention: Mention) -> EntityLink | None:
        if case.mentions.index(mention) in case.unlinked:
            return EntityLink(None, mention.text, mention.type, mention.type.title())
        return EntityLink(f"../e/{mention.text}/", mention.text, mention.type, mention.type.title())

    return link


ALL_CASES = [case for path in sorted(CASES.glob("*.txt")) for case in read_cases(path)]


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_case(case: Case) -> None:
    output = highlight(case.text, case.mentions, case.quotes, link=case_link(case))
    assert isinstance(output, Markup)
    assert compact(str(output)) == case.expect
    assert text_content(str(output)) == case.text


def test_case_files_hold_cases() -> None:
    assert len(ALL_CASES) >= 20


def test_empty_lists_give_escaped_text() -> None:
    assert highlight("a < b", [], []) == Markup("a &lt; b")


def test_linked_mention_markup_is_exact_and_escaped() -> None:
    text = "「<米国&>」"
    mention = Mention(0, 1, 6, "<米国&>", "PLACE", "place/x")
    target = EntityLink('../x"y/', 'Name "<q>" & \'s\'', "PLACE", "Place", "L")
    output = highlight(text, [mention], [], link=lambda m: target)
    tip = "Name &#34;&lt;q&gt;&#34; &amp; &#39;s&#39; — Place"
    assert str(output) == (
        '「<a href="../x&#34;y/" class="ent ent-place" data-type="PLACE" data-badge="L"'
        f' data-tip="{tip}" title="{tip}"'
        ' aria-label="&lt;米国&amp;&gt; (Place: Name &#34;&lt;q&gt;&#34; &amp; &#39;s&#39;)">'
        "&lt;米国&amp;&gt;</a>」"
    )


def test_accessible_name_gives_type_once_when_name_is_the_text() -> None:
    mention = Mention(0, 0, 2, "米国", "PLACE")
    output = highlight("米国", [mention], [], link=lambda m: EntityLink("x/", "米国", "PLACE", "場所"))
    assert 'aria-label="米国 (場所)"' in output


def test_unlinked_mention_is_a_span_with_its_type() -> None:
    output = highlight("米国", [Mention(0, 0, 2, "米国", "PLACE")], [])
    assert str(output).startswith('<span class="ent ent-place" data-type="PLACE"')
    assert "href" not in output


def test_link_returning_none_leaves_plain_text() -> None:
    output = highlight("米国だ", [Mention(0, 0, 2, "米国", "PLACE")], [], link=lambda m: None)
    assert output == Markup("米国だ")


def test_quote_has_block_anchor_kind_and_label() -> None:
    quote = Quote(3, 1, 3, "ab", "direct", "person/x")
    output = highlight("「ab」", [], [quote], quote_label=lambda q: 'X said "<hi>"')
    assert str(output) == (
        '「<span class="quote quote-direct" id="q-3-1" title="X said &#34;&lt;hi&gt;&#34;"'
        ' data-speaker="X said &#34;&lt;hi&gt;&#34;">ab</span>」'
    )


def test_split_parts_are_each_linked_to_the_same_page() -> None:
    text = "ジョン氏は言った"
    output = highlight(
        text,
        [Mention(0, 0, 4, "ジョン氏", "PERSON", "person/j")],
        [Quote(0, 3, 8, text[3:], "partial")],
        link=lambda m: EntityLink("../j/", "ジョン", "PERSON", "Person"),
    )
    assert str(output).count('href="../j/"') == 2


def test_output_is_not_escaped_again_by_jinja() -> None:
    env = Environment(autoescape=True)
    markup = highlight("<b>", [Mention(0, 0, 3, "<b>", "ORG")], [])
    rendered = env.from_string("{{ html }}|{{ raw }}").render(html=markup, raw="<b>")
    assert rendered == f"{markup}|&lt;b&gt;"
    assert "&amp;lt;" not in rendered


def test_select_spans_applies_the_rule() -> None:
    quotes = [Quote(0, s, e, "", "direct") for s, e in ((0, 10), (5, 15), (2, 4))]
    mentions = [Mention(0, s, e, "", "ORG") for s, e in ((3, 8), (1, 6), (8, 9))]
    kept_quotes, kept_mentions = select_spans(20, mentions, quotes)
    assert [(q.start, q.end) for q in kept_quotes] == [(0, 10), (2, 4)]
    assert [(m.start, m.end) for m in kept_mentions] == [(1, 6), (8, 9)]


def test_plain_link_uses_the_mention() -> None:
    target = plain_link(Mention(0, 0, 2, "米国", "PLACE"))
    assert target == EntityLink(None, "米国", "PLACE", "Place")


def test_random_spans_keep_text_and_nesting() -> None:
    """Any spans at all: the text content is unchanged and the tags nest properly."""
    generator = random.Random(7)
    alphabet = "ab <&\"'>「」米国"
    for _ in range(300):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 30)))
        spans = []
        for _ in range(generator.randint(0, 8)):
            start = generator.randint(-2, len(text) + 2)
            spans.append((start, start + generator.randint(-1, 12)))
        mentions = [Mention(0, s, e, "", "PERSON") for s, e in spans[::2]]
        quotes = [Quote(0, s, e, "", "direct") for s, e in spans[1::2]]
        output = str(highlight(text, mentions, quotes))
        assert text_content(output) == text
        assert html.unescape(re.sub(r"<[^>]*>", "", output)) == text

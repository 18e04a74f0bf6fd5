"""The livedoor news layout: line 1 the URL, line 2 the date, line 3 the title, then the
body, one paragraph per line, with 【関連記事】 lists of related headlines.

Related lists (【関連記事】, 【関連情報】, ■関連ニュース, ...) hold "・"-marked headlines,
each optionally followed by its URL on the next line; a list ends at a heading or at a
blank line followed by unmarked text. They become related entries, not body blocks.
"""

from __future__ import annotations

import re

from ..model import Related
from .detect import ISO_DATE_LINE, URL_LINE
from .parsed import ParseError, Parsed, make_blocks

RELATED_HEADING = re.compile(
    r"【[^】]*関連(?:記事|ニュース|リンク|情報|特集|サイト)[^】]*】(?P<rest>.*)"
    r"|[■□◆◇●▼][^。]{0,30}"
    r"(?:関連[^。]{0,10}(?:記事|ニュース|リンク|情報|サイト)|記事をもっと見る)[^。]{0,20}"
)
HEADING_MARKS = "■□◆◇●▼▽★☆"
BRACKET_HEADING = re.compile(r"【[^】]+】")
ITEM_MARKS = "・･-*"
URL = re.compile(r"https?://[^\s/]+\S*")
HEADING_MAX = 60


def parse(text: str) -> Parsed:
    """Parse a livedoor article: URL, date, title, body blocks and related headlines."""
    lines = text.lstrip("\n").split("\n")
    if len(lines) < 3:
        raise ParseError("not the livedoor layout: fewer than three lines")
    url, date, title = (line.strip() for line in lines[:3])
    if not URL_LINE.fullmatch(url):
        raise ParseError(f"not the livedoor layout: line 1 is not a URL: {url[:60]!r}")
    if not ISO_DATE_LINE.fullmatch(date):
        raise ParseError(f"not the livedoor layout: line 2 is not an ISO date: {date[:60]!r}")
    pieces, related = _body(lines[3:])
    return Parsed(title=title, blocks=make_blocks(pieces), date=date, url=url, related=related)


def _body(lines: list[str]) -> tuple[list[tuple[str, str]], list[Related]]:
    """Body (kind, line) pairs and the related headlines taken out of the body."""
    pieces: list[tuple[str, str]] = []
    related: list[Related] = []
    in_related = False
    after_blank = False
    for raw in lines:
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        if match := RELATED_HEADING.fullmatch(line):
            in_related, after_blank = True, False
            if rest := (match.group("rest") or "").lstrip(ITEM_MARKS).strip():
                related.append(Related(rest))
            continue
        if in_related and not is_heading(line):
            if (url := _url_line(line)) is not None:
                _attach_url(related, url)
                continue
            if line[0] in ITEM_MARKS or not after_blank:
                if title := line.lstrip(ITEM_MARKS).strip():
                    related.append(Related(title))
                after_blank = False
                continue
        in_related = after_blank = False
        pieces.append(("heading" if is_heading(line) else "paragraph", raw))
    return pieces, related


def is_heading(line: str) -> bool:
    """A short line opened by a mark such as ■, or wholly in 【】 brackets."""
    if len(line) >= HEADING_MAX:
        return False
    return line[0] in HEADING_MARKS or bool(BRACKET_HEADING.fullmatch(line))


def _url_line(line: str) -> str | None:
    """For a line of addresses only, the last full one ("" if none); else None."""
    tokens = line.split()
    if not all(token.startswith(("http://", "https://")) for token in tokens):
        return None
    urls = [token for token in tokens if URL.fullmatch(token)]
    return urls[-1] if urls else ""


def _attach_url(related: list[Related], url: str) -> None:
    """Give the URL to the headline just before it, if that one has none yet."""
    if url and related and related[-1].url is None:
        related[-1] = Related(related[-1].title, url)

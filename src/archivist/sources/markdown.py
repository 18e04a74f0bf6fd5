"""The Markdown layout: optional front matter, a body rendered with Python-Markdown,
sanitised with nh3, then cut into blocks of rendered plain text."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import nh3

from .frontmatter import split_front_matter
from .parsed import ParseError, Parsed, make_blocks

EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = HEADINGS | {
    "p", "li", "blockquote", "pre", "td", "th", "dt", "dd", "div", "caption",
    "figcaption", "address", "section", "article", "aside", "header", "footer",
    "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "details",
    "summary",
}  # fmt: skip


def parse(text: str) -> Parsed:
    """Parse Markdown with front matter; the title falls back to the first h1."""
    front, body = split_front_matter(text)
    try:
        html = markdown.markdown(body, extensions=EXTENSIONS, output_format="html")
    except RecursionError:
        raise ParseError("Markdown nested too deeply to render") from None
    pieces = html_blocks(nh3.clean(html))
    title = front.title
    first_h1 = next((i for i, (tag, _) in enumerate(pieces) if tag == "h1"), None)
    if first_h1 is not None and (title is None or pieces[first_h1][1].strip() == title):
        title = pieces.pop(first_h1)[1].strip()
    blocks = make_blocks(
        ("heading" if tag in HEADINGS else "paragraph", text) for tag, text in pieces
    )
    return Parsed(
        title=title or "",
        blocks=blocks,
        byline=front.byline,
        date=front.date,
        url=front.url,
        tags=front.tags,
        lang=front.lang,
        meta=front.meta,
    )


def html_blocks(html: str) -> list[tuple[str, str]]:
    """(tag, text) for each block of sanitised HTML, entities unescaped, in order."""
    collector = _BlockCollector()
    collector.feed(html)
    collector.close()
    return collector.blocks


class _BlockCollector(HTMLParser):
    """Text goes to the innermost open block; a nested block ends the text before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.open: list[tuple[str, list[str]]] = [("p", [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.open[-1][1].append("\n")
        elif tag in BLOCK_TAGS:
            self._flush()
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag not in BLOCK_TAGS or all(open_tag != tag for open_tag, _ in self.open[1:]):
            return
        while self.open[-1][0] != tag:
            self._flush()
            self.open.pop()
        self._flush()
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1][1].append(data)

    def close(self) -> None:
        super().close()
        while len(self.open) > 1:
            self._flush()
            self.open.pop()
        self._flush()

    def _flush(self) -> None:
        tag, parts = self.open[-1]
        text = "".join(parts)
        parts.clear()
        if text.strip():
            self.blocks.append((tag, text))

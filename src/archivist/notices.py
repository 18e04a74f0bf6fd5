"""Warnings about a document's text: built as it is, but worth an editor's look.

A quotation bracket that never closes in its paragraph (a scraped page cut short, a
typo) is read as plain text, so the rest of the document is not taken for a quote;
the warning says where it is, so the source can be fixed. A quote that a later
paragraph closes is no mistake (annotators/quotes.py: spanning), nor is “X“, one
mark typed twice (paired_marks).
"""

from __future__ import annotations

from .annotators.quotes import block_texts, spanning, unclosed
from .errors import ContentWarning
from .model import Document


def document_notices(doc: Document) -> list[ContentWarning]:
    """A warning for every quotation bracket of doc that never closes."""
    read = block_texts(doc)  # where brackets pair; the warning quotes the text as written
    spanned = spanning(read)
    return [
        ContentWarning(f"block {index + 1}: {block.text[position]} at character {position + 1} never closes "
                       f"({_context(block.text, position)}); read as plain text, not as a quote", doc.source)
        for index, block in enumerate(doc.blocks)
        for position in (unclosed(read[index]) if index not in spanned else [])
    ]


def _context(text: str, position: int, width: int = 12) -> str:
    return repr(text[max(0, position - width):position + width].replace("\n", " "))

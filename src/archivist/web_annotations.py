"""A document's mentions and quotes as W3C Web Annotations (JSON-LD).

Each document gets one AnnotationCollection whose first (and only) page holds every
annotation. The target is the document page, found three ways: a TextQuoteSelector
(the exact text with up to CONTEXT code points before and after), a
TextPositionSelector into the document's full text, and a FragmentSelector naming
the block's element id, refined by the position inside the block.

The full text of a document is its blocks' texts joined by BLOCK_SEPARATOR (two line
breaks), without the title; positions count Unicode code points, as the Web
Annotation model says (JavaScript strings count UTF-16 units: they differ past U+FFFF).

Addresses are absolute under config.base_url, else relative to the annotation file.
Annotation ids name the kind and the span, so they stay put from build to build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote as percent_encode

from .archive import Archive
from .citations import page_url
from .config import Config
from .i18n import Strings
from .model import Document, Entity, Mention, Quote
from .pages import annotations_path, relative, wikidata_id

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
BLOCK_SEPARATOR = "\n\n"
CONTEXT = 32  # code points of prefix and suffix in a TextQuoteSelector
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

EntitySources = Callable[[Entity], list[str]]  # an entity's page and Wikidata item


def full_text(doc: Document) -> str:
    """The text TextPositionSelector offsets point into: blocks joined by BLOCK_SEPARATOR."""
    return BLOCK_SEPARATOR.join(block.text for block in doc.blocks)


def block_starts(doc: Document) -> list[int]:
    """Where each block begins in full_text(doc)."""
    starts, position = [], 0
    for block in doc.blocks:
        starts.append(position)
        position += len(block.text) + len(BLOCK_SEPARATOR)
    return starts


def document_annotations(archive: Archive, doc: Document, t: Strings) -> dict[str, Any]:
    """The AnnotationCollection of one document's mentions and quotes."""
    own = annotations_path(doc)
    collection = address(archive.config, own, own)
    page = address(archive.config, own, archive.document_path(doc))
    text, starts = full_text(doc), block_starts(doc)
    notes = archive.annotations[doc.id]
    spans = [("mention", m) for m in notes.mentions] + [("quote", q) for q in notes.quotes]
    seen: Counter[str] = Counter()
    sources: dict[str, list[str]] = {}  # entity id -> its page and Wikidata item, once per document

    def entity_sources(entity: Entity) -> list[str]:
        if entity.id not in sources:
            qid = wikidata_id(entity)
            sources[entity.id] = [address(archive.config, own, archive.entity_path(entity)),
                                  *([WIKIDATA_ENTITY + qid] if qid else [])]  # fmt: skip
        return sources[entity.id]

    items = []
    for kind, span in spans:
        if not _inside(doc, span):
            continue  # offsets that do not fit the text cannot be anchored
        name = f"{kind}-{span.block}-{span.start}-{span.end}"
        seen[name] += 1
        suffix = f"-{seen[name]}" if seen[name] > 1 else ""
        item: dict[str, Any] = {"id": f"{collection}#{name}{suffix}", "type": "Annotation"}
        if isinstance(span, Mention):
            item.update(_mention(archive, entity_sources, span))
        else:
            item.update(_quote(archive, entity_sources, span, t))
        item["target"] = _target(page, span, text, starts[span.block])
        items.append(item)
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": doc.title,
        "total": len(items),
        "first": {"id": f"{collection}#page-1", "type": "AnnotationPage", "startIndex": 0,
                  "items": items},  # fmt: skip
    }


def _inside(doc: Document, span: Mention | Quote) -> bool:
    if not 0 <= span.block < len(doc.blocks):
        return False
    return 0 <= span.start < span.end <= len(doc.blocks[span.block].text)


def address(config: Config, own: str, path: str, anchor: str = "") -> str:
    """The address of output path from the file at own: absolute under base_url, else relative."""
    absolute = page_url(config, path, anchor)
    if absolute:
        return absolute
    href = percent_encode(relative(own, path), safe="/%")
    return f"{href}#{anchor}" if anchor else href


def _mention(archive: Archive, sources: EntitySources, mention: Mention) -> dict[str, Any]:
    """Bodies of a mention: the entity page and Wikidata item, then the type and name as tags."""
    entity = archive.entities.get(mention.entity or "")
    bodies: list[dict[str, Any]] = []
    if entity:
        bodies += [{"type": "SpecificResource", "source": source, "purpose": "identifying"}
                   for source in sources(entity)]  # fmt: skip
    kind = entity.type if entity else mention.type
    bodies.append(_text_body(kind, "tagging"))
    if entity:
        bodies.append(_text_body(entity.name, "tagging"))
    return {"motivation": "identifying" if entity else "tagging", "body": bodies}


def _quote(archive: Archive, sources: EntitySources, quote: Quote, t: Strings) -> dict[str, Any]:
    """Bodies of a quote: who said it (in the interface language), its kind, the speaker."""
    speaker = archive.entities.get(quote.speaker or "")
    name = speaker.name if speaker else quote.speaker_text
    label = t.quote_kind(quote.kind) + (f" — {name}" if name else "")
    bodies = [_text_body(label, "describing", t.lang), _text_body(quote.kind, "classifying")]
    if speaker:
        bodies += [{"type": "SpecificResource", "source": source, "purpose": "linking"}
                   for source in sources(speaker)]  # fmt: skip
    return {"motivation": "describing", "body": bodies}


def _text_body(value: str, purpose: str, language: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"type": "TextualBody", "value": value, "purpose": purpose,
                            "format": "text/plain"}  # fmt: skip
    if language:
        body["language"] = language
    return body


def _target(page: str, span: Mention | Quote, text: str, offset: int) -> dict[str, Any]:
    """The span on the document page, as a quote, a position and a block with a position."""
    start, end = offset + span.start, offset + span.end
    return {
        "type": "SpecificResource",
        "source": page,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT) : start],
                "suffix": text[end : end + CONTEXT],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "FragmentSelector",
                "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
                "value": f"b-{span.block}",
                "refinedBy": {"type": "TextPositionSelector", "start": span.start,
                              "end": span.end},  # fmt: skip
            },
        ],
    }

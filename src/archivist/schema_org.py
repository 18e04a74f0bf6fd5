"""schema.org structured data of document and entity pages, for search engines and harvesters.

A document is a NewsArticle that mentions its entities (Person, Organization, Place,
Product, Event, with their Wikidata page and other web addresses as sameAs) and has
its quotes as parts (Quotation, whose creator is the speaker). An entity page describes
the entity itself, with its description and other names. Page addresses are
written only when config.base_url is set. The result is plain data; render.py's
``jsonld`` filter is the one place that writes it into a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .archive import Archive
from .citations import page_url
from .feeds import site_url
from .model import Document, Entity, Quote
from .pages import external_links, web_url

SCHEMA_CONTEXT = "https://schema.org"
SCHEMA_TYPES = {
    "PERSON": "Person", "ORG": "Organization", "PLACE": "Place",
    "PRODUCT": "Product", "EVENT": "Event",
}  # fmt: skip

QuoteAnchor = Callable[[Quote], str]


def document_schema(archive: Archive, doc: Document, quote_anchor: QuoteAnchor) -> dict[str, Any]:
    """The document as a schema.org NewsArticle; quote_anchor gives each quote's page id."""
    config = archive.config
    path = archive.document_path(doc)
    data: dict[str, Any] = {"@context": SCHEMA_CONTEXT, "@type": "NewsArticle"}
    url = page_url(config, path)
    if url:
        data["@id"] = url
        data["url"] = url
    data["headline"] = doc.title
    if doc.date:
        data["datePublished"] = doc.date
    if doc.byline:
        data["author"] = _author(archive, doc)
    if doc.lang:
        data["inLanguage"] = doc.lang
    if web_url(doc.url):
        data["isBasedOn"] = web_url(doc.url)
    site = {"@type": "WebSite", "name": config.title}
    if site_url(config):
        site["url"] = site_url(config)
    data["isPartOf"] = site
    mentioned = [archive.entities[e] for e, _ in archive.document_entities[doc.id]]
    if mentioned:
        data["mentions"] = [entity_schema(archive, entity) for entity in mentioned]
    quotes = [
        _quotation(archive, q, page_url(config, path, quote_anchor(q)))
        for q in archive.quotes_in(doc.id)
        if q.kind != "term" or q.speaker in archive.entities
    ]
    if quotes:
        data["hasPart"] = quotes
    return data


def entity_schema(archive: Archive, entity: Entity, as_agent: bool = False) -> dict[str, Any]:
    """An entity as a schema.org thing; as an agent, anything but a person is an Organization.

    (A country or a ministry that speaks acts as an organisation.)
    """
    kind = SCHEMA_TYPES.get(entity.type, "Thing")
    if as_agent and kind != "Person":
        kind = "Organization"
    data: dict[str, Any] = {"@type": kind, "name": entity.name}
    url = page_url(archive.config, archive.entity_path(entity))
    if url:
        data["url"] = url
    same = [link.href for link in external_links(entity) if link.href]
    if same:
        data["sameAs"] = same
    return data


def entity_page_schema(archive: Archive, entity: Entity) -> dict[str, Any]:
    """The subject of an entity page: the entity with its description and other names."""
    data: dict[str, Any] = {"@context": SCHEMA_CONTEXT}
    data.update(entity_schema(archive, entity))
    if "url" in data:
        data["@id"] = data["url"]
    if entity.description:
        data["description"] = entity.description
    aliases = [alias for alias in entity.aliases if alias != entity.name]
    if aliases:
        data["alternateName"] = aliases
    return data


def _author(archive: Archive, doc: Document) -> dict[str, Any]:
    """The byline as a Person, or as an Organization when the document names it as one."""
    for entity_id, _ in archive.document_entities[doc.id]:
        entity = archive.entities[entity_id]
        if entity.name == doc.byline and entity.type == "ORG":
            return entity_schema(archive, entity)
    return {"@type": "Person", "name": doc.byline}


def _quotation(archive: Archive, quote: Quote, url: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Quotation", "text": quote.text}
    speaker = archive.entities.get(quote.speaker or "")
    if speaker:
        data["creator"] = entity_schema(archive, speaker, as_agent=True)
    if url:
        data["url"] = url
    return data

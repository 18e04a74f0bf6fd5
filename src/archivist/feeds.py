"""Atom feeds of the archive and of each entity, the sitemap and robots.txt.

Every piece of document text is untrusted: the XML is built with ElementTree, which
escapes it, after dropping the characters XML cannot hold at all. Dates come from the
documents and never from the clock, so the same archive gives the same bytes; an
undated document is dated UNDATED. With config.base_url, links and ids are absolute
addresses. Without it, links are relative to the feed (a comment in the feed says so)
and ids are urn:uuid names made from the archive's title and the document id.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import quote

from .archive import INDEX_PATH, Archive
from .config import Config
from .model import Document, Entity
from .pages import FEED_PATH, relative, web_url

FEED_LIMIT = 50  # most entries in a feed, newest first
SUMMARY_LIMIT = 400  # code points of the first paragraph kept as an entry's summary
UNDATED = "1970-01-01T00:00:00Z"  # the date of undated documents: fixed, and oldest
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
ATOM = "http://www.w3.org/2005/Atom"
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
RELATIVE_NOTE = (
    "<!-- base_url is not set in archive.toml: links are relative to this feed's "
    "address, and ids are not web addresses. -->\n"
)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DATE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?"
)


def entity_feed_path(archive: Archive, entity: Entity) -> str:
    """Output path of an entity's Atom feed, beside its page."""
    return archive.entity_path(entity).removesuffix("index.html") + "feed.xml"  # the page's folder/index.html


def site_url(config: Config) -> str | None:
    """The site's address with a trailing slash, or None when base_url is not http(s)."""
    base = web_url(config.base_url)
    return base if base is None or base.endswith("/") else base + "/"


def atom_date(iso: str | None) -> str | None:
    """An ISO 8601 date of any precision as an RFC 3339 time (missing parts: 01, 00:00, UTC)."""
    match = _DATE.fullmatch((iso or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    zone = zone or "Z"
    if zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    try:
        _instant(text + zone)
    except ValueError:  # well formed but impossible, such as month 13
        return None
    return text + zone


def _instant(rfc3339: str) -> datetime:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))


def archive_feed(archive: Archive) -> str:
    """The Atom feed of the archive's newest documents."""
    config = archive.config
    return _feed(archive, FEED_PATH, INDEX_PATH, config.title, config.description,
                 archive.documents[:FEED_LIMIT])  # fmt: skip


def entity_feed(archive: Archive, entity: Entity, entries: Entries | None = None) -> str:
    """The Atom feed of the newest documents that mention or quote one entity; entries
    keeps the entries made, for the feeds of other entities (see Entries)."""
    ids = {o.document for o in archive.mentions.get(entity.id, [])}
    ids |= {ref.document for ref in archive.quotes.get(entity.id, [])}
    places = sorted(p for p in map(archive.position, ids) if p is not None)  # newest first
    documents = [archive.documents[p] for p in places[:FEED_LIMIT]]
    title = f"{entity.name} — {archive.config.title}"
    return _feed(archive, entity_feed_path(archive, entity), archive.entity_path(entity),
                 title, entity.description or "", documents, entries)  # fmt: skip


def sitemap(config: Config, pages: list[tuple[str, str | None]]) -> str:
    """sitemap.xml for (output path, last modified or None); needs an http(s) base_url."""
    base = site_url(config)
    if base is None:
        raise ValueError("a sitemap needs an http(s) base_url")
    root = ET.Element("urlset", {"xmlns": SITEMAPS})
    for path, modified in pages:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = base + _quoted(path)
        if modified:
            ET.SubElement(url, "lastmod").text = modified
    return _serialise(root)


def robots(config: Config) -> str:
    """robots.txt: everything may be crawled; the sitemap named when its address is known."""
    base = site_url(config)
    lines = ["User-agent: *", "Disallow:"]
    if base is not None:
        lines.append(f"Sitemap: {base}{SITEMAP_PATH}")
    return "\n".join(lines) + "\n"


Entries = dict[tuple[str, str], str]  # (document id, link) -> its entry, as written in a feed


def _feed(
    archive: Archive,
    path: str,
    page: str,
    title: str,
    subtitle: str,
    documents: list[Document],
    entries: Entries | None = None,
) -> str:
    """One Atom feed at path, whose web page is page, with an entry per document.

    A document is in the feeds of every entity it names, with the same link from
    each (they share a depth): entries, kept for the feeds of one archive, holds each
    entry written once. The livedoor archive's 21,000 feeds hold 56,000 entries of
    7,400 documents."""
    config = archive.config
    base = site_url(config)
    root = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: config.language})
    _text(root, "title", title)
    if subtitle:
        _text(root, "subtitle", subtitle)
    if base is not None:
        ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml",
                                     "href": base + _quoted(path)})  # fmt: skip
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html",
                                 "href": _href(path, page, base)})  # fmt: skip
    _text(root, "id", _id(config, page, base))
    times = [atom_date(doc.date) or UNDATED for doc in documents]
    _text(root, "updated", max(times, key=_instant, default=UNDATED))
    _text(ET.SubElement(root, "author"), "name", config.title)
    _text(root, "generator", "archivist")
    entries = {} if entries is None else entries
    written = []
    for doc in documents:
        href = _href(path, archive.document_path(doc), base)
        if (doc.id, href) not in entries:
            entries[doc.id, href] = _serialised_entry(_entry(archive, doc, href, base))
        written.append(entries[doc.id, href])
    head = _serialise(root, note=RELATIVE_NOTE if base is None else "")
    end = head.rindex("</feed>")
    return head[:end] + "".join(written) + head[end:]


def _entry(archive: Archive, doc: Document, href: str, base: str | None) -> ET.Element:
    page = archive.document_path(doc)
    entry = ET.Element("entry")
    if doc.lang and doc.lang != archive.config.language:
        entry.set(_XML_LANG, doc.lang)
    _text(entry, "title", doc.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": href})
    _text(entry, "id", _id(archive.config, page, base, doc.id))
    _text(entry, "updated", atom_date(doc.date) or UNDATED)
    if doc.byline:
        _text(ET.SubElement(entry, "author"), "name", doc.byline)
    summary = summary_of(doc)
    if summary:
        _text(entry, "summary", summary)
    return entry


def _serialised_entry(entry: ET.Element) -> str:
    """An entry's text as _serialise writes a child of the feed's root: indented one
    level, on lines of its own."""
    ET.indent(entry, level=1)
    return "  " + ET.tostring(entry, "unicode") + "\n"


def summary_of(doc: Document) -> str:
    """The document's first paragraph (else its first block), shortened to SUMMARY_LIMIT."""
    first = doc.blocks[0].text if doc.blocks else ""
    text = next((b.text for b in doc.blocks if b.kind == "paragraph"), first)
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT].rstrip() + "…"


def _id(config: Config, page: str, base: str | None, document_id: str = "") -> str:
    """The page's address, else a name that stays the same from build to build."""
    if base is not None:
        return base + _quoted(page)
    name = f"archivist:{config.title}:{document_id or page}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _href(from_path: str, to_path: str, base: str | None) -> str:
    return base + _quoted(to_path) if base is not None else _quoted(relative(from_path, to_path))


def _quoted(path: str) -> str:
    """A page path (ASCII already escaped) with its other letters percent-encoded."""
    return quote(path, safe="/%")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element


def _serialise(root: ET.Element, note: str = "") -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + note + ET.tostring(root, "unicode") + "\n"

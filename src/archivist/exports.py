"""The archive's open data: JSON per document, entities, mentions and quotes as CSV,
W3C Web Annotations per document, and an index of them all, under data/.

CSV files are RFC 4180 (comma separated, "\\r\\n" line ends, fields quoted when they
must be), UTF-8 without a byte order mark, one header row, rows in a fixed order.
Document text is untrusted and a spreadsheet runs a cell that starts with "=", "+",
"-" or "@" as a formula, so a text cell starting with one of those, their full-width
forms, a tab, a carriage return or an apostrophe gets one leading apostrophe. The
rule is reversible: drop the first character of any text cell that starts with an
apostrophe. Numbers and ids are written as they are; the JSON files are never altered.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from typing import Any

from .archive import Archive
from .export import document_json, dumps, entity_json
from .i18n import Strings, strings
from .model import Document
from .pages import (
    DATA_INDEX_PATH, ENTITIES_DATA_PATH, MENTIONS_CSV_PATH, QUOTES_CSV_PATH,
    annotations_path, document_data_path, wikidata_id,
)  # fmt: skip
from .render import Page, PageJob
from .web_annotations import WIKIDATA_ENTITY, address, document_annotations

MENTION_COLUMNS = (
    "document_id", "document_slug", "block", "start", "end", "text", "type",
    "entity_id", "entity_name", "source", "confidence",
)  # fmt: skip
QUOTE_COLUMNS = (
    "document_id", "document_slug", "block", "start", "end", "text", "kind",
    "speaker_id", "speaker_name", "cue",
)  # fmt: skip
FORMULA_STARTS = tuple("=+-@\t\r'＝＋－＠")  # the last four: full-width forms


def data_files(archive: Archive) -> list[Page]:
    """Every file under data/, in a fixed order."""
    return [job.page() for job in data_jobs(archive)]


def data_jobs(archive: Archive) -> list[PageJob]:
    """data_files, not made yet (see PageJob)."""
    t = strings(archive.config.language)
    jobs = [PageJob(document_data_path(doc), partial(_document_data, archive, doc), (f"d:{doc.id}",))
            for doc in archive.documents]  # fmt: skip
    jobs.append(PageJob(ENTITIES_DATA_PATH, lambda: dumps(entities_json(archive))))
    jobs.append(PageJob(MENTIONS_CSV_PATH, partial(mentions_csv, archive)))
    jobs.append(PageJob(QUOTES_CSV_PATH, partial(quotes_csv, archive)))
    for doc in archive.documents:
        jobs.append(PageJob(annotations_path(doc), partial(_annotation_data, archive, doc, t), (f"d:{doc.id}",)))
    jobs.append(PageJob(DATA_INDEX_PATH, lambda: dumps(data_index(archive))))
    return jobs


def _document_data(archive: Archive, doc: Document) -> str:
    return dumps(document_json(doc, archive.annotations[doc.id], archive.entities))


def _annotation_data(archive: Archive, doc: Document, t: Strings) -> str:
    return dumps(document_annotations(archive, doc, t))


def entities_json(archive: Archive) -> list[dict[str, Any]]:
    """Every listed entity (the contract's fields) with its counts, page and Wikidata item."""
    in_documents: dict[str, int] = {}
    for pairs in archive.document_entities.values():
        for entity_id, _ in pairs:
            in_documents[entity_id] = in_documents.get(entity_id, 0) + 1
    entities = []
    for entity in sorted(archive.entities.values(), key=lambda e: e.id):
        data = entity_json(entity)
        data["mentions"] = archive.mention_count(entity.id)
        data["documents"] = in_documents.get(entity.id, 0)
        data["quotes"] = len(archive.quotes.get(entity.id, []))
        data["url"] = address(archive.config, ENTITIES_DATA_PATH, archive.entity_path(entity))
        qid = wikidata_id(entity)
        if qid:
            data["wikidata"] = WIKIDATA_ENTITY + qid
        entities.append(data)
    return entities


def mentions_csv(archive: Archive) -> str:
    """One row per mention: documents by id, mentions by position."""
    rows = []
    for doc in _by_id(archive):
        notes = archive.annotations[doc.id]
        for m in sorted(notes.mentions, key=lambda m: (m.block, m.start, m.end)):
            entity = archive.entities.get(m.entity or "")
            rows.append([doc.id, doc.slug, m.block, m.start, m.end, cell(m.text), m.type,
                         m.entity or "", cell(entity.name) if entity else "", m.source,
                         round(m.confidence, 3)])  # fmt: skip
    return _csv(MENTION_COLUMNS, rows)


def quotes_csv(archive: Archive) -> str:
    """One row per quote: documents by id, quotes by position."""
    rows = []
    for doc in _by_id(archive):
        notes = archive.annotations[doc.id]
        for q in sorted(notes.quotes, key=lambda q: (q.block, q.start, q.end)):
            speaker = archive.entities.get(q.speaker or "")
            rows.append([doc.id, doc.slug, q.block, q.start, q.end, cell(q.text), q.kind,
                         q.speaker or "", cell(speaker.name) if speaker else "",
                         cell(q.cue or "")])  # fmt: skip
    return _csv(QUOTE_COLUMNS, rows)


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (see the module doc)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def data_index(archive: Archive) -> dict[str, Any]:
    """What data/ holds: the archive-wide files and, per document, its page and files."""

    def here(path: str) -> str:
        return address(archive.config, DATA_INDEX_PATH, path)

    return {
        "title": archive.config.title,
        "description": archive.config.description,
        "language": archive.config.language,
        "terms": strings(archive.config.language).data_terms,
        "entities": here(ENTITIES_DATA_PATH),
        "mentions": here(MENTIONS_CSV_PATH),
        "quotes": here(QUOTES_CSV_PATH),
        "documents": [
            {"id": doc.id, "slug": doc.slug, "title": doc.title, "date": doc.date,
             "page": here(archive.document_path(doc)),
             "json": here(document_data_path(doc)),
             "annotations": here(annotations_path(doc))}
            for doc in archive.documents
        ],  # fmt: skip
    }


def _by_id(archive: Archive) -> list[Document]:
    return sorted(archive.documents, key=lambda doc: doc.id)


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()

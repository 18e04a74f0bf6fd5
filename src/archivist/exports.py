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
from collections.abc import Callable
from functools import partial
from typing import Any

from .archive import Archive
from .export import document_json, dumps_data, entity_json
from .i18n import Strings, strings
from .model import Document
from .pages import (
    DATA_INDEX_PATH, ENTITIES_DATA_PATH, MENTIONS_CSV_PATH, QUOTES_CSV_PATH,
    annotations_path, document_data_path, wikidata_id,
)  # fmt: skip
from .page_keys import summary_source
from .render import Page, PageJob
from .reuse import Reuse
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
ROW_KINDS = ("mentions", "quotes")  # the CSV exports with rows per document


def data_files(archive: Archive) -> list[Page]:
    """Every file under data/, in a fixed order."""
    return [job.page() for job in data_jobs(archive)]


def data_jobs(archive: Archive, kept: Reuse[Any] | None = None) -> list[PageJob]:
    """data_files, not made yet (see PageJob); with kept, each document's rows of the
    CSV files and entry in the data index are those of the last build while their
    inputs are the same (reuse.py)."""
    t = strings(archive.config.language)
    jobs = [PageJob(document_data_path(doc), partial(_document_data, archive, doc), (f"d:{doc.id}",))
            for doc in archive.documents]  # fmt: skip
    counts = entity_counts(archive)
    jobs.append(PageJob(ENTITIES_DATA_PATH, lambda: dumps_data(entities_json(archive, counts)),
                        (summary_source("entity-data", counts), *(f"e:{e}" for e in archive.entities))))  # fmt: skip
    jobs.append(PageJob(MENTIONS_CSV_PATH, partial(mentions_csv, archive, kept)))
    jobs.append(PageJob(QUOTES_CSV_PATH, partial(quotes_csv, archive, kept)))
    for doc in archive.documents:
        jobs.append(PageJob(annotations_path(doc), partial(_annotation_data, archive, doc, t), (f"d:{doc.id}",)))
    index = data_index(archive, kept)  # here: kept learns only in this process
    jobs.append(PageJob(DATA_INDEX_PATH, lambda: dumps_data(index)))
    return jobs


def _document_data(archive: Archive, doc: Document) -> str:
    return dumps_data(document_json(doc, archive.annotations[doc.id], archive.entities))


def _annotation_data(archive: Archive, doc: Document, t: Strings) -> str:
    return dumps_data(document_annotations(archive, doc, t))


def entity_counts(archive: Archive) -> dict[str, tuple[int, int, int]]:
    """entity id -> (mentions, documents mentioning it, quotes), for every listed entity."""
    in_documents = archive.documents_naming
    return {entity_id: (archive.mention_count(entity_id), in_documents[entity_id],
                        len(archive.quotes.get(entity_id, [])))
            for entity_id in archive.entities}  # fmt: skip


def entities_json(archive: Archive, counts: dict[str, tuple[int, int, int]] | None = None) -> list[dict[str, Any]]:
    """Every listed entity (the contract's fields) with its counts, page and Wikidata item;
    counts is entity_counts(archive), when already known."""
    counts = entity_counts(archive) if counts is None else counts
    entities = []
    for entity in sorted(archive.entities.values(), key=lambda e: e.id):
        data = entity_json(entity)
        data["mentions"], data["documents"], data["quotes"] = counts[entity.id]
        data["url"] = address(archive.config, ENTITIES_DATA_PATH, archive.entity_path(entity))
        qid = wikidata_id(entity)
        if qid:
            data["wikidata"] = WIKIDATA_ENTITY + qid
        entities.append(data)
    return entities


def mentions_csv(archive: Archive, kept: Reuse[Any] | None = None) -> str:
    """One row per mention: documents by id, mentions by position (kept: see data_jobs)."""
    return _csv(MENTION_COLUMNS, archive, ROW_KINDS[0], _mention_rows, kept)


def quotes_csv(archive: Archive, kept: Reuse[Any] | None = None) -> str:
    """One row per quote: documents by id, quotes by position (kept: see data_jobs)."""
    return _csv(QUOTE_COLUMNS, archive, ROW_KINDS[1], _quote_rows, kept)


def _mention_rows(archive: Archive, doc: Document) -> list[list[Any]]:
    rows = []
    for m in sorted(archive.annotations[doc.id].mentions, key=lambda m: (m.block, m.start, m.end)):
        entity = archive.entities.get(m.entity or "")
        rows.append([doc.id, doc.slug, m.block, m.start, m.end, cell(m.text), m.type,
                     m.entity or "", cell(entity.name) if entity else "", m.source,
                     round(m.confidence, 3)])  # fmt: skip
    return rows


def _quote_rows(archive: Archive, doc: Document) -> list[list[Any]]:
    rows = []
    for q in sorted(archive.annotations[doc.id].quotes, key=lambda q: (q.block, q.start, q.end)):
        speaker = archive.entities.get(q.speaker or "")
        rows.append([doc.id, doc.slug, q.block, q.start, q.end, cell(q.text), q.kind,
                     q.speaker or "", cell(speaker.name) if speaker else "",
                     cell(q.cue or "")])  # fmt: skip
    return rows


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (see the module doc)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def data_index(archive: Archive, kept: Reuse[Any] | None = None) -> dict[str, Any]:
    """What data/ holds: the archive-wide files and, per document, its page and files;
    with kept, a document's entry is the last build's while it is the same document."""
    here = partial(address, archive.config, DATA_INDEX_PATH)
    entries = []
    for doc in archive.documents:
        make = partial(_index_entry, archive, doc)
        entries.append(make() if kept is None else kept.get(("index", doc.id), (doc,), make))
    return {
        "title": archive.config.title,
        "description": archive.config.description,
        "language": archive.config.language,
        "terms": strings(archive.config.language).data_terms,
        "entities": here(ENTITIES_DATA_PATH),
        "mentions": here(MENTIONS_CSV_PATH),
        "quotes": here(QUOTES_CSV_PATH),
        "documents": entries,
    }


def _index_entry(archive: Archive, doc: Document) -> dict[str, Any]:
    here = partial(address, archive.config, DATA_INDEX_PATH)
    return {"id": doc.id, "slug": doc.slug, "title": doc.title, "date": doc.date,
            "page": here(archive.document_path(doc)), "json": here(document_data_path(doc)),
            "annotations": here(annotations_path(doc))}  # fmt: skip


def _by_id(archive: Archive) -> list[Document]:
    return sorted(archive.documents, key=lambda doc: doc.id)


RowMaker = Callable[[Archive, Document], list[list[Any]]]


def _csv(header: tuple[str, ...], archive: Archive, kind: str, make_rows: RowMaker, kept: Reuse[Any] | None) -> str:
    """The header, then each document's rows (_document_rows)."""
    return _csv_text([list(header)]) + "".join(_document_rows(archive, kind, make_rows, kept))


def make_rows(archive: Archive, kept: Reuse[Any]) -> None:
    """Each document's rows of every CSV export made into kept, without the files: a
    build makes them in its own process, where the source store finds them (derived.py)."""
    for kind, make in zip(ROW_KINDS, (_mention_rows, _quote_rows)):
        _document_rows(archive, kind, make, kept)


def _document_rows(archive: Archive, kind: str, make_rows: RowMaker, kept: Reuse[Any] | None) -> list[str]:
    """Each document's rows as CSV text, documents by id; with kept, a document's rows
    are the last build's text while it and its resolved annotations are (row_inputs)."""
    texts = []
    for doc in _by_id(archive):
        make = partial(_rows_text, make_rows, archive, doc)
        texts.append(make() if kept is None else kept.get((kind, doc.id), row_inputs(archive, doc), make))
    return texts


def row_inputs(archive: Archive, doc: Document) -> tuple[object, ...]:
    """What a document's rows are made from, for reuse.py: it and its resolved annotations,
    which stay the same object only while the entities they name do (resolve.Kept)."""
    return (doc, archive.annotations[doc.id])


def _rows_text(make_rows: RowMaker, archive: Archive, doc: Document) -> str:
    return _csv_text(make_rows(archive, doc))


def _csv_text(rows: list[list[Any]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()

"""Work a build did on each resolved document, kept on disk for the next process.

The source store (source_store.py) keeps each source's document, annotations and the
keys entity resolution reads from it, so `archivist build` after an edit reads and
resolves no unchanged source again. Two more pieces of per-document work depend on
what resolution then gave the document's names: the digest of its page keys
(page_keys.py) and its rows of the CSV exports (exports.py), 3.5 s of such a build on
the livedoor archive. They are kept with the document in the store, with a digest of
the entity (id, type, name) each of its names was given (resolve.names_digest), and
offered to the next build's reuse (reuse.py) only when its resolution gives the same:
an edit that renames an entity makes them again for every document naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .archive import Archive
from .exports import ROW_KINDS, row_inputs
from .memory import BuildMemory
from .model import Annotations, Document
from .resolve import names_digest


@dataclass(frozen=True)
class Derived:
    """What a build made from one resolved document."""

    names: bytes  # resolve.names_digest when these were made
    digest: tuple[list[str], bytes] | None  # page_keys._document_digest; None: not made
    rows: tuple[str | None, ...]  # its rows of each CSV export (exports.ROW_KINDS); None: not made

    @property
    def marker(self) -> tuple[object, ...]:
        """What a stored entry holds, to tell when it is worth writing again."""
        return (self.names, self.digest is not None, *(rows is not None for rows in self.rows))


def derived_of(memory: BuildMemory, doc: Document, annotations: Annotations) -> Derived | None:
    """What memory's last build made from the document, read with these merged
    annotations; None when that build resolved others (edited by an overrides file)."""
    archive, names = memory.archive, memory.names.get(doc.id)
    if archive is None or names is None or archive.annotations.get(doc.id) is None:
        return None
    if memory.resolution.keys.made(doc.id, (doc, annotations)) is None:
        return None
    resolved = archive.annotations[doc.id]
    digest = memory.digests.documents.made(doc.id, (doc, resolved))
    inputs = row_inputs(archive, doc)
    return Derived(names, digest, tuple(memory.export_rows.made((kind, doc.id), inputs) for kind in ROW_KINDS))


def offer_derived(memory: BuildMemory, archive: Archive, annotations: dict[str, Annotations],
                  last: Archive | None = None) -> None:  # fmt: skip
    """After resolution: the stored work (memory.stored_derived) of each document read
    from the store whose names resolved as when it was made, offered to this build.
    annotations are those resolution read (after overrides); last is memory's last
    build's archive."""
    keyed = memory.entity_keys or {}
    for doc in archive.documents:
        resolved = archive.annotations[doc.id]
        if last is not None and last.annotations.get(doc.id) is resolved and doc.id in memory.names:
            continue  # resolved as the same object (resolve.Kept): same names, and nothing stored to offer
        keys = memory.resolution.keys.made(doc.id, (doc, annotations[doc.id]))
        if keys is None:
            continue
        memory.names[doc.id] = names = names_digest(keys, keyed)
        stored = memory.stored_derived.pop(doc.id, None)
        if stored is None or stored[0] is not doc or stored[1] is not annotations[doc.id]:
            continue  # not the document and annotations it was made from
        derived = stored[2]
        if derived.names != names:
            continue
        if derived.digest is not None:
            memory.digests.documents.offer(doc.id, (doc, resolved), derived.digest)
        inputs = row_inputs(archive, doc)
        for kind, rows in zip(ROW_KINDS, derived.rows):
            if rows is not None:
                memory.export_rows.offer((kind, doc.id), inputs, rows)
    memory.stored_derived.clear()

"""What a long-running process (the preview server) keeps in memory between its builds.

Every build reads every source and fetches every document's annotations from the
cache: seconds on a large archive, even when one file changed. A BuildMemory passed
to successive builds keeps each source's document, merged annotations and warnings
about its text, so the next build reads, annotates and checks only the files whose
size, times or inode changed. All of it is forgotten when the build's setting key or
the registry changes (settings, archivist's code and models: manifest.memory_key); an
edit of the templates only makes the Jinja environment again. The last build's
archive and the entity each name was given are kept too, for previews of edited
pages (preview.py), and so are the annotators' models, loaded once for every build
and preview that annotates in this process, the compiled templates, and the work
done for each document alone (reuse.py). The sources are also kept on disk for the next process (source_store.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .annotators import Models
from .archive import Archive
from .errors import ContentWarning
from .model import Annotations, Document, Entity
from .page_keys import KeptDigests
from .render import KeptJobs
from .resolve import Kept
from .reuse import Reuse

Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass
class Remembered:
    """One source as the last build read it."""

    signature: Signature
    document: Document
    annotations: Annotations | None = None  # merged, before overrides and resolution
    notices: list[ContentWarning] | None = None  # warnings about its text (notices.py)


@dataclass
class BuildMemory:
    """Sources read by earlier builds of one process, by path."""

    setting: str = ""
    sources: dict[Path, Remembered] = field(default_factory=dict)
    entity_keys: dict[str, Entity] | None = None  # the last build's (resolve_keyed); None: no build yet
    archive: Archive | None = None  # the last build's, for previews (preview.py)
    models: Models = field(default_factory=Models)  # for annotators run in this process
    resolution: Kept = field(default_factory=Kept)  # what resolve_keyed reuses
    digests: KeptDigests = field(default_factory=KeptDigests)  # what source_keys and page_keys reuse
    jobs: KeptJobs = field(default_factory=KeptJobs)  # what site_jobs reuses
    export_rows: Reuse[Any] = field(default_factory=Reuse)  # each document's rows and data index entry (exports.py)
    # What the source store on disk holds of each source (source_store.py): its signature
    # and what it holds of the work derived from it (derived.Derived.marker); None: not read yet.
    stored: dict[Path, tuple[Signature, object]] | None = None
    # document id -> (document, annotations, derived.Derived) read from the store, until offered
    stored_derived: dict[str, tuple[Document, Annotations, Any]] = field(default_factory=dict)
    names: dict[str, bytes] = field(default_factory=dict)  # the last build's resolve.names_digest
    stored_slugs: int = 0  # how many slugs the source store holds (slugs.py)
    # A source that cannot be read is built from its last good version (errors.StaleDocument):
    # the preview server's, whose writer is mid-save or mid-fix, not a build's to publish.
    keeps_last_good: bool = False
    renewals: int = 0  # how many times what was kept was dropped, or the templates: see serve.set_aside
    _templates: jinja2.Environment | None = None  # of every build and preview (see templates)
    _templates_digests: dict[str, bytes] = field(default_factory=dict)  # what _templates was made from

    def start(self, setting: str) -> None:
        """Begin a build whose setting key is setting: all is forgotten if it changed."""
        if setting != self.setting:
            self.sources.clear()
            self.entity_keys = None
            self.archive = None
            self.models = Models()  # the models themselves may have changed
            self.resolution = Kept()  # the registry may have changed
            self.digests = KeptDigests()
            self.jobs = KeptJobs()
            self.export_rows = Reuse()
            self._templates = None
            self.stored = None  # the store may still hold the sources: read it again
            self.stored_derived = {}
            self.names = {}
            self.renewals += bool(self.setting)  # a first start drops nothing
            self.setting = setting
        self.resolution.next_build()
        self.digests.next_build()
        self.jobs.next_build()
        self.export_rows.next_build()

    def templates(self, make: Callable[[], jinja2.Environment], digests: dict[str, bytes]) -> jinja2.Environment:
        """The Jinja environment (render.make_environment) of every build and preview:
        the templates are compiled once, 0.5 s a build, and again when their digests
        (template_keys.template_digests) change."""
        if self._templates is None or digests != self._templates_digests:
            self.renewals += self._templates is not None
            self._templates, self._templates_digests = make(), digests
        return self._templates

    def document(self, path: Path) -> tuple[Signature | None, Document | None]:
        """The file's signature now, and its document when the file did not change."""
        signature = _signature(path)
        known = self.sources.get(path)
        return signature, known.document if known and signature == known.signature else None

    def last_good(self, path: Path) -> Document | None:
        """The document an earlier build read from path, when kept (keeps_last_good)."""
        known = self.sources.get(path) if self.keeps_last_good else None
        return known.document if known else None

    def read(self, path: Path, signature: Signature | None, document: Document) -> None:
        """Remember the document just read from path (its annotations come later)."""
        if signature is None:
            self.sources.pop(path, None)
        elif (known := self.sources.get(path)) is None or known.document is not document:
            self.sources[path] = Remembered(signature, document)

    def annotations(self, documents: list[Document]) -> dict[str, Annotations]:
        """The remembered annotations of those documents that have them."""
        by_document = {id(r.document): r.annotations for r in self.sources.values() if r.annotations is not None}
        return {doc.id: by_document[id(doc)] for doc in documents if id(doc) in by_document}

    def notices(self, documents: list[Document],
                make: Callable[[Document], list[ContentWarning]]) -> list[ContentWarning]:  # fmt: skip
        """The notices of every document, made by make only for those not remembered yet."""
        by_document = {id(r.document): r for r in self.sources.values()}
        found: list[ContentWarning] = []
        for doc in documents:
            remembered = by_document.get(id(doc))
            if remembered is None:
                found += make(doc)
                continue
            if remembered.notices is None:
                remembered.notices = make(doc)
            found += remembered.notices
        return found

    def annotated(self, documents: list[Document], annotations: dict[str, Annotations]) -> None:
        """Remember each document's annotations; forget sources that are gone."""
        alive = {id(doc) for doc in documents}
        for path in [p for p, r in self.sources.items() if id(r.document) not in alive]:
            del self.sources[path]
        for remembered in self.sources.values():
            remembered.annotations = annotations.get(remembered.document.id, remembered.annotations)


def _signature(path: Path) -> Signature | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)

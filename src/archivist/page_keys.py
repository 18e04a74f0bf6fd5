"""Which pages an edit leaves as they were, so a rebuild makes only the others.

Every page made from a few documents says which (PageJob.sources: "d:<document id>",
"e:<entity id>", or any other text that shapes the page, such as a summary_source).
Its key hashes the build's setting key (settings, archivist's code: see manifest.py;
not the templates' static files, which pages link to by name) and, for each source,
what the page can show of it: the template it is made with ("t:<template>", with
those it depends on: template_keys.py); a document with its annotations and the
records of the entities it names; an entity's record (with what the registry says of
it), and whether the search page filters by it. An edit of the registry makes again
the pages of the entities whose records it changes and of the documents naming them.
A page whose key is the one it had in the last build, and whose published file is
still there, is linked from the published site instead of being made again. The pages of the document list,
the entity index and the types' lists name the documents or entities they show and a
summary of the counts and rankings they show of the whole archive; an entity's pages
past the first name their documents and their place among its pages. Other pages made from the whole
archive (the feed, the quote index's first page, the CSV exports) have no sources
and are always made.

The keys of the last build are kept in the record of its files
(previous_site.py), written with the manifest; `archivist build --force` ignores them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from .archive import Archive
from .model import Annotations, Block, Document, Entity, Mention, Quote, Related
from .reuse import Reuse



@dataclass
class KeptDigests:
    """The digests of the last build of a long-running process, reused while the
    document, annotations or entity they were made from are the same objects
    (reuse.py; resolve.Kept keeps those that did not change); and its page keys."""

    documents: Reuse[tuple[list[str], bytes]] = field(default_factory=Reuse)
    entities: Reuse[bytes] = field(default_factory=Reuse)
    sources: dict[str, bytes] = field(default_factory=dict)  # the last build's source_keys
    pages: dict[str, tuple[Sequence[str], str]] = field(default_factory=dict)  # path -> (sources, key)

    def next_build(self) -> None:
        self.documents.next_build()
        self.entities.next_build()


def source_keys(archive: Archive, kept: KeptDigests | None = None) -> dict[str, bytes]:
    """A digest per source a page can name: "d:<id>" per document, "e:<id>" per entity."""
    entities = {}
    filters = archive.search_filters  # whether a document page offers the entity to filter by
    for entity in archive.entities.values():
        filtered = filters.offer(entity)
        make = partial(_digest, (_record(entity), filtered))
        entities[f"e:{entity.id}"] = kept.entities.get(entity.id, (entity, filtered), make) if kept else make()
    keys = dict(entities)
    for doc in archive.documents:
        ann = archive.annotations[doc.id]
        make = partial(_document_digest, doc, ann)
        named, digest = kept.documents.get(doc.id, (doc, ann), make) if kept else make()
        shown = [entities.get(f"e:{entity_id}", b"") for entity_id in named]
        keys[f"d:{doc.id}"] = hashlib.sha256(b"".join([digest, *shown])).digest()
    return keys


def _document_digest(doc: Document, ann: Annotations) -> tuple[list[str], bytes]:
    """The ids a document names, and a digest of it with its annotations: every field,
    as tuples in JSON, which took 0.7 s for the livedoor archive where the
    dataclasses' repr took 0.95 s (the names' repr checks every character)."""
    named = sorted({m.entity for m in ann.mentions if m.entity} | {q.speaker for q in ann.quotes if q.speaker})
    fields = (_DOCUMENT(doc), [*map(_BLOCK, doc.blocks)], [*map(_RELATED, doc.related)],
              [*map(_MENTION, ann.mentions)], [*map(_QUOTE, ann.quotes)])  # fmt: skip
    text = json.dumps((fields, named), ensure_ascii=False, check_circular=False)
    return named, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _fields_of(kind: type, *nested: str) -> attrgetter:
    """A getter of the fields of a dataclass but those nested (lists of dataclasses)."""
    return attrgetter(*(f.name for f in dataclasses.fields(kind) if f.name not in nested))


_DOCUMENT = _fields_of(Document, "blocks", "related")
_BLOCK, _RELATED, _MENTION, _QUOTE = map(_fields_of, (Block, Related, Mention, Quote))


def summary_source(label: str, value: object) -> str:
    """A source standing for what a page shows of the whole archive (counts, rankings):
    label and a digest of value, which must hold all of it."""
    return f"{label}:{_digest(value).hex()}"


def page_keys(pages: Iterable[tuple[str, Sequence[str]]], setting: str, keys: dict[str, bytes],
              kept: KeptDigests | None = None) -> dict[str, str]:  # fmt: skip
    """path -> page_key of each (path, sources) of pages. With kept (the same setting's,
    see memory.py), a page whose sources are those it had in the last build, and whose
    digests are as they were, keeps its last key: an edit then hashes the few pages it
    touched, not 65,000."""
    if kept is None:
        return {path: page_key(setting, sources, keys) for path, sources in pages}
    last, made = kept.pages, {}
    changed = {source for source, digest in keys.items() if kept.sources.get(source) != digest}
    changed.update(kept.sources.keys() - keys.keys())
    for path, sources in pages:
        was = last.get(path)
        if was is not None and was[0] == sources and changed.isdisjoint(sources):
            made[path] = was
        else:
            made[path] = (sources, page_key(setting, sources, keys))
    kept.pages, kept.sources = made, keys
    return {path: key for path, (_, key) in made.items()}


def page_key(setting: str, sources: Sequence[str], keys: dict[str, bytes]) -> str:
    """The key of a page made from sources (see the module doc)."""
    parts = [setting.encode()]
    for source in sources:
        parts += (b"\x00", source.encode("utf-8", "surrogateescape"), b"\x01", keys.get(source, b""))
    return hashlib.blake2b(b"".join(parts), digest_size=16).hexdigest()  # short: 65,000 in each record


def _record(entity: Entity) -> tuple:
    return (entity.id, entity.name, entity.type, tuple(entity.aliases), entity.description,
            sorted(entity.links.items()), entity.registry)  # fmt: skip


def _digest(value: object) -> bytes:
    # repr, not pickle: pickle's bytes depend on which equal strings are one object,
    # which differs between freshly annotated and cached annotations.
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).digest()


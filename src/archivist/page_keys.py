"""Which pages an edit leaves as they were, so a rebuild makes only the others.

Every page made from a few documents says which (PageJob.sources: "d:<document id>",
"e:<entity id>", or any other text that shapes the page). Its key hashes the build's
setting key (settings, templates, registry, archivist's code: see manifest.py) and,
for each source, what the page can show of it: a document with its annotations and
the records of the entities it names; an entity's record. A page whose key is the
one it had in the last build, and whose published file is still there, is linked
from the published site instead of being made again. Pages made from the whole
archive (the lists, the indexes, the feed) have no sources and are always made.

The keys of the last build are kept in .archivist/pages.json, written with the
manifest; `archivist build --force` ignores them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from .archive import Archive
from .config import Config
from .model import Entity
from .records import read_json_record, write_json_record

KEYS_FILE = ".archivist/pages.json"  # relative to the archive folder
FORMAT = 1


def source_keys(archive: Archive) -> dict[str, bytes]:
    """A digest per source a page can name: "d:<id>" per document, "e:<id>" per entity."""
    entities = {f"e:{entity.id}": _digest(_record(entity)) for entity in archive.entities.values()}
    keys = dict(entities)
    for doc in archive.documents:
        named = sorted({m.entity for m in archive.annotations[doc.id].mentions if m.entity}
                       | {q.speaker for q in archive.annotations[doc.id].quotes if q.speaker})  # fmt: skip
        shown = [entities.get(f"e:{entity_id}", b"") for entity_id in named]
        keys[f"d:{doc.id}"] = _digest((doc, archive.annotations[doc.id], named, shown))
    return keys


def page_key(setting: str, sources: Sequence[str], keys: dict[str, bytes]) -> str:
    """The key of a page made from sources (see the module doc)."""
    parts = [setting.encode()]
    for source in sources:
        parts += (b"\x00", source.encode("utf-8", "surrogateescape"), b"\x01", keys.get(source, b""))
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _record(entity: Entity) -> tuple:
    return (entity.id, entity.name, entity.type, tuple(entity.aliases), entity.description,
            sorted(entity.links.items()), entity.registry)  # fmt: skip


def _digest(value: object) -> bytes:
    # repr, not pickle: pickle's bytes depend on which equal strings are one object,
    # which differs between freshly annotated and cached annotations.
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).digest()


def keys_path(config: Config) -> Path:
    return config.site_dir / KEYS_FILE


def read_keys(config: Config) -> dict[str, str]:
    """The last build's page keys; none when missing or unreadable."""
    data = read_json_record(keys_path(config), FORMAT)
    if data is None or not isinstance(data.get("pages"), dict):
        return {}
    return {str(path): str(key) for path, key in data["pages"].items()}


def write_keys(config: Config, keys: dict[str, str]) -> None:
    write_json_record(keys_path(config), FORMAT, {"pages": keys})


def forget_keys(config: Config) -> None:
    """Drop the keys before a build writes: an interrupted build's pages are never trusted."""
    keys_path(config).unlink(missing_ok=True)

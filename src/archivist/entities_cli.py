"""`archivist entities SITE`: the archive's entities, and suggestions for its registry.

The archive is loaded as a build loads it (annotations from the cache, overrides
applied, entities resolved), so a warm cache runs no model. The listing gives each
entity's mentions, documents, type and the annotators that found it; ``--suggest``
prints TOML to paste into entities.toml: frequent entities the registry lacks, and
likely duplicates (duplicates.py) joined into one entry whose ``merged_from`` keeps
the old addresses working.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import IO

from .archive import Archive
from .duplicates import likely_duplicates
from .model import Entity
from .slugs import make_slug

MIN_MENTIONS = 3  # least mentions for an entity outside the registry to be suggested


@dataclass(frozen=True)
class EntityRow:
    entity: Entity  # the entity
    mentions: int  # mentions in the whole archive
    documents: int  # documents mentioning it
    sources: Counter  # annotator (or "editor") -> mentions it made


def entity_rows(archive: Archive) -> list[EntityRow]:
    """One row per entity, most mentioned first, then by id."""
    rows = []
    for entity in archive.entities.values():
        occurrences = archive.mentions.get(entity.id, [])
        rows.append(EntityRow(
            entity=entity,
            mentions=len(occurrences),
            documents=len({o.document for o in occurrences}),
            sources=Counter(o.mention.source for o in occurrences),
        ))
    return sorted(rows, key=lambda r: (-r.mentions, r.entity.id))


def print_entities(archive: Archive, out: IO[str]) -> None:
    """A table of the entities: mentions, documents, type, id, sources, name."""
    out.write(f"{'mentions':>8} {'docs':>5}  {'type':<8} {'id':<36} {'sources':<24} name\n")
    for row in entity_rows(archive):
        sources = ", ".join(f"{s} {n}" for s, n in sorted(row.sources.items()))
        mark = " (registry)" if row.entity.registry else ""
        out.write(f"{row.mentions:>8} {row.documents:>5}  {row.entity.type:<8} {row.entity.id:<36} "
                  f"{sources:<24} {row.entity.name}{mark}\n")


def print_suggestions(archive: Archive, out: IO[str], min_mentions: int = MIN_MENTIONS) -> None:
    """TOML for entities.toml: likely duplicates first, then frequent unregistered entities."""
    rows = {row.entity.id: row for row in entity_rows(archive)}
    per_document = [[e for e, _ in pairs] for pairs in archive.document_entities.values()]
    groups = likely_duplicates(list(archive.entities.values()), per_document)
    grouped = {e.id for group in groups for e in group}
    out.write("# Suggestions for entities.toml: check each one before pasting it.\n")
    for group in groups:
        out.write("\n" + _duplicate_entry([rows[e.id] for e in group]))
    frequent = [r for r in rows.values() if not r.entity.registry and r.entity.id not in grouped
                and r.mentions >= min_mentions]
    for row in frequent:
        out.write("\n" + _entry(row, [], []))


def _duplicate_entry(rows: list[EntityRow]) -> str:
    """One entry for a group of likely duplicates, the most mentioned (registry first) as the name."""
    main = min(rows, key=lambda r: (not r.entity.registry, -r.mentions, -len(r.entity.name), r.entity.id))
    others = [r for r in rows if r is not main]
    names = [f"{r.entity.name} ({r.entity.id}, {r.mentions})" for r in rows]
    header = f"# Likely one {main.entity.type.lower()}: {'; '.join(names)}\n"
    aliases = [a for r in others for a in (r.entity.name, *r.entity.aliases)]
    merged = [r.entity.id for r in others if not r.entity.registry]
    if main.entity.registry:
        lines = [f"# add to the registry entry {main.entity.id!r}:"]
        lines += [f"#   aliases = {_toml_list(aliases)}", f"#   merged_from = {_toml_list(merged)}"]
        return header + "\n".join(lines) + "\n"
    return header + _entry(main, aliases, merged)


def _entry(row: EntityRow, aliases: list[str], merged: list[str]) -> str:
    """An [[entity]] table keeping the entity's current address (its slug)."""
    entity = row.entity
    sources = ", ".join(sorted(row.sources))
    every = [a for a in dict.fromkeys([*entity.aliases, *aliases]) if a != entity.name]
    lines = [f"# {row.mentions} mention(s) in {row.documents} document(s); found by {sources}",
             "[[entity]]", f"name = {_toml(entity.name)}", f"type = {_toml(entity.type)}"]
    if every:
        lines.append(f"aliases = {_toml_list(every)}")
    if make_slug(entity.slug) == entity.slug:  # the registry accepts it: the address stays
        lines.append(f"slug = {_toml(entity.slug)}")
    if merged:
        lines.append(f"merged_from = {_toml_list(merged)}")
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml(i) for i in items) + "]"

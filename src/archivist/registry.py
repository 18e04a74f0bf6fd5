"""The entity registry: the archive's own list of entities and the names they go by.

It is read from ``entities.toml`` in the archive folder; a missing file is an
empty registry. Each entity is one ``[[entity]]`` table::

    [[entity]]
    name = "ジョン・ビラセノール"          # canonical name (required)
    type = "PERSON"                       # PERSON | ORG | PLACE | PRODUCT | EVENT (required)
    aliases = ["ビラセノール", "John Villasenor"]  # other names it goes by
    description = "…"                     # one line shown on the entity page
    wikidata = "Q…"                       # optional, becomes links["wikidata"]
    slug = "john-villasenor"              # optional URL segment (default: from the name)
    merged_from = ["person/ビラセノール"]   # ids this entity replaces (their pages redirect here)
    split_from = ["person/ジョン"]          # an id several entities replace (its page lists them)

The entity's id is ``<type in lower case>/<slug>``. An explicit slug wins: entities
without one take the slug of their name, and when that is taken (by an explicit slug
or an earlier entity) -2, -3, ... in file order. Registry entities always win over
the recognisers' guesses. Names are compared in NFKC form (full-width and half-width
letters alike), so no name or alias may be claimed by two entities.

Merging: list the old ids in ``merged_from`` (and the names in ``aliases``); mentions
an editor linked to an old id, or that would get it, go to this entity, and the old
page becomes a redirect. Splitting: two entries, each with the names that tell them
apart and the old id in ``split_from``; the old page becomes a list of both.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProblemList, RegistryError
from .model import ENTITY_TYPES, Entity
from .slugs import make_slug

KEYS = ("name", "type", "aliases", "description", "wikidata", "slug", "merged_from", "split_from")
OLD_ID = re.compile(r"^(%s)/[^/\s]+$" % "|".join(t.lower() for t in ENTITY_TYPES))


def name_key(surface: str) -> str:
    """The form names are compared in: NFKC, outer spaces trimmed."""
    return unicodedata.normalize("NFKC", surface).strip()


@dataclass
class Registry:
    """The registry's entities and an index of every name and alias to an entity id."""

    entities: list[Entity] = field(default_factory=list)  # in file order
    aliases: dict[str, str] = field(default_factory=dict)  # name_key(name or alias) -> entity id
    by_id: dict[str, Entity] = field(default_factory=dict)  # entity id -> entity
    merged: dict[str, str] = field(default_factory=dict)  # old id -> the entity id replacing it
    split: dict[str, list[str]] = field(default_factory=dict)  # old id -> the ids replacing it

    @classmethod
    def empty(cls) -> Registry:
        return cls()

    def lookup(self, surface: str) -> Entity | None:
        """The entity a name or alias stands for, or None."""
        entity_id = self.aliases.get(name_key(surface))
        return self.get(entity_id) if entity_id else None

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self.by_id.get(entity_id)

    def canonical(self, entity_id: str) -> str:
        """The id that stands for entity_id now: the merging entity's for a merged id."""
        return entity_id if entity_id in self.by_id else self.merged.get(entity_id, entity_id)

    def redirects(self) -> dict[str, list[str]]:
        """Old id -> the registry ids that replace it (one for a merge, several for a split)."""
        return {**{old: [new] for old, new in self.merged.items()}, **self.split}

    def surfaces(self) -> list[tuple[str, Entity]]:
        """Every (name or alias as written, entity) pair, in file order."""
        return [(s, e) for e in self.entities for s in (e.name, *e.aliases)]

    def digest(self) -> str:
        """A hash of the whole registry, for cache keys."""
        data = json.dumps([asdict(e) for e in self.entities], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def load_registry(path: Path) -> Registry:
    """Read entities.toml; a missing file is an empty registry; every problem raised at once."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Registry.empty()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise RegistryError(f"cannot read: {error}", path)
    problems: list[RegistryError] = []
    extra = sorted(set(data) - {"entity"})
    if extra:
        problems.append(RegistryError(f"unknown top-level key(s) {extra}; expected [[entity]] tables", path))
    tables = data.get("entity", [])
    if not isinstance(tables, list):
        tables = []
        problems.append(RegistryError("'entity' must be an array of tables ([[entity]])", path))
    registry = Registry()
    explicit = {f"{t['type'].lower()}/{t['slug']}" for t in tables
                if isinstance(t, dict) and not _table_problems(t) and "slug" in t}
    for number, table in enumerate(tables, start=1):
        where = f"entity {number}"
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            where += f" ({table['name']})"
        found = _table_problems(table)
        if not found:
            found = _add(registry, _entity(table, explicit | set(registry.by_id)))
        if not found:
            found = _add_replaced(registry, registry.entities[-1].id, table)
        problems.extend(RegistryError(f"{where}: {problem}", path) for problem in found)
    for old in sorted(set(registry.redirects()) & set(registry.by_id)):
        problems.append(RegistryError(f"{old!r} is an entity and also listed as replaced", path))
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemList(problems)
    return registry


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a name; tab and newline pass


def _table_problems(table: Any) -> list[str]:
    """What is wrong with one [[entity]] table on its own."""
    if not isinstance(table, dict):
        return ["must be a table"]
    problems = [f"unknown key {key!r}; known: {list(KEYS)}" for key in table if key not in KEYS]
    for key in ("name", "type"):
        if key not in table:
            problems.append(f"missing {key!r}")
    for key in ("name", "type", "description", "wikidata", "slug"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            problems.append(f"{key!r} must be a non-empty string")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append("'aliases' must be a list of non-empty strings")
    texts = [table.get(k) for k in ("name", "description", "slug")] + (aliases if isinstance(aliases, list) else [])
    if any(isinstance(t, str) and CONTROL.search(t) for t in texts):
        problems.append("a name, alias, description or slug holds a control character (NUL, escape …)")
    for key in ("merged_from", "split_from"):
        ids = table.get(key, [])
        if not isinstance(ids, list) or not all(isinstance(i, str) and OLD_ID.match(i) for i in ids):
            problems.append(f"{key!r} must be a list of entity ids like 'person/old-slug'")
    kind = table.get("type")
    if isinstance(kind, str) and kind not in ENTITY_TYPES:
        problems.append(f"type {kind!r} is not one of {list(ENTITY_TYPES)}")
    slug = table.get("slug")
    if isinstance(slug, str) and slug.strip() and make_slug(slug) != slug:
        problems.append(f"slug {slug!r} is not a URL segment (e.g. {make_slug(slug)!r})")
    return problems


def _entity(table: dict[str, Any], taken: set[str]) -> Entity:
    """The entity of a checked table; without an explicit slug, the first free one of its name."""
    name = table["name"].strip()
    kind = table["type"].lower()
    slug = table.get("slug")
    if slug is None:
        base, count = make_slug(name), 1
        slug = base
        while f"{kind}/{slug}" in taken:
            count += 1
            slug = f"{base}-{count}"
    aliases = []
    for alias in table.get("aliases", []):
        alias = alias.strip()
        if name_key(alias) != name_key(name) and alias not in aliases:
            aliases.append(alias)
    return Entity(
        id=f"{table['type'].lower()}/{slug}",
        name=name,
        type=table["type"],
        aliases=aliases,
        description=table.get("description"),
        links={"wikidata": table["wikidata"]} if "wikidata" in table else {},
        registry=True,
    )


def _add(registry: Registry, entity: Entity) -> list[str]:
    """Add entity to registry, or say why it clashes with the entities before it."""
    if registry.get(entity.id):
        return [f"id {entity.id!r} is already used by another entity (set a distinct 'slug')"]
    problems = []
    for surface in (entity.name, *entity.aliases):
        owner = registry.aliases.get(name_key(surface))
        if owner:
            problems.append(f"name {surface!r} is already claimed by {owner!r}")
    if problems:
        return problems
    registry.entities.append(entity)
    registry.by_id[entity.id] = entity
    for surface in (entity.name, *entity.aliases):
        registry.aliases[name_key(surface)] = entity.id
    return []


def _add_replaced(registry: Registry, entity_id: str, table: dict[str, Any]) -> list[str]:
    """Record the old ids an entity replaces, or say why one cannot be."""
    problems = []
    for old in table.get("merged_from", []):
        if old in registry.by_id or old in registry.split or registry.merged.get(old, entity_id) != entity_id:
            problems.append(f"merged_from {old!r} is already an entity or replaced by another")
        else:
            registry.merged[old] = entity_id
    for old in table.get("split_from", []):
        if old in registry.by_id or old in registry.merged:
            problems.append(f"split_from {old!r} is already an entity or merged into another")
        elif entity_id not in registry.split.setdefault(old, []):
            registry.split[old].append(entity_id)
    return problems

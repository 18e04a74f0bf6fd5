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

The entity's id is ``<type in lower case>/<slug>``. Registry entities always win
over the recognisers' guesses. Names are compared in NFKC form (full-width and
half-width letters alike), so no name or alias may be claimed by two entities.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProblemList, RegistryError
from .model import ENTITY_TYPES, Entity
from .slugs import make_slug

KEYS = ("name", "type", "aliases", "description", "wikidata", "slug")


def name_key(surface: str) -> str:
    """The form names are compared in: NFKC, outer spaces trimmed."""
    return unicodedata.normalize("NFKC", surface).strip()


@dataclass
class Registry:
    """The registry's entities and an index of every name and alias to an entity id."""

    entities: list[Entity] = field(default_factory=list)  # in file order
    aliases: dict[str, str] = field(default_factory=dict)  # name_key(name or alias) -> entity id
    by_id: dict[str, Entity] = field(default_factory=dict)  # entity id -> entity

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
    for number, table in enumerate(tables, start=1):
        where = f"entity {number}"
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            where += f" ({table['name']})"
        found = _table_problems(table)
        if not found:
            found = _add(registry, _entity(table))
        problems.extend(RegistryError(f"{where}: {problem}", path) for problem in found)
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemList(problems)
    return registry


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
    kind = table.get("type")
    if isinstance(kind, str) and kind not in ENTITY_TYPES:
        problems.append(f"type {kind!r} is not one of {list(ENTITY_TYPES)}")
    slug = table.get("slug")
    if isinstance(slug, str) and slug.strip() and make_slug(slug) != slug:
        problems.append(f"slug {slug!r} is not a URL segment (e.g. {make_slug(slug)!r})")
    return problems


def _entity(table: dict[str, Any]) -> Entity:
    name = table["name"].strip()
    slug = table.get("slug") or make_slug(name)
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

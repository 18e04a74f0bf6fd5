"""Editors' overrides: corrections to the annotations, in plain TOML files.

Two places hold them: ``<document>.overrides.toml`` next to a document in the
content folder (``content/a.txt`` -> ``content/a.overrides.toml``), and
``overrides.toml`` in the archive folder, whose entries name their document with
``document = "<id or source path>"`` (without it, an entry is for every document).
Each entry is a table named by what it does, anchored by its words (anchors.py)::

    [[reject]]                 # not an entity
    exact = "どい"
    prefix = "…"               # optional: text just before, to pick one occurrence
    suffix = "…"               # optional: text just after

    [[retype]]                 # change its type
    exact = "川越"
    type = "PERSON"

    [[link]]                   # link it to an entity (type from the id if not given)
    exact = "紳助"
    entity = "person/島田紳助"

    [[add]]                    # a mention the annotators missed
    exact = "オールスター感謝祭"
    type = "EVENT"
    entity = "event/…"         # optional

    [[quote]]                  # a quote's speaker or kind (the quote holding exact)
    exact = "潰すぞ"
    speaker = "person/島田紳助"  # an entity id, or "" for nobody
    kind = "direct"            # direct | partial | term | document

Without prefix and suffix an entry applies to every occurrence of its words that is
not part of a longer mention (紳助 alone, not in 島田紳助); with them, to every
occurrence with that context, or after an edit to the text, the one fitting best.
Overrides apply after annotation (cached results stay cached) and before entity
resolution. An entry whose words are no longer found is reported, never dropped
silently; a bad file or entry is reported with its line, and the rest still builds.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .anchors import Anchor
from .config import Config
from .errors import ArchivistError
from .model import ENTITY_TYPES, QUOTE_KINDS

SITE_FILE = "overrides.toml"
SUFFIX = ".overrides.toml"
ANCHOR_KEYS = ("exact", "prefix", "suffix")
# action -> (required keys, optional keys) besides the anchor's
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reject": ((), ()),
    "retype": (("type",), ()),
    "link": (("entity",), ("type",)),
    "add": (("type",), ("entity",)),
    "quote": ((), ("speaker", "kind")),
}
ENTITY_ID = re.compile(r"^(%s)/\S+$" % "|".join(t.lower() for t in ENTITY_TYPES))


class OverrideError(ArchivistError):
    """An overrides file or entry is malformed, or an entry no longer finds its words."""


@dataclass(frozen=True)
class Override:
    action: str  # one of ACTIONS
    anchor: Anchor  # the words it applies to
    path: str  # the overrides file, relative to the archive folder
    line: int  # line of the entry's [[action]] header (0 if unknown)
    document: str | None  # the document's id, source path or path without suffix; None: all
    type: str | None = None  # entity type for retype, add and link
    entity: str | None = None  # entity id for link and add
    speaker: str | None = None  # quote: the speaker's entity id, "" for nobody
    kind: str | None = None  # quote: its kind

    def error(self, message: str) -> OverrideError:
        """An error naming this entry's file, line and words."""
        where = f"line {self.line}: " if self.line else ""
        return OverrideError(f"{where}[[{self.action}]] {self.anchor.exact!r}: {message}", self.path)


def type_of_id(entity_id: str) -> str:
    """The entity type an id starts with ("person/x" -> "PERSON")."""
    return entity_id.split("/", 1)[0].upper()


def override_files(config: Config) -> list[Path]:
    """Every overrides file of the archive, sorted: what a build's fingerprint must include."""
    files = sorted(config.content_path.rglob("*" + SUFFIX)) if config.content_path.is_dir() else []
    files = [f for f in files if f.is_file() and not any(
        p.startswith(".") for p in f.relative_to(config.content_path).parts)]
    site_file = config.site_dir / SITE_FILE
    return ([site_file] if site_file.is_file() else []) + files


def load_overrides(config: Config) -> tuple[list[Override], list[ArchivistError]]:
    """Every override of the archive, and every problem with the files (those entries skipped)."""
    overrides: list[Override] = []
    problems: list[ArchivistError] = []
    for path in override_files(config):
        relative = path.relative_to(config.site_dir).as_posix()
        document = None if relative == SITE_FILE else relative[: -len(SUFFIX)]
        found, trouble = read_overrides(path, relative, document)
        overrides.extend(found)
        problems.extend(trouble)
    return overrides, problems


def read_overrides(
    path: Path, relative: str, document: str | None
) -> tuple[list[Override], list[OverrideError]]:
    """The entries of one file (document None: the archive-wide file), and its problems."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        return [], [OverrideError(f"cannot read: {error}", relative)]
    problems = [OverrideError(f"unknown table [[{key}]]; known: {', '.join(ACTIONS)}", relative)
                for key in data if key not in ACTIONS]
    overrides = []
    for action in (a for a in data if a in ACTIONS):
        entries = data[action] if isinstance(data[action], list) else [data[action]]
        lines = _header_lines(text, action)
        for number, entry in enumerate(entries):
            line = lines[number] if number < len(lines) else 0
            where = f"line {line}: [[{action}]]" if line else f"[[{action}]] entry {number + 1}"
            trouble = _entry_problems(action, entry, site_wide=document is None)
            if trouble:
                problems.extend(OverrideError(f"{where}: {t}", relative) for t in trouble)
                continue
            overrides.append(_override(action, entry, relative, line, document))
    return overrides, problems


def _header_lines(text: str, action: str) -> list[int]:
    """Line numbers (from 1) of each [[action]] header, in order."""
    header = re.compile(r"^\s*\[\[\s*%s\s*\]\]" % re.escape(action))
    return [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def _entry_problems(action: str, entry: Any, site_wide: bool) -> list[str]:
    """What is wrong with one entry, on its own."""
    if not isinstance(entry, dict):
        return ["must be a table"]
    required, optional = ACTIONS[action]
    known = (*ANCHOR_KEYS, *required, *optional, *(("document",) if site_wide else ()))
    problems = [f"unknown key {key!r}; known: {list(known)}" for key in entry if key not in known]
    problems += [f"missing {key!r}" for key in ("exact", *required) if key not in entry]
    for key, value in entry.items():
        if key in known and not isinstance(value, str):
            problems.append(f"{key!r} must be a string")
    if entry.get("exact") == "":
        problems.append("'exact' must not be empty")
    if isinstance(entry.get("type"), str) and entry["type"] not in ENTITY_TYPES:
        problems.append(f"type {entry['type']!r} is not one of {list(ENTITY_TYPES)}")
    if isinstance(entry.get("kind"), str) and entry["kind"] not in QUOTE_KINDS:
        problems.append(f"kind {entry['kind']!r} is not one of {list(QUOTE_KINDS)}")
    for key in ("entity", "speaker"):
        value = entry.get(key)
        if isinstance(value, str) and value and not ENTITY_ID.match(value):
            problems.append(f"{key} {value!r} is not an entity id like 'person/john-smith'")
    if action == "quote" and "speaker" not in entry and "kind" not in entry:
        problems.append("give 'speaker', 'kind' or both")
    return problems


def _override(action: str, entry: dict[str, str], path: str, line: int, document: str | None) -> Override:
    return Override(
        action=action,
        anchor=Anchor(entry["exact"], entry.get("prefix", ""), entry.get("suffix", "")),
        path=path,
        line=line,
        document=entry.get("document", document),
        type=entry.get("type"),
        entity=entry.get("entity"),
        speaker=entry.get("speaker"),
        kind=entry.get("kind"),
    )

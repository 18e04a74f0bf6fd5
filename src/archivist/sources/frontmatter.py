"""Front matter at the top of a Markdown file: YAML between --- lines or TOML between
+++ lines, read into the document's title, date, byline, lang, tags, url and meta."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .parsed import ParseError

FENCES = {"---": ("---", "..."), "+++": ("+++",)}
FIELDS = {"title", "date", "byline", "author", "lang", "tags", "url"}
LINE_CONTROLS = frozenset("\t\n\r")  # the only control characters a value may hold


@dataclass
class FrontMatter:
    title: str | None = None  # the document's title
    date: str | None = None  # publication date, ISO 8601
    byline: str | None = None  # from "byline", or else "author"
    lang: str | None = None  # language code, which wins over detection
    url: str | None = None  # original address
    tags: list[str] = field(default_factory=list)  # from a list or a comma-separated string
    meta: dict[str, str] = field(default_factory=dict)  # unknown keys, values as text


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter (empty if none) and the Markdown body after it."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    fence = lines[start].rstrip()
    if fence not in FENCES:
        return FrontMatter(), text
    closing = FENCES[fence]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in closing), None)
    if end is None:
        raise ParseError(f"front matter opened with {fence} on line {start + 1} is never closed")
    # Blank lines in place of the lines above keep the loaders' line numbers the file's.
    source = "\n" * (start + 1) + "\n".join(lines[start + 1 : end])
    data = _load_toml(source) if fence == "+++" else _load_yaml(source)
    _check_characters(data)
    return _front_matter(data), "\n".join(lines[end + 1 :])


def _load_yaml(source: str) -> Any:
    """YAML without aliases: front matter needs none, and they can nest without end."""
    try:
        aliases = any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(source, yaml.SafeLoader))
        data = None if aliases else yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ParseError(f"bad YAML front matter{where}: {problem}") from None
    except ValueError as error:  # a well-formed but impossible date, such as 2024-13-45
        raise ParseError(f"bad YAML front matter: {error}") from None
    if aliases:
        raise ParseError("bad YAML front matter: aliases (*name) are not allowed")
    return data


def _load_toml(source: str) -> Any:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ParseError(f"bad TOML front matter: {error}") from None
    except ValueError as error:  # an integer too long to convert, for one
        raise ParseError(f"bad TOML front matter: {error}") from None


def _check_characters(data: Any, key: str = "") -> None:
    """Refuse escapes that make characters no text holds: NUL and other controls, and
    lone surrogates, which cannot even be written out as UTF-8."""
    if isinstance(data, dict):
        for name, value in data.items():
            _check_characters(name, key)
            _check_characters(value, key or str(name))
    elif isinstance(data, (list, tuple, set, frozenset)):
        for item in data:
            _check_characters(item, key)
    elif isinstance(data, bytes):
        raise ParseError(f"front matter key {key!r} holds binary data, not text")
    elif isinstance(data, str):
        for char in data:
            if char not in LINE_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"):
                where = f"key {key!r}" if key else "a key"
                raise ParseError(
                    f"front matter {where} holds the character U+{ord(char):04X}, not text"
                )


def _front_matter(data: Any) -> FrontMatter:
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise ParseError("front matter must be a table of keys and values")
    data = {str(key): value for key, value in data.items()}
    for key in ("title", "byline", "author", "lang", "url", "date"):
        if isinstance(data.get(key), (list, dict)):
            raise ParseError(f"front matter key {key!r} must be a single value")
    byline = data.get("byline", data.get("author"))
    return FrontMatter(
        title=_optional(data.get("title")),
        date=_optional(data.get("date")),
        byline=_optional(byline),
        lang=_optional(data.get("lang")),
        url=_optional(data.get("url")),
        tags=_tags(data.get("tags")),
        meta={key: as_text(value) for key, value in data.items() if key not in FIELDS},
    )


def _optional(value: Any) -> str | None:
    if value is None:
        return None
    return as_text(value).strip() or None


def _tags(value: Any) -> list[str]:
    """Tags from a list, or from one comma-separated string."""
    if value is None:
        return []
    items = value if isinstance(value, list) else as_text(value).split(",")
    return [tag for tag in (as_text(item).strip() for item in items) if tag]


def as_text(value: Any) -> str:
    """A front matter value as text: dates in ISO 8601, lists comma-separated."""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(as_text(item) for item in value)
    if isinstance(value, (set, frozenset)):  # YAML's !!set: sorted, as sets have no order
        return ", ".join(sorted(as_text(item) for item in value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=as_text)
    return str(value)

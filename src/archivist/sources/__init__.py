"""Source documents: found in the content folder, decoded, parsed by layout.

read_document is the one place that reads a file; each layout's parser is a pure
function of text (scraped, livedoor, markdown, text), returning a Parsed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path

from ..config import Config
from ..errors import DocumentError
from ..model import Document
from ..slugs import make_slug
from . import livedoor, markdown, scraped, text
from .decode import decode
from .detect import detect_layout
from .lang import detect_language
from .parsed import ParseError, Parsed

__all__ = ["PARSERS", "SUFFIXES", "find_sources", "layout_for", "read_document"]

SUFFIXES = (".txt", ".md", ".markdown")
TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", "#")
# Far above any article or report; larger files are dumps or mistakes, and would take
# the annotators and the search index minutes.
MAX_BYTES = 4_000_000
PARSERS: dict[str, Callable[[str], Parsed]] = {
    "scraped": scraped.parse,
    "livedoor": livedoor.parse,
    "markdown": markdown.parse,
    "text": text.parse,
}


def find_sources(config: Config) -> list[Path]:
    """Every .txt, .md and .markdown file under the content folder, sorted by relative
    path; hidden files and folders and editor temporary files are left out."""
    root = config.content_path
    if not root.is_dir():
        return []
    found: list[str] = []
    _find_in(str(root), "", found)
    return [root / relative for relative in sorted(found)]


def _find_in(folder: str, prefix: str, found: list[str]) -> None:
    """Add the sources under folder to found, as paths after prefix. Every rebuild of the
    preview server lists the archive: directory entries tell files from folders without
    a system call each, where os.walk and a test per file took 0.05 s for 7,000 files,
    and Path.rglob a third of a second. Links to folders are not followed, as os.walk."""
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if not name.startswith("."):
                    _find_in(entry.path, f"{prefix}{name}/", found)
            elif (not name.startswith((".", "#")) and not name.endswith(TEMP_SUFFIXES)
                  and os.path.splitext(name)[1].lower() in SUFFIXES and entry.is_file()):  # fmt: skip
                found.append(prefix + name)


def layout_for(path: Path, config: Config) -> str:
    """The configured layout for a file: the first glob of config.layouts matching its
    path relative to the content folder (POSIX), else config.layout."""
    relative = _relative(Path(path), config.content_path)
    for pattern, layout in config.layouts.items():
        if fnmatchcase(relative, pattern):
            return layout
    return config.layout


def read_document(path: Path, *, layout: str = "auto", source: str | None = None) -> Document:
    """Read, decode and parse one source file; raise DocumentError saying what is wrong."""
    path = Path(path)
    if layout != "auto" and layout not in PARSERS:
        raise ValueError(f"unknown layout {layout!r}; known: auto, {', '.join(PARSERS)}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"cannot read: {error.strerror or error}", path) from None
    if len(data) > MAX_BYTES:
        raise DocumentError(
            f"too large: {len(data) / 1e6:.1f} MB, at most {MAX_BYTES / 1e6:.0f} MB", path
        )
    try:
        decoded = decode(data)
        if layout == "auto":
            layout = detect_layout(decoded.text, path.suffix)
        parsed = PARSERS[layout](decoded.text)
    except ParseError as error:
        raise DocumentError(str(error), path) from None
    body = "\n".join([parsed.title, *(block.text for block in parsed.blocks)])
    return Document(
        id=path.stem,
        slug=make_slug(path.stem),
        source=source if source is not None else str(path),
        lang=parsed.lang or detect_language(body),
        title=parsed.title or path.stem,
        blocks=parsed.blocks,
        byline=parsed.byline,
        date=parsed.date,
        url=parsed.url,
        related=parsed.related,
        tags=parsed.tags,
        meta={**parsed.meta, "layout": layout, "encoding": decoded.encoding},
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:  # resolved only when needed: resolving costs a system call per path part
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

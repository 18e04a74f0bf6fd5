"""Writing the site: a staging folder, then a swap, so readers never see half a site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .archive import Archive
from .errors import BuildError
from .export import document_json, dumps, entity_json
from .render import Page


def data_pages(archive: Archive) -> list[Page]:
    """Open data: the JSON contract per document and the entity list."""
    pages = [
        Page(
            f"data/documents/{doc.slug}.json",
            dumps(document_json(doc, archive.annotations[doc.id], archive.entities)),
        )
        for doc in archive.documents
    ]
    entities = [entity_json(e) for e in sorted(archive.entities.values(), key=lambda e: e.id)]
    pages.append(Page("data/entities.json", dumps(entities)))
    return pages


def write_site(pages: list[Page], static: list[tuple[str, Path]], out_dir: Path) -> int:
    """Write pages and static files into out_dir via a staging folder; return files changed.

    A file whose bytes did not change is carried over with its old mtime, so
    static hosts and rsync see only real changes.
    """
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    try:
        if staging.exists():
            shutil.rmtree(staging)  # left by an interrupted build
        staging.mkdir(parents=True)
        changed = sum(_stage(staging, out_dir, p.path, p.content.encode("utf-8")) for p in pages)
        changed += sum(_stage(staging, out_dir, path, src.read_bytes()) for path, src in static)
        _swap(staging, out_dir)
    except OSError as error:
        raise BuildError(f"cannot write the site: {error.strerror or error}", error.filename or out_dir)
    return changed


def _stage(staging: Path, out_dir: Path, relative: str, data: bytes) -> int:
    """Put one file in staging; 1 if it differs from the published one, else 0."""
    target = staging / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    published = out_dir / relative
    if published.is_file() and published.stat().st_size == len(data) and published.read_bytes() == data:
        shutil.copy2(published, target)  # same bytes: keep the old mtime
        return 0
    target.write_bytes(data)
    return 1


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames; the old site is removed last."""
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old.exists():
        shutil.rmtree(old)

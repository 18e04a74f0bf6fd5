"""Writing the site: a staging folder, the search index over it, then a swap, so readers
never see half a site."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path

from .archive import Archive
from .errors import BuildError
from .exports import data_files
from .render import Page
from .search import SEARCH_FOLDER, index_site


def data_pages(archive: Archive) -> list[Page]:
    """Open data under data/: JSON, CSV and Web Annotations (see exports.py)."""
    return data_files(archive)


def write_site(
    pages: list[Page],
    static: list[tuple[str, Path]],
    out_dir: Path,
    search_language: str | None = None,
) -> int:
    """Write pages and static files into out_dir via a staging folder; return files changed.

    The search index is built over the staging folder (in search_language, else the
    pages' <html lang>) before the swap. A file whose bytes did not change keeps its
    old mtime, so static hosts and rsync see only real changes; index files are not
    counted among the changed files.
    """
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    try:
        if staging.exists():
            shutil.rmtree(staging)  # left by an interrupted build
        staging.mkdir(parents=True)
        changed = sum(_stage(staging, out_dir, p.path, p.content.encode("utf-8")) for p in pages)
        changed += sum(_stage(staging, out_dir, path, src.read_bytes()) for path, src in static)
        if index_site(staging, search_language):
            _keep_mtimes(staging / SEARCH_FOLDER, out_dir / SEARCH_FOLDER)
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


def _keep_mtimes(new: Path, published: Path) -> None:
    """Give each file under new that equals its published twin the twin's mtime."""
    for target in new.rglob("*"):
        old = published / target.relative_to(new)
        if target.is_file() and old.is_file() and old.read_bytes() == target.read_bytes():
            stat = old.stat()
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _swap(staging: Path, out_dir: Path) -> None:
    """Put staging in out_dir's place, atomically where the system allows it.

    On Linux the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE),
    so a reader never finds the output missing; elsewhere two renames are used.
    """
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists() and _exchange(staging, out_dir):
        shutil.rmtree(staging)  # staging now holds the previous site
        return
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old.exists():
        shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0

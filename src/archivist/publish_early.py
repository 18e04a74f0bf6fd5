"""An edit's pages published at once, ahead of the build that follows it.

On a large archive the build after an edit takes seconds (every name resolved again,
every page listed), while the pages the edit changes are made in a fraction of one
(preview.py). So `archivist serve` and `archivist build --watch` put those pages in
the published site first, then build. A page made as it is published is left alone,
so its mtime stays; the others go in by a rename: the published files share inodes
with the kept site (previous_site.py), which must not change.

The build that follows must still trust the output and must make those pages
itself, in case it differs from the preview (a name's page may count mentions across
the archive). So the manifest gets the new mtimes of the folders written to, and the
record names each page with no page key: the build makes it again and keeps the
published file, and its mtime, when the bytes are the same. As the build then finds
a document page as published, the manifest also names the search index's shards
holding it as behind their pages, so they are made again. Nothing is written while a
build of this process writes the output (OUTPUT_WRITES), nor when a folder to write
in is not as the last build left it; the rest of the output is checked after the
pages are in, and if it changed too, the manifest and the record are left as they
are, so the build that follows does not trust the output. One keeping the published
site for the next build (keep_published) gives up when it finds the record changed
meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

from .config import Config
from .manifest import OUTPUT_WRITES, Manifest, output_as_built, read_manifest, write_manifest
from .previous_site import Record, read_record, write_record
from .search import DOCUMENT_GLOB, shard_plan
from .write import file_holds

WAIT = 0.2  # seconds to wait for another writer of the output: one that keeps the site gives way at once


def publish_early(config: Config, pages: dict[str, str], written: Callable[[int], None] | None = None) -> int:
    """Write pages (output path -> HTML) into the published site, as the module says;
    how many were written (0 when the output cannot take them now). written, when
    given, is told how many as soon as they are in, before the records are updated."""
    if not pages or not OUTPUT_WRITES.acquire(timeout=WAIT):
        return 0
    try:
        manifest, out = read_manifest(config), config.output_path
        changed = {path: data for path, html in pages.items()
                   if not file_holds(f"{out}/{path}", data := html.encode("utf-8"))}  # fmt: skip
        if manifest is None or not changed or not _holders_as_built(out, changed, manifest):
            return 0
        folders, added = _write_pages(out, changed)
        if written:
            written(len(changed))
        # The rest of the output is checked once the pages are in: 36,000 stats on livedoor.
        rest = replace(manifest, folders={f: mtime for f, mtime in manifest.folders.items() if f not in folders})
        record = read_record(config)
        if record.published and output_as_built(config, rest):
            published = record.published | dict.fromkeys(changed, "")  # "": made again by the next build
            write_record(config, Record(published, record.previous))
            stale = sorted(set(manifest.search_stale) | _shards_of(changed, published))
            write_manifest(config, replace(manifest, files=manifest.files + added, search_stale=tuple(stale),
                                           folders=dict(sorted((manifest.folders | folders).items()))))  # fmt: skip
        return len(changed)
    finally:
        OUTPUT_WRITES.release()


def _holders_as_built(out_dir: Path, paths: Iterable[str], manifest: Manifest) -> bool:
    """Whether the folder each path is in, or the nearest one above it there is, is as
    the manifest has it: no one else wrote there since the build."""
    root = str(out_dir)
    for path in paths:
        holder = _nearest_folder(root, path.rpartition("/")[0])[0]
        if os.stat(f"{root}/{holder}" if holder else root).st_mtime_ns != manifest.folders.get(holder):
            return False
    return True


def _nearest_folder(root: str, folder: str) -> tuple[str, list[str]]:
    """(folder, or the nearest folder above it there is under root; the folders
    between them, which are not there yet)."""
    missing = []
    while folder and not os.path.isdir(f"{root}/{folder}"):
        missing.append(folder)
        folder = folder.rpartition("/")[0]
    return folder, missing


def _shards_of(pages: Iterable[str], published: Iterable[str]) -> set[int]:
    """The search index's shards that index any of pages, in the site whose files are
    published: the build that follows takes them for behind their pages, which it
    finds as published, and makes them again."""
    plan = shard_plan(path for path in published if fnmatch(path, DOCUMENT_GLOB))
    pages = set(pages)
    return {number for number, shard in enumerate(plan) if not pages.isdisjoint(shard)}


def _write_pages(out_dir: Path, pages: dict[str, bytes]) -> tuple[dict[str, int], int]:
    """Each page renamed into place; (folder -> its new mtime, for every folder written
    to or made and the folder a new one was made in; how many files are new)."""
    root, touched, added = str(out_dir), set(), 0
    for path, data in pages.items():
        target, folder = f"{root}/{path}", path.rpartition("/")[0]
        holder, missing = _nearest_folder(root, folder)
        touched.update((folder, holder, *missing))
        os.makedirs(f"{root}/{folder}", exist_ok=True)
        added += not os.path.exists(target)
        temporary = f"{target}.{os.getpid()}.early"
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    return {folder: os.stat(f"{root}/{folder}" if folder else root).st_mtime_ns for folder in touched}, added

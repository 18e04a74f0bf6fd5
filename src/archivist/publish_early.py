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
holding it as behind their pages, so they are made again. Nothing is written when
the output is not as the last build left it, nor while a build of this process is
writing it (OUTPUT_WRITES); one keeping the published site for the next build
(keep_published) gives up when it finds the record changed meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

from .config import Config
from .manifest import OUTPUT_WRITES, Manifest, output_as_built, read_manifest, write_manifest
from .previous_site import Record, read_record, write_record
from .search import DOCUMENT_GLOB, shard_plan
from .write import file_holds

WAIT = 0.2  # seconds to wait for another writer of the output: one that keeps the site gives way at once


def publish_early(config: Config, pages: dict[str, str]) -> int:
    """Write pages (output path -> HTML) into the published site, as the module says;
    how many were written (0 when the output cannot take them now)."""
    if not pages or not OUTPUT_WRITES.acquire(timeout=WAIT):
        return 0
    try:
        manifest = read_manifest(config)
        if manifest is None or not output_as_built(config, manifest):
            return 0
        record = read_record(config)
        if not record.published:
            return 0  # nothing says which files the site holds
        written, folders, added = _write_pages(config.output_path, pages)
        if not written:
            return 0
        published = record.published | dict.fromkeys(written, "")  # "": made again by the next build
        write_record(config, Record(published, record.previous))
        stale = sorted(set(manifest.search_stale) | _shards_of(written, published))
        write_manifest(config, Manifest(manifest.fingerprint, manifest.documents, manifest.files + added,
                                        dict(sorted((manifest.folders | folders).items())), manifest.problems,
                                        tuple(stale)))  # fmt: skip
        return len(written)
    finally:
        OUTPUT_WRITES.release()


def _shards_of(pages: Iterable[str], published: Iterable[str]) -> set[int]:
    """The search index's shards that index any of pages, in the site whose files are
    published: the build that follows takes them for behind their pages, which it
    finds as published, and makes them again."""
    plan = shard_plan(path for path in published if fnmatch(path, DOCUMENT_GLOB))
    pages = set(pages)
    return {number for number, shard in enumerate(plan) if not pages.isdisjoint(shard)}


def _write_pages(out_dir: Path, pages: dict[str, str]) -> tuple[list[str], dict[str, int], int]:
    """Each page whose published file differs renamed into place; (the pages written;
    folder -> its new mtime, for every folder written to or made and the folder a new
    one was made in; how many files are new)."""
    root, written, touched, added = str(out_dir), [], set(), 0
    for path, html in pages.items():
        data, target = html.encode("utf-8"), f"{root}/{path}"
        if file_holds(target, data):
            continue  # as published: its mtime stays
        folder = path.rpartition("/")[0]
        made = folder
        while made and not os.path.isdir(f"{root}/{made}"):  # up to the folder that holds the new ones
            touched.add(made)
            made = made.rpartition("/")[0]
        touched.update((folder, made))
        os.makedirs(f"{root}/{folder}", exist_ok=True)
        added += not os.path.exists(target)
        temporary = f"{target}.{os.getpid()}.early"
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
        written.append(path)
    mtimes = {folder: os.stat(f"{root}/{folder}" if folder else root).st_mtime_ns for folder in touched}
    return written, mtimes, added

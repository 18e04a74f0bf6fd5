"""The site a build replaced, kept beside the output for the next build to update.

After a small edit a rebuild changes a handful of files out of tens of thousands.
Staging a whole new site (one hard link per unchanged file) and deleting the replaced
one cost far more than making the changed pages, on disks where every link and
unlink is a write. So the replaced site is kept in a hidden folder beside the output
(``.public.previous`` for ``public``), and ``.archivist/previous.json`` records the
files of both sites with their page keys (page_keys.py; "" for a page made from the
whole archive): the published site's, and where the kept folder differs from it.
The next build stages by bringing that folder up to date (write.py): a page whose
key is the one it had there is left as it is, the others are linked from the
published site or made, and files the new site no longer has are removed.

The record is dropped before a build writes and written after its swap, so a killed
build leaves a folder that no record vouches for, and the next build deletes it. When
no build left one, it is made while Pagefind makes the search index: from the staged
site when the index is made before the swap (a first build: StagedCopy), else by
`archivist build` from the published site when the index follows the pages (--force:
kept_meanwhile); the preview server keeps the published site itself before the first
edit (keep_published). The kept folder holds no search index: a build links the
published one.
Files in the two sites share inodes, so the kept folder costs little disk space.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .manifest import OUTPUT_WRITES, output_as_built
from .records import read_json_record, write_json_record
from .search import SEARCH_FOLDER

RECORD_FILE = ".archivist/previous.json"  # relative to the archive folder
FORMAT = 2  # 2: the kept folder as its differences from the published site
OLD_KEYS_FILE = ".archivist/pages.json"  # where page keys were kept before FORMAT 2: removed
KEEPING_PREFIX = "keeping-"  # keep_published's and StagedCopy's folders, beside the site, before the process id


@dataclass(frozen=True)
class Previous:
    """What the kept folder holds, as far as the next build needs to know."""

    files: frozenset[str]  # every file in it outside the search index
    same: frozenset[str]  # the pages in it that the new build would make exactly as they are

    @classmethod
    def of(cls, record: dict[str, str], keys: dict[str, str]) -> Previous:
        """The kept folder described by its record, for a build whose page keys are keys."""
        same = frozenset(path for path, key in keys.items() if key and record.get(path) == key)
        return cls(frozenset(record), same)


@dataclass(frozen=True)
class Record:
    """path -> page key ("" when it has none) of every file of the published site and
    of the kept folder."""

    published: dict[str, str]
    previous: dict[str, str]


def folder_for(out_dir: Path) -> Path:
    """Where the site a build replaced is kept: beside the output, hidden."""
    return out_dir.with_name(f".{out_dir.name}.previous")


def keep_published(config: Config, stop: Callable[[], bool] = lambda: False) -> bool:
    """Keep the published site beside it, its files hard-linked, when no site is kept:
    after a forced build, or one that did not trust the kept folder, which it deleted,
    or a first build that could not keep a copy (StagedCopy).
    The next build then updates that folder instead of linking every file of the site
    into an empty one (seconds on a large archive). The preview server does it while it
    waits for the first edit, and gives up as soon as stop() is true (an edit came).
    False when a site is kept already, the output is not as the last build left it,
    the system cannot link files, or it gave up. The search index is left out: it
    may be replaced meanwhile (kept_meanwhile), and a build links the published one."""
    record = read_record(config)
    out_dir = config.output_path
    if not record.published or record.previous or not output_as_built(config):
        return False
    shutil.rmtree(folder_for(out_dir), ignore_errors=True)  # no record vouches for it
    # A build removes it if this process dies first (write._remove_stale_staging), and
    # leaves it alone while it lives: a build of this process may be indexing meanwhile.
    making = out_dir.with_name(f".{out_dir.name}.{KEEPING_PREFIX}{os.getpid()}")
    try:
        whole = _link_tree(out_dir, making, stop)
    except OSError:
        whole = False
    with OUTPUT_WRITES:
        whole = whole and read_record(config) == record  # else an edit's pages were written meanwhile
        if whole:
            os.replace(making, folder_for(out_dir))
            write_record(config, Record(record.published, record.published))
    if not whole:  # removed meanwhile: the edit's build goes first
        threading.Thread(target=shutil.rmtree, args=(making,), kwargs={"ignore_errors": True}, daemon=True).start()
    return whole


@contextmanager
def kept_meanwhile(config: Config) -> Iterator[None]:
    """keep_published in a thread of its own while the block runs: `archivist build`
    waiting for the search index after a build that kept no site (a forced one, or one
    that did not trust the kept folder), where the next build would otherwise link
    every file of the site (2.5 s of the first edit of the livedoor archive). Given up
    if the block fails."""
    stop = threading.Event()
    keeping = threading.Thread(target=keep_published, args=(config, stop.is_set), daemon=True)
    keeping.start()
    try:
        yield
    except BaseException:
        stop.set()
        raise
    finally:
        keeping.join()


class StagedCopy:
    """A copy of the staged site, made in a thread of its own while Pagefind indexes it
    before the swap: what a build that replaces no kept site (a first build) keeps for
    the next, which would otherwise link every file of the site into an empty folder
    (2.5 s of the first edit of the livedoor archive). Search index left out, files
    hard-linked. Its folder is named after this process, for write._remove_stale_staging."""

    def __init__(self, staging: Path, out_dir: Path) -> None:
        self.folder = out_dir.with_name(f".{out_dir.name}.{KEEPING_PREFIX}staged-{os.getpid()}")
        self._stop = threading.Event()
        self._whole = False
        self._thread = threading.Thread(target=self._make, args=(staging,), daemon=True)
        self._thread.start()

    def _make(self, staging: Path) -> None:
        try:
            self._whole = _link_tree(staging, self.folder, self._stop.is_set)
        except OSError:  # no hard links here, say: the next build links the site itself
            self._whole = False

    def finish(self) -> bool:
        """Wait for the copy, before the staged site moves; False (and no copy) when it
        could not be made whole."""
        self._thread.join()
        if not self._whole:
            self.abandon()
        return self._whole

    def abandon(self) -> None:
        """Stop making the copy and delete it: the build failed, or the copy is not whole."""
        self._stop.set()
        self._thread.join()
        self._whole = False
        shutil.rmtree(self.folder, ignore_errors=True)


def _link_tree(source: Path, target: Path, stop: Callable[[], bool]) -> bool:
    """target as a copy of source, search index left out, whose files are hard links
    to source's; False when stop() became true first."""
    for root, folders, files in os.walk(source):
        if stop():
            return False
        if root == str(source) and SEARCH_FOLDER in folders:
            folders.remove(SEARCH_FOLDER)
        folder = str(target) if root == str(source) else os.path.join(target, os.path.relpath(root, source))
        os.makedirs(folder)
        for name in files:  # strings, not Path: a site has tens of thousands
            os.link(os.path.join(root, name), os.path.join(folder, name))
    return True


def read_record(config: Config) -> Record:
    """The last build's record; empty when missing or unreadable (nothing is trusted)."""
    data = read_json_record(_path(config), FORMAT)
    try:
        if not data:
            return Record({}, {})
        published, lacks = _files(data["published"]), _paths(data["previous_lacks"])
        previous = {path: key for path, key in published.items() if path not in lacks}
        previous.update(_files(data["previous_differs"]))
        return Record(published, previous)
    except (KeyError, AttributeError, TypeError, ValueError):
        return Record({}, {})


def write_record(config: Config, record: Record) -> None:
    """The record, the kept folder written as its differences from the published site:
    after an edit they are a handful, and the record is read and written every build."""
    published, previous = record.published, record.previous
    differs = {path: key for path, key in previous.items() if published.get(path) != key}
    lacks = [path for path in published if path not in previous]
    write_json_record(_path(config), FORMAT, {"published": published, "previous_differs": differs,
                                              "previous_lacks": lacks})  # fmt: skip


def forget_record(config: Config) -> None:
    """Drop the record before a build writes: the folders may change under it."""
    _path(config).unlink(missing_ok=True)
    (config.site_dir / OLD_KEYS_FILE).unlink(missing_ok=True)  # megabytes nothing reads any more


def _path(config: Config) -> Path:
    return config.site_dir / RECORD_FILE


def _paths(value: object) -> set[str]:
    if not isinstance(value, list):
        raise TypeError("not a list of files")
    return set(map(str, value))


def _files(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TypeError("not a record of files")
    return {str(path): str(key) for path, key in value.items()}

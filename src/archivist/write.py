"""Writing the site: a staging folder, the search index over it, then a swap, so readers
never see half a site."""

from __future__ import annotations

import ctypes
import gc
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Sequence, Set
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from functools import partial
from pathlib import Path

from .archive import Archive
from .errors import BuildError
from .exports import data_files
from .previous_site import KEEPING_PREFIX, Previous, StagedCopy, folder_for
from .progress import Progress
from .render import Page, PageJob
from .search import (
    DOCUMENT_GLOB, ENTRY, INDEXERS, SEARCH_FOLDER, SEGMENTED, SHARD_PREFIX, Indexer, document_pages, shard_folder,
    shard_plan, start_indexing,
)  # fmt: skip

DOCUMENT_FOLDER = DOCUMENT_GLOB.split("*", 1)[0]  # "documents/": all the search index reads
StrPath = str | os.PathLike[str]  # a file's path: the many made per page are strings, quicker than Path
WARM_PREFIX = "indexer-"  # warm_indexer's folder, beside the site, before its process id


def data_pages(archive: Archive) -> list[Page]:
    """Open data under data/: JSON, CSV and Web Annotations (see exports.py)."""
    return data_files(archive)


def write_site(
    pages: Sequence[Page | PageJob],
    static: list[tuple[str, Path]],
    out_dir: Path,
    search_language: str | None = None,
    jobs: int = 1,
    kept: Set[str] = frozenset(),
    search_later: bool = False,
    progress: Progress | None = None,
    previous: Previous | None = None,
    keep_previous: bool = False,
    index_behind: Collection[int] | None = (),
    indexer: Indexer | None = None,
) -> Written:
    """Write pages and static files into out_dir via a staging folder.

    Pages are made as they are written, by jobs worker processes on Linux (see
    stage_pages); a page in kept is not made when its published file
    exists, which is linked instead (the page is as it was, page_keys.py). The search
    index is built over the staging folder (in search_language, else the pages'
    <html lang>) before the swap, only the shards whose pages changed (search.py);
    with search_later, the published index is kept as it is and those shards named
    (Written.stale_shards), for refresh_search_index to make after the swap: the
    preview server shows the pages first. A file whose bytes did not change keeps its
    old mtime, so static hosts and rsync see only real changes; index files are not
    counted among the changed files.

    With previous (what the folder of the site the last build replaced holds, see
    previous_site.py), staging starts from that folder instead of an empty one; with
    keep_previous, the site this build replaces is kept there for the next build;
    without, a copy of the new site is kept there when one can be made while the
    search index is (StagedCopy, Written.copied).
    The shards of the published search index in index_behind are older than the
    published pages (an indexer was interrupted) and are made again; with None, the
    whole index is (nothing vouches for it). An indexer started ahead (warm_indexer)
    makes the index, if one is made.
    """
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    removal, written = None, None
    try:
        _remove_stale_staging(out_dir)
        if previous is None or not folder_for(out_dir).is_dir():
            previous, removal = None, _remove_meanwhile(folder_for(out_dir), staging)
        previous = _start_staging(staging, out_dir, previous, {p.path for p in pages} | {p for p, _ in static})
        progress = progress or Progress(None)
        progress.start(len(pages), len(pages))
        gc.freeze()  # the loaded archive lives until the end: the collector need not walk it
        written = _stage_site(staging, out_dir, pages, static, search_language, jobs, kept, search_later,
                              progress, previous, index_behind, indexer, copy=not keep_previous)  # fmt: skip
        progress.finish()
        _swap(staging, out_dir, folder_for(out_dir) if keep_previous else None)
        written = _keep_copy(written, out_dir)
    except OSError as error:
        _remove_unpublished(staging, written)  # a full disk gets its space back
        raise BuildError(f"cannot write the site: {error.strerror or error}", out_dir) from None
    except BaseException:  # a page that cannot be made, a failed search index, an interrupt
        _remove_unpublished(staging, written)
        raise
    finally:
        gc.unfreeze()
        if removal is not None:
            removal.wait()
    return written


@dataclass(frozen=True)
class Written:
    """What write_site did."""

    changed: int  # files whose bytes changed (the search index's not counted)
    # The shards of the index (search.py) kept as they were though their pages changed
    # (search_later): refresh_search_index makes them again.
    stale_shards: tuple[int, ...] = ()
    indexed: tuple[str, ...] = ()  # the pages the search index reads, for refresh_search_index
    # The copy of the site made for the next build (StagedCopy): StagedCopy.folder until
    # the swap, then the kept site's folder (folder_for); None when none was made.
    copied: Path | None = None

    @property
    def stale_search(self) -> bool:
        return bool(self.stale_shards)


def _stage_site(staging: Path, out_dir: Path, pages: Sequence[Page | PageJob], static: list[tuple[str, Path]],
                language: str | None, jobs: int, kept: Set[str], search_later: bool,
                progress: Progress, previous: Previous | None, index_behind: Collection[int] | None = (),
                indexer: Indexer | None = None, copy: bool = False) -> Written:  # fmt: skip
    """Stage everything and the search index; the documents folder first, as the index
    reads only it and can run while the rest is written. Only the shards of the index
    whose pages changed are made again. With copy, a copy of the staged site is made
    while the index is (StagedCopy), if it is made before the swap."""
    documents = [page for page in pages if page.path.startswith(DOCUMENT_FOLDER)]
    others = [page for page in pages if not page.path.startswith(DOCUMENT_FOLDER)]
    same = previous.same if previous else frozenset()
    changed_documents = stage_pages(staging, out_dir, documents, jobs, kept, progress, same)
    indexed = tuple(page.path for page in documents if fnmatch(page.path, DOCUMENT_GLOB))
    plan = shard_plan(indexed)
    current = set()
    if index_behind is not None:
        current = _current_shards(out_dir, plan, changed_documents, language) - set(index_behind)
    stale = tuple(number for number in range(len(plan)) if number not in current)
    indexing = None
    if not plan:
        shutil.rmtree(staging / SEARCH_FOLDER, ignore_errors=True)  # no document, no index
    elif not stale or (search_later and (out_dir / SEARCH_FOLDER / ENTRY).is_file()):
        _link_index(staging, out_dir)  # as published; with search_later the stale shards follow the swap
    else:
        shutil.rmtree(staging / SEARCH_FOLDER, ignore_errors=True)  # the kept site's: never written into
        _link_shards(out_dir / SEARCH_FOLDER, staging / SEARCH_FOLDER, current)
        shards = [(plan[n], staging / SEARCH_FOLDER / shard_folder(n)) for n in stale]
        indexing = start_indexing(staging, language, shards, _indexing_folder(out_dir), indexer)
        stale = ()  # made now, before the swap
    try:
        changed = len(changed_documents) + len(stage_pages(staging, out_dir, others, jobs, kept, progress, same))
        changed += sum(_stage(staging, out_dir, path, src.read_bytes()) for path, src in static)
    except BaseException:
        if indexing:
            indexing.stop()  # the build failed: its index is not wanted
        raise
    if indexing:
        indexing.widen(INDEXERS)  # the rest of the shards side by side: no page is being made now
    copying = StagedCopy(staging, out_dir) if indexing and copy else None
    try:
        if indexing and indexing.finish():
            _keep_mtimes(staging / SEARCH_FOLDER, out_dir / SEARCH_FOLDER)
    except BaseException:
        if copying:
            copying.abandon()
        raise
    copied = copying.folder if copying and copying.finish() else None
    return Written(changed, stale, indexed, copied)


def _keep_copy(written: Written, out_dir: Path) -> Written:
    """After the swap: the copy of the site made meanwhile (Written.copied) moved to
    where the next build looks for the kept site, unless a site is kept there."""
    if written.copied is None:
        return written
    try:
        if not folder_for(out_dir).exists():
            os.replace(written.copied, folder_for(out_dir))
            return replace(written, copied=folder_for(out_dir))
    except OSError:  # the site is published: only the next build's head start is lost
        pass
    shutil.rmtree(written.copied, ignore_errors=True)
    return replace(written, copied=None)


def _remove_unpublished(staging: Path, written: Written | None) -> None:
    """A failed build's staging folder and the copy it made of it, if any."""
    shutil.rmtree(staging, ignore_errors=True)
    if written and written.copied:
        shutil.rmtree(written.copied, ignore_errors=True)


def stage_pages(staging: Path, out_dir: Path, pages: Sequence[Page | PageJob], jobs: int,
                kept: Set[str] = frozenset(), progress: Progress | None = None,
                same: Set[str] = frozenset()) -> list[str]:  # fmt: skip
    """Make and stage every page; the paths of those that differ from the published site.

    Pages in same are already staged as they should be (previous_site.py); those
    not in kept, whose keys differ from the published pages', count as changed when
    their bytes differ too. Other pages in kept whose published
    file exists are linked, not made. With jobs > 1
    the pages to make are dealt out in chunks to forked workers, which inherit the
    loaded archive instead of receiving it; each writes its own pages. Elsewhere than
    on Linux (or while other threads run, which a fork could leave holding locks) pages
    are made here, one at a time.
    """
    progress = progress or Progress(None)
    staged = [page.path for page in pages if page.path in same]
    to_make = [page for page in pages
               if page.path not in same and not (page.path in kept and _keep(staging, out_dir, page.path))]  # fmt: skip
    progress.advance(len(pages) - len(to_make), len(pages) - len(to_make))
    # An edit undone: pages staged from the site it replaced, most as published.
    changed_before = [path for path in staged if path not in kept and not _published_if_same(staging, out_dir, path)]
    if jobs > 1 and len(to_make) >= MIN_FORK_PAGES and _can_fork():
        return sorted(changed_before + _stage_in_workers(staging, out_dir, to_make, jobs, progress))
    changed = changed_before
    for start in range(0, len(to_make), CHUNK_PAGES):
        chunk = to_make[start : start + CHUNK_PAGES]
        changed += _stage_chunk_of(staging, out_dir, chunk)
        progress.advance(len(chunk), len(chunk))
    return changed


def _stage_chunk_of(staging: Path, out_dir: Path, pages: Sequence[Page | PageJob]) -> list[str]:
    return [p.path for p in pages if _stage(staging, out_dir, p.path, p.text().encode("utf-8"))]


def _published_if_same(staging: Path, out_dir: Path, relative: str) -> bool:
    """Whether the staged file holds what the published one does; if so the published
    file is staged in its place, as _stage does, so that its mtime stays."""
    staged, published = staging / relative, out_dir / relative
    try:  # sizes first: an undone template edit stages thousands, most of another size
        same = os.stat(staged).st_size == os.stat(published).st_size and file_holds(published, staged.read_bytes())
    except OSError:
        return False
    if same:
        _put(staged, partial(_link_or_copy, published))
    return same


def _keep(staging: Path, out_dir: Path, relative: str) -> bool:
    """Link the published file into staging; False when there is none."""
    published = f"{out_dir}/{relative}"
    if not os.path.isfile(published):
        return False
    _put(f"{staging}/{relative}", partial(_link_or_copy, published))
    return True


MIN_FORK_PAGES = 2_000  # below this, starting workers costs more than it saves
CHUNK_PAGES = 200  # pages a worker makes between reports
_SHARED: tuple[Path, Path, Sequence[Page | PageJob]] | None = None  # what forked workers inherit


def _can_fork() -> bool:
    # Linux only: elsewhere (macOS) system libraries may not survive a fork.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _stage_in_workers(staging: Path, out_dir: Path, pages: Sequence[Page | PageJob], jobs: int,
                      progress: Progress) -> list[str]:  # fmt: skip
    global _SHARED
    _SHARED = (staging, out_dir, pages)
    # write_site froze the archive: the workers share its memory pages, untouched by the collector.
    changed: list[str] = []
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_die_with_parent) as pool:
            chunks = range(0, len(pages), CHUNK_PAGES)
            for count, paths in pool.imap_unordered(_stage_chunk, chunks):
                changed += paths
                progress.advance(count, count)
    finally:
        _SHARED = None
    return sorted(changed)


def _die_with_parent() -> None:
    """A worker (on Linux, see _can_fork) is killed with its build: none goes on writing a
    dead build's pages."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _stage_chunk(start: int) -> tuple[int, list[str]]:
    """In a worker: make and stage CHUNK_PAGES pages from start; (pages made, paths changed)."""
    assert _SHARED is not None
    staging, out_dir, pages = _SHARED
    chunk = pages[start : start + CHUNK_PAGES]
    return len(chunk), _stage_chunk_of(staging, out_dir, chunk)


def _remove_stale_staging(out_dir: Path) -> None:
    """Delete staging folders left by killed builds. Each build stages in a folder named
    after its process, so a search indexer outliving a killed build writes only into
    that build's folder, and a build still running elsewhere keeps its own. This
    process's are its own leftovers too; warm_indexer's and keep_published's folders
    are removed only once their process is gone, as this process may be using them."""
    for prefix, ours_too in (("staging", True), (WARM_PREFIX, False), (KEEPING_PREFIX, False)):
        for stale in out_dir.parent.glob(f".{out_dir.name}.{prefix}*"):
            pid = stale.name.rpartition("-")[2]
            if not (pid.isdigit() and not (ours_too and int(pid) == os.getpid()) and _running(int(pid))):
                shutil.rmtree(stale, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _stage(staging: Path, out_dir: Path, relative: str, data: bytes) -> int:
    """Put one file in staging; 1 if it differs from the published one, else 0."""
    target, published = f"{staging}/{relative}", f"{out_dir}/{relative}"  # strings: pathlib's / costs 3 µs
    if file_holds(published, data):
        _put(target, partial(_link_or_copy, published))  # same bytes: keep the old mtime
        return 0
    _put(target, partial(_write_new, data=data), rewrite=partial(_rewrite_unshared, data=data))
    return 1


def file_holds(path: StrPath, data: bytes) -> bool:
    """Whether the file at path holds data."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:  # missing, or a folder
        return False


def _put(target: StrPath, make: Callable[[StrPath], None],
         rewrite: Callable[[StrPath], bool] | None = None) -> None:  # fmt: skip
    """Make a new file at target with make, which fails when a file is there or its
    folder is missing. A file there (staged from the kept site) is offered to rewrite,
    when given, which writes into it only when no other name shares its inode (True);
    else it is unlinked, never written into, as it may share its inode with the
    published file. Trying first costs one system call per file where clearing the way
    first took four: a large site has tens of thousands, each slow on some file systems."""
    try:
        make(target)
    except FileExistsError:
        if rewrite is None or not rewrite(target):
            os.unlink(target)
            make(target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        make(target)


def _rewrite_unshared(target: StrPath, data: bytes) -> bool:
    """Write data into the file at target when no other name shares its inode (a page
    of the kept site that the last build made anew); False, untouched, when one does.
    The inode is reused where unlinking and making a file frees one and takes another:
    on ext4 without a journal, each new inode skips past every one freed in the last
    minutes: 20,000 pages staged over unshared ones took 1.6 to 5.3 s, and 1.3 to 2.0 s
    written into them."""
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError:  # a folder, say: the caller unlinks it, or reports why it cannot
        return False
    try:
        if os.fstat(fd).st_nlink != 1:
            return False
        os.ftruncate(fd, 0)
        _write_all(fd, data)
        return True
    finally:
        os.close(fd)


def _write_new(target: StrPath, data: bytes) -> None:
    """A new file at target holding data; FileExistsError when there is one."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _link_or_copy(published: StrPath, target: StrPath) -> None:
    """A new file at target: a hard link to published (fast, same mtime), else a copy
    of it. FileExistsError when there is one already.

    A staged file is written into only when no other name shares its inode
    (_rewrite_unshared), so sharing it with the published twin cannot change the
    published site.
    """
    try:
        os.link(published, target)
    except (FileExistsError, FileNotFoundError):
        raise  # for _put
    except OSError:  # no hard links here
        if os.path.exists(target):
            raise FileExistsError(target) from None
        shutil.copy2(published, target)


def _current_shards(out_dir: Path, plan: list[list[str]], changed: list[str], language: str | None) -> set[int]:
    """The shards of the index whose published bundle still holds: none of its pages
    changed (a page added shows as changed), it counts them all (a page removed shows
    in the count, and so does an index cut otherwise), and it is in language. A page's
    shard depends on the number of shards, which must not have changed."""
    index = out_dir / SEARCH_FOLDER
    if _bundles(index) != list(range(len(plan))):
        return set()
    changed_pages = set(changed)
    current = set()
    for number, pages in enumerate(plan):
        if changed_pages.intersection(pages):
            continue
        languages = _entry_languages(index / shard_folder(number) / ENTRY)
        counted = sum(figures.get("page_count", 0) for figures in languages.values() if isinstance(figures, dict))
        if counted == len(pages) and (not language or language in languages):
            current.add(number)
    return current


def _bundles(index: Path) -> list[int]:
    """The numbers of the shards whose bundle index holds, in order."""
    numbers = [0] if (index / ENTRY).is_file() else []
    for entry in index.glob(f"{SHARD_PREFIX}*/{ENTRY}"):
        number = entry.parent.name.removeprefix(SHARD_PREFIX)
        if number.isdigit():
            numbers.append(int(number))
    return sorted(numbers)


def _entry_languages(entry: Path) -> dict:
    """Each language of a Pagefind bundle with its figures; {} for a damaged entry."""
    try:
        languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return languages if isinstance(languages, dict) else {}


def _link_index(staging: Path, out_dir: Path) -> None:
    """The published search index, linked into staging. Staging may start with the
    kept site's index, linked from an earlier published one: its bundles that are
    still the published ones (the same entry file: an entry is linked only with its
    whole bundle, and each new bundle writes its own) stay, the others are replaced."""
    index, target = out_dir / SEARCH_FOLDER, staging / SEARCH_FOLDER
    published = _bundles(index)
    for number in _bundles(target):
        entry = Path(shard_folder(number), ENTRY)
        if number not in published or not _same_file(index / entry, target / entry):
            _remove_bundle(target, number)
    for cut_short in [p for p in target.glob(f"{SHARD_PREFIX}*") if not (p / ENTRY).is_file()]:
        shutil.rmtree(cut_short)  # what a bundle cut short may have left
    if not (target / ENTRY).is_file():
        _remove_bundle(target, 0)
    _link_shards(index, target, {n for n in published if not (target / shard_folder(n) / ENTRY).is_file()})


def _remove_bundle(index: Path, number: int) -> None:
    """Delete one shard's bundle from index (the first's leaves the others' folders)."""
    if number:
        shutil.rmtree(index / shard_folder(number), ignore_errors=True)
        return
    for path in index.iterdir() if index.is_dir() else ():
        if path.is_dir() and not path.name.startswith(SHARD_PREFIX):
            shutil.rmtree(path)
        elif not path.is_dir():
            path.unlink()


def _link_shards(index: Path, target: Path, numbers: Set[int]) -> None:
    """The bundles of the given shards of index, linked into target (another index).
    os.walk, not Path.rglob: a bundle holds thousands of files."""
    for number in sorted(numbers):
        top = os.path.join(index, shard_folder(number))
        for folder, subfolders, files in os.walk(top):
            if number == 0 and folder == top:  # the others' folders lie inside the first's
                subfolders[:] = [name for name in subfolders if not name.startswith(SHARD_PREFIX)]
            linked = target / os.path.relpath(folder, index)
            linked.mkdir(parents=True, exist_ok=True)
            for name in files:
                _put(linked / name, partial(_link_or_copy, os.path.join(folder, name)))


def _indexing_folder(out_dir: Path) -> Path:
    """Where Pagefind reads a shard's pages from: links, beside the site, named after
    this process like the staging folders (see _remove_stale_staging)."""
    return out_dir.with_name(f".{out_dir.name}.staging-pages-{os.getpid()}")


def warm_indexer(out_dir: Path, language: str) -> Indexer | None:
    """An indexer started ahead of a build of the site at out_dir, with its dictionary
    loaded while pages are made (search.Indexer), for write_site or
    refresh_search_index to use; None for a language without a dictionary. Its folder
    is not a staging folder: a build's start leaves it alone while this process runs."""
    if language not in SEGMENTED:
        return None
    return Indexer(out_dir.with_name(f".{out_dir.name}.{WARM_PREFIX}{os.getpid()}"), language)


def refresh_search_index(out_dir: Path, language: str | None, shards: Sequence[int] | None = None,
                         cancel: threading.Event | None = None, indexed: Sequence[str] | None = None,
                         indexer: Indexer | None = None) -> bool:  # fmt: skip
    """Make the given shards of the published site's index again (None: all of them)
    and put each in place of the old one in one step (the whole index, when the first
    shard is made again: the others' folders are inside its own); the site is not
    otherwise touched (see write_site's search_later). False, with the old index left
    in place, when cancel is set before the new one is made. indexed, the pages the
    index reads when known (Written.indexed), spares looking for them in the site.
    indexer, one started ahead (warm_indexer), makes the index.

    The new shards are made beside the site, in a staging folder named after this
    process (see _remove_stale_staging), so an indexer outliving a killed build never
    writes into the published site; for a new whole index, the shards kept are linked
    into it (on the livedoor archive, linking 7 shards and then deleting the old index
    took 0.35 s; putting one shard in place and deleting the old, under 0.01 s)."""
    _remove_stale_staging(out_dir)
    fresh = out_dir.with_name(f".{out_dir.name}.staging-search-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    published = out_dir / SEARCH_FOLDER
    plan = shard_plan(document_pages(out_dir) if indexed is None else indexed)
    stale = range(len(plan)) if shards is None else [n for n in shards if n < len(plan)]
    alone = 0 not in stale and all((published / shard_folder(n) / ENTRY).is_file() for n in range(len(plan)))
    made = [(plan[n], fresh / shard_folder(n)) for n in stale]
    indexing = start_indexing(out_dir, language, made, _indexing_folder(out_dir), indexer)
    if indexing is None:
        return True
    indexing.widen(INDEXERS)  # the pages are published: nothing else is being made
    try:
        if not alone:
            _link_shards(published, fresh, set(range(len(plan))) - set(stale))
        if not indexing.finish(cancel):
            return False
        for new, old in ([(fresh / shard_folder(n), published / shard_folder(n)) for n in stale] if alone
                         else [(fresh, published)]):  # fmt: skip
            _put_in_place(new, old)
        return True
    except BaseException:
        indexing.stop()
        raise
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _put_in_place(new: Path, old: Path) -> None:
    """Move the folder new to old's path, in one step where the system allows it (old,
    if any, is then at new's path)."""
    if old.exists() and _exchange(new, old):
        return
    shutil.rmtree(old, ignore_errors=True)
    os.replace(new, old)


def _keep_mtimes(new: Path, published: Path) -> None:
    """Give each file under new that equals its published twin the twin's mtime."""
    for target in new.rglob("*"):
        old = published / target.relative_to(new)
        if target.is_file() and old.is_file() and old.read_bytes() == target.read_bytes():
            stat = old.stat()
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _swap(staging: Path, out_dir: Path, keep: Path | None = None) -> None:
    """Put staging in out_dir's place, atomically where the system allows it; the
    replaced site is moved to keep when given (previous_site.py), else deleted.

    On Linux the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE),
    so a reader never finds the output missing; elsewhere two renames are used.
    """
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists() and _exchange(staging, out_dir):
        old = staging  # staging now holds the replaced site
    else:
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
    if not old.exists():
        return
    if keep is not None and not keep.exists():
        os.replace(old, keep)
    else:
        shutil.rmtree(old)


def _start_staging(staging: Path, out_dir: Path, previous: Previous | None, paths: Set[str]) -> Previous | None:
    """Create staging: from the kept site when previous describes it, its files that
    the new site does not have removed; else empty. What staging starts with, or None."""
    if previous is None:
        staging.mkdir(parents=True)
        return None
    os.replace(folder_for(out_dir), staging)
    for path in previous.files - paths:
        _remove(staging, path)
    return previous


def _remove_meanwhile(folder: Path, staging: Path) -> subprocess.Popen | None:
    """Delete folder (a kept site nothing vouches for) while the build goes on: moved
    aside at once, then removed by rm, whose disk writes overlap the making of pages.
    A removal cut short is finished by the next build (_remove_stale_staging)."""
    if not folder.is_dir():
        return None
    aside = staging.with_name(f"{staging.name.rpartition('-')[0]}-discarded-{os.getpid()}")
    os.replace(folder, aside)
    rm = shutil.which("rm")
    if rm is None or not sys.platform.startswith(("linux", "darwin")):
        shutil.rmtree(aside, ignore_errors=True)
        return None
    return subprocess.Popen([rm, "-rf", "--", str(aside)], stdin=subprocess.DEVNULL)


def _remove(root: Path, relative: str) -> None:
    """Delete root/relative and the folders it leaves empty."""
    path = root / relative
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == root:
            break
        try:
            folder.rmdir()
        except OSError:  # not empty
            break


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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

"""The search index: Pagefind's extended build, which segments Japanese, over the site.

Only document pages are indexed (DOCUMENT_GLOB). Their template marks what Pagefind
reads: the text (data-pagefind-body), the title (data-pagefind-meta) and the filters by
entity type, year and entity (data-pagefind-filter; only the most mentioned entities of
each type, archive.SEARCH_FILTERS_PER_TYPE, as Pagefind's interface draws every value).
Pagefind makes one index per <html lang>, and the search page loads the index of its
own language, else the largest one. Every page carries the interface language, so
the archive is indexed in a single language; it is forced when the
documents need another word segmentation than the interface's (Japanese documents
under an English interface).

The index is cut into shards of about SHARD_SIZE documents, each a Pagefind bundle of
its own: the first in SEARCH_FOLDER, with the interface, the others in folders inside
it (shard_folder), merged into the first by the search page (Pagefind's mergeIndex,
which ranks their results together). A document stays in its shard as the archive
grows (a hash of its path), so an edit makes one shard again, not the whole index,
and Pagefind's memory is bounded by the shard, not by the archive.

The binary runs as a separate process, in Pagefind's service mode (indexer.py), which
makes shard after shard from a folder of links to its pages and loads the word
segmenter's dictionary once; `archivist build` and the preview server start it before
the pages are made (Indexer, build.search_warmed), so the dictionary is loaded
meanwhile. Once no page is being made, a second one takes the shards left (INDEXERS). It
gets a clean environment and the links' folder as its working directory, so no stray
pagefind.yml or PAGEFIND_* variable changes the index. Its files depend only on the
pages, apart from the order of filter values.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .archive import Archive
from .errors import BuildError

SEARCH_FOLDER = "pagefind"  # where the index and Pagefind's interface go, in the site
DOCUMENT_GLOB = "documents/**/*.html"  # the pages that are indexed
SEGMENTED = ("ja", "zh")  # languages Pagefind's extended build cuts into words
# Words in a result's excerpt where every segment counts as one (米国 + が + 半 + 導体):
# Pagefind's default showed about 20 characters of a Japanese page, 60 show about 100.
SEGMENTED_EXCERPT_WORDS = 60
TIMEOUT = 900  # seconds before a hung indexer is given up
CANCEL_POLL = 0.2  # seconds between looks at a cancellable indexer's cancel event
# Documents per shard. On the 7,367 livedoor news articles, in one run: one index, 40.6 s
# and 1.9 GB; shards of 2,000, 40.5 s and 730 MB; of 1,000, 44.2 s and 520 MB, and an
# edit re-indexes a shard in about 7 s instead of 11. Searching 8 shards was as quick.
SHARD_SIZE = 1_000
# Pagefind processes making shards side by side once the pages are written (while
# they are being made, the cores are taken): each indexes on about 1.3 cores and holds
# about 0.5 GB, its dictionary and a shard. On livedoor, two made the whole index in
# 21.7 and 24.0 s where one took 32.0 and 33.1 s, in alternating runs.
INDEXERS = min(2, os.cpu_count() or 1)
ENTRY = "pagefind-entry.json"  # the file that makes a folder a Pagefind bundle
SHARD_PREFIX = "shard-"  # the folders of the shards after the first, inside SEARCH_FOLDER


def search_language(archive: Archive) -> str:
    """The index's language: the interface's, unless documents need segmentation it lacks."""
    interface = archive.config.language
    needing = Counter(doc.lang for doc in archive.documents if doc.lang in SEGMENTED)
    if interface in SEGMENTED or not needing:
        return interface
    return sorted(needing.items(), key=lambda item: (-item[1], item[0]))[0][0]


def excerpt_words(language: str) -> int | None:
    """How many words a result's excerpt shows in the index's language; None: Pagefind's
    default (30), a line or two of text in languages written with spaces."""
    return SEGMENTED_EXCERPT_WORDS if language in SEGMENTED else None


def shard_plan(pages: Iterable[str]) -> list[list[str]]:
    """The document pages (site paths) of each shard of the index, in order.

    A page's shard is a hash of its path modulo the number of shards, which grows by
    one for every SHARD_SIZE documents; so the pages of a shard stay together until
    then. Fewer shards are made if one would be empty (only ever with a handful of
    documents): the search page merges every shard, so each must exist.
    """
    paths = sorted(pages)
    count = max(1, -(-len(paths) // SHARD_SIZE))
    while True:
        shards: list[list[str]] = [[] for _ in range(count)]
        for path in paths:
            digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
            shards[int.from_bytes(digest, "big") % count].append(path)
        if count == 1 or all(shards):
            return shards
        count -= 1


def shard_folder(number: int) -> str:
    """Where shard number's bundle goes, relative to SEARCH_FOLDER: the first is the
    folder itself, whose interface the search page loads; the others merge into it."""
    return "" if number == 0 else f"{SHARD_PREFIX}{number}"


def document_pages(site_dir: Path) -> list[str]:
    """The indexed pages of a written site, as site paths."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob(DOCUMENT_GLOB))


def index_site(site_dir: Path, language: str | None = None, parallel: int = INDEXERS) -> bool:
    """Write the search index, every shard, into site_dir/pagefind, with up to parallel
    Pagefind processes; False when no document page exists.

    language forces the index's language (else Pagefind reads <html lang>).
    Raises BuildError naming site_dir when Pagefind is missing or fails.
    """
    plan = shard_plan(document_pages(site_dir))
    work = site_dir.with_name(f".{site_dir.name}.indexing-{os.getpid()}")
    shards = [(pages, site_dir / SEARCH_FOLDER / shard_folder(n)) for n, pages in enumerate(plan)]
    indexing = start_indexing(site_dir, language, shards, work)
    if indexing is None:
        return False
    indexing.widen(parallel)
    return indexing.finish()


@dataclass
class Indexing:
    """Pagefind running over shards of a site's document pages in the background, while
    other pages are written."""

    site_dir: Path
    process: subprocess.Popen[str]  # indexer.py driving Pagefind, in a session of its own
    outputs: list[Path]  # where each shard's bundle goes
    work: Path  # the links to each shard's pages, removed when done

    def finish(self, cancel: threading.Event | None = None) -> bool:
        """Wait for the index; True when written, BuildError naming the folder when not.
        With cancel, Pagefind is stopped and False returned as soon as cancel is set."""
        deadline = time.monotonic() + TIMEOUT * len(self.outputs)
        if cancel is not None and cancel.is_set():  # already: nobody waits for this index
            self.stop()
            return False
        try:
            while True:
                try:
                    stdout, stderr = self.process.communicate(timeout=CANCEL_POLL if cancel else TIMEOUT)
                    break
                except subprocess.TimeoutExpired as error:
                    cancelled = cancel is not None and cancel.is_set()
                    if cancelled or time.monotonic() > deadline:
                        self.stop()
                        if cancelled:
                            return False
                        raise BuildError(f"cannot run Pagefind for the search index: {error}", self.site_dir) from None
        except BaseException:
            self.stop()  # interrupted (Ctrl-C): Pagefind, in a session of its own, does not outlive it
            raise
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        code = self.process.returncode
        if code != 0 or not all((output / ENTRY).is_file() for output in self.outputs):
            reason = _first_error(stderr + "\n" + stdout) or f"exit {code}"
            raise BuildError(f"the search index failed: {reason}", self.site_dir)
        return True

    def widen(self, parallel: int) -> None:
        """Let up to parallel Pagefind processes make the shards still waiting: no page
        is being made, the cores are free."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"parallel": parallel}) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # the indexer stopped: finish reports why

    def stop(self) -> None:
        """Kill Pagefind (the build failed or was cancelled: its index is not wanted)."""
        _kill(self.process, self.work)


class Indexer:
    """The indexer process (indexer.py), started before its shards are known: with
    the build (build.search_warmed), so Pagefind's dictionary is loaded while the
    pages are made. Its shards are given once (index), then it ends."""

    def __init__(self, work: Path, warm: str | None = None) -> None:
        """Start it in work, a folder of its own for the links to the shards' pages;
        warm, the index's language if known, has its dictionary loaded at once."""
        arguments = [str(os.getpid()), str(pagefind_binary()), DOCUMENT_GLOB, warm or ""]
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        self.work = work
        environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}
        try:  # shard after shard: memory is bounded by a shard in each Pagefind
            self.process = subprocess.Popen([sys.executable, "-m", "archivist.indexer", *arguments], cwd=work,
                                            env=environment, text=True, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                            start_new_session=True)  # fmt: skip
        except OSError as error:
            shutil.rmtree(work, ignore_errors=True)
            raise BuildError(f"cannot run Pagefind for the search index: {error}", work) from None
        self.taken = False  # index was called: the Indexing it returned owns the process

    def index(self, site_dir: Path, language: str | None, shards: Sequence[tuple[Sequence[str], Path]]) -> Indexing:
        """Index each shard (its pages in site_dir, and the folder its bundle goes to),
        one Pagefind process at a time until Indexing.widen."""
        assert self.process.stdin is not None and not self.taken
        self.taken = True
        indexing = Indexing(site_dir, self.process, [output for _, output in shards], self.work)
        try:
            for number, (pages, output) in enumerate(shards):
                folder = self.work / str(number)
                _link_pages(site_dir, pages, folder)
                request = {"language": language or "", "folder": str(folder.resolve()), "output": str(output.resolve())}
                self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()  # Indexing.finish closes it: the indexer ends after these
        except BrokenPipeError:
            pass  # the indexer stopped: Indexing.finish reports why
        except BaseException:
            indexing.stop()
            raise
        return indexing

    def stop(self) -> None:
        """Stop it unless its shards were given (they are Indexing's to finish)."""
        if not self.taken:
            self.taken = True
            _kill(self.process, self.work)


def _kill(process: subprocess.Popen[str], work: Path) -> None:
    """Kill the indexer's session, Pagefind with it, and remove its links."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()
    shutil.rmtree(work, ignore_errors=True)


def start_indexing(site_dir: Path, language: str | None, shards: Sequence[tuple[Sequence[str], Path]],
                   work: Path, indexer: Indexer | None = None) -> Indexing | None:  # fmt: skip
    """Start Pagefind over site_dir's document pages, one run per shard (its pages and
    the folder its bundle goes to), on indexer if given, else on one started in work;
    None when there is no page. Other pages may be written meanwhile: Pagefind reads
    only the shards' pages, through links. One Pagefind process makes them until
    Indexing.widen allows more (INDEXERS, once no page is being made)."""
    shards = [(pages, output) for pages, output in shards if pages]
    if not shards:
        return None  # Pagefind refuses an empty index; the search page says so
    return (indexer or Indexer(work)).index(site_dir, language, shards)


def _link_pages(site_dir: Path, pages: Sequence[str], folder: Path) -> None:
    """folder/page linked to site_dir/page for each page (copied where links fail)."""
    for page in pages:
        target = folder / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / page, target)
        except OSError:
            shutil.copy2(site_dir / page, target)


def pagefind_binary() -> Path:
    """The extended Pagefind binary installed with pagefind[extended]."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError(
            "Pagefind's extended build is not installed: pip install 'pagefind[extended]'"
        ) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as error:
        raise BuildError(f"Pagefind's extended binary is missing: {error}") from None


def _first_error(output: str) -> str:
    """The first line that reports an error, else the first non-empty line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    first = (errors or lines or [""])[0]
    return first[len("error:"):].strip() if first.lower().startswith("error:") else first

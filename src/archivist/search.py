"""The search index: Pagefind's extended build, which segments Japanese, over the site.

Only document pages are indexed (DOCUMENT_GLOB). Their template marks what Pagefind
reads: the text (data-pagefind-body), the title (data-pagefind-meta) and the filters by
entity type, year and entity (data-pagefind-filter; only the most mentioned entities of
each type, archive.SEARCH_FILTERS_PER_TYPE, as Pagefind's interface draws every value).
Pagefind makes one index per <html lang>, and the search page loads the index of its
own language, else the largest one. Every page carries the interface language, so
there is a single index for the whole archive; its language is forced when the
documents need another word segmentation than the interface's (Japanese documents
under an English interface).

The binary runs on a folder as a separate process, with a clean environment and the
folder as its working directory, so no stray pagefind.yml or PAGEFIND_* variable
changes the index. Its files depend only on the pages: the same site gives the same
bytes.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .archive import Archive
from .errors import BuildError

SEARCH_FOLDER = "pagefind"  # where the index and Pagefind's interface go, in the site
DOCUMENT_GLOB = "documents/**/*.html"  # the pages that are indexed
SEGMENTED = ("ja", "zh")  # languages Pagefind's extended build cuts into words
TIMEOUT = 900  # seconds before a hung indexer is given up
CANCEL_POLL = 0.2  # seconds between looks at a cancellable indexer's cancel event


def search_language(archive: Archive) -> str:
    """The index's language: the interface's, unless documents need segmentation it lacks."""
    interface = archive.config.language
    needing = Counter(doc.lang for doc in archive.documents if doc.lang in SEGMENTED)
    if interface in SEGMENTED or not needing:
        return interface
    return sorted(needing.items(), key=lambda item: (-item[1], item[0]))[0][0]


def index_site(site_dir: Path, language: str | None = None) -> bool:
    """Write the search index into site_dir/pagefind; False when no document page exists.

    language forces the index's language (else Pagefind reads <html lang>).
    Raises BuildError naming site_dir when Pagefind is missing or fails.
    """
    indexing = start_indexing(site_dir, language)
    return indexing is not None and indexing.finish()


@dataclass
class Indexing:
    """Pagefind running over a site's document pages, while other pages are written."""

    site_dir: Path
    process: subprocess.Popen[str]
    output: Path  # where the index goes: site_dir/SEARCH_FOLDER, or a folder outside the site

    def finish(self, cancel: threading.Event | None = None) -> bool:
        """Wait for the index; True when written, BuildError naming the folder when not.
        With cancel, Pagefind is stopped and False returned as soon as cancel is set."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                stdout, stderr = self.process.communicate(timeout=CANCEL_POLL if cancel else TIMEOUT)
                break
            except subprocess.TimeoutExpired as error:
                cancelled = cancel is not None and cancel.is_set()
                if cancelled or time.monotonic() > deadline:
                    self.process.kill()
                    self.process.communicate()
                    if cancelled:
                        return False
                    raise BuildError(f"cannot run Pagefind for the search index: {error}", self.site_dir) from None
        code = self.process.returncode
        if code != 0 or not (self.output / "pagefind-entry.json").is_file():
            reason = _first_error(stderr + "\n" + stdout) or f"exit {code}"
            raise BuildError(f"the search index failed: {reason}", self.site_dir)
        return True


def start_indexing(site_dir: Path, language: str | None = None, output: Path | None = None) -> Indexing | None:
    """Start index_site's work over the document pages already in site_dir, into
    output (default site_dir/SEARCH_FOLDER); None when there is none. Other pages may
    be written meanwhile: Pagefind reads documents only."""
    if not any(site_dir.glob(DOCUMENT_GLOB)):
        return None  # Pagefind refuses an empty index; the search page says so
    output = output or site_dir / SEARCH_FOLDER
    command = [
        str(pagefind_binary()), "--site", str(site_dir.resolve()), "--output-path", str(output.resolve()),
        "--glob", DOCUMENT_GLOB, "--keep-index-url", "--silent",
    ]  # fmt: skip
    if language:
        command += ["--force-language", language]
    environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}
    try:
        process = subprocess.Popen(command, cwd=site_dir, env=environment, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    except OSError as error:
        raise BuildError(f"cannot run Pagefind for the search index: {error}", site_dir) from None
    return Indexing(site_dir, process, output)


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
    return (errors or lines or [""])[0]

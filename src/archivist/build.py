"""The build: the whole pipeline, one stage per call."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import jinja2

from . import render
from .annotators import AnnotateContext, Models
from .apply_overrides import apply_archive_overrides
from .archive import Archive
from .cache import Cache
from .config import Config
from .derived import offer_derived
from .errors import WARNINGS_SHOWN, ArchivistError, BuildError, ContentWarning, DocumentError, StaleDocument, report_lines
from .exports import data_jobs, make_rows
from .executors import Executor, Local, annotate_all, render_jobs
from .manifest import (
    OUTPUT_WRITES, Manifest, count_files, fingerprint, forget_manifest, memory_key, output_as_built, output_folders,
    read_manifest, restat_output, unchanged, unchanged_summary, write_manifest,
)  # fmt: skip
from .memory import BuildMemory
from .model import Document
from .notices import document_notices
from .page_keys import KeptDigests, page_keys, source_keys
from .previous_site import Previous, Record, forget_record, kept_meanwhile, read_record, write_record
from .progress import Progress
from .redirects import redirect_pages
from .registry import load_registry
from .render import Page, PageJob, make_environment, site_jobs, static_files
from .resolve import resolve_keyed
from .search import SEARCH_FOLDER, Indexer, search_language
from .source_store import keep, recall
from .sources import find_sources, layout_for, read_document
from .template_keys import template_digests
from .write import refresh_search_index, warm_indexer, write_site


@dataclass
class BuildResult:
    """What a build did, for the summary line and the exit code."""

    documents: int = 0  # documents built
    pages: int = 0  # files in the output
    written: int = 0  # files whose bytes changed
    problems: list[ArchivistError] = field(default_factory=list)  # skipped documents, warnings
    seconds: float = 0.0  # wall time of the whole build
    unchanged: bool = False  # no input changed since the last build: nothing was done
    # The shards of the search index (search.py) published older than their pages (search_later).
    stale_shards: tuple[int, ...] = ()
    search_language: str | None = None  # the search index's language
    indexed: tuple[str, ...] | None = None  # the pages the search index reads (Written.indexed)

    @property
    def stale_search(self) -> bool:
        """Whether the published search index is behind its pages: see refresh_search."""
        return bool(self.stale_shards)

    @property
    def errors(self) -> list[ArchivistError]:
        """The problems that fail the build (the warnings do not)."""
        return [p for p in self.problems if not isinstance(p, ContentWarning)]

    def report(self) -> list[str]:
        """What `archivist build` prints of it: its problems (the first warnings only),
        then its summary line."""
        return [*report_lines(self.problems, WARNINGS_SHOWN), self.summary()]

    def summary(self) -> str:
        if self.unchanged:
            return unchanged_summary(self.documents, self.pages, len(self.problems), self.seconds)
        warnings = len(self.problems) - len(self.errors)
        return (
            f"built {self.documents} documents into {self.pages} files "
            f"({self.written} changed) in {self.seconds:.2f} s"
            + (f"; {len(self.errors)} problem(s)" if self.errors else "")
            + (f"; {warnings} warning(s)" if warnings else "")
        )


def build(config: Config, executor: Executor | None = None, progress: Progress | None = None,
          force: bool = False, search_later: bool = False, memory: BuildMemory | None = None,
          indexer: Indexer | None = None, inputs: str | None = None) -> BuildResult:
    """Read, annotate (on executor, default this machine), resolve, render and write the
    archive; unless force, nothing is done when no input changed since the last build,
    and pages whose sources did not change are kept from the last build (page_keys.py).

    With search_later, when documents changed the last build's search index is
    published with the new pages (result.stale_search) and refresh_search makes the
    new one: the preview server shows an edit before the index has caught up. Sources
    that did not change since the last build given the same memory are neither read
    nor annotated again (memory.py); before the memory's first build, it starts from
    the sources kept on disk by the last build (source_store.py), unless force. An
    indexer started ahead (search_warmed) makes the search index, if it is made.
    inputs: the inputs' fingerprint, when the caller took it already."""
    started = time.perf_counter()
    inputs = inputs or fingerprint(config)  # before anything is read: a later edit is a change
    if not force and (last := unchanged(config, inputs)):
        return BuildResult(documents=last.documents, pages=last.files, unchanged=True,
                           problems=last.problems, seconds=time.perf_counter() - started)  # fmt: skip
    setting = fingerprint(config, content=False)  # not needed by a skipped build
    lasting = memory is not None  # a process's memory, for its next build: worth keeping pages' work in
    memory = memory if memory is not None else BuildMemory()
    memory.start(memory_key(config, setting))
    # Unpickling the store makes a million objects and no cycle, and they live until the end.
    with collector_paused(freeze=True):
        recall(config, memory, force)
    # Compiled first: a broken template stops the build before any work.
    templates = template_digests(render.templates_dir())  # the folder make_environment reads
    env = memory.templates(partial(make_environment, config), templates)
    archive, problems = load_archive(config, executor, progress, memory)
    pages, keys = list_pages(config, archive, env, (setting, templates), memory, lasting)
    with OUTPUT_WRITES:  # no early pages (publish_early.py) while the output and its records change
        manifest = None if force else read_manifest(config)
        index_behind = manifest.search_stale if manifest else None  # None: no index is trusted
        record = Record({}, {}) if force else read_record(config)
        kept = {path for path, key in keys.items() if record.published.get(path) == key}  # by page_keys.py
        if not (manifest and output_as_built(config, manifest)):
            record = Record({}, {})  # the replaced site is kept for the next build only when it is as recorded
        forget_manifest(config)
        forget_record(config)
        language = search_language(archive)
        writing = (progress or Progress(None)).stage("writing", "pages", "pages")
        static = static_files()
        previous = Previous.of(record.previous, keys) if record.previous else None
        written = write_site(pages, static, config.output_path, language, jobs=render_jobs(executor),
                             kept=kept, search_later=search_later, progress=writing, previous=previous,
                             keep_previous=bool(record.published), index_behind=index_behind,
                             indexer=indexer)  # fmt: skip
        paths = [page.path for page in pages] + [path for path, _ in static]
        with collector_paused():  # after write_site's freeze ends: no full pass over the archive
            keep(config, memory)
            folders = output_folders(config.output_path, paths, scanned=(SEARCH_FOLDER,))
            files = count_files(config.output_path, paths, scanned=(SEARCH_FOLDER,))
            published = {path: keys.get(path, "") for path in paths}
            write_record(config, Record(published, published if written.copied else record.published))
            stale = any(isinstance(problem, StaleDocument) for problem in problems)  # not what is on disk
            write_manifest(config, Manifest("" if stale else inputs, len(archive.documents), files, folders, problems,
                                            written.stale_shards))  # fmt: skip
    return BuildResult(
        documents=len(archive.documents),
        pages=len(paths),
        written=written.changed,
        problems=problems,
        seconds=time.perf_counter() - started,
        stale_shards=written.stale_shards,
        indexed=written.indexed,
        search_language=language,
    )


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Resolving, indexing and listing pages make millions of long-lived objects and
    few reference cycles, yet each allocation counts towards the cycle collector's next
    full pass over all of them: on a large archive those passes took a sixth of the time.

    With freeze, what the block made is kept out of the collector's sight (gc.freeze,
    until write_site's end unfreezes it) before it resumes, as its first pass would walk
    every object the block made: 0.1 to 0.3 s per block on the livedoor archive."""
    if not gc.isenabled():
        yield
        if freeze:
            gc.freeze()
        return
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        gc.enable()


@contextmanager
def search_warmed(config: Config) -> Iterator[Indexer | None]:
    """An indexer for a build and the refresh_search after it, started at once so that
    Pagefind's dictionary is loaded while the pages are made: a second of every edit's
    index on a Japanese archive. None when the archive's language has no dictionary,
    or Pagefind is missing or the output folder cannot be made (the build says so if
    it needs them). Stopped at the end unless it was used."""
    try:
        indexer = warm_indexer(config.output_path, config.language)
    except (BuildError, OSError):
        indexer = None
    try:
        yield indexer
    finally:
        if indexer:
            indexer.stop()


def refresh_search(config: Config, result: BuildResult, cancel: threading.Event | None = None,
                   indexer: Indexer | None = None) -> bool:
    """After a build with search_later: the search index of the published pages, in
    place of the stale one, and the manifest updated to match. False when cancel was
    set first: the published index is still stale. indexer: see search_warmed."""
    if not result.stale_search:
        return True
    index = config.output_path / SEARCH_FOLDER
    before = sum(len(files) for _, _, files in os.walk(index))
    with OUTPUT_WRITES:
        since = read_manifest(config)  # pages written after this may not be in the new index
    if not refresh_search_index(config.output_path, result.search_language, result.stale_shards, cancel,
                                result.indexed, indexer):  # fmt: skip
        return False
    after = sum(len(files) for _, _, files in os.walk(index))
    with OUTPUT_WRITES:
        restat_output(config, (SEARCH_FOLDER,), after - before, since)
    return True


def catch_up_search(config: Config, result: BuildResult, indexer: Indexer | None, progress: Progress) -> float | None:
    """As `archivist build` ends a build made with search_later: refresh_search, while
    the published site is kept for the next build (kept_meanwhile); the seconds it
    took, None when the index was not behind."""
    if not result.stale_search:
        return None
    started = time.perf_counter()
    progress.say("updating the search index…")
    with kept_meanwhile(config):
        refresh_search(config, result, indexer=indexer)
    return time.perf_counter() - started


def list_pages(config: Config, archive: Archive, env: jinja2.Environment, setting: tuple[str, dict[str, bytes]],
               memory: BuildMemory, lasting: bool) -> tuple[list[Page | PageJob], dict[str, str]]:  # fmt: skip
    """Every file of the site but the static ones, none made yet, and the keys of the
    pages made from a few sources (page_keys.py), by the setting key and the templates'
    digests of setting; with lasting, memory keeps what the next build reuses."""
    with collector_paused(freeze=True):
        pages: list[Page | PageJob] = [*site_jobs(archive, env, memory.jobs if lasting else None),
                                       *data_jobs(archive, memory.export_rows)]
        pages += redirect_pages(archive, load_registry(config.registry_path), env)
        keys = _page_keys(archive, pages, *setting, memory.digests, lasting)
        make_rows(archive, memory.export_rows)  # here, not only in a worker making the exports
    return pages, keys


def _page_keys(archive: Archive, pages: list[Page | PageJob], setting: str, templates: dict[str, bytes],
               kept: KeptDigests | None = None, lasting: bool = False) -> dict[str, str]:  # fmt: skip
    """path -> key of every page made from a few sources (page_keys.py), the templates
    among them (template_keys.py); with lasting, kept keeps them for the next build too."""
    made_of = [(page.path, page.sources) for page in pages if isinstance(page, PageJob) and page.sources is not None]
    return page_keys(made_of, setting, source_keys(archive, kept) | templates, kept if lasting else None)


def load_archive(config: Config, executor: Executor | None = None, progress: Progress | None = None,
                 memory: BuildMemory | None = None) -> tuple[Archive, list[ArchivistError]]:
    """Everything loaded once: documents, annotations, entities, indexes."""
    documents, problems = read_documents(config, memory)
    registry = load_registry(config.registry_path)
    annotations = memory.annotations(documents) if memory else {}
    fresh = [doc for doc in documents if doc.id not in annotations]
    cache = Cache(config.cache_path)
    try:
        ctx = AnnotateContext(names=config.annotator_names, registry=registry, cache=cache,
                              models=memory.models if memory else Models())  # fmt: skip
        annotations |= annotate_all(fresh, ctx, executor or Local(), progress)
    finally:
        cache.close()
    if memory:
        memory.annotated(documents, annotations)
    annotations = {doc.id: annotations[doc.id] for doc in documents}
    with collector_paused(freeze=True):  # not while annotators run: models may leave cycles behind
        annotations, edited = apply_archive_overrides(config, documents, annotations)
        kept = memory.resolution if memory else None
        resolved, entities, keyed = resolve_keyed(documents, annotations, registry, kept)
        notices = memory.notices(documents, document_notices) if memory else [
            notice for doc in documents for notice in document_notices(doc)]
        last = memory.archive if memory else None
        archive = (last and last.updated(config, documents, resolved, entities)) or Archive.from_documents(
            config, documents, resolved, entities)
    if memory:
        memory.entity_keys, memory.archive = keyed, archive
        offer_derived(memory, archive, annotations, last)
    return archive, problems + edited + notices


def fill_memory(config: Config, memory: BuildMemory, setting: str | None = None) -> Archive:
    """Read and resolve the archive into memory without building: what the preview
    server does when its first build had nothing to do, so the first edit is quick.
    setting: fingerprint(config, content=False), when the caller took it already."""
    memory.start(memory_key(config, setting or fingerprint(config, content=False)))
    with collector_paused():
        recall(config, memory)
    archive = load_archive(config, memory=memory)[0]
    keep(config, memory)
    return archive


def fill_reuse(config: Config, archive: Archive, memory: BuildMemory, setting: str) -> None:
    """After fill_memory, the rest of the work a build reuses (reuse.py): every page
    listed with its key, the digests they are made of and the rows of the CSV exports,
    and the templates loaded. A preview then knows what the lists showed (preview.py).
    setting: fingerprint(config, content=False), as fill_memory had it."""
    templates = template_digests(render.templates_dir())
    env = memory.templates(partial(make_environment, config), templates)
    list_pages(config, archive, env, (setting, templates), memory, lasting=True)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # compiled now, not in the first preview


def read_documents(config: Config, memory: BuildMemory | None = None) -> tuple[list[Document], list[ArchivistError]]:
    """Parse every source (or recall it from memory); a bad one is reported and
    skipped, or built from its last good version (memory.keeps_last_good), the rest
    still load."""
    documents: list[Document] = []
    problems: list[ArchivistError] = []
    seen: dict[str, str] = {}
    for path in find_sources(config):
        signature, doc = memory.document(path) if memory else (None, None)
        try:
            doc = doc or read_document(path, layout=layout_for(path, config),
                                       source=path.relative_to(config.site_dir).as_posix())  # fmt: skip
        except DocumentError as error:
            if (doc := memory.last_good(path) if memory else None) is None:
                problems.append(error)
                continue
            problems.append(StaleDocument(f"{error.message}; its last good version is built instead", error.path))
        if memory:
            memory.read(path, signature, doc)
        if doc.id in seen:
            problems.append(DocumentError(f"same document id {doc.id!r} as {seen[doc.id]}", doc.source))
            continue
        seen[doc.id] = doc.source
        documents.append(doc)
    return documents, problems

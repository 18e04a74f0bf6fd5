"""The build: the whole pipeline, one stage per call."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .annotators import AnnotateContext, annotate
from .archive import Archive
from .cache import Cache
from .config import Config
from .errors import ArchivistError, DocumentError
from .model import Document
from .registry import load_registry
from .render import make_environment, render_site, static_files
from .resolve import resolve
from .search import search_language
from .sources import find_sources, layout_for, read_document
from .write import data_pages, write_site


@dataclass
class BuildResult:
    """What a build did, for the summary line and the exit code."""

    documents: int = 0  # documents built
    pages: int = 0  # files in the output
    written: int = 0  # files whose bytes changed
    problems: list[ArchivistError] = field(default_factory=list)  # skipped documents
    seconds: float = 0.0  # wall time of the whole build

    def summary(self) -> str:
        return (
            f"built {self.documents} documents into {self.pages} files "
            f"({self.written} changed) in {self.seconds:.2f} s"
            + (f"; {len(self.problems)} problem(s)" if self.problems else "")
        )


def build(config: Config) -> BuildResult:
    """Read, annotate, resolve, render and write the archive at config.site_dir."""
    started = time.perf_counter()
    env = make_environment(config)  # a broken template stops us before any work
    archive, problems = load_archive(config)
    pages = render_site(archive, env) + data_pages(archive)
    written = write_site(pages, static_files(), config.output_path, search_language(archive))
    return BuildResult(
        documents=len(archive.documents),
        pages=len(pages) + len(static_files()),
        written=written,
        problems=problems,
        seconds=time.perf_counter() - started,
    )


def load_archive(config: Config) -> tuple[Archive, list[ArchivistError]]:
    """Everything loaded once: documents, annotations, entities, indexes."""
    documents, problems = read_documents(config)
    registry = load_registry(config.registry_path)
    cache = Cache(config.cache_path)
    try:
        ctx = AnnotateContext(names=config.annotator_names, registry=registry, cache=cache)
        annotations = {doc.id: annotate(doc, ctx) for doc in documents}
    finally:
        cache.close()
    annotations, entities = resolve(documents, annotations, registry)
    return Archive.from_documents(config, documents, annotations, entities), problems


def read_documents(config: Config) -> tuple[list[Document], list[ArchivistError]]:
    """Parse every source; a bad one is reported and skipped, the rest still load."""
    documents: list[Document] = []
    problems: list[ArchivistError] = []
    seen: dict[str, str] = {}
    for path in find_sources(config):
        source = path.relative_to(config.site_dir).as_posix()
        try:
            doc = read_document(path, layout=layout_for(path, config), source=source)
        except DocumentError as error:
            problems.append(error)
            continue
        if doc.id in seen:
            problems.append(DocumentError(f"same document id {doc.id!r} as {seen[doc.id]}", source))
            continue
        seen[doc.id] = source
        documents.append(doc)
    return documents, problems

"""Quick previews of edited documents, for the preview server.

Rebuilding a large archive after an edit takes seconds: every name is resolved again
across the archive, and every page listing the document is made again. The writer,
though, is looking at the page they edited, or at a page it changes. So the server
first makes those pages from the edited source, its annotations (the cache, else the
annotators, run in this process) and the entities the last build gave its names
(resolve_one), put in place of the old in the last build's archive
(Archive.revised): the document's page, the lists that show it and the pages of the
entities it names or named (render.pages_naming_in_turn). It serves them from memory; the
build that follows writes the whole site and replaces them. A name new to the
archive links to the page the next build will make for it, previewed too.

Only edits of a few sources are previewed, and only when the last build succeeded:
settings, the registry and overrides change more than a few pages. An edit of the
templates changes every page made with them (base.html: every HTML page), so none is
made at once: each page asked for is made from the last build's archive with the
edited templates (render.page_renderer), until the build has written them all. An
edited static file (a stylesheet) is served from the templates as it is, since the
build only copies it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from .annotators import AnnotateContext
from .apply_overrides import apply_archive_overrides
from .build import collector_paused
from .cache import Cache
from .config import Config
from .errors import ArchivistError
from .executors import Local, annotate_all
from .manifest import STATIC_FOLDER
from .memory import BuildMemory
from .model import Block, Document
from .registry import load_registry
from .render import make_environment, merged, page_renderer, pages_naming_in_turn, templates_dir
from .resolve import resolve_one
from .sources import SUFFIXES, TEMP_SUFFIXES, layout_for, read_document
from .template_keys import template_digests

WARM_UP = {"ja": "東京の山田太郎氏は「晴れた」と語った。", "en": 'Jane Smith of London said "It is fine."'}
MAX_PREVIEWED = 3  # more sources changed at once than this: a rebuild, not a preview


def previewable(paths: set[Path], config: Config) -> list[Path]:
    """The edited sources to preview, as the build names them: [] unless every path is an
    existing source file of the content folder and there are at most MAX_PREVIEWED."""
    root = config.content_path.resolve()
    sources = []
    for path in sorted(paths):
        path = path.resolve()
        if not path.is_relative_to(root) or path.is_relative_to(config.output_path.resolve()):
            return []
        relative = path.relative_to(root)
        hidden = any(part.startswith((".", "#")) for part in relative.parts)
        if hidden or path.name.endswith(TEMP_SUFFIXES) or path.suffix.lower() not in SUFFIXES:
            return []
        if not path.is_file():
            return []  # deleted or moved: other pages change too
        sources.append(config.content_path / relative)
    return sources if len(sources) <= MAX_PREVIEWED else []


def load_models(config: Config, memory: BuildMemory) -> None:
    """Load the annotators' models into memory by annotating a line of the archive's
    language, so that the first preview does not wait for them."""
    doc = Document("warm-up", "warm-up", "", config.language, "", [Block("paragraph", WARM_UP[config.language])])
    ctx = AnnotateContext(config.annotator_names, load_registry(config.registry_path), memory.models)
    annotate_all([doc], ctx, Local(jobs=1))


def preview_pages(config: Config, sources: list[Path], memory: BuildMemory) -> dict[str, str]:
    """Output path -> HTML of each page the edited sources change, made at once (see
    the module's docstring). Raises ArchivistError when a source cannot be read or a
    page made: the build that follows reports it in full."""
    return merged(preview_in_turn(config, sources, memory))


def preview_in_turn(config: Config, sources: list[Path], memory: BuildMemory) -> Iterator[dict[str, str]]:
    """preview_pages' pages in the batches of render.pages_naming_in_turn, each made
    when asked for: the edited document's page and those of its names are shown
    before hundreds of pages of the quote index are made."""
    last = memory.archive
    if last is None or memory.entity_keys is None:
        return  # no build has resolved the archive yet
    registry = load_registry(config.registry_path)
    documents = [_read(path, config) for path in sources]
    cache = Cache(config.cache_path)
    try:  # its results are cached, so the build that follows does not annotate again
        ctx = AnnotateContext(config.annotator_names, registry, memory.models, cache)
        annotations = annotate_all(documents, ctx, Local(jobs=1))
    finally:
        cache.close()
    annotations, _ = apply_archive_overrides(config, documents, annotations)
    with collector_paused():  # else a full pass over the archive in memory may fall in it
        resolved, named = {}, []
        for doc in documents:
            resolved[doc.id], entities = resolve_one(doc, annotations[doc.id], registry, memory.entity_keys)
            named += entities
        env = memory.templates(partial(make_environment, config), template_digests(templates_dir()))
        batches = pages_naming_in_turn(last.revised(documents, resolved, named), env, documents, last,
                                       memory.digests.pages)  # fmt: skip
    while True:
        with collector_paused():
            batch = next(batches, None)
        if batch is None:
            return
        yield batch


def _read(path: Path, config: Config) -> Document:
    return read_document(path, layout=layout_for(path, config), source=path.relative_to(config.site_dir).as_posix())


def try_preview(config: Config, paths: set[Path], memory: BuildMemory) -> dict[str, str]:
    """preview_pages of the previewable paths; {} when there are none or one fails."""
    return merged(try_preview_in_turn(config, paths, memory))


def try_preview_in_turn(config: Config, paths: set[Path], memory: BuildMemory) -> Iterator[dict[str, str]]:
    """preview_in_turn of the previewable paths; none when there are none, and no more
    once one fails: the build that follows reports it."""
    sources = previewable(paths, config)
    if not sources:
        return
    try:
        yield from preview_in_turn(config, sources, memory)
    except ArchivistError:
        return


def try_design_preview(config: Config, paths: set[Path],
                       memory: BuildMemory) -> tuple[dict[str, str], Callable[[str], str | None] | None]:  # fmt: skip
    """When every path is an edited template or static text file, and a build has read
    the archive: the static files (output path -> text) and a renderer of any page with
    the edited templates (None when no template changed or one does not compile: the
    build reports it). Else ({}, None)."""
    root = templates_dir().resolve()
    static, templates = {}, False
    for path in paths:
        path = path.resolve()
        if path.is_relative_to(root / STATIC_FOLDER) and path.is_file():
            try:
                static[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return {}, None  # an image: the build copies it
        elif path.is_relative_to(root) and path.suffix == ".html":
            templates = True
        else:
            return {}, None
    if not templates or memory.archive is None:
        return static, None
    try:
        with collector_paused():  # listing every page makes a million objects
            return static, page_renderer(memory.archive, make_environment(config))
    except ArchivistError:
        return static, None

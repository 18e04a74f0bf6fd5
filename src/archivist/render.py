"""Render the archive into pages with Jinja templates: one context per page kind.

Templates always autoescape and fail on undefined names. Markup comes from two places
only: highlight() for the text, and the ``jsonld`` filter (script_json), which writes
data into a <script> element. Every internal href is relative to its page, so the
site works at a domain root, under a subpath and from file://. The 404 page is the
exception: a host serves it at any depth, so its links are absolute under the path
of config.base_url, or (without a base_url) relative to the site root, which only
works when the 404 page is shown at the root.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

import archivist

from .archive import ENTITIES_PATH, INDEX_PATH, NOT_FOUND_PATH, QUOTES_PATH, Archive
from .config import Config
from .errors import TemplateError
from .feeds import (
    ROBOTS_PATH, SITEMAP_PATH, Entries, archive_feed, atom_date, entity_feed, entity_feed_path, robots,
    site_url, sitemap,
)  # fmt: skip
from .citations import document_citation, page_url
from .entity_listing import entity_index_pages
from .entity_pages import Plan, entity_pages
from .i18n import Strings, number, strings
from .listing import index_pages, year_of
from .manifest import STATIC_FOLDER
from .model import ENTITY_TYPES, Annotations, Document
from .pages import (
    FEED_PATH, SEARCH_PATH, QUOTE_PREVIEW, Chrome, DocumentPage, EntityChip, EntityGroup, Link, Linker, Maker,
    NotFoundPage, SearchPage, annotations_path, document_data_path, relative, web_url,
)  # fmt: skip
from .quote_listing import quote_pages
from .reuse import Reuse
from .schema_org import document_schema
from .search import SEARCH_FOLDER, excerpt_words, search_language, shard_folder, shard_plan
from .template_keys import template_source
from .template_output import OutputTemplate
from .user_cache import user_cache_folder
from .views import Views, document_blocks

__all__ = ["Page", "PageJob", "make_environment", "relative", "render_site", "script_json", "site_jobs",
           "static_files"]  # fmt: skip
_DOCUMENT = attrgetter("document")  # the document id of an Occurrence or a QuoteRef
CHIP_CACHE = 1 << 16  # chips kept made (chip_lister)
# Characters that could end a <script> element or open a comment in it, or end a line
# of JavaScript, written as JSON escapes so the data reads the same.
_SCRIPT_ESCAPES = [(c, f"\\u{ord(c):04x}") for c in "<>&\u2028\u2029"]


@dataclass(frozen=True)
class Page:
    path: str  # output path relative to the site folder, e.g. "documents/x/index.html"
    content: str  # the page's HTML

    def text(self) -> str:
        return self.content


@dataclass(frozen=True)
class PageJob:
    """A page not made yet: pages are made one at a time while they are written, so a
    large archive never holds all of them at once, and workers can share them out."""

    path: str  # as Page.path
    make: Callable[[], str]  # makes the page's text
    sources: tuple[str, ...] | None = None  # what it is made from, when not the whole archive (page_keys.py)

    def text(self) -> str:
        return self.make()

    def page(self) -> Page:
        return Page(self.path, self.make())


def templates_dir() -> Path:
    """The installed templates, else the repository's top-level templates/ folder."""
    installed = Path(archivist.__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parents[2] / "templates"


def make_environment(config: Config | None) -> jinja2.Environment:
    """A Jinja environment over the templates: autoescape on, undefined names fail.

    Every template is compiled here, so a broken one stops a build before any
    document is read, and the workers that make pages inherit them compiled. They are
    not looked at again: an edited template makes a new environment (BuildMemory.templates,
    keyed by template_keys.template_digests), where checking them took three file system
    calls per page. Compiled templates are kept in the user's cache folder (Jinja
    checks each against its source): 0.2 s of every build, 0.01 s from there."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        bytecode_cache=_compiled_templates(),
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.template_class = OutputTemplate  # before any template is loaded
    env.filters["jsonld"] = script_json
    env.filters["number"] = number
    env.globals["chips"] = chip_lister(env)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        try:
            env.get_template(name)
        except jinja2.TemplateError as error:
            raise TemplateError(f"cannot compile: {error}", templates_dir() / name) from error
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept: the user's cache folder, never the archive's
    (user_cache.py); none when it cannot be made."""
    folder = user_cache_folder()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder / "templates"))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files, where a damaged file (cut short
    by a full disk) is compiled again instead of failing the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # pickle's and marshal's many errors
            bucket.reset()


def chip_lister(env: jinja2.Environment) -> Callable[..., Markup]:
    """The templates' chips(list, show_type=False, separator=""): the chip macro of
    _macros.html for each entity chip of list, joined by separator (markup).

    A site shows the same chip (entity, link, count) on many pages, so each distinct
    one is made once, as Hugo's partialCached does. On the livedoor archive's entity
    pages, 335,000 chips have 30,000 distinct values; written out by the template
    every time they took 11 µs each, joined from the cache 4 µs."""

    @lru_cache(maxsize=CHIP_CACHE)
    def chip(item: EntityChip, show_type: bool) -> Markup:
        return env.get_template("_macros.html").module.chip(item, show_type)  # type: ignore[attr-defined]

    def chips(items: Iterable[EntityChip], show_type: bool = False, separator: str = "") -> Markup:
        # Joined as text, not by Markup.join, which would escape (copy) every chip again.
        between = separator if isinstance(separator, Markup) else escape(separator)
        return Markup(str.join(between, [chip(item, show_type) for item in items]))

    return chips


def script_json(data: Any) -> Markup:
    """data as JSON that is safe inside <script>: no text in it can close the element.

    "<", ">", "&", U+2028 and U+2029 are written as \\u escapes, which JSON reads
    back as the same characters; this is the only way data enters a <script>.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for character, escaped in _SCRIPT_ESCAPES:  # quicker than translate, which looks up every character
        if character in text:
            text = text.replace(character, escaped)
    return Markup(text)


def static_files() -> list[tuple[str, Path]]:
    """(output path, source file) for every file under templates/static/."""
    static = templates_dir() / STATIC_FOLDER
    files = sorted(p for p in static.rglob("*") if p.is_file())
    return [(f"{STATIC_FOLDER}/{p.relative_to(static).as_posix()}", p) for p in files]


def render_site(archive: Archive, env: jinja2.Environment) -> list[Page]:
    """Every page of the site, then its feeds, sitemap and robots.txt, in a fixed order."""
    return [job.page() for job in site_jobs(archive, env)]


@dataclass
class KeptJobs:
    """What site_jobs reuses in a long-running process (reuse.py): each entity's
    sources and the plan of its pages, while the lists of its mentions and quotes are
    the objects the last build had (Archive.updated keeps those an edit did not touch)."""

    sources: Reuse[tuple[str, ...]] = field(default_factory=Reuse)
    plans: Reuse[Plan] = field(default_factory=Reuse)

    def next_build(self) -> None:
        self.sources.next_build()
        self.plans.next_build()


def site_jobs(archive: Archive, env: jinja2.Environment, kept: KeptJobs | None = None) -> list[PageJob]:
    """render_site's pages, not made yet (see PageJob); kept: see KeptJobs."""
    t = strings(archive.config.language)
    views = Views.of(archive, t)
    by_entity = entity_sources(archive, kept.sources if kept else None)  # shared by each entity's page and feed
    jobs = [PageJob(path, partial(_render_page, env, template, t, make), _with_template(template, sources))
            for template, path, make, sources in page_makers(views, by_entity, kept.plans if kept else None)]  # fmt: skip
    return jobs + feed_jobs(archive, [job.path for job in jobs], by_entity)


def _with_template(template: str, sources: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A page's sources and the template it is made with (template_keys.py)."""
    return None if sources is None else (template_source(template), *sources)


EntitySources = dict[str, tuple[str, ...]]  # entity id -> what its page and feed are made from


def entity_sources(archive: Archive, kept: Reuse[tuple[str, ...]] | None = None) -> EntitySources:
    """What each entity's page and feed are made from: it and every document naming it;
    with kept, the last build's while its lists of mentions and quotes are the same."""
    named = {doc.id: f"d:{doc.id}" for doc in archive.documents}  # one string each, for every entity
    if kept is None:
        return {entity_id: _sources_of(archive, entity_id, named.__getitem__) for entity_id in archive.entities}
    mentions, quotes = archive.mentions, archive.quotes
    return {entity_id: kept.get(entity_id, (mentions.get(entity_id), quotes.get(entity_id)),
                                partial(_sources_of, archive, entity_id, named.__getitem__))
            for entity_id in archive.entities}  # fmt: skip


def _sources_of(archive: Archive, entity_id: str, named: Callable[[str], str]) -> tuple[str, ...]:
    documents = set(map(_DOCUMENT, archive.mentions.get(entity_id, ())))
    documents.update(map(_DOCUMENT, archive.quotes.get(entity_id, ())))
    return (f"e:{entity_id}", *map(named, sorted(documents)))


def pages_naming(archive: Archive, env: jinja2.Environment, documents: list[Document], before: Archive,
                 kept_pages: Mapping[str, tuple[Sequence[str], str]] | None = None) -> dict[str, str]:  # fmt: skip
    """Output path -> HTML of every page pages_naming_in_turn makes, at once."""
    return merged(pages_naming_in_turn(archive, env, documents, before, kept_pages))


def merged(batches: Iterable[dict[str, str]]) -> dict[str, str]:
    """Batches of pages (output path -> HTML) as one."""
    return {path: html for batch in batches for path, html in batch.items()}


# Pages of the quote index past the first: an edit that adds a quote to a recent document
# moves every later page by one, 391 on the livedoor archive, which took 2 s to make.
def _later_quote_page(template: str, path: str) -> bool:
    return template == "quotes.html" and path != QUOTES_PATH


def pages_naming_in_turn(archive: Archive, env: jinja2.Environment, documents: list[Document], before: Archive,
                         kept_pages: Mapping[str, tuple[Sequence[str], str]] | None = None) -> Iterator[dict[str, str]]:  # fmt: skip
    """Output path -> HTML of the pages made from a few documents (page_keys.py), in two
    batches, each made when asked for, the later pages of the quote index in the second:
    the documents' own pages first, the lists that show them, and the pages of the entities they name in archive
    or named in before (the archive before they were edited): the first page of each,
    and those past it that show them; the pages of the entity index whose names, ranks
    or counts differ from before's; when they quote or quoted anyone, the pages of the
    quote index that show other quotes than before's, and its first page. Other pages
    made from the whole archive are left out. kept_pages: before's page keys, when kept
    (page_keys.KeptDigests.pages), which spare listing its pages again."""
    t = strings(archive.config.language)
    views = Views.of(archive, t)
    naming = {f"d:{doc.id}" for doc in documents}
    entity_ids: set[str] = set()
    for doc in documents:
        for index in (archive, before):
            entity_ids.update(e for e, _ in index.document_entities.get(doc.id, ()))
            entity_ids.update(q.speaker for q in index.annotations.get(doc.id, Annotations()).quotes if q.speaker)
    included = set()
    makers = [("document.html", archive.document_path(doc), partial(document_page, views, doc), (f"d:{doc.id}",))
              for doc in documents]  # fmt: skip
    makers += [("index.html", path, make, sources) for path, make, sources in index_pages(views)]
    for entity_id in sorted(entity_ids & archive.entities.keys()):
        entity = archive.entities[entity_id]
        included.add(archive.entity_path(entity))
        makers += entity_pages(views, entity, _sources_of(archive, entity_id, "d:".__add__))
    quoting = [("quotes.html", path, make, make.sources()) for path, make in quote_pages(views)]
    makers += quoting
    shown_before = _sources_before(before, t, kept_pages)  # their sources name what they show, ranked and counted
    if any(index.annotations.get(doc.id, Annotations()).quotes for doc in documents for index in (archive, before)):
        # Pages a group of quotes moved to or from, and the first page, which counts them all.
        included.update(path for template, path, _, sources in quoting
                        if sources is None or shown_before(path) != _with_template(template, sources))  # fmt: skip
    for template, path, make, sources in entity_index_pages(views):
        if shown_before(path) != _with_template(template, sources):
            included.add(path)
            makers.append((template, path, make, sources))
    chosen = [(template, path, make) for template, path, make, sources in makers
              if path in included or not naming.isdisjoint(sources or ())]  # fmt: skip
    for later in (False, True):
        batch = {path: _render_page(env, template, t, make) for template, path, make in chosen
                 if _later_quote_page(template, path) is later}  # fmt: skip
        if batch:
            yield batch


def _sources_before(before: Archive, t: Strings,
                    kept_pages: Mapping[str, tuple[Sequence[str], str]] | None) -> Callable[[str], Sequence[str] | None]:  # fmt: skip
    """The sources (with their template) of a page of before's entity or quote index, by
    output path: kept_pages' when there are any, else those pages listed again."""
    if kept_pages:
        return lambda path: kept_pages.get(path, (None, ""))[0]
    views = Views.of(before, t)

    @cache
    def listed(quotes: bool) -> dict[str, tuple[str, ...] | None]:
        if quotes:
            return {path: _with_template("quotes.html", make.sources()) for path, make in quote_pages(views)}
        return {path: _with_template(template, sources) for template, path, _, sources in entity_index_pages(views)}

    return lambda path: listed(path.startswith("quotes/")).get(path)


def page_renderer(archive: Archive, env: jinja2.Environment) -> Callable[[str], str | None]:
    """A function making the page of the site at an output path with env, or None when
    the site has no such page: the preview server's pages with edited templates, each
    made when asked for. Every page is listed here (a fraction of a second), none made."""
    t = strings(archive.config.language)
    makers = {path: (template, make) for template, path, make, _ in page_makers(Views.of(archive, t))}

    def render(path: str) -> str | None:
        template, make = makers.get(path, (None, None))
        return _render_page(env, template, t, make) if template and make else None

    return render


def _render_page(env: jinja2.Environment, template: str, t: Strings, make: Maker) -> str:
    chrome, context = make()
    return _render(env, template, site=chrome, page=context, t=t)


def feed_jobs(archive: Archive, html_paths: list[str], by_entity: EntitySources | None = None) -> list[PageJob]:
    """The archive's feed, one feed per entity, robots.txt and (with a base_url) sitemap.xml;
    by_entity is entity_sources(archive), when already known."""
    by_entity = entity_sources(archive) if by_entity is None else by_entity
    jobs = [PageJob(FEED_PATH, partial(archive_feed, archive))]
    entries: Entries = {}  # shared by the entity feeds, each worker filling its copy
    for entity in archive.entities.values():
        jobs.append(PageJob(entity_feed_path(archive, entity), partial(entity_feed, archive, entity, entries),
                            by_entity[entity.id]))  # fmt: skip
    if site_url(archive.config) is not None:
        listed = [p for p in html_paths if p not in (NOT_FOUND_PATH, SEARCH_PATH)]
        jobs.append(PageJob(SITEMAP_PATH, partial(_sitemap, archive, listed)))
    jobs.append(PageJob(ROBOTS_PATH, partial(robots, archive.config)))
    return jobs


def _sitemap(archive: Archive, paths: list[str]) -> str:
    days = {archive.document_path(d): (atom_date(d.date) or "")[:10] for d in archive.documents}
    return sitemap(archive.config, [(path, days.get(path)) for path in paths])


def page_makers(views: Views, by_entity: EntitySources | None = None, plans: Reuse[Plan] | None = None,
                ) -> list[tuple[str, str, Maker, tuple[str, ...] | None]]:  # fmt: skip
    """(template, output path, maker, sources) for every page of the site (see PageJob);
    by_entity is entity_sources(views.archive), when already known; plans: see KeptJobs."""
    archive = views.archive
    by_entity = entity_sources(archive) if by_entity is None else by_entity
    makers: list[tuple[str, str, Maker, tuple[str, ...] | None]] = [
        ("index.html", path, make, sources) for path, make, sources in index_pages(views)
    ]
    for doc in archive.documents:
        makers.append(("document.html", archive.document_path(doc), partial(document_page, views, doc),
                       (f"d:{doc.id}",)))  # fmt: skip
    makers += entity_index_pages(views)
    for entity in archive.entities.values():
        makers += entity_pages(views, entity, by_entity[entity.id], plans)
    makers += [("quotes.html", path, make, make.sources()) for path, make in quote_pages(views)]
    makers.append(("search.html", SEARCH_PATH, partial(search_page, views), None))
    makers.append(("404.html", NOT_FOUND_PATH, partial(not_found_page, views), None))
    return makers


def page_contexts(views: Views) -> list[tuple[str, str, Chrome, object]]:
    """(template, output path, chrome, context) for every page of the site."""
    return [(template, path, *make()) for template, path, make, _ in page_makers(views)]


def _render(env: jinja2.Environment, name: str, **context: object) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as error:
        raise TemplateError(f"cannot render: {error}", templates_dir() / name) from error


def document_page(views: Views, doc: Document) -> tuple[Chrome, DocumentPage]:
    """One document: its highlighted text, entities, quotes and related headlines."""
    archive, t = views.archive, views.t
    link = Linker(archive.document_path(doc))
    notes = archive.annotations[doc.id]
    mention_types = Counter(map(views.mention_type, notes.mentions))
    named = [(archive.entities[e], n) for e, n in archive.document_entities[doc.id]]
    chips = [views.chip(entity, link, n) for entity, n in named]
    groups = [
        EntityGroup(views.kind(kind, len(members)), members)
        for kind in ENTITY_TYPES
        if (members := [chip for chip in chips if chip.kind.type == kind])
    ]
    offered = [entity for entity, _ in named if archive.search_filters.offer(entity)]
    filters = [(group.kind.label, [e.name for e in offered if e.type == group.kind.type]) for group in groups]
    speaking = [q for q in notes.quotes if q.kind != "term" or q.speaker in archive.entities]
    url = page_url(archive.config, archive.document_path(doc))
    page = DocumentPage(
        title=doc.title,
        lang=views.lang(doc),
        byline=t.byline.format(name=doc.byline) if doc.byline else None,
        date=views.date(doc.date),
        year=year_of(doc),
        original=web_url(doc.url),
        types=[views.kind(k, mention_types[k]) for k in ENTITY_TYPES if mention_types[k]],
        quote_count=len(views.kept_quotes(doc)),
        blocks=document_blocks(views, doc, link),
        related=[Link(web_url(r.url), r.title) for r in doc.related],
        groups=groups,
        filters=filters,
        quotes=[views.quote(doc, q, link, QUOTE_PREVIEW) for q in speaking],
        citation=document_citation(doc, archive.config.title, url, t),
        structured=document_schema(archive, doc, lambda q: views.quote_anchor(doc, q)),
        data=[
            Link(link(document_data_path(doc)), "JSON"),
            Link(link(annotations_path(doc)), "W3C Web Annotation (JSON-LD)"),
        ],
    )
    return views.chrome(link, doc.title, None), page


def search_page(views: Views) -> tuple[Chrome, SearchPage]:
    """Pagefind's default interface over the document index (see search.py)."""
    t, link = views.t, Linker(SEARCH_PATH)
    shards = shard_plan(views.archive.document_path(doc) for doc in views.archive.documents)
    page = SearchPage(
        stylesheet=link(f"{SEARCH_FOLDER}/pagefind-ui.css"),
        script=link(f"{SEARCH_FOLDER}/pagefind-ui.js"),
        open_filter=t.filter_types,
        documents=len(views.archive.documents),
        merged=[link(f"{SEARCH_FOLDER}/{shard_folder(n)}/") for n in range(1, len(shards))],
        excerpt_words=excerpt_words(search_language(views.archive)),
    )
    return views.chrome(link, t.search, SEARCH_PATH), page


def not_found_page(views: Views) -> tuple[Chrome, NotFoundPage]:
    """The 404 page, with links absolute under the base path (see the module doc)."""
    t, base = views.t, urlsplit(views.archive.config.base_url).path
    link = Linker(NOT_FOUND_PATH, (base if base.endswith("/") else base + "/") if base else None)
    links = [
        Link(link(INDEX_PATH), t.documents),
        Link(link(ENTITIES_PATH), t.entities),
        Link(link(QUOTES_PATH), t.quotes),
        Link(link(SEARCH_PATH), t.search),
    ]
    return views.chrome(link, t.not_found, None), NotFoundPage(links)

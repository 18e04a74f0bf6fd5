"""Pages at old entity addresses, so links keep working after a merge or a split.

An id the registry lists in ``merged_from`` gets a page that sends the reader on
to the entity that replaced it (meta refresh, a canonical link and a visible link);
an id listed in ``split_from`` gets a page listing every entity that replaced it.
Links are relative, like every other page's. An old address that still has a real
entity page, or whose replacements are never mentioned, gets no redirect page.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from .archive import Archive
from .errors import TemplateError
from .model import Entity
from .pages import Link, relative
from .registry import Registry
from .render import Page, templates_dir

TEMPLATE = "redirect.html"

WORDS = {
    "ja": {"moved": "このページは移動しました", "split": "このページは次のページに分かれました"},
    "en": {"moved": "This page has moved", "split": "This page is now several pages"},
}


@dataclass(frozen=True)
class RedirectPage:
    lang: str  # interface language
    title: str  # what happened to the page
    old_name: str  # the old entity's slug, as readers saw it in the address
    targets: list[Link]  # the pages that replace it, relative to this page
    stylesheet: str  # relative address of the site's stylesheet


def redirect_pages(archive: Archive, registry: Registry, env: jinja2.Environment) -> list[Page]:
    """A page at each replaced entity's old address, in id order."""
    words = WORDS.get(archive.config.language, WORDS["en"])
    taken = {archive.entity_path(e) for e in archive.entities.values()}
    pages = []
    for old_id, new_ids in sorted(registry.redirects().items()):
        old = Entity(old_id, old_id, old_id.split("/", 1)[0].upper())
        path = archive.entity_path(old)
        targets = [archive.entities[i] for i in new_ids if i in archive.entities]
        if path in taken or not targets:
            continue
        page = RedirectPage(
            lang=archive.config.language,
            title=words["moved"] if len(new_ids) == 1 else words["split"],
            old_name=old.slug,
            targets=[Link(relative(path, archive.entity_path(t)), t.name) for t in targets],
            stylesheet=relative(path, "static/style.css"),
        )
        pages.append(Page(path, _render(env, page)))
    return pages


def _render(env: jinja2.Environment, page: RedirectPage) -> str:
    try:
        return env.get_template(TEMPLATE).render(page=page)
    except jinja2.TemplateError as error:
        raise TemplateError(f"cannot render: {error}", templates_dir() / TEMPLATE) from error

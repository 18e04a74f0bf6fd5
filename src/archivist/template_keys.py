"""Which templates each page is made with, so a template edit makes only their pages again.

A page made with a template names it among its sources (page_keys.py) as
"t:<template>", whose digest covers the template's text and that of every template it
extends, includes or imports, and of those the renderer calls into itself (IMPLICIT),
as Hugo's server tracks its templates' dependencies. So an edit of entity.html makes the
entity pages again and nothing else, one of base.html every HTML page, and none makes
the feeds, the JSON files or the Web Annotations, which no template makes. A template
that names another through a variable, or does not parse, depends on every template.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta

from .manifest import STATIC_FOLDER

IMPLICIT = ("_macros.html",)  # render.chip_lister makes the templates' chips with its chip macro
PREFIX = "t:"  # of a template's name as a page's source


def template_source(name: str) -> str:
    """The source a page made with template name names (page_keys.py)."""
    return PREFIX + name


def template_digests(folder: Path) -> dict[str, bytes]:
    """source (template_source) -> digest of every template in folder, each with the
    templates it depends on.

    Read before the Jinja environment is made (BuildMemory.templates): a template edited
    in between is then newer in the environment than in its key, so the next build
    makes its pages again rather than keeping them."""
    texts = {path.relative_to(folder).as_posix(): path.read_bytes()
             for path in sorted(folder.rglob("*.html")) if STATIC_FOLDER not in path.relative_to(folder).parts}  # fmt: skip
    named = {name: _referenced(text) for name, text in texts.items()}
    digests = {}
    for name in texts:
        needed = _closure(name, named, set(texts))
        digest = hashlib.sha256()
        for other in sorted(needed):
            digest.update(other.encode("utf-8", "surrogateescape") + b"\x00" + texts.get(other, b"") + b"\x01")
        digests[template_source(name)] = digest.digest()
    return digests


@lru_cache(maxsize=256)  # parsing every template took 25 ms a build
def _referenced(text: bytes) -> frozenset[str] | None:
    """The templates text names; None when it names one through a variable or does not parse."""
    try:
        names = frozenset(meta.find_referenced_templates(jinja2.Environment().parse(text.decode("utf-8"))))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return None
    return None if None in names else names  # type: ignore[return-value]


def _closure(name: str, named: dict[str, frozenset[str] | None], every: set[str]) -> set[str]:
    """name, the templates it depends on (IMPLICIT among them), theirs, and so on."""
    needed, todo = set(), [name, *IMPLICIT]
    while todo:
        current = todo.pop()
        if current in needed:
            continue
        needed.add(current)
        referenced = named.get(current, frozenset())
        if referenced is None:
            return every
        todo += referenced
    return needed

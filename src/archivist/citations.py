"""How to cite a document or one quote: plain text, BibTeX and CSL-JSON.

A citation names the author (the byline, as written), the title, the date, the
archive as the container and, when config.base_url is set, the page's address. No
access date is written: the same archive gives the same bytes on every build.
Document text is untrusted; BibTeX fields are escaped so that no text can close a
field or run a TeX command, and the JSON is written by a JSON encoder.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

from .config import Config
from .feeds import site_url
from .i18n import Strings
from .json_text import dumps_indented
from .model import Document
from .pages import Citation

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # "\{" would still count as a brace for BibTeX itself
    "}": r"\textbraceright{}",
    "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_ENDS_SENTENCE = tuple(".?!。？！")


def page_url(config: Config, path: str, anchor: str = "") -> str | None:
    """The absolute address of an output path under config.base_url; None without one."""
    base = site_url(config)
    if base is None:
        return None
    url = base + quote(path, safe="/%")
    return f"{url}#{anchor}" if anchor else url


def date_parts(iso: str | None) -> list[int]:
    """[year, month, day] of an ISO 8601 date, as far as it goes; [] when there is none."""
    match = _DATE.match(iso or "")
    if not match:
        return []
    parts = [int(p) for p in match.groups() if p]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def document_citation(doc: Document, site_title: str, url: str | None, t: Strings) -> Citation:
    """The document cited as a reference, a BibTeX entry and a CSL-JSON item."""
    return Citation(
        text=reference(doc, site_title, url, t),
        bibtex=bibtex(doc, site_title, url),
        csl=dumps_indented([csl_item(doc, site_title, url)]),
    )


def reference(doc: Document, site_title: str, url: str | None, t: Strings) -> str:
    """A one-line reference: Japanese style for a Japanese interface, else Chicago-like.

    ja: 著者「題名」『アーカイブ名』、2025年3月1日、https://…
    en: Author. “Title.” Archive, 1 March 2025. https://…
    """
    date = t.date(doc.date) if doc.date else ""
    if t.lang == "ja":
        head = f"{doc.byline or ''}「{doc.title}」『{site_title}』"
        return "、".join(part for part in (head, date, url or "") if part)
    title = doc.title if doc.title.endswith(_ENDS_SENTENCE) else doc.title + "."
    author = doc.byline if not doc.byline or doc.byline.endswith(_ENDS_SENTENCE) else f"{doc.byline}."
    container = f"{site_title}, {date}." if date else f"{site_title}."
    return " ".join(part for part in (author, f"“{title}”", container, url) if part)


def quote_citation(
    speaker: str | None, text: str, doc: Document, url: str | None, t: Strings
) -> str:
    """Who said what, where and when, with the interface language's quotation marks.

    ja: 田中「…」（「題名」、2025年3月1日） https://…#q-3-10
    en: Tanaka: “…” (“Title”, 1 March 2025) https://…#q-3-10
    """
    date = t.date(doc.date) if doc.date else ""
    if t.lang == "ja":
        source = "、".join(part for part in (f"「{doc.title}」", date) if part)
        line = f"{speaker or ''}「{text}」（{source}）"
    else:
        source = ", ".join(part for part in (f"“{doc.title}”", date) if part)
        line = f"{speaker}: “{text}” ({source})" if speaker else f"“{text}” ({source})"
    return f"{line} {url}" if url else line


def bibtex(doc: Document, site_title: str, url: str | None) -> str:
    """A BibTeX @misc entry; biblatex reads its date field, BibTeX its year and month."""
    fields: list[tuple[str, str]] = []
    if doc.byline:
        fields.append(("author", "{{" + bibtex_text(doc.byline) + "}}"))  # one name, as written
    fields.append(("title", "{{" + bibtex_text(doc.title) + "}}"))  # the title's case kept
    fields.append(("howpublished", "{" + bibtex_text(site_title) + "}"))
    parts = date_parts(doc.date)
    if parts:
        fields.append(("year", f"{{{parts[0]}}}"))
    if len(parts) > 1:
        fields.append(("month", _MONTHS[parts[1] - 1]))  # BibTeX's month macro, unbraced
        fields.append(("date", "{" + "-".join(f"{p:02d}" for p in parts) + "}"))
    if url:
        fields.append(("url", "{" + url + "}"))
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@misc{{{bibtex_key(doc.id)},\n{body}}}"


def bibtex_text(text: str) -> str:
    """text with every character special to BibTeX or TeX made literal."""
    text = _CONTROL.sub(" ", text)
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex_key(document_id: str) -> str:
    """The document id as a citation key: ASCII letters, digits, "_" and "-" only.

    An id that had to be changed gets a short hash of itself, so keys stay distinct.
    """
    key = re.sub(r"[^A-Za-z0-9_-]", "", document_id)
    if key == document_id and key:
        return key
    digest = hashlib.sha1(document_id.encode("utf-8")).hexdigest()[:8]
    return f"{key}-{digest}" if key else f"doc-{digest}"


def csl_item(doc: Document, site_title: str, url: str | None) -> dict[str, Any]:
    """The document as a CSL-JSON item of type "webpage" within the archive."""
    item: dict[str, Any] = {"id": doc.id, "type": "webpage", "title": doc.title}
    if doc.byline:
        item["author"] = [{"literal": doc.byline}]
    item["container-title"] = site_title
    parts = date_parts(doc.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if url:
        item["URL"] = url
    if doc.lang:
        item["language"] = doc.lang
    return item

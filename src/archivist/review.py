"""Review mode of the preview server: every highlight with its annotator and confidence.

``archivist serve SITE --review`` serves one more page, at REVIEW_PATH, made on each
request from the site just built (the JSON of each document under data/documents/),
never written into the output folder. Mentions are listed doubtful first (lowest
confidence, the editor's own last), each with the override to paste to reject it,
change its type or link it (overrides.py); quotes follow, those without a speaker
first, each with the override that sets its speaker and kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote

from .anchors import Span, make_anchor
from .model import ENTITY_TYPES, QUOTE_KINDS
from .overrides import SUFFIX
from .render import make_environment

REVIEW_PATH = "/__archivist__/review"
LIMIT = 400  # rows shown at most, unless ?limit= says otherwise
WINDOW = 30  # code points of text shown on each side


@dataclass(frozen=True)
class Snippet:
    label: str  # what pasting it does
    text: str  # the TOML to paste


@dataclass(frozen=True)
class ReviewRow:
    document: str  # document title
    href: str  # address of the place in the document page
    file: str  # the overrides file to paste into
    before: str  # text before the words
    words: str  # the highlighted words (or the quote)
    after: str  # text after them
    type: str  # entity type, or the quote's kind
    entity: str  # entity id (or speaker id), "" if none
    source: str  # annotator that found it, or "editor"
    confidence: float  # 0..1
    snippets: list[Snippet]  # overrides to paste


@dataclass(frozen=True)
class ReviewPage:
    mentions: list[ReviewRow]  # doubtful first
    quotes: list[ReviewRow]  # without a speaker first
    total: int  # mentions in the archive (or the document asked for)
    document: str  # the document asked for, "" for all


def review_html(output: Path, query: str = "") -> str:
    """The review page for the site built in output; query may hold document= and limit=."""
    asked = parse_qs(query)
    document = asked.get("document", [""])[0]
    limit = int(asked["limit"][0]) if asked.get("limit", [""])[0].isdigit() else LIMIT
    records = [r for r in _records(output) if not document or document in (r["id"], r["slug"])]
    mentions = sorted((row for r in records for row in _mention_rows(r)),
                      key=lambda row: (row.source == "editor", row.confidence, row.document, row.href))
    quotes = sorted((row for r in records for row in _quote_rows(r)),
                    key=lambda row: (bool(row.entity), row.type == "term", row.document, row.href))
    page = ReviewPage(mentions[:limit], quotes[:limit], len(mentions), document)
    return make_environment(None).get_template("review.html").render(page=page)


def _records(output: Path) -> list[dict]:
    folder = output / "data" / "documents"
    records = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a file being replaced by the next build
    return records


def _mention_rows(record: dict) -> list[ReviewRow]:
    blocks = [b["text"] for b in record["blocks"]]
    names = {e["id"]: e["name"] for e in record.get("entities", [])}
    rows = []
    for m in record["mentions"]:
        anchor = _anchor_lines(blocks, Span(m["block"], m["start"], m["end"]))
        other = "ORG" if m["type"] == "PERSON" else "PERSON"
        entity = m.get("entity") or ""
        snippets = [
            Snippet("reject", f"[[reject]]\n{anchor}"),
            Snippet("change type", f"[[retype]]\n{anchor}type = \"{other}\"  # {' | '.join(ENTITY_TYPES)}\n"),
            Snippet("link", f"[[link]]\n{anchor}entity = {_toml(entity or 'person/…')}"
                            "  # the id of the entity it names\n"),
        ]
        rows.append(_row(record, blocks, m, f"{m['type']}", entity, names, snippets,
                         m.get("source", ""), float(m.get("confidence", 1.0))))
    return rows


def _quote_rows(record: dict) -> list[ReviewRow]:
    blocks = [b["text"] for b in record["blocks"]]
    names = {e["id"]: e["name"] for e in record.get("entities", [])}
    rows = []
    for q in record["quotes"]:
        end = min(q["end"], q["start"] + 40)  # a quote's first words anchor it
        anchor = _anchor_lines(blocks, Span(q["block"], q["start"], end))
        speaker = q.get("speaker") or ""
        text = (f"[[quote]]\n{anchor}speaker = {_toml(speaker)}"
                "  # an entity id like \"person/…\", or \"\" for nobody\n"
                f"kind = \"{q['kind']}\"  # {' | '.join(QUOTE_KINDS)}\n")
        rows.append(_row(record, blocks, q, q["kind"], speaker, names, [Snippet("speaker and kind", text)],
                         "quotes", 1.0))
    return rows


def _row(record: dict, blocks: list[str], item: dict, kind: str, entity: str, names: dict[str, str],
         snippets: list[Snippet], source: str, confidence: float) -> ReviewRow:
    text = blocks[item["block"]]
    label = f"{names[entity]} ({entity})" if entity in names else entity
    return ReviewRow(
        document=record["title"] or record["id"],
        href=f"/documents/{quote(record['slug'])}/#b-{item['block']}",
        file=str(PurePosixPath(record["source"]).with_suffix("")) + SUFFIX,
        before=text[max(0, item["start"] - WINDOW):item["start"]],
        words=text[item["start"]:item["end"]],
        after=text[item["end"]:item["end"] + WINDOW],
        type=kind,
        entity=label,
        source=source,
        confidence=confidence,
        snippets=snippets,
    )


def _anchor_lines(blocks: list[str], span: Span) -> str:
    anchor = make_anchor(blocks, span)
    lines = [f"exact = {_toml(anchor.exact)}"]
    if anchor.prefix:
        lines.append(f"prefix = {_toml(anchor.prefix)}")
    if anchor.suffix:
        lines.append(f"suffix = {_toml(anchor.suffix)}")
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)

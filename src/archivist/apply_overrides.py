"""Applying editors' overrides (overrides.py) to the annotators' merged results.

Each override is found in its documents by its anchor (anchors.py), then:

- reject: every mention overlapping the words is dropped;
- retype, link, add: every mention overlapping the words is replaced by one mention
  of exactly those words, with source ``editor`` and confidence 1. It holds even when
  the annotators no longer find anything there (after a change of annotators);
- quote: the shortest quote holding the words gets the kind and speaker given (a
  preset speaker, which resolution keeps); if no quote holds them, they become one.

Without prefix or suffix an override applies to every occurrence of its words except
those inside a longer mention (紳助 in 島田紳助). An override that finds no place,
names a document that does not exist, or whose context, changed since, fits several
places equally is returned as a problem and not applied.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from .anchors import AmbiguousAnchor, Span, find_anchor
from .config import Config
from .errors import ArchivistError
from .model import Annotations, Document, Mention, Quote
from .overrides import Override, OverrideError, load_overrides, type_of_id


def apply_overrides(
    documents: list[Document], annotations: dict[str, Annotations], overrides: list[Override]
) -> tuple[dict[str, Annotations], list[OverrideError]]:
    """Annotations with every override applied, and the overrides that found no place."""
    result = dict(annotations)
    problems: list[OverrideError] = []
    # Only when an override names its document: 0.06 s on every build of the livedoor archive.
    named = any(override.document is not None for override in overrides)
    index = {key: doc for doc in documents for key in document_keys(doc)} if named else {}
    for override in overrides:
        if override.document is not None and override.document not in index:
            problems.append(override.error(f"no document {override.document!r} in the archive"))
            continue
        targets = [index[override.document]] if override.document is not None else documents
        placed, ambiguous = 0, False
        for doc in targets:
            try:
                spans = find_anchor(override.anchor, [block.text for block in doc.blocks])
            except AmbiguousAnchor as error:
                problems.append(override.error(
                    f"{error} in {doc.source}; give a longer prefix or suffix"))
                ambiguous = True
                continue
            for span in spans:
                result[doc.id] = _apply(override, doc, span, result.get(doc.id, Annotations()))
            placed += len(spans)
        if not placed and not ambiguous:
            problems.append(override.error("no longer matches the text (orphaned)"))
    return result, problems


def document_keys(doc: Document) -> set[str]:
    """The names an override may give a document: its id, source path, source without suffix."""
    source = PurePosixPath(doc.source)
    return {doc.id, doc.source, str(source.with_suffix(""))}


def _apply(override: Override, doc: Document, span: Span, notes: Annotations) -> Annotations:
    words = doc.blocks[span.block].text[span.start:span.end]
    if override.action == "quote":
        return replace(notes, quotes=_set_quote(override, notes.quotes, span, words))
    context = override.anchor.prefix or override.anchor.suffix
    if not context and any(_holds(m, span) for m in notes.mentions):
        return notes  # 紳助 in 島田紳助: words alone mean the words standing alone
    kept = [m for m in notes.mentions if not _overlaps(m, span)]
    if override.action != "reject":
        kind = override.type or type_of_id(override.entity or "")
        kept.append(Mention(span.block, span.start, span.end, words, kind,
                            entity=override.entity, source="editor", confidence=1.0))
        kept.sort(key=lambda m: (m.block, m.start, m.end))
    return replace(notes, mentions=kept)


def _holds(mention: Mention, span: Span) -> bool:
    """Whether mention is longer than span and holds it."""
    return (mention.block == span.block and mention.start <= span.start and span.end <= mention.end
            and mention.end - mention.start > span.end - span.start)


def _overlaps(mention: Mention, span: Span) -> bool:
    return mention.block == span.block and mention.start < span.end and span.start < mention.end


def _set_quote(override: Override, quotes: list[Quote], span: Span, words: str) -> list[Quote]:
    holding = [i for i, q in enumerate(quotes)
               if q.block == span.block and q.start <= span.start and span.end <= q.end]
    quotes = list(quotes)
    if holding:
        index = min(holding, key=lambda i: quotes[i].end - quotes[i].start)
    else:
        quotes.append(Quote(span.block, span.start, span.end, words, override.kind or "direct"))
        quotes.sort(key=lambda q: (q.block, q.start, q.end))
        where = (span.block, span.start, span.end)
        index = next(i for i, q in enumerate(quotes) if (q.block, q.start, q.end) == where)
    quote = quotes[index]
    quotes[index] = replace(
        quote,
        kind=override.kind or quote.kind,
        speaker=override.speaker if override.speaker is not None else quote.speaker,
    )
    return quotes


def apply_archive_overrides(
    config: Config, documents: list[Document], annotations: dict[str, Annotations]
) -> tuple[dict[str, Annotations], list[ArchivistError]]:
    """Read the archive's overrides files and apply them; bad entries and orphans returned."""
    overrides, problems = load_overrides(config)
    annotations, orphans = apply_overrides(documents, annotations, overrides)
    return annotations, [*problems, *orphans]

"""The whole archive loaded at once, with the indexes every page needs.

Documents, annotations and entities are read once; cross-document facts (an
entity's mentions in every document, who said what, the entities of each document)
are indexed here, so rendering never searches. Facts only an entity's own page shows
(co-mentions, mentions over time) are worked out from those indexes when the page
is made: a rebuild that makes few entity pages does not pay for all of them.
Objects refer to one another by id.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Set
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import TypeVar

from .config import Config
from .errors import BuildError
from .model import ENTITY_TYPES, Annotations, Document, Entity, Mention, Quote

INDEX_PATH = "index.html"
ENTITIES_PATH = "entities/index.html"
QUOTES_PATH = "quotes/index.html"
NOT_FOUND_PATH = "404.html"

# Characters that end a sentence. "." "!" "?" only when followed by a space or the
# end of the block, so "3.5" does not cut; nor does the "." of an initial ("J. D.",
# "U.S.") or of a common English abbreviation before a name ("Mr.", "Dr."). The "."
# comes before the look-behinds, which are then tried only at a full stop: before
# them, at every character, Japanese text was searched 12 times slower.
_SENTENCE_END = re.compile(
    r"[。！？]|[!?](?=\s|$)"
    r"|\.(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bJr\.)(?<!\bSr\.)"
    r"(?<!\bProf\.)(?<!\bGen\.)(?<!\bSen\.)(?<!\bRep\.)(?<!\bGov\.)(?<!\bvs\.)(?<!\bNo\.)(?=\s|$)"
)
_CLOSERS = "」』）)\"'”’"
CONTEXT_LIMIT = 160  # most code points of context kept on each side of a mention
# Entities of each type the search page offers as filters: the most mentioned. Pagefind's
# interface draws every value as a checkbox; 21,000 of them kept its results away for 9 s.
SEARCH_FILTERS_PER_TYPE = 100
# Archive.updated indexes again the documents that changed when they are at most one
# in this many, else all of them (from_documents): merging costs more per document.
UPDATE_SHARE = 10
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_DOCUMENT = attrgetter("document")  # the document id of an Occurrence
_URL_UNSAFE = re.compile(r"[^a-zA-Z0-9\-._~/\x80-\U0010ffff]")  # ASCII to escape in paths


@dataclass(frozen=True)
class Occurrence:
    """One mention of an entity, with the sentence around it (read when first asked
    for: only the pages a build makes need it)."""

    document: str  # id of the document
    mention: Mention  # the mention (its block and offsets)
    block_text: str = field(repr=False)  # the text of the mention's block

    @property
    def text(self) -> str:
        """The mention's text as written in the block."""
        return self.block_text[self.mention.start : self.mention.end]

    @property
    def before(self) -> str:
        """Text of the sentence before the mention."""
        return self._context[0]

    @property
    def after(self) -> str:
        """Text of the sentence after the mention."""
        return self._context[1]

    @cached_property
    def _context(self) -> tuple[str, str]:
        return sentence_around(self.block_text, self.mention.start, self.mention.end)


@dataclass(frozen=True)
class QuoteRef:
    """One quote, with the document it is in."""

    document: str  # id of the document
    quote: Quote  # the quote


@dataclass(frozen=True)
class SearchFilters:
    """The entities the search page can filter by: the SEARCH_FILTERS_PER_TYPE most
    mentioned of each type."""

    ids: frozenset[str]
    open_types: frozenset[str]  # types with fewer entities than that: any new one is offered too

    @classmethod
    def of(cls, by_type: dict[str, list[str]]) -> SearchFilters:
        """From Archive.by_type."""
        ids = frozenset(i for ranked in by_type.values() for i in ranked[:SEARCH_FILTERS_PER_TYPE])
        return cls(ids, frozenset(kind for kind, ranked in by_type.items() if len(ranked) < SEARCH_FILTERS_PER_TYPE))

    def offer(self, entity: Entity) -> bool:
        """Whether the search page filters by the entity; for an entity new since these
        were worked out (a preview, preview.py), whether its type has room."""
        return entity.id in self.ids or entity.type in self.open_types


@dataclass
class Archive:
    """Every document, annotation and listed entity, with indexes by id."""

    config: Config  # the archive's settings
    documents: list[Document]  # newest first: date descending, undated last, then id
    annotations: dict[str, Annotations]  # document id -> its mentions and quotes
    entities: dict[str, Entity]  # entity id -> entity; only those mentioned or quoted
    mentions: dict[str, list[Occurrence]]  # entity id -> its mentions, in document order
    quotes: dict[str | None, list[QuoteRef]]  # speaker id (None: unknown) -> quotes
    document_entities: dict[str, list[tuple[str, int]]]  # document id -> (entity, count)
    by_type: dict[str, list[str]]  # entity type -> entity ids, most mentioned first
    name_order: dict[str, int]  # entity id -> its place by name, then id: how rankings break ties
    search_filters: SearchFilters  # the entities the search page can filter by
    documents_by_id: dict[str, Document] = field(default_factory=dict)  # id -> document
    # id -> place in documents, filled on first use (see position)
    _positions: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_documents(
        cls,
        config: Config,
        documents: list[Document],
        annotations: dict[str, Annotations],
        entities: list[Entity],
        search_filters: SearchFilters | None = None,
    ) -> Archive:
        """Index documents, their annotations and entities; reject duplicate slugs.
        search_filters, when given, are those of a larger archive this one is part of."""
        ordered = sorted_documents(documents)
        _check_slugs(ordered)
        known = {entity.id: entity for entity in entities}
        notes = {doc.id: annotations.get(doc.id, Annotations()) for doc in ordered}
        mentions = _index_mentions(ordered, notes, known)
        quotes = _index_quotes(ordered, notes, known)
        listed = {i: known[i] for i in sorted(set(mentions) | {q for q in quotes if q})}
        order = _name_order(listed)
        per_document = _document_entities(ordered, mentions, order)
        _check_entity_paths(listed)
        by_type = _by_type(listed, mentions, order)
        search_filters = search_filters or SearchFilters.of(by_type)
        return cls(
            config=config,
            documents=ordered,
            annotations=notes,
            entities=listed,
            mentions=mentions,
            quotes=quotes,
            document_entities=per_document,
            by_type=by_type,
            name_order=order,
            search_filters=search_filters,
            documents_by_id={doc.id: doc for doc in ordered},
        )

    def revised(self, documents: list[Document], annotations: dict[str, Annotations],
                entities: list[Entity]) -> Archive:  # fmt: skip
        """This archive with documents (edited versions of its own, by id, or new ones)
        and their annotations in place, naming entities besides its own: what
        from_documents makes of the whole, with only those documents indexed again, so
        a preview of an edit (preview.py) can make every page it changes at once. The
        search filters stay these; an entity of this archive wins over a new one of
        the same id."""
        edited = {doc.id: doc for doc in documents}
        ordered = self._ordered_with(edited)
        known = {**{entity.id: entity for entity in entities}, **self.entities}
        notes = {**self.annotations, **{doc.id: annotations.get(doc.id, Annotations()) for doc in documents}}
        named = list(known.values())
        revised = self.updated(self.config, ordered, notes, named, share=0)  # never None: every name is known
        return replace(revised or Archive.from_documents(self.config, ordered, notes, named),
                       search_filters=self.search_filters)

    def updated(self, config: Config, documents: list[Document], annotations: dict[str, Annotations],
                entities: list[Entity], share: int | None = None) -> Archive | None:  # fmt: skip
        """What from_documents(config, documents, annotations, entities) makes, made
        from this archive of the build before: only the documents that are not the very
        objects it holds, or whose annotations are not, are indexed again, and those
        gone are dropped. After an edit, a build (memory.py) pays for the documents and
        names the edit touched, not 0.4 s for every one of the livedoor archive's.
        None when more than one in share (UPDATE_SHARE) of the documents changed
        (any number with share 0), or this archive names an
        entity that is not among entities: from_documents is then the quicker way."""
        by_id = self.documents_by_id
        edited = {doc.id: doc for doc in documents
                  if by_id.get(doc.id) is not doc or self.annotations.get(doc.id) is not annotations.get(doc.id)}
        gone = by_id.keys() - {doc.id for doc in documents}
        if (len(edited) + len(gone)) * (UPDATE_SHARE if share is None else share) > len(documents):
            return None
        ordered = self._ordered_with(edited, gone)
        notes = {doc.id: annotations.get(doc.id, Annotations()) for doc in ordered}
        known = {entity.id: entity for entity in entities}
        revised, touched = sorted_documents(list(edited.values())), edited.keys() | gone
        fresh_mentions, fresh_quotes = _index_mentions(revised, notes, known), _index_quotes(revised, notes, known)
        named = {e for i in touched for e, _ in self.document_entities.get(i, ())} | fresh_mentions.keys()
        speakers = {q.speaker if q.speaker in self.entities else None
                    for i in touched for q in self.annotations.get(i, Annotations()).quotes}  # fmt: skip
        position = {doc.id: i for i, doc in enumerate(ordered)}
        mentions = _merged(self.mentions, fresh_mentions, named, position, touched)
        quotes = _merged(self.quotes, fresh_quotes, speakers | fresh_quotes.keys(), position, touched)
        ids = sorted(set(mentions) | {q for q in quotes if q})
        if not known.keys() >= set(ids):
            return None
        listed = {i: known[i] for i in ids}
        order, by_type, per_document = self.name_order, self.by_type, self.document_entities
        renamed = any(self.entities.get(i, entity).name != entity.name for i, entity in listed.items())
        if listed.keys() != self.entities.keys() or renamed:
            order = _name_order(listed)
            _check_entity_paths(listed)
        if renamed:  # the ties of every document's ranking may break otherwise
            per_document = _document_entities(ordered, mentions, order)
        else:  # places shift, but not the order of the names ranked before
            fresh = _document_entities(revised, fresh_mentions, order)
            per_document = {doc.id: fresh[doc.id] if doc.id in fresh else per_document[doc.id] for doc in ordered}
        if order is not self.name_order or any(len(mentions.get(i, ())) != self.mention_count(i) for i in named) \
                or any(self.entities.get(i, entity).type != entity.type for i, entity in listed.items()):
            by_type = _by_type(listed, mentions, order)
        return Archive(
            config=config, documents=ordered, annotations=notes, entities=listed, mentions=mentions, quotes=quotes,
            document_entities=per_document, by_type=by_type, name_order=order,
            search_filters=self.search_filters if by_type is self.by_type else SearchFilters.of(by_type),
            documents_by_id={doc.id: doc for doc in ordered},
        )  # fmt: skip

    def _ordered_with(self, edited: dict[str, Document], gone: Set[str] = frozenset()) -> list[Document]:
        """The documents in order with the edited ones (by id) in place, those gone left
        out: sorted and checked again only when one is new or has another date or slug."""
        in_place = [edited.get(doc.id, doc) for doc in self.documents if doc.id not in gone]
        last = {i: self.documents_by_id.get(i) for i in edited}
        if all(old and (old.date, old.slug) == (edited[i].date, edited[i].slug) for i, old in last.items()):
            return in_place
        ordered = sorted_documents(in_place + [doc for i, doc in edited.items() if last[i] is None])
        _check_slugs(ordered)
        return ordered

    def mention_count(self, entity_id: str) -> int:
        """How many times the entity is mentioned in the whole archive."""
        return len(self.mentions.get(entity_id, []))

    def co_mentions(self, entity_id: str) -> list[tuple[str, int]]:
        """The other entities mentioned in the documents that mention this one, with the
        number of documents in common: most first, ties in name order."""
        # A document's entities are distinct, so counting the entities of each document
        # the entity is in counts documents in common.
        documents = dict.fromkeys(map(_DOCUMENT, self.mentions.get(entity_id, ())))
        counts = Counter(other for doc_id in documents for other, _ in self.document_entities[doc_id])
        del counts[entity_id]
        return _ranked(counts, self.name_order)

    def timeline(self, entity_id: str) -> dict[str, int]:
        """The entity's mentions per month ("YYYY-MM"), in order; documents without a
        month in their date are left out."""
        counter = Counter(map(self._months.get, map(_DOCUMENT, self.mentions.get(entity_id, ()))))
        counter.pop(None, None)
        return dict(sorted(counter.items()))

    @cached_property
    def documents_naming(self) -> Counter[str]:
        """entity id -> how many documents mention it (the exports and the list's facets)."""
        return Counter(entity_id for pairs in self.document_entities.values() for entity_id, _ in pairs)

    @cached_property
    def _months(self) -> dict[str, str]:
        """document id -> "YYYY-MM" of its date, for those dated to the month."""
        months = {}
        for doc in self.documents:
            match = _MONTH.match(doc.date or "")
            if match:
                months[doc.id] = f"{match[1]}-{match[2]}"
        return months

    def position(self, document_id: str) -> int | None:
        """The place of a document in documents (newest first), None if not there."""
        if len(self._positions) != len(self.documents):
            self._positions.clear()
            self._positions.update((doc.id, i) for i, doc in enumerate(self.documents))
        return self._positions.get(document_id)

    def quotes_in(self, document_id: str) -> list[Quote]:
        """The quotes of one document, in reading order."""
        return self.annotations[document_id].quotes

    def document_path(self, document: Document) -> str:
        """Output path of a document's page."""
        return url_path(f"documents/{document.slug}/index.html")

    def entity_path(self, entity: Entity) -> str:
        """Output path of an entity's page."""
        return _entity_path(entity.type, entity.slug)


@lru_cache(maxsize=1 << 17)  # asked for by every chip, 400,000 times on livedoor, in every build
def _entity_path(kind: str, slug: str) -> str:
    return url_path(f"entities/{kind.lower()}/{slug}/index.html")


@lru_cache(maxsize=1 << 16)  # every page links to many documents and entities
def url_path(path: str) -> str:
    """path with ASCII characters that are unsafe in a URL escaped; other letters kept."""
    return _URL_UNSAFE.sub(lambda match: _percent(match[0]), path)


def _percent(character: str) -> str:
    return "".join(f"%{byte:02X}" for byte in character.encode("utf-8"))


def sorted_documents(documents: list[Document]) -> list[Document]:
    """Newest first: date descending, undated documents last, ties by id."""
    by_id = sorted(documents, key=lambda doc: doc.id)
    dated = sorted((d for d in by_id if d.date), key=lambda d: d.date or "", reverse=True)
    return dated + [d for d in by_id if not d.date]


def sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the sentence before text[start:end] and after it, within text.

    Only a window of the text around the mention is read (the context is cut to
    CONTEXT_LIMIT anyway), so a block of one endless line costs no more per mention."""
    reach = CONTEXT_LIMIT + 40
    begin = max(0, start - reach)
    for match in _SENTENCE_END.finditer(text, begin, start + 2):  # +2: what follows a stop counts
        if match.end() > start:
            break
        begin = _after_closers(text, match.end())
    if begin > start:  # a closing bracket right before the mention
        begin = start
    match = _SENTENCE_END.search(text, end, end + reach)
    stop = _after_closers(text, match.end()) if match else min(len(text), end + reach)
    before = text[begin:start].lstrip()
    after = text[end:stop].rstrip()
    if len(before) > CONTEXT_LIMIT:
        before = "…" + before[-CONTEXT_LIMIT:]
    if len(after) > CONTEXT_LIMIT:
        after = after[:CONTEXT_LIMIT] + "…"
    return before, after


def _after_closers(text: str, position: int) -> int:
    while position < len(text) and text[position] in _CLOSERS:
        position += 1
    return position


def _check_slugs(documents: list[Document]) -> None:
    seen: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        other = seen.setdefault(doc.slug, doc)
        if other is not doc:
            raise BuildError(
                f"documents {other.source} and {doc.source} share the slug {doc.slug!r}",
                doc.source,
            )


def _check_entity_paths(entities: dict[str, Entity]) -> None:
    """Two entities whose pages would share a path (an id not matching its type)."""
    seen: dict[str, str] = {}
    for entity in entities.values():
        path = f"{entity.type.lower()}/{entity.slug}"
        other = seen.setdefault(path, entity.id)
        if other != entity.id:
            raise BuildError(f"entities {other!r} and {entity.id!r} would share the page {path}/")


def _index_mentions(
    documents: list[Document], notes: dict[str, Annotations], known: dict[str, Entity]
) -> dict[str, list[Occurrence]]:
    index: dict[str, list[Occurrence]] = defaultdict(list)
    for doc in documents:
        texts = [block.text for block in doc.blocks]
        for mention in notes[doc.id].mentions:
            if mention.entity not in known or not 0 <= mention.block < len(texts):
                continue
            index[mention.entity].append(Occurrence(doc.id, mention, texts[mention.block]))
    return dict(index)


def _index_quotes(
    documents: list[Document], notes: dict[str, Annotations], known: dict[str, Entity]
) -> dict[str | None, list[QuoteRef]]:
    index: dict[str | None, list[QuoteRef]] = defaultdict(list)
    for doc in documents:
        for quote in notes[doc.id].quotes:
            speaker = quote.speaker if quote.speaker in known else None
            index[speaker].append(QuoteRef(doc.id, quote))
    return dict(index)


Key = TypeVar("Key", bound=Hashable)
Entry = TypeVar("Entry", Occurrence, QuoteRef)


def _merged(index: dict[Key, list[Entry]], fresh: dict[Key, list[Entry]], keys: Set[Key],
            position: dict[str, int], edited: Collection[str]) -> dict[Key, list[Entry]]:  # fmt: skip
    """index (key -> entries in document order) with the entries of the edited documents
    under keys (and fresh's) replaced by fresh ones (those documents indexed again), in
    the order of position (document id -> place); keys left without entries are dropped."""
    merged = dict(index)
    for key in keys:
        entries = [entry for entry in index.get(key, ()) if entry.document not in edited]
        entries += fresh.get(key, ())
        entries.sort(key=lambda entry: position[entry.document])  # stable: a document's own order stays
        if entries:
            merged[key] = entries
        else:
            merged.pop(key, None)
    return merged


def _name_order(listed: dict[str, Entity]) -> dict[str, int]:
    """Each entity's place when sorted by name, then id: how every ranking breaks ties."""
    return {i: n for n, i in enumerate(sorted(listed, key=lambda i: (listed[i].name, i)))}


def _ranked(counts: dict[str, int], order: dict[str, int]) -> list[tuple[str, int]]:
    """(entity id, count), highest count first, ties in name order (see _name_order)."""
    ids = sorted(counts, key=order.__getitem__)
    ids.sort(key=counts.__getitem__, reverse=True)  # stable: ties keep the name order
    return list(zip(ids, map(counts.__getitem__, ids)))


def _document_entities(
    documents: list[Document], mentions: dict[str, list[Occurrence]], order: dict[str, int]
) -> dict[str, list[tuple[str, int]]]:
    named: dict[str, list[str]] = {doc.id: [] for doc in documents}
    for entity_id, occurrences in mentions.items():
        for occurrence in occurrences:
            named[occurrence.document].append(entity_id)
    return {doc_id: _ranked(Counter(ids), order) for doc_id, ids in named.items()}


def _by_type(
    listed: dict[str, Entity], mentions: dict[str, list[Occurrence]], order: dict[str, int]
) -> dict[str, list[str]]:
    groups: dict[str, dict[str, int]] = {kind: {} for kind in ENTITY_TYPES}
    for entity in listed.values():
        groups.setdefault(entity.type, {})[entity.id] = len(mentions.get(entity.id, ()))
    return {kind: [i for i, _ in _ranked(counts, order)] for kind, counts in groups.items()}

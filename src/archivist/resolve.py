"""Resolution: every mention linked to an entity, every quote to its speaker where known.

Mentions, in this order of precedence:

1. a name or alias in the registry (or an id an annotator or editor already set
   from it) -> that registry entity: the registry always wins, except over an
   editor's override giving the mention another type; an id the registry lists in
   ``merged_from`` stands for the merging entity;
2. within a document, a short form after a full name introduced earlier -> the
   full name's entity: the last part of a name written with ・, ＝ or spaces
   (カープ after アレックス・カープ), or the family name that starts a kanji name
   (山田 after 山田太郎); it must be marked by 氏 or a title, or typed PERSON. With
   the document's own evidence (name_match.py), a later mention of the same type
   joins an earlier one it glosses as an acronym in brackets (…ロサンゼルス校(UCLA)),
   spells in the other script or another katakana spelling (Mousavizadeh after
   アレクサンドラ・ムサヴィザデ), or shortens by its corporate suffix (パランティア
   after パランティア・テクノロジーズ); names alike in neither way stay apart
   unless the registry joins them;
3. a country or region, or its short form (米国, アメリカ, 米, U.S.) -> one place
   from places.py, with the id ``place/<key>``;
4. otherwise, across the archive, one surface (compared in NFKC form and case folded,
   spaces beside Japanese script or before a Latin word's number dropped: 貞子 3D and
   貞子3D, ANDROID 4.0 and Android4.0) is one entity, with id
   ``<type>/<slug of its name>``; ids that collide get -2, -3 ... in order of (type,
   name). A surface the annotators gave several types is one entity of the type most
   of its mentions got, unless an editor typed it; an organisation named like a line
   of products with versions (iPhone beside iPhone 4 and iPhone 4S) is a product. A
   surface whose id would be one an editor already set by hand, or one the registry
   merged, joins that entity.

A new entity's name is its longest surface (then the most frequent); the other
surfaces are its aliases. Quote speakers are found by annotators/quote_speakers.py
from the speaker words the quote annotator left, the mentions and the paragraphs
around each quote; a speaker nobody mentioned becomes a new entity too. A speaker
an editor set on a quote (overrides.py: an entity id, or "" for nobody) is kept.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import islice

from . import name_match, places
from .annotators import quote_speakers
from .annotators.ner_ja import PERSON_MARKS as MARKS
from .annotators.quote_speakers import Speaking
from .model import Annotations, Document, Entity, Mention, Quote
from .overrides import type_of_id
from .registry import Registry
from .reuse import Reuse
from .slugs import make_slug

NAME_PARTS = re.compile(r"[・＝=\s]+")
KANJI_NAME = re.compile(r"[\u4e00-\u9fff\u3005]+")
ACRONYM = re.compile(r"[A-Z][A-Z&.]{1,7}")
RECENT_NAMES = 100  # distinct earlier names of a type a mention is compared with
COMPANY = "社"  # "company", written after a company's name (Google社) or part of it (新潮社)
# A product's name in compare form as a Latin line and its version (iphone4s, windows phone8,
# android2.3); _type_product_lines. A version of one or two digits: longer ones are model codes.
PRODUCT_VERSION = re.compile(r"(?P<line>[a-z][a-z\- ]*[a-z])"
                             r"(?P<version>\d{1,2}(?:\.\d{1,2})*(?![dfgk]$|th$|st$|nd$|rd$)[a-z]{0,2})")


# A space beside a Chinese character, kana or hangul is typography, not spelling, and so
# is one between a Latin word and its number (Android 4.0, Android4.0).
_TYPOGRAPHIC_SPACE = re.compile(r"\s+(?=[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af])"
                                r"|(?<=[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af])\s+"
                                r"|(?<=[A-Za-z])\s+(?=[0-9])")
_SPACES = re.compile(r"\s+")


def compare_form(text: str) -> str:
    """The form surfaces are compared in (never stored): NFKC, case folded (ANDROID is
    Android), outer spaces trimmed, inner ones made one and dropped beside CJK script
    (貞子 3D is 貞子3D) and between a Latin word and a number (Windows 8 is Windows8)."""
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    if " " not in text and text.isprintable():  # most names: no space to look at
        return text
    return _TYPOGRAPHIC_SPACE.sub("", _SPACES.sub(" ", text))


@dataclass(slots=True)
class Occurrences:
    """What the archive says about one entity key: its type and surfaces seen. Plain
    dicts, not Counters: each document's are kept on disk (source_store.py), and
    Counters take twice as long to load."""

    type: str
    surfaces: dict[str, int] = field(default_factory=dict)  # surface as written -> count
    languages: dict[str, int] = field(default_factory=dict)  # document language -> count
    edited: int = 0  # mentions an editor typed: their type is never the majority's (_retyped_surfaces)

    def add(self, other: Occurrences, sign: int = 1) -> None:
        """Count other's surfaces and languages into these (out of them with sign -1:
        a value counted to nought is dropped)."""
        self.edited += sign * other.edited
        for counts, extra in ((self.surfaces, other.surfaces), (self.languages, other.languages)):
            for value, count in extra.items():
                total = counts.get(value, 0) + sign * count
                if total:
                    counts[value] = total
                else:
                    del counts[value]

    def copy(self) -> Occurrences:
        return Occurrences(self.type, dict(self.surfaces), dict(self.languages), self.edited)

    def plus(self, other: Occurrences) -> Occurrences:
        """A copy of these with other's counted in: the archive's sums are never changed
        in place, so the next build can start from them (Counted)."""
        total = self.copy()
        total.add(other)
        return total


def resolve(
    documents: list[Document], annotations: dict[str, Annotations], registry: Registry
) -> tuple[dict[str, Annotations], list[Entity]]:
    """Annotations with entity ids on mentions and speaker ids on quotes, and the entities used."""
    resolved, entities, _ = resolve_keyed(documents, annotations, registry)
    return resolved, entities


EntityKeys = dict[str, Entity]  # entity key (registry id, place or surface) -> its entity
# What one document says (_document_keys): mention keys, speaker keys, occurrences, spellings
DocumentKeys = tuple[list[str], list[str | None], dict[str, Occurrences], list[tuple[str, str]]]


@dataclass
class Kept:
    """What resolve_keyed keeps from one build to the next in a long-running process
    (reuse.py). A document's keys depend on nothing but it, so they are reused while
    its document and annotations are the same objects; an entity equal to the last
    build's is that very object, and so is a document's resolved annotations while its
    annotations and the entities of its names are. The pages and exports of a rebuild
    then recognise what did not change by identity, without comparing it."""

    keys: Reuse[DocumentKeys] = field(default_factory=Reuse)
    entities: Reuse[Entity] = field(default_factory=Reuse)
    resolved: Reuse[Annotations] = field(default_factory=Reuse)
    counted: Counted | None = None  # the last build's occurrences, summed over the archive
    made: dict[str, tuple[Occurrences, Entity]] = field(default_factory=dict)  # key -> its entity, and of what

    def next_build(self) -> None:
        for reuse in (self.keys, self.entities, self.resolved):
            reuse.next_build()


@dataclass
class Counted:
    """Every document's occurrences (_document_keys) and their sum over the archive,
    which the next build patches with the documents that changed instead of adding
    up all of them again (_counted). The sums are never changed in place."""

    documents: dict[str, dict[str, Occurrences]]  # document id -> its occurrences
    found: dict[str, Occurrences]  # key -> the sum of its occurrences in every document
    naming: dict[str, int]  # key -> how many documents name it
    mixed: frozenset[str]  # keys whose type differs between documents: the first one's counts


# Counted is patched when the documents that changed are at most one in this many.
PATCH_SHARE = 10


def resolve_keyed(
    documents: list[Document], annotations: dict[str, Annotations], registry: Registry,
    kept: Kept | None = None,
) -> tuple[dict[str, Annotations], list[Entity], EntityKeys]:
    """resolve's result, and the entity of every key met: what resolve_one needs; with
    kept, what the last build made is reused (see Kept)."""
    heres: dict[str, dict[str, Occurrences]] = {}
    spellings: list[tuple[str, str]] = []  # (surface key, key of the same thing), from documents
    keyed: dict[str, tuple[list[str], list[str | None]]] = {}
    for doc in documents:
        ann = annotations.get(doc.id, Annotations())
        make = partial(_document_keys, doc, ann, registry)
        mention_keys, speaker_keys, heres[doc.id], spelled = kept.keys.get(doc.id, (doc, ann), make) if kept else make()
        spellings += spelled
        keyed[doc.id] = (mention_keys, speaker_keys)
    counted = _counted(heres, kept.counted if kept else None)
    made: dict[str, tuple[Occurrences, Entity]] = {}
    entities = _entities(dict(counted.found), registry, spellings, kept.made if kept else {}, made)
    if kept:
        kept.counted, kept.made = counted, made
        entities = {key: kept.entities.same(entity.id, entity) for key, entity in entities.items()}
    result = {}
    for doc in documents:
        ann, (mention_keys, speaker_keys) = annotations.get(doc.id, Annotations()), keyed[doc.id]
        make = partial(_resolved, ann, mention_keys, speaker_keys, entities)
        if kept:
            named = [entities[k] for k in mention_keys] + [entities[k] if k else None for k in speaker_keys]
            result[doc.id] = kept.resolved.get(doc.id, (ann, *named), make)
        else:
            result[doc.id] = make()
    used = {k for keys, speakers in keyed.values() for k in [*keys, *speakers] if k}
    listed = sorted({entities[k].id: entities[k] for k in used}.values(), key=lambda e: e.id)
    return result, listed, entities


def resolve_one(doc: Document, ann: Annotations, registry: Registry,
                known: EntityKeys) -> tuple[Annotations, list[Entity]]:  # fmt: skip
    """One document resolved alone, each name given the entity a resolution of the whole
    archive gave it (known, from resolve_keyed) or else a new one: quick, and exact
    except for names the archive would join across documents. The preview server shows
    an edited page with it while the whole archive is resolved again."""
    mention_keys, speaker_keys, found, spellings = _document_keys(doc, ann, registry)
    alone = _entities(found, registry, spellings)
    entities = {key: known.get(key) or entity for key, entity in alone.items()}
    used = {k for k in [*mention_keys, *speaker_keys] if k}
    listed = sorted({entities[k].id: entities[k] for k in used}.values(), key=lambda e: e.id)
    return _resolved(ann, mention_keys, speaker_keys, entities), listed


def names_digest(keys: DocumentKeys, entities: EntityKeys) -> bytes:
    """A digest of what resolution gave one document's names (its _document_keys): the
    id, type and name of each one's entity, all its resolved annotations and their rows
    of the exports take from the archive (derived.py)."""
    mention_keys, speaker_keys = keys[0], keys[1]
    parts = []
    for key in sorted({*mention_keys, *filter(None, speaker_keys)}):
        entity = entities[key]
        parts += (key, entity.id, entity.type, entity.name)
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _document_keys(doc: Document, ann: Annotations, registry: Registry) -> DocumentKeys:
    """What one document says, read from it alone: the entity key of each mention and
    of each quote's speaker (None: nobody), what it shows of each key, and the surfaces
    it shows to be another spelling of a name (see _spelled_keys)."""
    found: dict[str, Occurrences] = {}
    spellings: list[tuple[str, str]] = []
    mention_keys = _mention_keys(doc, ann.mentions, registry, found, spellings)
    speaker_keys = _speaker_keys(doc, ann, mention_keys, registry, found)
    speakers = [_editor_speaker(q, k, registry, found) for q, k in zip(ann.quotes, speaker_keys)]
    return mention_keys, speakers, found, spellings


def _counted(heres: dict[str, dict[str, Occurrences]], last: Counted | None = None) -> Counted:
    """Each document's occurrences (document id -> here, in the archive's order) summed
    over the archive: the first document to name a key gives its type. From last, the
    last build's, when few documents changed."""
    if last is not None:
        changed = [i for i, here in heres.items() if last.documents.get(i) is not here]
        gone = [i for i in last.documents if i not in heres]
        if (len(changed) + len(gone)) * PATCH_SHARE <= len(heres):
            patched = _patched(last, heres, changed, gone)
            if patched is not None:
                return patched
    found: dict[str, Occurrences] = {}
    naming: dict[str, int] = {}
    mixed = set()
    for here in heres.values():
        for key, occurrences in here.items():
            into = found.get(key)
            if into is None:
                found[key], naming[key] = occurrences.copy(), 1
            else:
                into.add(occurrences)
                naming[key] += 1
                if into.type != occurrences.type:
                    mixed.add(key)
    return Counted(heres, found, naming, frozenset(mixed))


def _patched(last: Counted, heres: dict[str, dict[str, Occurrences]], changed: list[str],
             gone: list[str]) -> Counted | None:  # fmt: skip
    """last's sums with the occurrences of the documents changed taken out, and their
    new ones counted in; None when a key they name has types that differ, whose
    first document would then have to be found."""
    found, naming = dict(last.found), dict(last.naming)
    copied: set[str] = set()  # keys whose sum is this build's own copy
    for sign, here in [*((-1, last.documents[i]) for i in [*changed, *gone] if i in last.documents),
                       *((1, heres[i]) for i in changed)]:  # fmt: skip
        for key, occurrences in here.items():
            into = found.get(key)
            if key in last.mixed or (into.type != occurrences.type if into else sign < 0):
                return None  # mixed types, or a sum that lacks what a document counted into it
            naming[key] = naming.get(key, 0) + sign
            if not naming[key]:
                del found[key], naming[key]
            elif into is None:
                found[key] = occurrences.copy()
                copied.add(key)
            else:
                if key not in copied:
                    found[key] = into = into.copy()
                    copied.add(key)
                into.add(occurrences, sign)
    return Counted(heres, found, naming, last.mixed)


def _resolved(ann: Annotations, mention_keys: list[str], speaker_keys: list[str | None],
              entities: EntityKeys) -> Annotations:  # fmt: skip
    mentions = [_linked(m, entities[k]) for m, k in zip(ann.mentions, mention_keys)]
    quotes = [_spoken_by(q, entities[k].id if k else None) for q, k in zip(ann.quotes, speaker_keys)]
    return Annotations(mentions=mentions, quotes=quotes)


# A resolved copy of every mention and quote, made field by field: for an archive's
# hundreds of thousands, dataclasses.replace takes a good part of resolving.

def _linked(m: Mention, entity: Entity) -> Mention:
    return Mention(m.block, m.start, m.end, m.text, entity.type, entity.id, m.source, m.confidence)


def _spoken_by(q: Quote, speaker: str | None) -> Quote:
    return Quote(q.block, q.start, q.end, q.text, q.kind, speaker, q.cue, q.speaker_text, q.speaker_start,
                 q.speaker_named)


def _note(found: dict[str, Occurrences], key: str, kind: str, surface: str, lang: str,
          edited: bool = False) -> str:  # fmt: skip
    occurrences = found.get(key)
    if occurrences is None:
        occurrences = found[key] = Occurrences(kind)
    occurrences.edited += edited
    occurrences.surfaces[surface] = occurrences.surfaces.get(surface, 0) + 1
    occurrences.languages[lang] = occurrences.languages.get(lang, 0) + 1
    return key


def _registry_key(registry: Registry, surface: str, entity_id: str | None) -> str | None:
    """The key of a registry entity surface names, or of the id already set on the mention."""
    if entity_id:
        return f"id:{registry.canonical(entity_id)}"
    entity = registry.lookup(surface)
    return f"id:{entity.id}" if entity else None


def _place_key(registry: Registry, surface: str, short_ok: bool) -> str | None:
    """The key of the place surface names; a place the registry names is the registry's."""
    place = places.place_for(surface) or (places.short_form(surface) if short_ok else None)
    if place is None:
        return None
    for name in place.surfaces:
        if registry.lookup(name):
            return f"id:{registry.lookup(name).id}"
    return f"place:{place.key}"


def _marked(doc: Document, block: int, end: int) -> bool:
    """Whether 氏 or a title follows position end of a block."""
    return doc.blocks[block].text[end:end + 8].lstrip().startswith(MARKS)


def _is_short_form(short: str, full: str) -> bool:
    """Whether short is the last part of full (カープ, アレックス・カープ) or starts a kanji name."""
    if short == full or not short or short not in full:
        return False
    parts = [p for p in NAME_PARTS.split(full) if p]
    if len(parts) > 1 and parts[-1] == short:
        return True
    return bool(KANJI_NAME.fullmatch(full) and KANJI_NAME.fullmatch(short)
                and full.startswith(short) and len(full) - len(short) >= 1 and len(short) >= 1)


@lru_cache(maxsize=1 << 15)
def _short_forms(full: str) -> frozenset[str]:
    """Every short form of a name, to look a name up among them: its last part, its prefixes."""
    candidates = [full[:end] for end in range(1, len(full))] + NAME_PARTS.split(full)[-1:]
    return frozenset(short for short in candidates if _is_short_form(short, full))


def _mention_keys(doc: Document, mentions: list[Mention], registry: Registry,
                  found: dict[str, Occurrences], spellings: list[tuple[str, str]]) -> list[str]:
    """The entity key of each mention of one document; spellings gets the surfaces the
    document shows to be another spelling of a name (see _same_thing_key)."""
    keys = []
    seen = _Seen()
    for mention in mentions:
        surface = compare_form(mention.text)
        key = _registry_key(registry, mention.text, mention.entity)
        kind = registry.get(key[3:]).type if key and registry.get(key[3:]) else mention.type
        if mention.source == "editor" and not mention.entity and kind != mention.type:
            key, kind = None, mention.type  # retyped by an editor: not the registry's entity
        if key is None and (kind == "PERSON" or kind != "PLACE" and _marked(doc, mention.block, mention.end)):
            full = next((k for name, (k, _) in seen.recent("PERSON") if surface in _short_forms(name)), None)
            if full:
                key, kind = full, "PERSON"
        if key is None and kind == "PLACE":
            key = _place_key(registry, mention.text, short_ok=True)
        if key is None:
            key = _same_thing_key(doc, mention, surface, kind, seen)
            if key is not None:
                spellings.append((f"surface:{kind}:{surface}", key))
        if key is None:
            key = f"surface:{kind}:{surface}"
        seen.add(mention, surface, key, kind)
        keys.append(_note(found, key, kind, mention.text, doc.lang, mention.source == "editor"))
    return keys


@dataclass
class _Seen:
    """The names met so far in one document, each once, for linking later mentions to them.

    Only the latest RECENT_NAMES names of a type are compared with a new mention, so a
    document of thousands of names costs time in proportion to its length."""

    last: tuple[Mention, str, str] | None = None  # the previous mention, its key and type
    # type -> surface -> (key, name_match.letters of the surface), latest last
    names: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)

    def add(self, mention: Mention, surface: str, key: str, kind: str) -> None:
        self.last = (mention, key, kind)
        names = self.names.setdefault(kind, {})
        names.pop(surface, None)
        names[surface] = (key, name_match.letters(surface))

    def recent(self, kind: str) -> Iterator[tuple[str, tuple[str, str | None]]]:
        """(surface, (key, letters)) of the latest distinct names of a type, newest first."""
        return islice(reversed(self.names.get(kind, {}).items()), RECENT_NAMES)


def _same_thing_key(doc: Document, mention: Mention, surface: str, kind: str, seen: _Seen) -> str | None:
    """The key of an earlier mention of the document naming the same thing (name_match.py):
    the name it glosses in brackets (カリフォルニア大学ロサンゼルス校(UCLA)), its spelling in
    the other script or another katakana spelling, or the organisation it shortens."""
    if seen.last and seen.last[2] == kind and _glosses(doc, seen.last[0], mention):
        return seen.last[1]
    comparable = name_match.comparable_letters(surface)
    organisation = kind == "ORG"
    if not comparable and not organisation:
        return None
    for other_surface, (other_key, other_letters) in seen.recent(kind):
        if (other_letters in comparable and name_match.same_sound(surface, other_surface)
                or organisation and surface in name_match.organisation_short_forms(other_surface)):
            return other_key
    return None


def _glosses(doc: Document, name: Mention, gloss: Mention) -> bool:
    """Whether gloss is an acronym standing alone in brackets right after name:
    name（GLOSS）. Other words in brackets after a name are as often another
    name (an actor's role, a town's prefecture) as the same one."""
    text = doc.blocks[name.block].text
    return (name.block == gloss.block and ACRONYM.fullmatch(gloss.text) is not None
            and not ACRONYM.fullmatch(name.text) and text[name.end:gloss.start] in ("(", "（")
            and text[gloss.end:gloss.end + 1] in (")", "）"))


def _speaker_keys(doc: Document, ann: Annotations, keys: list[str], registry: Registry,
                  found: dict[str, Occurrences]) -> list[str | None]:
    """The entity key of each quote's speaker in one document, or None (quote_speakers.py)."""
    def known(name: str) -> str | None:
        return _registry_key(registry, name, None) or _known_key(found, keys, name)

    def new(kind: str, name: str) -> str:
        return _note(found, f"surface:{kind}:{compare_form(name)}", kind, name, doc.lang)

    return quote_speakers.speaker_keys(Speaking(doc, ann, keys, lambda key: found[key].type, known, new))


def _editor_speaker(quote: Quote, key: str | None, registry: Registry,
                    found: dict[str, Occurrences]) -> str | None:
    """The speaker an editor set on the quote (an id, "" for nobody), else the one found."""
    if quote.speaker is None:
        return key
    if not quote.speaker:
        return None
    entity_id = registry.canonical(quote.speaker)
    entity = registry.get(entity_id)
    found.setdefault(f"id:{entity_id}", Occurrences(entity.type if entity else type_of_id(entity_id)))
    return f"id:{entity_id}"


def _known_key(found: dict[str, Occurrences], keys: list[str], name: str) -> str | None:
    """A key of this document whose surfaces in it include name, or of which name is a short form."""
    form = compare_form(name)
    for key in dict.fromkeys(reversed(keys)):  # each key once, the latest first
        surfaces = [compare_form(s) for s in found[key].surfaces]
        person = found[key].type == "PERSON"
        if form in surfaces or (person and any(_is_short_form(form, s) for s in surfaces)):
            return key
    return None


def _entities(found: dict[str, Occurrences], registry: Registry, spellings: list[tuple[str, str]] = (),
              last: dict[str, tuple[Occurrences, Entity]] | None = None,
              made: dict[str, tuple[Occurrences, Entity]] | None = None) -> dict[str, Entity]:  # fmt: skip
    """One entity per key, with stable ids: registry and place ids first, then new ones.
    A new one whose occurrences are the very object the last build made it of (last:
    its made; Counted keeps the sums an edit did not touch) is that entity again while
    its id stays; made gets this build's, key -> (occurrences, entity)."""
    last = last or {}
    made = {} if made is None else made
    entities: dict[str, Entity] = {}
    taken: set[str] = {e.id for e in registry.entities}
    joined = _joined_keys(found, registry)
    joined.update(_spelled_keys(found, [*spellings, *_retyped_surfaces(found)], joined))
    _type_product_lines(found, joined)
    for key, occurrences in found.items():
        if key.startswith("id:"):
            entities[key] = _registry_entity(registry, key[3:], occurrences)
            taken.add(entities[key].id)
        elif key.startswith("place:"):
            entities[key] = _place_entity(key[6:], occurrences)
            taken.add(entities[key].id)
    names = {}
    for key in found:
        if key.startswith("surface:") and key not in joined:
            was = last.get(key)
            names[key] = was[1].name if was is not None and was[0] is found[key] else _name(found[key])
    for key in sorted(names, key=lambda k: (found[k].type, names[k], k)):
        occurrences, name = found[key], names[key]
        base = f"{occurrences.type.lower()}/{make_slug(name)}"
        entity_id, count = base, 1
        while entity_id in taken:
            count += 1
            entity_id = f"{base}-{count}"
        taken.add(entity_id)
        was = last.get(key)
        if was is None or was[0] is not occurrences or was[1].id != entity_id:
            was = (occurrences, Entity(entity_id, name, occurrences.type, _aliases(occurrences, name)))
        entities[key] = was[1]
        made[key] = was
    for key, target in joined.items():
        entities[key] = entities[target]
    return entities


def _spelled_keys(found: dict[str, Occurrences], spellings: list[tuple[str, str]],
                  joined: dict[str, str]) -> dict[str, str]:
    """Surface keys that a document showed to be another spelling of a name -> that name's key.

    One document writing ドコモ and docomo for one company makes every ドコモ and every
    docomo in the archive that company: across the archive one surface is one entity.
    Linked keys form groups; each group joins its registry or place key if it has one,
    else its most mentioned key. The joined surfaces are counted under that key."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for surface_key, other in spellings:
        if surface_key in found and other in found:
            a, b = root(joined.get(surface_key, surface_key)), root(joined.get(other, other))
            if a != b and "surface:" in (a[:8], b[:8]):  # two listed entities are never joined
                keep, drop = sorted((a, b), key=lambda k: (k.startswith("surface:"), -sum(found[k].surfaces.values()), k))
                parent[drop] = keep
    spelled = {}
    for key in sorted(parent):
        target = root(key)
        if key.startswith("surface:") and key not in joined:
            found[target] = found[target].plus(found[key])
            spelled[key] = target
    return spelled


def _retyped_surfaces(found: dict[str, Occurrences]) -> list[tuple[str, str]]:
    """Pairs of surface keys naming one surface with different types. Annotators type
    each mention from its sentence, so a name the archive writes hundreds of times
    (Amazon, 北海道) gets another type in a few of them: a second entity of the same
    name, with a page of its own. Paired as spellings, they join the most mentioned;
    a type an editor gave stays apart."""
    first: dict[str, str] = {}  # surface -> its first key
    pairs = []
    for key, occurrences in found.items():
        if key.startswith("surface:") and not occurrences.edited:
            surface = key.split(":", 2)[2]
            if first.setdefault(surface, key) != key:
                pairs.append((key, first[surface]))
    return pairs


def _type_product_lines(found: dict[str, Occurrences], joined: dict[str, str]) -> None:
    """An organisation named like a product line is that product line: when the archive
    has products that are a Latin name and one of several versions (iPhone 4 and iPhone
    4S, Windows 7 and Windows 8, Android 2.3 and Android 4.0), the name alone is a
    product too, wherever it was typed an organisation from its sentence. Not a
    dimension, floor, ordinal or network generation (NVIDIA 3D, 1F, 50th, SoftBank 4G),
    nor a type an editor gave."""
    versions: dict[str, set[str]] = {}
    for key in found:
        if key.startswith("surface:PRODUCT:") and (match := PRODUCT_VERSION.fullmatch(key[16:])):
            versions.setdefault(match["line"], set()).add(match["version"])
    for key, occurrences in list(found.items()):
        if (key.startswith("surface:ORG:") and key not in joined and not occurrences.edited
                and len(versions.get(key[12:], ())) >= 2):
            found[key] = retyped = occurrences.copy()  # the archive's sums are never changed in place
            retyped.type = "PRODUCT"


def _joined_keys(found: dict[str, Occurrences], registry: Registry) -> dict[str, str]:
    """Surface keys whose id would be one set by hand or merged in the registry -> that id's key.

    The joined surfaces are counted under the target key, so they become its aliases."""
    hand_set = {k[3:] for k in found if k.startswith("id:") and registry.get(k[3:]) is None}
    joined: dict[str, str] = {}
    if not hand_set and not registry.merged:
        return joined  # no id to join: spare slugging every surface
    for key, occurrences in list(found.items()):
        if not key.startswith("surface:"):
            continue
        would_be = f"{occurrences.type.lower()}/{make_slug(_name(occurrences))}"
        if would_be in registry.merged or would_be in hand_set:
            target = f"id:{registry.canonical(would_be)}"
            entity = registry.get(target[3:])
            into = found.get(target) or Occurrences(entity.type if entity else occurrences.type)
            found[target] = into.plus(occurrences)
            joined[key] = target
    return joined


def _name(occurrences: Occurrences) -> str:
    """The longest of the names (a person's full name over a surname), but X over X社
    when X is written as often: Google社 says "the company Google", 新潮社 is a name."""
    surfaces = occurrences.surfaces
    names = [s for s in surfaces if not (s.endswith(COMPANY) and surfaces.get(s[:-1], 0) >= surfaces[s])]
    return min(names or surfaces, key=lambda s: (-len(s), -surfaces[s], s))


def _aliases(occurrences: Occurrences, name: str, known: tuple[str, ...] = ()) -> list[str]:
    seen = {compare_form(name), *map(compare_form, known)}
    aliases = []
    for surface in sorted(occurrences.surfaces):
        if compare_form(surface) not in seen:
            seen.add(compare_form(surface))
            aliases.append(surface)
    return aliases


def _registry_entity(registry: Registry, entity_id: str, occurrences: Occurrences) -> Entity:
    entity = registry.get(entity_id)
    if entity is None:  # an id set by hand that the registry does not define
        if not occurrences.surfaces:  # only ever a quote's speaker: named by its slug
            return Entity(entity_id, entity_id.split("/", 1)[1], occurrences.type, [])
        name = _name(occurrences)
        return Entity(entity_id, name, occurrences.type, _aliases(occurrences, name))
    extra = _aliases(occurrences, entity.name, tuple(entity.aliases))
    return replace(entity, aliases=[*entity.aliases, *extra], links=dict(entity.links))


def _place_entity(key: str, occurrences: Occurrences) -> Entity:
    place = next(p for p in places.PLACES if p.key == key)
    lang = max(sorted(occurrences.languages), key=lambda lang: occurrences.languages[lang])
    name = place.name(lang)
    return Entity(place.entity_id, name, "PLACE", _aliases(occurrences, name))

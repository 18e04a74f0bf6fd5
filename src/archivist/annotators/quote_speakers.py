"""Quote speakers: each quote linked to the entity who said it, in one document.

The quote annotator leaves the words naming a quote's speaker in its own block
(speakers.py, quotes_en.py); here they meet the mentions:

- words overlapping a person's or organisation's mention -> its entity; a name the
  registry or the document knows -> it; a name marked by an honorific or title, a
  capitalised English name (said Maria Okafor) or an organisation's name (弁護団)
  that nobody mentioned -> a new entity; anonymous sources (ネット掲示板) -> nobody;
- 彼, 彼女, he, she -> the last person named as a subject before the quote (not an
  object: Xを演じた彼; in English, a speaker or a name opening a sentence); 同社 -> the
  last organisation; 同氏, 同弁護士 -> the last person (marked by that title, if one
  is); a bare title (監督は) -> the person the document gives that title; a council
  spokesperson, the club's board -> the organisation named with that word.

A quote with no speaker words takes, in this order: the speaker the paragraph above
introduces (Xはこう語る。, X said:, a short line ・TBS「…」みのもんた); the speaker of
the quote it goes on from, when it opens a paragraph or sentence or is reported
without a subject (と語った), unless another person or an anonymous source (ネット
掲示板では) comes in between; for a
paragraph that is all quote, the person the paragraph above was about (when it quotes
nobody: a word in quotes there, a term, does not count). A heading
repeating words of a longer quote takes that quote's speaker.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..model import Annotations, Document, Mention, Quote
from . import quotes_en, quotes_ja
from .ner_ja import HONORIFICS
from .quote_words import said_to_subject
from .quotes_en import ORG_NOUNS_EN
from .quotes_ja import BULLETS
from .speakers import (
    ANAPHOR, ANONYMOUS, BEFORE_TITLES, FAMILIAR_MARKS, GROUP_SUFFIXES, NOT_AGENTS, PERSON_MARKS, anonymous,
)

PERSON_PRONOUNS = frozenset(("彼", "彼女", "he", "she", "He", "She"))
SPEAKER_TYPES = ("PERSON", "ORG")
OBJECT_PARTICLES = frozenset("をにのとへや")  # Xを演じた彼: X is not who 彼 is
MARK_AFTER = re.compile("^(?:" + "|".join(PERSON_MARKS) + ")")
ANNOUNCING = re.compile(r"(?:次のように|こう|以下のように)[^。「」]{0,20}[。：:]\s*$|[:：]\s*$")
PROPER_NAME = re.compile(r"[A-ZÀ-Þ][\w'’\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*){0,3}")
LOOK_BACK = 200  # mentions before a quote searched for its speaker: no antecedent is further back
SPEAKER_LINE = 60  # a paragraph this short naming a person last introduces the quote below it
ANONYMOUS_SOURCE = re.compile("(?:" + "|".join(ANONYMOUS) + ")[^、。「」\\s]{0,3}?(?:では|には|で|は|が|から)")


@dataclass
class Speaking:
    """What finding the speakers of one document's quotes reads, and how it makes entities."""

    doc: Document
    ann: Annotations
    keys: list[str]  # entity key of each mention
    type_of: Callable[[str], str]  # the entity type of a key
    known: Callable[[str], str | None]  # the key of a registry entity or mention a name names
    new: Callable[[str, str], str]  # the key of a new entity of (type, name)

    @cached_property
    def outside(self) -> list[tuple[Mention, str]]:
        """Mentions outside quotes with their keys, in reading order."""
        quoted = _Spans([(q.block, q.start, q.end) for q in self.ann.quotes])
        return [(m, k) for m, k in zip(self.ann.mentions, self.keys) if not quoted.holds(m.block, m.start, m.end)]

    @cached_property
    def outside_ends(self) -> list[tuple[int, int]]:
        """(block, end) of each outside mention, in reading order, for bisecting."""
        return [(m.block, m.end) for m, _ in self.outside]

    @cached_property
    def mentions_by_block(self) -> dict[int, tuple[list[int], list[tuple[Mention, str]]]]:
        """block -> (starts, (mention, key)) of its mentions in reading order, for bisecting."""
        found: dict[int, tuple[list[int], list[tuple[Mention, str]]]] = {}
        for mention, key in zip(self.ann.mentions, self.keys):
            starts, pairs = found.setdefault(mention.block, ([], []))
            starts.append(mention.start)
            pairs.append((mention, key))
        return found

    def overlapping(self, block: int, start: int, end: int) -> list[tuple[Mention, str]]:
        """Mentions of a block overlapping [start, end) (mentions never overlap each other)."""
        starts, pairs = self.mentions_by_block.get(block, ([], []))
        index, found = bisect_left(starts, end) - 1, []
        while index >= 0 and pairs[index][0].end > start:
            found.append(pairs[index])
            index -= 1
        return found[::-1]


class _Spans:
    """Disjoint spans (block, start, end), to ask in logarithmic time whether one holds a range."""

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        self.spans = sorted(spans)

    def holds(self, block: int, start: int, end: int) -> bool:
        index = bisect_right(self.spans, (block, start, float("inf"))) - 1
        return index >= 0 and self.spans[index][0] == block and self.spans[index][2] >= end


def speaker_keys(ctx: Speaking) -> list[str | None]:
    """The entity key of each quote's speaker in one document, or None."""
    ann = ctx.ann
    speakers: list[str | None] = []
    deferred = []
    for index, quote in enumerate(ann.quotes):
        key = None
        if quote.kind != "term" and quote.speaker_text:
            key = _speaker_key(ctx, quote, speakers)
        elif quote.kind == "partial":
            deferred.append(index)  # perhaps words said further on (a heading quoting them)
        elif quote.kind != "term":
            key = _unnamed_speaker(ctx, index, speakers)
        speakers.append(key)
    for index in deferred:
        speakers[index] = _echoed(ctx, ann.quotes[index], speakers) or _unnamed_speaker(ctx, index, speakers)
    return speakers


def _speaker_key(ctx: Speaking, quote: Quote, speakers: list[str | None]) -> str | None:
    """The key of the speaker quote.speaker_text names, or None if it names nobody known."""
    text = quote.speaker_text or ""
    start = quote.speaker_start if quote.speaker_start is not None else quote.start
    if text in PERSON_PRONOUNS:
        return _antecedent(ctx, quote, min(start, quote.start), speakers)
    if anonymous(text) or not quote.speaker_named:
        return None  # nobody, or someone the words describe without naming (店員さん)
    if text.startswith(ANAPHOR) and len(text) > 1:
        return _anaphor(ctx, text[1:], quote.block, min(start, quote.start))
    overlapping = [(min(m.end, start + len(text)) - max(m.start, start), k)
                   for m, k in ctx.overlapping(quote.block, start, start + len(text))
                   if ctx.type_of(k) in SPEAKER_TYPES]
    if overlapping:
        return max(overlapping)[1]
    name = _strip_marks(text)
    if not name:
        return _title_holder(ctx, text, quote)
    known = ctx.known(name)
    if known and ctx.type_of(known) in SPEAKER_TYPES:
        return known
    return _new_speaker(ctx, quote, text, name, start)


def _new_speaker(ctx: Speaking, quote: Quote, text: str, name: str, start: int) -> str | None:
    """A speaker nobody mentioned: a marked or capitalised name, or an organisation's words."""
    lang = ctx.doc.lang
    if lang == "en" and not name[:1].isupper():
        return _organisation(ctx, name, quote)
    if lang != "en" and name.endswith(GROUP_SUFFIXES) and name not in GROUP_SUFFIXES and not name.startswith(NOT_AGENTS):
        return ctx.new("ORG", name)
    if lang != "en" and len(name) == 1 and name != text and text[1:] not in FAMILIAR_MARKS + HONORIFICS:
        return None  # 番記者, a beat reporter: one letter and a title nobody recognised is no name
    proper = lang == "en" and PROPER_NAME.fullmatch(name)
    marked = ctx.doc.blocks[quote.block].text[start + len(text):].startswith(PERSON_MARKS)
    if name != text or marked or proper:
        kind = "ORG" if lang == "en" and name.split()[-1].casefold() in ORG_NOUNS_EN else "PERSON"
        return ctx.new(kind, name)
    return None


def _strip_marks(text: str) -> str:
    """The name without an honorific or title after it; empty for a bare title (監督)."""
    if text in PERSON_MARKS:
        return ""
    for mark in PERSON_MARKS:
        if text.endswith(mark) and len(text) > len(mark):
            name = text[:-len(mark)]
            return "" if name in BEFORE_TITLES else name  # 米教授, 前監督: a title all the same
    return text


def _before(ctx: Speaking, block: int, position: int, kinds: tuple[str, ...]) -> list[tuple[Mention, str]]:
    """Mentions of these types outside quotes before (block, position), nearest last."""
    cut = bisect_right(ctx.outside_ends, (block, position))
    return [(m, k) for m, k in ctx.outside[max(0, cut - LOOK_BACK):cut] if ctx.type_of(k) in kinds]


def _anaphor(ctx: Speaking, rest: str, block: int, position: int) -> str | None:
    """同社, 同大学: the last organisation (ending in rest, if one does); 同氏, 同弁護士: the last
    person (marked by rest, if one is)."""
    kind = ("ORG",) if rest.endswith(GROUP_SUFFIXES) or rest in ("社", "団体") else ("PERSON",)
    found = _before(ctx, block, position, kind)
    fitting = [(m, k) for m, k in found if len(rest) > 1 and m.text.endswith(rest)
               or ctx.doc.blocks[m.block].text[m.end:].startswith(rest)]
    return (fitting or found or [(None, None)])[-1][1]


def _title_holder(ctx: Speaking, title: str, quote: Quote) -> str | None:
    """監督は「…」: the person the document marks with that title, the last before the quote first."""
    held = [(m, k) for m, k in ctx.outside if ctx.type_of(k) == "PERSON"
            and ctx.doc.blocks[m.block].text[m.end:m.end + len(title) + 1].lstrip("・ ").startswith(title)]
    before = [k for m, k in held if (m.block, m.start) < (quote.block, quote.start)]
    return before[-1] if before else (held[0][1] if held else None)


def _antecedent(ctx: Speaking, quote: Quote, position: int, speakers: list[str | None]) -> str | None:
    """彼, she: the last person named as a subject before position (not an object: Xを, Xに);
    in English, the last speaker or name opening a sentence."""
    candidates: list[tuple[tuple[int, int], str | Quote]] = []  # a key, or words to link
    for mention, key in _before(ctx, quote.block, position, ("PERSON",)):
        if ctx.doc.lang != "en" and not _object(ctx.doc.blocks[mention.block].text[mention.end:]):
            candidates.append(((mention.block, mention.start), key))
    for earlier, key in zip(ctx.ann.quotes, speakers):
        if key and ctx.type_of(key) == "PERSON" and (earlier.block, earlier.start) < (quote.block, quote.start):
            candidates.append(((earlier.block, earlier.start), key))
    if ctx.doc.lang == "en":
        candidates += _english_subjects(ctx, quote.block, position)
    for _, found in sorted(candidates, key=lambda c: c[0], reverse=True):
        key = found if isinstance(found, str) else _speaker_key(ctx, found, [])
        if key and ctx.type_of(key) == "PERSON":
            return key
    return None


def _object(after: str) -> bool:
    """Whether a name followed by these words is an object or a possessor, not a subject."""
    after = MARK_AFTER.sub("", after, count=1)
    return after[:1] in OBJECT_PARTICLES


def _english_subjects(ctx: Speaking, block: int, position: int) -> list[tuple[tuple[int, int], Quote]]:
    """Names opening English sentences as their subjects, up to position, as words to link."""
    found = []
    for index in range(max(0, block - 2), block + 1):
        text = ctx.doc.blocks[index].text[:position] if index == block else ctx.doc.blocks[index].text
        for name, start in quotes_en.subjects_in(text):
            if " " not in name and not _mentioned_within(ctx, name):
                continue  # Investors, Residents: capitalised only because they open a sentence
            if not re.search(r"\b(?:of|de|van|von)\b", name):
                words = Quote(index, start, start, "", "direct", speaker_text=name, speaker_start=start)
                found.append(((index, start), words))
    return found


def _mentioned_within(ctx: Speaking, name: str) -> bool:
    """Whether name is a mention, or written capitalised inside a sentence somewhere."""
    return any(m.text == name for m in ctx.ann.mentions) or any(
        re.search(rf"[a-z,]\s+(?:\w+\s+)?{re.escape(name)}\b", b.text) for b in ctx.doc.blocks)


def _organisation(ctx: Speaking, words: str, quote: Quote) -> str | None:
    """a council spokesperson, the club's board, the company: the organisation they speak for."""
    nouns = [w for w in re.findall(r"[a-z]+", words.casefold()) if w in ORG_NOUNS_EN]
    if not nouns:
        return None
    orgs = _before(ctx, quote.block, quote.start, ("ORG",))
    for noun in nouns:
        fitting = [k for m, k in orgs if noun in m.text.casefold() or noun in ("company", "firm")]
        if fitting:
            return fitting[-1]
        for index in range(quote.block, -1, -1):
            named = quotes_en.organisation_named(ctx.doc.blocks[index].text, noun)
            if named:
                return ctx.new("ORG", named)
    return None


def _opens(ctx: Speaking, quote: Quote) -> tuple[bool, bool]:
    """(whether the quote opens its block, whether it opens a sentence)."""
    before = ctx.doc.blocks[quote.block].text[:max(0, quote.start - 1)].rstrip()
    return not before.strip(BULLETS), not before or before[-1] in "。！？!?.」”\""


def _unnamed_speaker(ctx: Speaking, index: int, speakers: list[str | None]) -> str | None:
    """The speaker of a quote with no speaker words: the one the paragraph above introduces, or
    the speaker of the quote it goes on from (opening a paragraph or sentence, or reported by a
    subjectless と語った), or the person the paragraph above was about, for a paragraph of words."""
    quote = ctx.ann.quotes[index]
    opens_block, opens_sentence = _opens(ctx, quote)
    previous = ctx.doc.blocks[quote.block - 1].text if quote.block else ""
    if opens_block and previous:
        key = _announcer(ctx, quote.block - 1, previous)
        if key:
            return key
    if opens_block or opens_sentence or quotes_ja.reported(quote.cue):
        key = _going_on(ctx, index, speakers)
        if key or not opens_block:
            return key
    whole = quote.start <= 1 and quote.end >= len(ctx.doc.blocks[quote.block].text) - 1
    if whole and previous and not any(q.block == quote.block - 1 and q.kind != "term" for q in ctx.ann.quotes):
        subjects = [(m, k) for m, k in _before(ctx, quote.block - 1, len(previous), ("PERSON",))
                    if m.block == quote.block - 1 and _subject_after(previous[m.end:])]
        if subjects and not anonymous(previous[subjects[-1][0].end:]):  # …ネット掲示板ではこんな声が
            return subjects[-1][1]
    return None


def _announcer(ctx: Speaking, block: int, text: str) -> str | None:
    """The speaker a paragraph introduces: Xはこう語る。 / X said: / ・TBS「…」みのもんた."""
    mentions = [(m, k) for m, k in _before(ctx, block, len(text), SPEAKER_TYPES) if m.block == block]
    if not mentions:
        return None
    if ANNOUNCING.search(text):
        subjects = [k for m, k in mentions if _subject_after(text[m.end:])]
        return (subjects or [mentions[-1][1]])[-1]
    last, key = mentions[-1]
    rest = re.sub(r"^[（(][^）)]*[）)]", "", text[last.end:]).strip()
    if len(text) <= SPEAKER_LINE and not rest and not re.search("[。.!?！？]", text[-2:]):
        return key
    return None


def _subject_after(after: str) -> bool:
    after = MARK_AFTER.sub("", after, count=1)
    after = re.sub(r"^[（(][^）)]*[）)]", "", after)
    return after[:1] in "はがも" or after.startswith((" said", " says", ","))


def _going_on(ctx: Speaking, index: int, speakers: list[str | None]) -> str | None:
    """The speaker of the last quote (of the same block or the two before) a quote goes on from,
    unless another person is named outside quotes in between."""
    quote = ctx.ann.quotes[index]
    for earlier in range(index - 1, -1, -1):
        previous = ctx.ann.quotes[earlier]
        if quote.block - previous.block > 2:
            return None
        if previous.kind not in ("direct", "partial"):
            continue
        if said_to_subject(previous.cue):
            return None  # words said to the subject (Xから「…」と訊かれ): X is not who goes on
        key = speakers[earlier]
        first, cut = (bisect_right(ctx.outside_ends, place) for place in ((previous.block, previous.end),
                                                                        (quote.block, quote.start)))
        between = [k for m, k in ctx.outside[first:cut] if ctx.type_of(k) == "PERSON"
                   and (previous.block, previous.end) < (m.block, m.start) < (quote.block, quote.start)]
        return key if all(k == key for k in between) and not _anonymous_between(ctx, previous, quote) else None
    return None


def _anonymous_between(ctx: Speaking, previous: Quote, quote: Quote) -> bool:
    """Whether the text between two quotes turns to an anonymous source (ネット掲示板では)."""
    blocks = ctx.doc.blocks
    if previous.block == quote.block:
        text = blocks[quote.block].text[previous.end:quote.start]
    else:
        text = "\n".join([blocks[previous.block].text[previous.end:]]
                         + [b.text for b in blocks[previous.block + 1:quote.block]]
                         + [blocks[quote.block].text[:quote.start]])
    return bool(ANONYMOUS_SOURCE.search(text))


def _echoed(ctx: Speaking, quote: Quote, speakers: list[str | None]) -> str | None:
    """The speaker of a longer quote holding this quote's words."""
    words = _plain(quote.text)
    for other, key in zip(ctx.ann.quotes, speakers):
        if key and other is not quote and words in _plain(other.text):
            return key
    return None


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()

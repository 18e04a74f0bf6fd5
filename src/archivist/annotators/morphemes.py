"""Japanese morphemes from Sudachi, for reading the words around quotes.

Sudachi (the dictionary GiNZA itself reads with) gives each word its part of speech
and dictionary form without a neural model, so the quote annotator works the same
in every profile. Offsets are code points into the text as written.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cache
from importlib import metadata
from typing import NamedTuple

MODEL = "sudachi"
MAX_CHUNK_BYTES = 40_000  # below Sudachi's 49,149-byte limit on one input
RECENT_TEXTS = 512  # blocks whose words are kept: the rules and quote annotators read the same ones


class Morpheme(NamedTuple):  # a tuple: built for every word, so cheap to build
    start: int  # first code point in the text
    end: int  # code point after it
    surface: str  # the word as written
    pos: tuple[str, ...]  # Sudachi part of speech: six fields, "*" where empty
    lemma: str  # dictionary form (言っ -> 言う)
    unknown: bool = False  # not in Sudachi's dictionary (a name it has never seen, often)

    def is_(self, *prefix: str) -> bool:
        """Whether the part of speech starts with these fields: m.is_("名詞", "固有名詞")."""
        return self.pos[:len(prefix)] == prefix

    @property
    def nominal(self) -> bool:
        """A noun, pronoun, noun-like suffix or prefix: a piece of a noun phrase."""
        return self.pos[0] in ("名詞", "代名詞", "接頭辞") or self.is_("接尾辞", "名詞的")

    @property
    def predicate(self) -> bool:
        """A verb, or a noun that takes する (説明, 即答): what a quotation can hang on."""
        return self.pos[0] == "動詞" and not self.is_("動詞", "非自立可能") or self.is_("名詞", "普通名詞", "サ変可能")

    @property
    def attributive(self) -> bool:
        return self.pos[5].startswith("連体形")


@cache  # asked once per document; reading package metadata is slow
def settings() -> str:
    """What besides the text changes the words Sudachi finds: its dictionary's version."""
    return f"sudachidict-core {metadata.version('sudachidict-core')}"


def load_tokenizer():
    """A Sudachi tokenizer with the core dictionary."""
    from sudachipy import dictionary  # late: only Japanese documents need it

    return dictionary.Dictionary(dict="core").create()


_recent: OrderedDict[tuple[int, str], tuple[Morpheme, ...]] = OrderedDict()


def morphemes(tokenizer, text: str) -> tuple[Morpheme, ...]:
    """The words of text in reading order (Sudachi's longest units).

    Recently read texts are answered from memory, so annotators reading the same
    block pay for Sudachi once."""
    key = (id(tokenizer), text)
    if key in _recent:
        _recent.move_to_end(key)
        return _recent[key]
    words = _read(tokenizer, text)
    _recent[key] = words
    if len(_recent) > RECENT_TEXTS:
        _recent.popitem(last=False)
    return words


def _read(tokenizer, text: str) -> tuple[Morpheme, ...]:
    from sudachipy import SplitMode

    found = []
    for offset, piece in _chunks(text):
        for m in tokenizer.tokenize(piece, SplitMode.C):
            pos_id = m.part_of_speech_id()
            pos = _parts_of_speech.get(pos_id) or _parts_of_speech.setdefault(pos_id, tuple(m.part_of_speech()))
            found.append(Morpheme(offset + m.begin(), offset + m.end(), m.surface(), pos,
                                  m.dictionary_form(), m.is_oov()))
    return tuple(found)


_parts_of_speech: dict[int, tuple[str, ...]] = {}  # Sudachi's part-of-speech ids are few: share the tuples


def _chunks(text: str, limit: int = MAX_CHUNK_BYTES) -> list[tuple[int, str]]:
    """text cut after sentence ends (or anywhere, as a last resort) into pieces Sudachi accepts."""
    pieces, start = [], 0
    while len(text[start:].encode("utf-8")) > limit:
        end = start + limit // 4  # at most four bytes a code point
        cut = max(text.rfind(mark, start, end) for mark in "。！？\n")
        end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces

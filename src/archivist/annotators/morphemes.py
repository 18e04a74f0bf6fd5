"""Japanese morphemes from Sudachi, for reading the words around quotes.

Sudachi (the dictionary GiNZA itself reads with) gives each word its part of speech
and dictionary form without a neural model, so the quote annotator works the same
in every profile. Offsets are code points into the text as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

MODEL = "sudachi"
MAX_CHUNK_BYTES = 40_000  # below Sudachi's 49,149-byte limit on one input


@dataclass(frozen=True)
class Morpheme:
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


def settings() -> str:
    """What besides the text changes the words Sudachi finds: its dictionary's version."""
    return f"sudachidict-core {metadata.version('sudachidict-core')}"


def load_tokenizer():
    """A Sudachi tokenizer with the core dictionary."""
    from sudachipy import dictionary  # late: only Japanese documents need it

    return dictionary.Dictionary(dict="core").create()


def morphemes(tokenizer, text: str) -> list[Morpheme]:
    """The words of text in reading order (Sudachi's longest units)."""
    from sudachipy import SplitMode

    found = []
    for offset, piece in _chunks(text):
        for m in tokenizer.tokenize(piece, SplitMode.C):
            found.append(Morpheme(offset + m.begin(), offset + m.end(), m.surface(),
                                  tuple(m.part_of_speech()), m.dictionary_form(), m.is_oov()))
    return found


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

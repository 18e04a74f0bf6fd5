"""Likely duplicates among an archive's entities: one person or organisation, several names.

Resolution already joins, within a document, the names name_match.py is sure of.
These are suggestions for an editor to check, so they reach further: across the
archive for spellings, and with a looser comparison across scripts.

Two entities of one type are likely the same when

- their names agree once middle dots, spaces, hyphens, case and width are ignored
  (ジョン・ビラセノール, ジョンビラセノール);
- for organisations, also once a company form is taken off (株式会社, (株), 社, Inc.,
  Corp., Ltd. ...: トヨタ自動車株式会社, トヨタ自動車);
- one is written in Latin letters and the other in katakana, they are mentioned in a
  common document, and the katakana read out in Latin letters is close to the Latin
  name (Jensen Huang, ジェンスン・フアン), compared after folding sounds that
  katakana does not tell apart (l/r, v/b, h, doubled letters).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from .model import Entity

SEPARATORS = re.compile(r"[\s・･·=＝\-‐‑–—.,'’]+")
ORG_FORMS = re.compile(
    r"^(?:株式会社|有限会社|合同会社|\(株\)|（株）|㈱)|(?:株式会社|有限会社|合同会社|\(株\)|（株）|㈱"
    r"|,?\s*(?:inc|corp|corporation|co|ltd|llc|plc|gmbh|company)\.?)$",
    re.IGNORECASE,
)
KATAKANA = re.compile(r"^[\u30a0-\u30ff・･\s＝=]+$")
LATIN = re.compile(r"^[A-Za-z][A-Za-z\s.\-'’]*$")
SIMILAR = 0.72  # least SequenceMatcher ratio of folded Latin and katakana names
CONSONANTS = 0.8  # least ratio of their consonants, when those are four or more
# Latin spellings folded towards what katakana can tell apart, applied in order.
FOLDS = (("ch", "t"), ("sh", "s"), ("ts", "t"), ("th", "s"), ("ph", "h"), ("h", ""), ("l", "r"),
         ("v", "b"), ("c", "k"), ("q", "k"), ("x", "ks"), ("j", "z"), ("f", ""), ("w", "u"), ("y", "i"))


def plain_key(name: str) -> str:
    """The name with separators, case and width ignored."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", name)).casefold()


def org_key(name: str) -> str:
    """An organisation's plain key without its company form (社 only after two characters)."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = ORG_FORMS.sub("", text).strip()
    if text.endswith("社") and len(text) > 2:
        text = text[:-1]
    return plain_key(text)


def romanized(katakana: str) -> str:
    """Katakana read out in Latin letters, from the characters' Unicode names (カ -> ka)."""
    letters = []
    for char in unicodedata.normalize("NFKC", katakana):
        name = unicodedata.name(char, "")
        if name == "KATAKANA LETTER SMALL TU":
            continue  # ッ doubles the next sound, which folding ignores anyway
        if name.startswith("KATAKANA LETTER "):
            sound = name.removeprefix("KATAKANA LETTER ").removeprefix("SMALL ").lower()
            letters.append(sound)
        elif char == "ー" and letters:
            letters.append(letters[-1][-1])
    return "".join(letters)


def folded(latin: str) -> str:
    """Letters folded so that a Latin name and its katakana reading can be compared."""
    text = re.sub(r"[^a-z]", "", latin.lower())
    for old, new in FOLDS:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


def sounds_alike(latin: str, katakana: str) -> bool:
    """Whether a Latin name and a katakana name are likely one name in two scripts: close
    as folded, or with the same consonants (katakana adds vowels: Cook, クック)."""
    a, b = folded(latin), folded(romanized(katakana))
    if not (a and b):
        return False
    if SequenceMatcher(None, a, b).ratio() >= SIMILAR:
        return True
    a, b = _consonants(a), _consonants(b)
    return a == b if min(len(a), len(b)) < 4 else SequenceMatcher(None, a, b).ratio() >= CONSONANTS


def _consonants(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", text))


def likely_duplicates(entities: list[Entity], documents: list[list[str]]) -> list[list[Entity]]:
    """Groups of entities that are likely one, each sorted by id; documents: the entity
    ids each document mentions."""
    groups = _Groups()
    by_id = {e.id: e for e in entities}
    for kind in sorted({e.type for e in entities}):
        members = [e for e in entities if e.type == kind]
        for key in (plain_key, org_key) if kind == "ORG" else (plain_key,):
            by_key: dict[str, list[Entity]] = {}
            for entity in members:
                by_key.setdefault(key(entity.name), []).append(entity)
            for same in by_key.values():
                for other in same[1:]:
                    groups.join(same[0].id, other.id)
    for ids in documents:  # two scripts: only names a document has in common
        present = [by_id[i] for i in ids if i in by_id and by_id[i].type in ("PERSON", "ORG")]
        latin = [e for e in present if LATIN.match(e.name)]
        kana = [e for e in present if KATAKANA.match(e.name)]
        for a in latin:
            for b in kana:
                if a.type == b.type and sounds_alike(a.name, b.name):
                    groups.join(a.id, b.id)
    return [[by_id[i] for i in sorted(group)] for group in groups.sets() if len(group) > 1]


class _Groups:
    """Union-find over entity ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(b)] = self.find(a)

    def sets(self) -> list[set[str]]:
        found: dict[str, set[str]] = {}
        for item in self.parent:
            found.setdefault(self.find(item), set()).add(item)
        return sorted(found.values(), key=lambda s: sorted(s))

"""Model and version numbers: what makes a Latin name a product's in Japanese text.

Sudachi cuts MSM8960 into MSM and 8960, and leaves Windows 8 as a name, a space and a
number. A Latin name with a number glued to it (three digits or more) or after a
space or a hyphen is a product's model or version (Windows 8, GALAXY Tab 7.7, iPhone
4S, Prophet-5), with the Latin words before the number and the letters glued after it;
unless the number is a quantity with its unit (RAM 1GB), a year (INTEROP2011), a
telephone number (TEL 03), or two digits glued to letters, too often a group's or a
league's (AKB48, J2).
"""

from __future__ import annotations

from collections.abc import Sequence

from .morphemes import Morpheme

MAX_MODEL_WORDS = 4  # Latin words between a name and its model number (GALAXY S II LTE SC-03D)
# Units written after a number: with one, a number after a Latin name is a quantity (RAM 1GB).
UNITS = frozenset((
    "b", "kb", "mb", "gb", "tb", "bit", "bps", "kbps", "mbps", "gbps", "hz", "khz", "mhz", "ghz", "mah", "w", "kw",
    "v", "mm", "cm", "m", "km", "kg", "fps", "dpi", "ppi", "inch", "ms", "px", "x",
))


def model_end(words: Sequence[Morpheme], i: int, j: int) -> int | None:
    """The index after the model or version number that ends the Latin name words[i:j]
    (MSM8960) or follows it and any Latin words after it (GALAXY Tab 7.7), or None
    (see the module's doc for which numbers are not a model's)."""
    parts = [w for w in words[i:j] if w.surface not in ("・", "＝", "=", " ")]
    if not all(is_latin(w) for w in parts[:-1]) or _glued_to_latin(words, i):
        return None
    last = parts[-1]
    if len(parts) > 1 and _is_number(last) and len(last.surface) >= 3:
        return _model_number_end(words, j) if capitalised(parts) and not _is_year(last) else None
    for _ in range(MAX_MODEL_WORDS):  # GALAXY Tab 7.7: the Latin words before the number
        if not (j + 2 < len(words) and words[j].surface == " " and is_latin(words[j + 1])
                and words[j + 2].surface in (" ", "-")):
            break
        parts.append(words[j + 1])
        j += 2
    letters = sum(len(w.surface) for w in parts)
    if not is_latin(last) or letters < 2 or not capitalised(parts) or j + 1 >= len(words) or \
            words[j].surface not in (" ", "-"):
        return None
    if not _is_number(words[j + 1]) or _is_year(words[j + 1]):
        return None
    end = _model_number_end(words, j + 2)
    if end == j + 2 and words[j].surface == " " and words[j + 1].surface[:1] == "0":
        return None  # TEL 03: a telephone number, where SoftBank 001HT is a model
    return end


def _is_year(word: Morpheme) -> bool:
    return len(word.surface) == 4 and word.surface.startswith(("19", "20"))  # INTEROP2011, AnimeJapan 2014


def capitalised(parts: Sequence[Morpheme]) -> bool:
    """Whether a Latin name has a capital, as names do (iPhone): not at 11, id501009725."""
    return any(c.isupper() for w in parts for c in w.surface)


def _glued_to_latin(words: Sequence[Morpheme], i: int) -> bool:
    """Whether words[i] continues a Latin word or code before it (P4X266, HAT-P-14)."""
    before = words[i - 1] if i > 0 else None
    return before is not None and before.end == words[i].start and before.surface[-1:].isascii() and (
        before.surface[-1:].isalnum() or before.surface[-1:] == "-")


def _model_number_end(words: Sequence[Morpheme], k: int) -> int | None:
    """The index after the number words[k - 1] and the Latin letters and digits glued to
    it (iPhone 4S, N-04A), or None when they are a unit (RAM 1GB): a quantity."""
    start = k
    while k < len(words) and words[k].start == words[k - 1].end and words[k].surface.isascii() and \
            words[k].surface.isalnum():
        k += 1
    glued = "".join(w.surface for w in words[start:k])
    return None if glued.lower() in UNITS else k


def is_latin(word: Morpheme) -> bool:
    return word.surface.isascii() and word.surface.isalpha()


def _is_number(word: Morpheme) -> bool:
    digits = word.surface.replace(".", "", 1)
    return word.is_("名詞", "数詞") and digits.isascii() and digits.isdigit() and not word.surface.endswith(".")

"""Bytes to text: byte order marks, strict UTF-8, Japanese legacy encodings, detection.

Characters are never changed; only line ends are normalised to "\\n". Japanese legacy
encodings are tried before general detection because detectors mis-guess short texts.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .parsed import ParseError

# UTF-32 first: its little-endian mark begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ISO2022_JP = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2")
JAPANESE_LEGACY = ("cp932", "euc_jp")
UTF16 = ("utf-16-le", "utf-16-be")
TEXT_CONTROLS = frozenset("\t\n\r\f\v")
BAD_CATEGORIES = frozenset({"Cc", "Cs", "Cn"})
MAX_BAD_SHARE = 0.01  # stray control or unassigned characters tolerated in real text
UTF16_NUL_SHARE = 0.2  # share of UTF-16 code units with a NUL high byte in ASCII-rich text
LEGACY_MIN_KANA = 0.1  # kana among non-ASCII characters of Japanese text, at the least
UTF16_MIN_KANA = 0.03  # ASCII bytes read as UTF-16 give kanji-like characters, not kana


@dataclass(frozen=True)
class Decoded:
    text: str  # the decoded text, line ends normalised to "\n"
    encoding: str  # Python codec name of the encoding found


def decode(data: bytes) -> Decoded:
    """Decode a document's bytes; raise ParseError if empty, binary or undecodable."""
    if not data.strip():
        raise ParseError("empty document")
    encoding, text = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("empty document")
    if _bad_share(text) > MAX_BAD_SHARE:
        raise ParseError(f"binary data (control characters after decoding as {encoding}), not text")
    return Decoded(text, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:
                raise ParseError(f"cannot decode: not valid {encoding} after its byte order mark")
            return encoding, text
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise ParseError("binary data (NUL bytes), not text")
        return found
    if b"\x1b" in data and max(data) < 0x80:
        for encoding in ISO2022_JP:
            text = _strict(data, encoding)
            if text is not None and "\x1b" not in text:
                return encoding, text
    text = _strict(data, "utf-8")
    if text is not None:
        return "utf-8", text
    return _detect(data)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 told apart by where most NUL bytes fall: the high byte of ASCII characters.

    The other side holds NUL bytes too (U+3000, the ideographic space, is 00 30 in
    little-endian), so both byte orders are tried and the more plausible text wins.
    It must be ASCII-rich or read as Japanese: ASCII bytes taken pairwise look like
    kanji, never like kana.
    """
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    ascii_heavy = max(even, odd) >= UTF16_NUL_SHARE * len(data) / 2
    found = []
    for encoding in UTF16 if odd >= even else UTF16[::-1]:
        text = _strict(data, encoding)
        if text is None or "\x00" in text or _bad_share(text) > MAX_BAD_SHARE:
            continue
        if ascii_heavy or _japanese_score(text, min_kana=UTF16_MIN_KANA) > 0:
            found.append((_plausible_share(text), encoding, text))
    if not found:
        return None
    _, encoding, text = max(found, key=lambda item: item[0])
    return encoding, text


def _detect(data: bytes) -> tuple[str, str]:
    """Japanese legacy encodings (or UTF-16 without NUL bytes, as in text with no ASCII
    character at all) when they decode to Japanese, else charset detection."""
    scored = []
    candidates = JAPANESE_LEGACY + (UTF16 if len(data) % 2 == 0 else ())
    for encoding in candidates:
        text = _strict(data, encoding)
        if text is not None:
            score = _japanese_score(text)
            if score > 0:
                scored.append((score, encoding, text))
    if scored:
        _, encoding, text = max(scored, key=lambda item: item[0])
        return encoding, text
    guess = from_bytes(data).best()
    if guess is not None:
        text = _strict(data, guess.encoding)
        if text is not None:
            return guess.encoding, text
    raise ParseError(f"cannot decode: {_utf8_problem(data)} and no other encoding fits")


def _utf8_problem(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 (bad byte at offset {error.start})"
    return "not UTF-8"


def _japanese_score(text: str, min_kana: float = LEGACY_MIN_KANA) -> float:
    """Share of kana, kanji and CJK punctuation among non-ASCII characters; 0 if not Japanese.

    A wrong legacy decoding yields half-width katakana, Hangul, private-use or
    unassigned characters instead of the hiragana every Japanese text has.
    """
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    kana = sum(1 for c in wide if "\u3041" <= c <= "\u30ff")
    japanese = sum(1 for c in wide if _is_japanese(c))
    odd = len(wide) - japanese
    if kana == 0 or kana < min_kana * len(wide) or odd > 0.05 * len(wide):
        return 0.0
    return japanese / len(wide)


def _is_japanese(char: str) -> bool:
    return (
        "\u3000" <= char <= "\u30ff"  # CJK punctuation, hiragana, katakana
        or "\u4e00" <= char <= "\u9fff"  # common kanji
        or "\u3400" <= char <= "\u4dbf"  # rare kanji
        or "\uff01" <= char <= "\uff60"  # full-width ASCII forms
        or "\uffe0" <= char <= "\uffee"  # full-width signs (￥, ￤, ...)
        or "\u2000" <= char <= "\u27bf"  # general punctuation, arrows, symbols
        or "\u00a0" <= char <= "\u00ff"  # Latin-1 signs (×, §, ...)
        or "\u0391" <= char <= "\u0451"  # Greek and Cyrillic, in JIS X 0208
    )


def _plausible_share(text: str) -> float:
    """Share of ASCII, Japanese and alphabetic (Latin, Greek, Cyrillic) characters."""
    plausible = sum(
        1 for c in text if c.isascii() or _is_japanese(c) or (c < "\u0530" and c.isalpha())
    )
    return plausible / len(text)


def _bad_share(text: str) -> float:
    """Share of control, surrogate and unassigned characters, whitespace aside."""
    if "".join(text.split()).isprintable():  # the common case, at C speed
        return 0.0
    bad = sum(
        1
        for c in text
        if c not in TEXT_CONTROLS and unicodedata.category(c) in BAD_CATEGORIES
    )
    return bad / len(text) if text else 0.0

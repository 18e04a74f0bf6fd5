"""Decoding: every encoding of the same Japanese text gives the same characters."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from archivist.errors import DocumentError
from archivist.sources import read_document
from archivist.sources.decode import decode
from archivist.sources.parsed import ParseError

ENCODINGS = Path(__file__).resolve().parent / "cases" / "sources" / "encodings"
FIXTURES = sorted(ENCODINGS.glob("*.txt"))
EXPECTED_ENCODING = {
    "utf8": "utf-8",
    "utf8_bom": "utf-8",
    "utf16le_bom": "utf-16-le",
    "utf16be_bom": "utf-16-be",
    "utf16le": "utf-16-le",
    "utf16be": "utf-16-be",
    "cp932": "cp932",
    "cp932_crlf": "cp932",
    "euc_jp": "euc_jp",
    "iso2022jp": "iso2022_jp",
}


def expected_text(fixture: Path) -> str:
    name = fixture.stem.split("_", 1)[0]
    return (ENCODINGS / f"{name}.expected").read_text(encoding="utf-8")


def test_fixtures_cover_every_encoding():
    stems = {path.stem.split("_", 1)[1] for path in FIXTURES}
    assert set(EXPECTED_ENCODING) <= stems
    assert len(FIXTURES) >= 2 * len(EXPECTED_ENCODING)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_every_encoding_decodes_to_the_same_text(fixture):
    decoded = decode(fixture.read_bytes())
    assert decoded.text == expected_text(fixture)
    assert not decoded.text.startswith("\ufeff")
    assert "\r" not in decoded.text
    assert decoded.encoding == EXPECTED_ENCODING[fixture.stem.split("_", 1)[1]]


def test_cp932_extensions_kept_exactly():
    decoded = decode((ENCODINGS / "kigou_cp932.txt").read_bytes())
    assert "①番" in decoded.text and "～" in decoded.text


def test_no_normalisation_beyond_line_ends():
    text = "ｶﾀｶﾅ と ＡＢＣ と ①\r\n㈱ と e\u0301\rend"
    assert decode(text.encode("utf-8")).text == "ｶﾀｶﾅ と ＡＢＣ と ①\n㈱ と e\u0301\nend"


def test_utf8_bom_is_stripped():
    assert decode(codecs.BOM_UTF8 + "本文".encode("utf-8")).text == "本文"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"\n \n", "\u3000\n".encode()]
)
def test_empty_is_rejected(data):
    with pytest.raises(ParseError, match="empty document"):
        decode(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"text with a \x00 NUL byte in it",
        b"\x01\x02\x03\x04\x05\x06\x07\x08 control bytes \x0e\x0f\x10\x11",
    ],
)
def test_binary_is_rejected(data):
    with pytest.raises(ParseError, match="binary"):
        decode(data)


def test_undecodable_is_rejected_with_reason():
    with pytest.raises(ParseError, match="cannot decode"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate


def test_document_errors_name_the_file(tmp_path):
    empty = tmp_path / "empty-note.txt"
    empty.write_bytes(b"\n  \n")
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    with pytest.raises(DocumentError, match="empty document") as error:
        read_document(empty)
    assert "empty-note.txt" in str(error.value)
    with pytest.raises(DocumentError, match="binary") as error:
        read_document(binary)
    assert "picture.txt" in str(error.value)


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="cannot read") as error:
        read_document(tmp_path / "gone.txt")
    assert "gone.txt" in str(error.value)

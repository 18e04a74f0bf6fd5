"""Write the same Japanese texts in each encoding the decoder must read.

Run from this folder: python make_fixtures.py. The bytes are committed; this script
only documents how they were made.
"""

from __future__ import annotations

import codecs
from pathlib import Path

TEXTS = {
    "haru": (
        "春の朝\n"
        "川沿いの道を歩くと、桜はまだ三分咲きだった。風は少し冷たい。\n"
        "\n"
        "角の喫茶店で「おはようございます」と声をかけられ、店主とTokyo 2024の話になった。\n"
        "帰り道、ラジオから天気予報が流れていた。明日は雨らしい。\n"
    ),
    "aisatsu": "ごあいさつ\nこんにちは。",
}
SYMBOLS = "記号のメモ\n①番の席は窓側～奥です。\n"  # NEC and IBM extensions of cp932

ENCODINGS = {
    "utf8": lambda t: t.encode("utf-8"),
    "utf8_bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf16le_bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf16be_bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf16le": lambda t: t.encode("utf-16-le"),
    "utf16be": lambda t: t.encode("utf-16-be"),
    "cp932": lambda t: t.encode("cp932"),
    "cp932_crlf": lambda t: t.replace("\n", "\r\n").encode("cp932"),
    "euc_jp": lambda t: t.encode("euc_jp"),
    "iso2022jp": lambda t: t.encode("iso2022_jp"),
}


def main() -> None:
    here = Path(__file__).parent
    for name, text in TEXTS.items():
        (here / f"{name}.expected").write_text(text, encoding="utf-8", newline="\n")
        for encoding, encode in ENCODINGS.items():
            (here / f"{name}_{encoding}.txt").write_bytes(encode(text))
    (here / "kigou.expected").write_text(SYMBOLS, encoding="utf-8", newline="\n")
    (here / "kigou_cp932.txt").write_bytes(SYMBOLS.encode("cp932"))


if __name__ == "__main__":
    main()

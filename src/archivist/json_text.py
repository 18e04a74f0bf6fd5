"""JSON as json.dumps(data, ensure_ascii=False) writes it, indented (indent=2) or compact
(separators=(",", ":")), many times faster.

json.dumps only uses its C encoder without indent; with it, every value goes through
nested Python generators, which made the open data files (a JSON and a JSON-LD file
per document) a large share of a build. orjson writes the same text (4,000 files of
the livedoor archive in 0.4 s, where a writer in Python took 2 s) but for a few
floats, which json.dumps writes otherwise: those, and anything else outside plain
JSON data (keys other than strings, integers past 64 bits, other types), are left to
json.dumps. Not a number and the infinities, which JSON lacks, are written null.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Without the passthrough options orjson would write dataclasses and dates, which
# json.dumps refuses.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
# What orjson writes of a float under 1e-4 (1e-7, 0.00001), where json.dumps writes
# 1e-07 and 1e-05: a digit before _EXPONENT, or _SMALL. Found nowhere else in its
# floats, and only a false alarm in a string.
_EXPONENT = re.compile(rb"e-[1-9](?![0-9])")  # a literal first: the search skips to each "e-"
_SMALL = b"0.0000"


def dumps_indented(data: Any) -> str:
    """data as json.dumps(data, ensure_ascii=False, indent=2) would write it (see the module)."""
    return _dumps(data, indent=True)


def dumps_compact(data: Any) -> str:
    """data as json.dumps(data, ensure_ascii=False, separators=(",", ":")) would write it."""
    return _dumps(data, indent=False)


def _dumps(data: Any, indent: bool) -> str:
    try:
        text = orjson.dumps(data, option=(_OPTIONS | orjson.OPT_INDENT_2) if indent else _OPTIONS)
    except TypeError:  # orjson's JSONEncodeError: not plain JSON data
        return _json_dumps(data, indent)
    if _floats_written_otherwise(text):
        return _json_dumps(data, indent)
    return text.decode("utf-8")


def _json_dumps(data: Any, indent: bool) -> str:
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=2)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _floats_written_otherwise(text: bytes) -> bool:
    if _SMALL in text:
        return True
    return any(text[found.start() - 1 : found.start()].isdigit() for found in _EXPONENT.finditer(text))

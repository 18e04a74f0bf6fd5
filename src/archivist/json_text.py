"""Indented JSON, byte for byte as json.dumps(data, ensure_ascii=False, indent=2) writes
it, several times faster.

json.dumps only uses its C encoder without indent; with it, every value goes through
nested Python generators, which made the open data files (a JSON and a JSON-LD file
per document) a large share of a build. Here containers are written by one recursive
function and strings by json's own C string encoder. Anything outside plain JSON data
(keys other than strings, other types) is left to json.dumps itself.
"""

from __future__ import annotations

import json
from typing import Any

_encode_string = json.encoder.encode_basestring  # the C version where available
_INDENT = "  "


class _NotPlain(Exception):
    """A value this writer leaves to json.dumps."""


def dumps_indented(data: Any) -> str:
    """data as json.dumps(data, ensure_ascii=False, indent=2) would write it."""
    parts: list[str] = []
    try:
        _write(data, "\n", parts)
    except _NotPlain:
        return json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append value's JSON to parts; newline is "\\n" plus the current indentation."""
    kind = type(value)
    if kind is str:
        parts.append(_encode_string(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            parts.append(separator)
            parts.append(_encode_string(key))
            parts.append(": ")
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and value == value and value not in (float("inf"), float("-inf")):
        parts.append(float.__repr__(value))
    else:
        raise _NotPlain  # NaN, infinities, subclasses, other types: json.dumps decides

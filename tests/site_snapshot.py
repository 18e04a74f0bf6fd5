"""A built site as {relative path: bytes}, for byte-for-byte comparison of builds.

Pagefind 1.5 writes its filter files (pagefind/filter/*.pf_filter) with each filter's
values in hash-map order, which changes from run to run even when its input pages are
byte-identical; the files' names are hashes of their bytes, so the index's metadata
(pagefind.*.pf_meta) and pagefind-entry.json change with them. Pagefind's maintainers
say so (Pagefind/pagefind#638: fragments are stable since 1.3, filter and metadata
indexes are not). Those three kinds of file are compared by what they hold, decoded
and put in order; every other file is compared as bytes.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

PAGEFIND = "pagefind"
UNSTABLE = re.compile(r"pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)")
HEADER = b"pagefind_dcd"


def snapshot(public: Path) -> dict[str, Any]:
    """Every file under public: its bytes, or for Pagefind's unstable files what they hold."""
    files: dict[str, Any] = {}
    filters = []
    for path in sorted(p for p in public.rglob("*") if p.is_file()):
        relative = path.relative_to(public).as_posix()
        if not UNSTABLE.fullmatch(relative):
            files[relative] = path.read_bytes()
        elif relative.endswith(".pf_filter"):
            filters.append(_filter(path))
        elif relative.endswith(".pf_meta"):
            files["pagefind/pagefind.*.pf_meta"] = _meta(path)
        else:
            entry = json.loads(path.read_text(encoding="utf-8"))
            for language in entry["languages"].values():
                language["hash"] = "*"
            files[relative] = entry
    if filters:
        files["pagefind/filter/*.pf_filter"] = sorted(filters)
    return files


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """The paths that are missing from one snapshot or differ between the two."""
    return sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))


def _filter(path: Path) -> tuple:
    """(filter name, its (value, pages) pairs in order)."""
    name, values = _decode(path)
    return name, sorted((value, tuple(sorted(pages))) for value, pages in values)


def _meta(path: Path) -> list:
    """The index metadata, with the filters' (name, file hash) list cut to the names."""
    meta = _decode(path)
    for i, item in enumerate(meta):
        if isinstance(item, list) and item and all(_is_filter_entry(x) for x in item):
            meta[i] = sorted(name for name, _ in item)
    return meta


def _is_filter_entry(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item) \
        and re.fullmatch(r"[a-z-]+_[0-9a-f]{7}", item[1]) is not None


def _decode(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(HEADER), path
    value, end = _cbor(data, len(HEADER))
    assert end == len(data), path
    return value


def _cbor(data: bytes, at: int) -> tuple[Any, int]:
    """One CBOR item (RFC 8949) from data[at:]: the kinds Pagefind writes."""
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise ValueError(f"CBOR item with additional information {info} at {at - 1}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(argument):
            key, at = _cbor(data, at)
            value, at = _cbor(data, at)
            pairs.append((key, value))
        return sorted(pairs), at
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], at
    raise ValueError(f"CBOR major type {major} at {at - 1}")

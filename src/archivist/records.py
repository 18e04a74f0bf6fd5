"""The build's own records in .archivist/ (the manifest, page keys, the kept site's
files): JSON objects with a format number, written whole or not at all, and read as
nothing when missing, unreadable or of another format, so a record is never half-trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


Signature = tuple[int, int, int]  # size, mtime_ns, inode
# The record this process last wrote at each path, with the file's signature then: the
# preview server reads its own records back at every rebuild, and parsing them took
# half a second on a large archive. Any other writer gives the file another signature.
_written: dict[Path, tuple[Signature, dict[str, Any]]] = {}


def write_json_record(path: Path, format: int, data: dict[str, Any]) -> None:
    """data and its format number, written to a temporary file renamed over path: a
    reader finds the old record or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    record = {"format": format, **data}
    temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
    signature = _signature(path)
    if signature is not None:
        _written[path] = (signature, _copy(record))


def read_json_record(path: Path, format: int) -> dict[str, Any] | None:
    """The record at path when it is a JSON object of that format, else None."""
    written = _written.get(path)
    if written is not None and written[0] == _signature(path):
        data: object = _copy(written[1])
    else:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    return data if isinstance(data, dict) and data.get("format") == format else None


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    """A copy down to the values of its values: neither the writer nor a reader can
    change what the next reader gets."""
    return {key: value.copy() if isinstance(value, (dict, list)) else value for key, value in record.items()}


def _signature(path: Path) -> Signature | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)

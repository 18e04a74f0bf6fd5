"""The build's own records in .archivist/ (the manifest, page keys, the kept site's
files): JSON objects with a format number, written whole or not at all, and read as
nothing when missing, unreadable or of another format, so a record is never half-trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_record(path: Path, format: int, data: dict[str, Any]) -> None:
    """data and its format number, written to a temporary file renamed over path: a
    reader finds the old record or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"format": format, **data}, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def read_json_record(path: Path, format: int) -> dict[str, Any] | None:
    """The record at path when it is a JSON object of that format, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == format else None

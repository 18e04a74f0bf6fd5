"""The annotation cache: one SQLite table of annotator results keyed by content."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from .model import Annotations, Mention, Quote

SCHEMA_VERSION = 1


class Cache:
    """Annotator results by (text hash, annotator, version, settings). Corrupt or old: rebuilt."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)  # corrupt: never trusted, started afresh
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.execute("DROP TABLE IF EXISTS results")
            db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.commit()
        return db

    @staticmethod
    def _key(parts: tuple[str, ...]) -> str:
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def get(self, parts: tuple[str, ...]) -> Annotations | None:
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (self._key(parts),)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            return Annotations(
                mentions=[Mention(**m) for m in data["mentions"]],
                quotes=[Quote(**q) for q in data["quotes"]],
            )
        except (ValueError, TypeError, KeyError):
            return None  # unreadable entry: recomputed and overwritten

    def put(self, parts: tuple[str, ...], result: Annotations) -> None:
        value = json.dumps(asdict(result), ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (self._key(parts), value))
        self.db.commit()

    def close(self) -> None:
        self.db.close()

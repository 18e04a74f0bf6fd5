"""The annotation cache: one SQLite table of annotator results keyed by content.

Each result is written in its own transaction, so a build killed while writing leaves
every entry either whole or absent. A cache file that SQLite cannot read (truncated,
overwritten, not a database) is never trusted: it is deleted with its journal and
started afresh. A cache that cannot be written (full disk, read-only folder) is a
BuildError naming the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import fields
from pathlib import Path

from .errors import BuildError
from .model import Annotations, Mention, Quote

SCHEMA_VERSION = 1
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26  # result codes of a file that is not a sound database
JOURNALS = ("-journal", "-wal", "-shm")  # files SQLite keeps beside the database


class Cache:
    """Annotator results by (text hash, annotator, version, settings). Corrupt or old: rebuilt."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BuildError(f"cannot create the annotation cache: {error.strerror or error}", path) from None
        self.db = self._guarded(self._open)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.text_factory = bytes  # values decoded by json, so damaged text is an unreadable entry
        try:
            # Commits hand their pages to the system without waiting for the disk: a killed
            # build loses nothing (the journal is rolled back on the next open), and as keys
            # are content hashes, even a page left stale by a power cut holds a right answer.
            db.execute("PRAGMA synchronous = OFF")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                db.execute("DROP TABLE IF EXISTS results")
                db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.commit()
            _check_size(db, self.path)
        except BaseException:
            db.close()
            raise
        return db

    def _guarded(self, action):
        """action(), after starting afresh once if the file proves corrupt."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            if not _corrupt(error):
                raise self._error(error) from None
        self._start_afresh()
        try:
            return action()
        except sqlite3.DatabaseError as error:
            raise self._error(error) from None

    def _start_afresh(self) -> None:
        """Delete the unreadable file and its journals; never read from it again."""
        if getattr(self, "db", None) is not None:
            self.db.close()
        for path in (self.path, *(self.path.with_name(self.path.name + j) for j in JOURNALS)):
            path.unlink(missing_ok=True)
        self.db = self._open()

    def _error(self, error: sqlite3.Error) -> BuildError:
        return BuildError(f"cannot use the annotation cache: {error}", self.path)

    @staticmethod
    def _key(parts: tuple[str, ...]) -> str:
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def get(self, parts: tuple[str, ...]) -> Annotations | None:
        key = self._key(parts)
        select = "SELECT value FROM results WHERE key = ?"
        row = self._guarded(lambda: self.db.execute(select, (key,)).fetchone())
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
        value = json.dumps(_as_data(result), ensure_ascii=False)
        key = self._key(parts)

        def insert() -> None:
            with self.db:  # one transaction: committed whole, or rolled back
                self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, value))

        self._guarded(insert)

    def close(self) -> None:
        self.db.close()


_MENTION_FIELDS, _QUOTE_FIELDS = (tuple(f.name for f in fields(kind)) for kind in (Mention, Quote))


def _as_data(result: Annotations) -> dict[str, list[dict[str, object]]]:
    """dataclasses.asdict(result), for fields that all hold plain values: asdict copies
    each value deeply, which took most of storing a document's annotations."""
    return {
        "mentions": [{name: getattr(m, name) for name in _MENTION_FIELDS} for m in result.mentions],
        "quotes": [{name: getattr(q, name) for name in _QUOTE_FIELDS} for q in result.quotes],
    }


def _check_size(db: sqlite3.Connection, path: Path) -> None:
    """Raise if the file is not as long as its header says: cut short or padded."""
    db.execute("BEGIN")  # a read transaction, so no other build commits meanwhile
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        if pages * page_size != path.stat().st_size:
            raise sqlite3.DatabaseError("truncated or padded: its size differs from its header's")
    finally:
        db.rollback()


def _corrupt(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    return not isinstance(error, sqlite3.OperationalError)

"""What a build read from each source, kept on disk for the next build.

`archivist build` starts with nothing in memory: it parses every source and fetches
every document's merged annotations from the annotation cache, about 5 s for the
7,367 livedoor articles even when one file changed, and then checks every text and
reads every document's names for entity resolution, 2 to 3 s more. The store keeps
each source's document and merged annotations (memory.Remembered), with the warnings
about its text, what resolution read from it and what was made from it once resolved
(derived.py), in an SQLite file beside the cache, with the file's signature (size,
times, inode) and a key of everything reading, annotating and resolving depend on
(reading_key: settings, registry, archivist's code, installed packages; not the
templates); and beside them the slug of every name slugged (slugs.py). A build
starts its memory from the entries that still hold (memory.py), so it reads only the
sources that changed, and writes back only what changed. Loading the whole store
took about 2 s there.

Entries are pickles, so each carries a keyed hash with a secret kept in the user's
cache folder: a store written by anyone else (a site folder received whole, with its
.archivist folder) is never unpickled. Anything wrong with the file (damaged, another
format, another secret) and it is deleted: the store only ever saves time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sqlite3
import tempfile
from pathlib import Path

from .config import Config
from .derived import Derived, derived_of
from .manifest import reading_key
from .memory import BuildMemory, Remembered, Signature
from .slugs import known_slugs, offer_slugs
from .user_cache import user_cache_folder

FORMAT = 5  # 3: sources named relative to the archive folder; 4: with derived work; 5: slugs
STORE_FILE = "sources.sqlite"  # in the folder of the annotation cache
SLUGS = "\x00slugs"  # what the keyed hash of the slugs names, never a source's name
SECRET_FILE = "store.key"  # in the user's cache folder
SECRET_BYTES = 32


def recall(config: Config, memory: BuildMemory, force: bool = False) -> None:
    """Before memory's first build, or its first after a change of setting: the stored
    sources whose reading key is this build's put into memory (none with force)."""
    if memory.stored is not None:
        return
    memory.stored = {}
    secret = _secret()
    if secret is None or force:
        return
    key, path = reading_key(config), store_path(config)
    try:
        with _open(path) as db:
            rows = db.execute("SELECT path, signature, mac, value FROM sources WHERE reading = ?", (key,)).fetchall()
            slugs = _slugs(db.execute("SELECT mac, value FROM slugs WHERE reading = ?", (key,)).fetchone(), secret, key)
        found, markers = {}, {}
        for source, signature, mac, value in rows:
            if not hmac.compare_digest(mac, _mac(secret, key, source, signature, value)):
                raise ValueError("written with another secret")
            document, annotations, notices, keys, derived = pickle.loads(value)
            signature = tuple(map(int, signature.split()))
            read_from = config.site_dir / source
            found[read_from] = Remembered(signature, document, annotations, notices)
            markers[read_from] = derived.marker if derived else None
            if keys is not None:
                memory.resolution.keys.offer(document.id, (document, annotations), keys)
            if derived is not None:
                memory.stored_derived[document.id] = (document, annotations, derived)
    except (sqlite3.Error, OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError,
            ImportError):
        _delete(path)
        return
    memory.sources.update(found)
    memory.stored = {source: (remembered.signature, markers[source]) for source, remembered in found.items()}
    offer_slugs(slugs)
    memory.stored_slugs = len(slugs)


def _slugs(row: tuple[bytes, bytes] | None, secret: bytes, key: str) -> dict[str, str]:
    """The slugs kept with the sources, from their row (none without one)."""
    if row is None:
        return {}
    mac, value = row
    if not hmac.compare_digest(mac, _mac(secret, key, SLUGS, "", value)):
        raise ValueError("written with another secret")
    slugs = pickle.loads(value)
    if not isinstance(slugs, dict):
        raise TypeError("not slugs")
    return slugs


def keep(config: Config, memory: BuildMemory) -> None:
    """After a build: write memory's sources that changed since the store was last read
    or written, or whose derived work did (derived.py), and forget those that are gone."""
    secret, stored = _secret(), memory.stored or {}
    if secret is None:
        return
    now = {source: r for source, r in memory.sources.items() if r.annotations is not None}
    changed = _changed(memory, now, stored)
    gone = [(_name(config, source),) for source in stored if source not in now]
    slugs = known_slugs()
    if not changed and not gone and len(slugs) == memory.stored_slugs:
        return
    key, path = reading_key(config), store_path(config)
    rows = []
    for source, (remembered, derived) in changed.items():
        signature = " ".join(map(str, remembered.signature))
        value = pickle.dumps(_entry(memory, remembered, derived), protocol=pickle.HIGHEST_PROTOCOL)
        name = _name(config, source)
        rows.append((name, key, signature, _mac(secret, key, name, signature, value), value))
    try:
        with _open(path) as db, db:
            db.execute("DELETE FROM sources WHERE reading != ?", (key,))
            db.executemany("DELETE FROM sources WHERE path = ?", gone)
            db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)", rows)
            if len(slugs) != memory.stored_slugs:
                value = pickle.dumps(slugs, protocol=pickle.HIGHEST_PROTOCOL)
                db.execute("DELETE FROM slugs")
                db.execute("INSERT INTO slugs VALUES (?, ?, ?)", (key, _mac(secret, key, SLUGS, "", value), value))
    except (sqlite3.Error, OSError):
        _delete(path)  # full disk, read-only folder: the next build reads every source
        memory.stored = {}
        return
    memory.stored_slugs = len(slugs)
    memory.stored = {source: stored[source] for source in now if source in stored}
    for source, (remembered, derived) in changed.items():
        memory.stored[source] = (remembered.signature, derived.marker if derived else None)


def _changed(memory: BuildMemory, now: dict[Path, Remembered],
             stored: dict[Path, tuple[Signature, object]]) -> dict[Path, tuple[Remembered, Derived | None]]:  # fmt: skip
    """The sources whose entry is not the one stored, with their derived work: those
    read again, and those whose derived work the store lacks or holds for other entities."""
    changed = {}
    for source, remembered in now.items():
        signature, marker = stored.get(source, (None, None))
        names = memory.names.get(remembered.document.id)
        if signature == remembered.signature and (names is None or marker is not None and marker[0] == names
                                                  and all(marker[1:])):  # fmt: skip
            continue
        derived = derived_of(memory, remembered.document, remembered.annotations)
        if signature != remembered.signature or (derived.marker if derived else None) != marker:
            changed[source] = (remembered, derived)
    return changed


def _entry(memory: BuildMemory, remembered: Remembered, derived: Derived | None) -> tuple[object, ...]:
    """What is kept of a source: its document and merged annotations, and what the
    build made from them alone: the warnings about its text, what entity resolution
    reads from it (resolve._document_keys) and what was made from it once resolved
    (derived.py); these two None when the build resolved other annotations, edited by
    an overrides file."""
    document, annotations = remembered.document, remembered.annotations
    keys = memory.resolution.keys.made(document.id, (document, annotations))
    return document, annotations, remembered.notices, keys, derived


def _name(config: Config, source: Path) -> str:
    """A source as the store names it: relative to the archive folder, however the
    folder is spelled (`build .`, `build /path/to/it`)."""
    return source.relative_to(config.site_dir).as_posix()


def store_path(config: Config) -> Path:
    return config.cache_path.with_name(STORE_FILE)


class _open:
    """The store's database, made or remade in this FORMAT; closed on exit."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)

    def __enter__(self) -> sqlite3.Connection:
        db = self.db
        db.execute("PRAGMA synchronous = OFF")  # a lost write only costs reading the source again
        if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
            db.execute("DROP TABLE IF EXISTS sources")
            db.execute("DROP TABLE IF EXISTS slugs")
            db.execute("CREATE TABLE sources (path TEXT PRIMARY KEY, reading TEXT NOT NULL, "
                       "signature TEXT NOT NULL, mac BLOB NOT NULL, value BLOB NOT NULL)")  # fmt: skip
            db.execute("CREATE TABLE slugs (reading TEXT NOT NULL, mac BLOB NOT NULL, value BLOB NOT NULL)")
            db.execute(f"PRAGMA user_version = {FORMAT}")
            db.commit()
        return db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _mac(secret: bytes, key: str, source: str, signature: str, value: bytes) -> bytes:
    mac = hashlib.blake2b(key=secret, digest_size=32)
    mac.update("\x00".join((key, source, signature, "")).encode("utf-8", "surrogateescape"))
    mac.update(value)
    return mac.digest()


def _secret() -> bytes | None:
    """The user's secret for the store's keyed hashes, made on first use; None when
    it cannot be read or made (no store then)."""
    folder = user_cache_folder()
    if folder is None:
        return None
    path = folder / SECRET_FILE
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = b""
    except OSError:
        return None
    if len(secret) == SECRET_BYTES:
        return secret
    try:  # a new secret, written whole before it takes its name (mode 0600)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".store-", delete=False) as file:
            file.write(os.urandom(SECRET_BYTES))
        if secret:
            os.replace(file.name, path)  # a damaged one: the stores it signed are void anyway
        else:
            try:
                os.link(file.name, path)
            except FileExistsError:
                pass  # another build made it first: use that one
            os.unlink(file.name)
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _delete(path: Path) -> None:
    for name in (path, *(path.with_name(path.name + j) for j in ("-journal", "-wal", "-shm"))):
        try:
            name.unlink(missing_ok=True)
        except OSError:
            pass

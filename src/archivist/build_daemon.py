"""A build daemon: the archive kept in memory from one `archivist build` to the next.

A new process must load and resolve the whole archive before it can make the pages an
edit changes: about 4 s on the livedoor archive, where `serve` and `build --watch`,
which keep it in memory, publish them in well under a second. So, as Gradle's daemon
does, `archivist build` run from a terminal leaves a process behind that keeps the
archive in memory, and the next `archivist build` of the same archive (same folder,
profile and output) asks it to build: the edit's pages are published at once
(publish_early.py), then the build and the search index follow as in `build --watch`,
and the daemon sends back what a build prints and its exit code.

The daemon listens on a Unix socket in the user's cache folder, one per archive,
readable by its user alone. It builds one request at a time. It stops when it has
been unused for IDLE seconds, when asked (`archivist build --stop-daemon`), when its
socket or the archive's folder is removed, and when a client runs other code than
its own (an upgrade): that client then builds in its own process and starts a new
daemon. Whatever goes wrong in talking to it, the client builds in its own process:
the daemon only saves time. It never starts in CI or when the output is not a
terminal, unless ARCHIVIST_DAEMON=1; ARCHIVIST_DAEMON=0 or --no-daemon keep it from
starting or being used.

    python -m archivist.build_daemon SITE PROFILE OUTPUT   (PROFILE, OUTPUT: "" for the default)
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .config import Config, load_config
from .manifest import code_key
from .user_cache import user_cache_folder

IDLE = 30 * 60  # seconds unused after which a daemon stops
POLL = 30  # seconds between its looks at whether its socket is still there
LOCK_WAIT = 10  # seconds a new daemon waits for one stopping to let go of the archive
SOCKET_MAX = 100  # bytes of a Unix socket's path, with room below the system's 104 to 108
SWITCH = "ARCHIVIST_DAEMON"  # "0": never; "1": even when the output is not a terminal


def wanted(refused: bool, stream: IO[str]) -> bool:
    """Whether `archivist build` uses (or starts) a daemon: in a terminal, outside CI,
    unless refused (--no-daemon); ARCHIVIST_DAEMON decides first when set."""
    switch = os.environ.get(SWITCH)
    if refused or switch == "0" or os.name != "posix":  # a Unix socket and flock
        return False
    if switch == "1":
        return True
    return stream.isatty() and not os.environ.get("CI")


def socket_path(config: Config) -> Path | None:
    """Where the daemon of config's archive listens; None without a cache folder or
    when the path would be too long for a socket."""
    folder = user_cache_folder()
    if folder is None:
        return None
    archive = f"{config.site_dir.resolve()}\x00{config.profile}\x00{config.output_path.resolve()}"
    path = folder / "daemons" / f"{hashlib.sha256(archive.encode('utf-8', 'surrogateescape')).hexdigest()[:20]}.sock"
    return path if len(os.fsencode(path)) <= SOCKET_MAX else None


def build_through(config: Config, out: IO[str], progress: bool = False) -> int | None:
    """Have the daemon of config's archive build it, its lines printed to out, and its
    progress line (progress.py) when progress; its exit code, or None when no daemon
    answered, it runs other code, or it stopped before the end: the caller then builds."""
    replies = _ask(config, {"build": True, "code": code_key(), "progress": progress})
    for reply in replies:
        if "line" in reply:
            print(reply["line"], file=out, flush=True)
        elif "progress" in reply:
            out.write(reply["progress"])
            out.flush()
        elif "exit" in reply:
            return int(reply["exit"])
    return None


def stop(config: Config) -> bool:
    """Ask the daemon of config's archive to stop; whether one was there to ask."""
    return any("stopping" in reply for reply in _ask(config, {"stop": True}))


def _ask(config: Config, request: dict) -> Iterator[dict]:
    """The daemon's replies to request, one dict a line, as they come; none when no
    daemon answers."""
    path = socket_path(config)
    if path is None or not path.exists():
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(path))
            connection.sendall(json.dumps(request).encode() + b"\n")
            with connection.makefile("rb") as lines:
                for line in lines:
                    yield json.loads(line)
    except (OSError, ValueError):
        return


def start(config: Config) -> bool:
    """Start the daemon of config's archive in the background, its output in the
    archive's .archivist/daemon.log, unless one listens already; False when none
    was started."""
    path = socket_path(config)
    if path is None or _listening(path):
        return False
    log_path = config.site_dir / ".archivist" / "daemon.log"
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as log:
            subprocess.Popen([sys.executable, "-m", "archivist.build_daemon", str(config.site_dir.resolve()),
                              config.profile or "", config.output_dir or ""],
                             stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    except OSError:
        return False
    return True


def _listening(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(path))
        return True
    except OSError:
        return False


def serve_builds(site: Path, overrides: dict) -> None:
    """The daemon: hold the archive's lock, listen, fill the memory, then build on
    request until unused for IDLE seconds or told to stop."""
    config = load_config(site, **overrides)
    path = socket_path(config)
    if path is None or (lock := _lock(path.with_suffix(".lock"))) is None:
        return  # another daemon serves this archive
    path.unlink(missing_ok=True)  # left by one that died
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        old_mask = os.umask(0o177)  # the socket is its user's alone
        try:
            server.bind(str(path))
        finally:
            os.umask(old_mask)
        server.listen(8)  # a client asking while the memory fills waits for it
        inode, code = path.stat().st_ino, code_key()
        print(f"daemon of {site} listening on {path}", file=sys.stderr, flush=True)
        from .daemon_builds import DaemonBuilds

        builds = DaemonBuilds(site, overrides)
        started = time.monotonic()
        builds.prepare()
        print(f"ready in {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)
        server.settimeout(POLL)
        last_used = time.monotonic()
        while time.monotonic() - last_used < IDLE and _still_ours(path, inode) and site.is_dir():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                if not builds.answer(connection, code):
                    break
            last_used = time.monotonic()
        if _still_ours(path, inode):
            path.unlink(missing_ok=True)
    lock.close()


def _lock(path: Path) -> IO[bytes] | None:
    """The archive's lock, held until the daemon ends, holding its process id; None
    when another daemon holds it for longer than LOCK_WAIT (one stopping lets go
    within it)."""
    import fcntl  # POSIX only, as the daemon is (wanted)

    handle = open(path, "ab")
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())  # which process to stop, for anyone who must
            handle.flush()
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                return None
            time.sleep(0.1)


def _still_ours(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def main(argv: list[str]) -> None:
    site, profile, output = argv
    gc.freeze()  # the imports: never collected
    serve_builds(Path(site), {"profile": profile or None, "output_dir": output or None})


if __name__ == "__main__":
    main(sys.argv[1:])

"""What the build daemon (build_daemon.py) does on request: build as `build --watch`
does, with the archive in memory, and send back what `archivist build` would print.

The daemon is not told what changed, so it compares every source with its memory:
when at most a few were edited, their pages and the pages they change are made and
published first (preview.py, publish_early.py), as after a save in `build --watch`;
then the build, then the search index.
"""

from __future__ import annotations

import gc
import json
import socket
import time
import traceback
from pathlib import Path

from .build import build, catch_up_search, fill_memory, fill_reuse, search_warmed
from .config import Config, load_config
from .errors import ArchivistError, ProblemList, report_lines
from .manifest import fingerprint, unchanged, unchanged_report
from .memory import BuildMemory
from .preview import load_models, try_preview_in_turn
from .previous_site import keep_published
from .progress import Progress
from .publish_early import publish_early
from .serve import set_aside
from .sources import find_sources


class DaemonBuilds:
    """One archive's memory, and the builds made with it."""

    def __init__(self, site: Path, overrides: dict) -> None:
        self.site, self.overrides = site, overrides
        self.memory = BuildMemory()

    def prepare(self) -> None:
        """The archive read and resolved into memory, with the work builds reuse, the
        published site kept for the next build and the models loaded: a head start
        only, so a failure here is left to the first build to report."""
        try:
            config = load_config(self.site, **self.overrides)
            setting = fingerprint(config, content=False)
            archive = fill_memory(config, self.memory, setting)
            fill_reuse(config, archive, self.memory, setting)
            del archive
            gc.collect()
            gc.freeze()  # see serve.set_aside
            keep_published(config)
            load_models(config, self.memory)
        except Exception as error:  # noqa: BLE001 - the build that needs it reports it
            print(f"the memory was not filled ahead: {error!r}", flush=True)

    def answer(self, connection: socket.socket, code: str) -> bool:
        """Read one request and answer it; False when the daemon should stop: when told
        to, when the client runs other code, or when its build failed in a way no build
        should (a fault, whose trace goes to the log): the client, left without an exit
        code, then builds in its own process."""
        reply = _Replies(connection)
        try:
            request = json.loads(connection.makefile("rb").readline())
        except (OSError, ValueError):
            return True
        if request.get("stop"):
            reply.send(stopping=True)
            return False
        if request.get("code") != code:
            reply.send(stale=True)  # the client runs other code: it builds, and starts a daemon of its own
            return False
        try:
            code = self.build(reply, Progress(_ProgressLine(reply) if request.get("progress") else None))
        except Exception:  # noqa: BLE001 - a fault of the daemon's: the client builds, a new daemon starts
            traceback.print_exc()
            return False
        reply.send(exit=code)
        return True

    def build(self, reply: _Replies, progress: Progress) -> int:
        """Build the archive, sending what `archivist build` prints; the exit code."""
        renewals, started = self.memory.renewals, time.perf_counter()
        try:
            config = load_config(self.site, **self.overrides)
            self._publish_edits(config, reply)  # first of all: the build that follows makes them again
            inputs = fingerprint(config)  # before the build reads anything: a later edit is a change
            if last := unchanged(config, inputs):
                for line in unchanged_report(last, time.perf_counter() - started):
                    reply.send(line=line)
                return 1 if last.failed else 0
            with search_warmed(config) as indexer:
                result = build(config, progress=progress, search_later=True, memory=self.memory, indexer=indexer,
                               inputs=inputs)  # fmt: skip
                for line in result.report():
                    reply.send(line=line)
                if (seconds := catch_up_search(config, result, indexer, progress)) is not None:
                    reply.send(line=f"search index updated in {seconds:.2f} s")
        except ArchivistError as error:
            for line in report_lines(error.problems if isinstance(error, ProblemList) else [error]):
                reply.send(line=line)
            return 1
        finally:
            set_aside(self.memory, renewals)
        return 1 if result.errors else 0

    def _publish_edits(self, config: Config, reply: _Replies) -> None:
        """The pages of the few sources edited since the last build, published first."""
        started = time.perf_counter()
        sources = find_sources(config)
        edited = {path for path in sources if self.memory.document(path)[1] is None}
        if not edited or self.memory.sources.keys() - set(sources):
            return  # nothing edited, or a source gone: other pages change too
        batches = 0

        def written(count: int) -> None:
            nonlocal batches
            batches += 1
            plural = "s" if count > 1 else ""
            if batches == 1:
                said = f"published the {count} page{plural} the edit changes"
            else:
                said = f"then {count} more page{plural}"
            reply.send(line=f"{said} in {time.perf_counter() - started:.2f} s")

        try:
            for pages in try_preview_in_turn(config, edited, self.memory):
                publish_early(config, pages, written)
        except Exception as error:  # noqa: BLE001 - a head start only: the build follows
            print(f"the edit's pages were not published first: {error!r}", flush=True)


class _Replies:
    """Lines of JSON to the client, for as long as it listens: one that goes away
    (Ctrl-C) does not stop the build."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection, self.listening = connection, True

    def send(self, **message: object) -> None:
        if not self.listening:
            return
        try:
            self.connection.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        except OSError:
            self.listening = False


class _ProgressLine:
    """The stream a daemon's build shows its progress on (progress.py): each piece of
    the line is sent to the client, which writes it on its terminal."""

    def __init__(self, reply: _Replies) -> None:
        self.reply = reply

    def write(self, text: str) -> None:
        self.reply.send(progress=text)

    def flush(self) -> None:
        pass

"""Pagefind's service, making the shards of the search index one after another.

search.Indexer runs this module as its own process:

    python -m archivist.indexer BUILD_PID PAGEFIND GLOB WARM_LANGUAGE

and writes one request per shard to its standard input, a line of JSON naming the
index's language, a folder of links to the shard's pages and the folder its bundle
goes to, and a line {"parallel": N} once N Pagefind processes may make shards side by
side; the end of its input ends it. Each Pagefind process makes shard after shard, so its Japanese dictionary (a
second and 330 MB) is loaded once, not once per shard. Given a
WARM_LANGUAGE that Pagefind segments, the dictionary is loaded before the first
request: `archivist build` and the preview server start the indexer with the build
(build.search_warmed), so the index of an edit is not kept waiting for it. The
service reads requests and writes responses as base64 JSON, each followed by a comma.
Only the standard library: this starts in tens of milliseconds.

The indexer writes each bundle itself, from the files Pagefind gives it (GetFiles).
Pagefind's own WriteFiles answers before its writes have landed (they go on in the
background, unflushed) and it exits when its input ends, so on a loaded machine an
index was published with files left empty, pagefind-entry.json among them.

It runs in a session of its own, so Ctrl-C reaches the build, which stops it
(search.Indexer.stop). A build that dies without stopping it (kill -9, out of
memory) leaves it an orphan: within ORPHAN_POLL it kills Pagefind and exits, so
nothing goes on writing into a folder the next build may already have removed.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from queue import Queue
from typing import IO, Any

ORPHAN_POLL = 0.2  # seconds between looks at whether the build is still there


class IndexerError(Exception):
    """Pagefind refused a request or stopped."""


class Service:
    """One Pagefind process in service mode, asked one thing at a time."""

    def __init__(self, binary: str) -> None:
        self.errors = tempfile.TemporaryFile()  # not a pipe: nobody reads it until Pagefind stops
        self.process = subprocess.Popen([binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors)  # fmt: skip
        self.last_id = 0
        self.pending = bytearray()  # read past the last message

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its response's payload."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.last_id += 1
        message = {"message_id": self.last_id, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self.process.stdin.flush()
        except BrokenPipeError:
            raise IndexerError(self._stopped()) from None
        while True:
            try:
                response = json.loads(base64.b64decode(self._read_message(self.process.stdout), validate=True))
            except ValueError:
                continue  # not a message
            if response and response.get("message_id") in (self.last_id, None):
                break
        answer = response["payload"]
        if answer.get("type") == "Error":
            raise IndexerError(f"Pagefind refused {payload['type']}: {answer.get('message')}")
        return answer

    def _read_message(self, stream: IO[bytes]) -> bytes:
        """The next message: a shard's files come as one of about 10 MB, so the input is
        searched and kept growing only where it is new."""
        searched = 0
        while (end := self.pending.find(b",", searched)) < 0:
            searched = len(self.pending)
            chunk = stream.read1(1 << 20)  # type: ignore[attr-defined]
            if not chunk:
                raise IndexerError(self._stopped())
            self.pending += chunk
        message = bytes(self.pending[:end])
        del self.pending[: end + 1]
        return message

    def _stopped(self) -> str:
        """Why Pagefind stopped: its exit code and the first line of its panic, if any."""
        code = self.process.wait()
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().decode("utf-8", "replace").splitlines()]
        said = [line for line in lines if line and not line.startswith(("thread '", "note:", "stack backtrace"))]
        return f"Pagefind stopped (exit {code})" + (f": {said[0]}" if said else "")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


# A line for each language whose words Pagefind cuts with a dictionary (search.SEGMENTED).
WARM_UP = {"ja": "東京の山田太郎氏は晴れたと語った。", "zh": "北京的王先生说今天天气很好。"}


def make_shards(binary: str, glob: str, requests: Iterable[str], build: int = 0, warm: str = "") -> int:
    """For each request (a line of JSON: language, folder, output), index the folder's
    pages into the output folder, as `pagefind --site FOLDER --output-path OUTPUT
    --glob GLOB --keep-index-url [--force-language LANGUAGE]`; given build, the
    process this one was started by, stop when it is gone; given warm, load that
    language's dictionary first. A line {"parallel": N} allows N Pagefind processes
    side by side: another starts while shards wait for one, up to N, so one shard (an
    edit's) is made by one. Returns how many Pagefind processes ran."""
    queue: Queue[str | None] = Queue()
    workers = [ShardWorker(binary, glob, warm, queue)]  # before any request: warmed meanwhile
    if build:
        threading.Thread(target=_stop_when_orphaned, args=(build, workers), daemon=True).start()
    allowed, shards = 1, 0
    for line in requests:
        request = json.loads(line)
        if "parallel" in request:
            allowed = max(allowed, request["parallel"])
        else:
            shards += 1
            queue.put(line)
        while len(workers) < min(allowed, shards) and not queue.empty():
            workers.append(ShardWorker(binary, glob, warm, queue))
    for _ in workers:
        queue.put(None)
    for worker in workers:
        worker.join()
    failed = [worker.error for worker in workers if worker.error]
    if failed:
        raise failed[0]
    return len(workers)


class ShardWorker(threading.Thread):
    """A thread driving one Pagefind service, making the shards it takes from a queue
    until it takes None; the first error stops it, kept in error. Pagefind indexes a
    shard on about 1.3 cores, so a second process finds work on two."""

    def __init__(self, binary: str, glob: str, warm: str, queue: Queue[str | None]) -> None:
        super().__init__(daemon=True)
        self.service = Service(binary)
        self.glob, self.warm, self.queue = glob, warm, queue
        self.error: IndexerError | OSError | None = None
        self.start()

    def run(self) -> None:
        try:
            if self.warm in WARM_UP:
                _warm_up(self.service, self.warm)
            while (line := self.queue.get()) is not None:
                _make_shard(self.service, self.glob, json.loads(line))
            self.service.close()
        except (IndexerError, OSError) as error:
            self.error = error
            self.service.process.kill()
            while self.queue.get() is not None:  # the others go on; make_shards reports this
                pass


def _make_shard(service: Service, glob: str, request: dict[str, str]) -> None:
    config: dict[str, Any] = {"keep_index_url": True}
    if request["language"]:
        config["force_language"] = request["language"]
    index = service.ask({"type": "NewIndex", "config": config})["index_id"]
    service.ask({"type": "AddDir", "index_id": index, "path": request["folder"], "glob": glob})
    write_bundle(request["output"], service.ask({"type": "GetFiles", "index_id": index})["files"])
    service.ask({"type": "DeleteIndex", "index_id": index})  # its memory, before the next shard


def write_bundle(output: str, files: list[dict[str, str]]) -> None:
    """Write Pagefind's files (path in the bundle, base64 content) under output."""
    for file in files:
        path = os.path.join(output, file["path"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(base64.b64decode(file["content"]))


def _warm_up(service: Service, language: str) -> None:
    """Index one line of language, and throw the index away: Pagefind loads the
    language's dictionary at its first page and keeps it."""
    index = service.ask({"type": "NewIndex", "config": {"force_language": language}})["index_id"]
    page = f'<html lang="{language}"><body><p>{WARM_UP[language]}</p></body></html>'
    service.ask({"type": "AddFile", "index_id": index, "url": "/", "file_contents": page})
    service.ask({"type": "DeleteIndex", "index_id": index})


def _stop_when_orphaned(build: int, workers: list[ShardWorker]) -> None:
    """Kill every Pagefind and exit once build is no longer this process's parent (it
    died, even as a zombie not yet reaped, and this process was handed to another)."""
    while os.getppid() == build:
        time.sleep(ORPHAN_POLL)
    for worker in list(workers):
        worker.service.process.kill()
    os._exit(1)


def main(argv: list[str]) -> int:
    build, binary, glob, warm = argv
    try:
        make_shards(binary, glob, sys.stdin, int(build), warm)
    except (IndexerError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The preview server: build, serve on loopback, rebuild on change, reload the browser.

The reload script is injected into served HTML responses only, never into built
files. The site is swapped in whole by write_site, so a half-built site is never
served; a failed build shows an error page until the input is fixed. After an edit
the new pages are shown with the last search index, which is then made again and put
in place of the old one in one step (build's search_later), so a save reaches the
browser without waiting for the index. Before that build, the edited page and the
pages it changes (the lists showing it, the pages of the names in it) are made and
served from memory (preview.py), so the writer sees the edit at once, and written
into the published site (publish_early.py); the build that follows replaces them
with the pages it writes. After a template edit each page asked for is made with
the edited templates, and an edited stylesheet is served as it is, until that build
has written them. A source that cannot be read, a save caught half-written or a
typo being fixed, is built from the version the last build read
(memory.keeps_last_good), and every page served shows the last build's errors.
`archivist build --watch` is all this without the server.

The watcher follows folders, not files, so editors that save by writing a temporary
file and renaming it over the original are seen every time; their temporary files
alone rebuild nothing, and a burst of saves gives one rebuild.
"""

from __future__ import annotations

import gc
import html
import queue
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import build, fill_memory, fill_reuse, refresh_search, search_warmed
from .config import CONFIG_FILE, Config, load_config
from .errors import ArchivistError, ContentWarning, report_line
from .manifest import fingerprint
from .memory import BuildMemory
from .overrides import SITE_FILE as OVERRIDES_FILE
from .overrides import SUFFIX as OVERRIDES_SUFFIX
from .preview import load_models, try_design_preview, try_preview_in_turn
from .previous_site import keep_published
from .publish_early import publish_early
from .render import templates_dir
from .review import REVIEW_PATH, review_html
from .sources import SUFFIXES, TEMP_SUFFIXES

RELOAD_PATH = "/__archivist__/wait"
WATCH_BATCH = 50  # milliseconds the watcher groups changes over, at most, before it hands them on
# Seconds without news that end a burst of saves: longer than the watcher's batches, which
# come that far apart while saves go on, so that a burst makes one rebuild, not one a batch.
BURST_QUIET = 2 * WATCH_BATCH / 1000
PREPARE_WAIT = 120  # seconds a preview waits for the archive to be read after the server starts
RELOAD_SCRIPT = """<script>
(function poll(seen) {
  fetch("%s?build=" + seen).then(function (r) { return r.text(); }).then(function (now) {
    if (now !== String(seen)) { location.reload(); } else { poll(seen); }
  }).catch(function () { setTimeout(function () { poll(seen); }, 1000); });
})(%%d);
</script>""" % RELOAD_PATH
# Served pages carry the last build's errors, so a writer looking at the browser sees them.
PROBLEMS_BANNER = ('<div role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;'
                   'max-height:40vh;overflow:auto;padding:.6em 1em;background:#7f1d1d;color:#fff;'
                   'font:14px/1.5 system-ui,sans-serif;white-space:pre-wrap">%s</div>')


@dataclass
class BuildState:
    """The number of the latest build or preview, the last build's error and the pages
    previewed since, shared by the watcher, the builder and the request handlers."""

    number: int = 0  # increases with every build, failed or not, and every preview
    error: str | None = None  # the last build's error, or None if it succeeded
    problems: list[str] = field(default_factory=list)  # the last build's skipped or stale sources
    changed: threading.Condition = field(default_factory=threading.Condition)
    building: threading.Lock = field(default_factory=threading.Lock)  # one build at a time
    memory: BuildMemory = field(default_factory=lambda: BuildMemory(keeps_last_good=True))  # what the last build read
    # output path -> (HTML, monotonic time its source was read), until a later build writes it
    previews: dict[str, tuple[str, float]] = field(default_factory=dict)
    # makes any page with edited templates (preview.try_design_preview), and when they were read
    restyled: tuple[Callable[[str], str | None], float] | None = None
    prepared: threading.Event = field(default_factory=threading.Event)  # memory filled after the first build
    edited: threading.Event = field(default_factory=threading.Event)  # the watcher has seen an edit

    def finished(self, error: str | None, started: float = float("inf"), problems: list[str] | None = None) -> None:
        """A build that began at started (time.monotonic) ended, with error or else the
        problems it reported: the previews it made out of date are dropped, those of
        edits made since are kept."""
        with self.changed:
            self.number += 1
            self.error, self.problems = error, problems or []
            self.previews = {path: shown for path, shown in self.previews.items() if shown[1] > started}
            if self.restyled and self.restyled[1] <= started:
                self.restyled = None
            self.changed.notify_all()

    def previewed(self, pages: dict[str, str], read: float,
                  restyled: Callable[[str], str | None] | None = None) -> None:  # fmt: skip
        """Pages (and any page restyled makes) made from files read at read
        (time.monotonic) are shown until a build that starts later ends."""
        with self.changed:
            self.number += 1
            self.previews = {**self.previews, **{path: (html, read) for path, html in pages.items()}}
            self.restyled = (restyled, read) if restyled else self.restyled
            self.changed.notify_all()

    def preview(self, path: str) -> str | None:
        """The previewed page or static file at output path, if any."""
        shown, restyled = self.previews.get(path), self.restyled
        if shown:
            return shown[0]
        if restyled and path.endswith(".html"):
            try:
                return restyled[0](path)
            except Exception:  # noqa: BLE001 - a template failing on this page: the build reports it
                return None
        return None

    def wait_after(self, number: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number != number, timeout=timeout)
            return self.number


def rebuild(site_dir: Path, overrides: dict, state: BuildState,
            cancel: threading.Event | None = None) -> Config | None:  # fmt: skip
    """One build with freshly loaded settings; errors go to the state, not out. The
    sources that did not change since the last rebuild are not read again. The search
    index is made again after the pages are shown, unless cancel is set first (another
    edit came: the build for it makes the index)."""
    started, renewals = time.monotonic(), state.memory.renewals
    with ExitStack() as stack:
        try:
            config = load_config(site_dir, **overrides)
            indexer = stack.enter_context(search_warmed(config))  # for the build and its refresh
            result = build(config, search_later=True, memory=state.memory, indexer=indexer)
        except ArchivistError as error:
            print(f"error: {error}", file=sys.stderr)
            state.finished(str(error), started)
            set_aside(state.memory, renewals)
            return None
        for problem in result.problems:
            print(report_line(problem), file=sys.stderr)
        print(result.summary(), file=sys.stderr)
        errors = [report_line(p) for p in result.problems if not isinstance(p, ContentWarning)]
        state.finished(None, started, errors)  # the site works without the sources skipped
        set_aside(state.memory, renewals)
        if result.stale_search:  # a cancelled refresh's shards too: the manifest names them
            try:  # the published index is older than the pages: made again while they are shown
                refresh_search(config, result, cancel, indexer)
            except ArchivistError as error:
                print(f"error: {error}", file=sys.stderr)
    return config


def set_aside(memory: BuildMemory, renewals: int) -> None:
    """Keep what a build left in memory out of the cycle collector's sight until the
    next build (gc.freeze; write_site unfreezes it), which would otherwise walk all of
    it in a full pass that falls at random between builds, frees nothing and holds
    every thread meanwhile, the file watcher and the previews too: 0.7 to 1.4 s on the
    livedoor archive. The young garbage is collected first, and when the memory was
    started over or its templates made again since renewals (BuildMemory.renewals),
    everything, as the Jinja environment they drop is a tangle of cycles."""
    if memory.renewals != renewals:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


def is_input(path: Path, config: Config) -> bool:
    """Whether a change at path can change the site: a source, a template, the settings
    or the registry. Editor temporary files (.a.md.swp, a.md~, .#a.md, vim's 4913,
    a.md.tmp) and hidden files are not inputs, so saving through them rebuilds once."""
    path = path.resolve()
    if path in (config.site_dir.resolve() / CONFIG_FILE, config.registry_path.resolve(),
                config.site_dir.resolve() / OVERRIDES_FILE):
        return True
    if path.is_relative_to(config.output_path.resolve()):
        return False  # our own output, even when it lies inside the content folder
    name = path.name
    if name.startswith((".", "#")) or name.endswith(TEMP_SUFFIXES) or name.isdigit():
        return False
    for root, suffixes in ((config.content_path, SUFFIXES), (templates_dir(), None)):
        root = root.resolve()
        if path.is_relative_to(root):
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                return False
            if suffixes and path.name.endswith(OVERRIDES_SUFFIX):
                return True
            return path.is_dir() or (path.suffix.lower() in suffixes if suffixes else bool(path.suffix))
    return False


def _watched_folders(config: Config) -> list[tuple[list[Path], bool]]:
    """(folders, recursive): content and templates whole; the folders holding the settings
    and the registry alone, since a watch on a file is lost when an editor replaces it."""
    trees = [p.resolve() for p in (config.content_path, templates_dir()) if p.is_dir()]
    flat = {p.resolve().parent for p in (config.site_dir / CONFIG_FILE, config.registry_path)}
    return [(trees, True), (sorted(p for p in flat if p.is_dir()), False)]


def watch(config: Config, overrides: dict, state: BuildState, stop: threading.Event) -> None:
    """Preview the edited pages, then rebuild; a burst of edits gives one rebuild, and
    an edit made while a build runs is previewed at once and built after it."""
    changed: queue.SimpleQueue[set[Path]] = queue.SimpleQueue()
    for folders, recursive in _watched_folders(config):
        if folders:
            args = (folders, recursive, config, changed, stop)
            threading.Thread(target=_collect, args=args, daemon=True).start()
    wanted = threading.Event()
    threading.Thread(target=_build_when_wanted, args=(config.site_dir, overrides, state, wanted, stop),
                     daemon=True).start()  # fmt: skip
    while not stop.is_set():
        try:
            paths = changed.get(timeout=0.5)
        except queue.Empty:
            continue
        paths |= _drain(changed)
        state.edited.set()
        _preview(config.site_dir, overrides, state, paths)
        wanted.set()


def _preview(site_dir: Path, overrides: dict, state: BuildState, paths: set[Path]) -> None:
    """Show the edited pages made alone (preview.py), when the last build succeeded:
    the document's and its names' first, then the later pages of the quote index."""
    state.prepared.wait(timeout=PREPARE_WAIT)  # an edit right after start: the archive is being read
    if state.error is not None:
        return
    read = time.monotonic()
    try:
        config = load_config(site_dir, **overrides)
        shown = False
        for pages in try_preview_in_turn(config, paths, state.memory):
            _show(config, state, read, pages)
            shown = True
        if not shown:
            static, restyled = try_design_preview(config, paths, state.memory)
            if static or restyled:
                _show(config, state, read, {}, static, restyled)
    except ArchivistError:
        return  # the settings: the build reports it
    except Exception as error:  # a preview is a shortcut: it never stops the watcher
        print(f"preview failed, the build follows: {error!r}", file=sys.stderr)


def _show(config: Config, state: BuildState, read: float, pages: dict[str, str], static: dict[str, str] | None = None,
          restyled: Callable[[str], str | None] | None = None) -> None:  # fmt: skip
    """Serve what a preview made from files read at read, and publish its pages."""
    static = static or {}
    state.previewed({**pages, **static}, read, restyled)
    print(f"previewed {_previewed(pages, static, restyled)} in {time.monotonic() - read:.2f} s", file=sys.stderr)
    try:
        if written := publish_early(config, pages):
            print(f"wrote those {written} pages in {time.monotonic() - read:.2f} s", file=sys.stderr)
    except OSError:
        pass  # the build that follows writes them, or reports why it cannot


def _previewed(pages: dict[str, str], static: dict[str, str], restyled: object) -> str:
    """What a preview shows, for the log: an edited document's page first."""
    if pages:
        first, others = next(iter(pages)), len(pages) - 1
        return first + (f" and {others} other page{'s' if others > 1 else ''}" if others else "")
    return ", ".join([*static, *(["every page with the edited templates"] if restyled else [])])


def _prepare(config: Config, state: BuildState) -> None:
    """While the writer reads: the archive in memory, if the first build had nothing to
    do and so read nothing, with the per-document work builds reuse; the published
    site kept for the next build to update, if none is; then the annotators' models,
    so the first edit is quick."""
    try:
        with state.building:
            number = state.number  # a preview or build since means an edit is waiting
            if state.memory.entity_keys is None:
                setting = fingerprint(config, content=False)
                archive = fill_memory(config, state.memory, setting)
                state.prepared.set()  # previews need no more
                if not state.edited.is_set():  # else its preview goes first, alone: its build does the rest
                    fill_reuse(config, archive, state.memory, setting)
                    del archive
                    gc.collect()  # the full pass the memory's new objects call for, now rather than in the first rebuild
                gc.freeze()  # and no other until the first rebuild (see set_aside)
            keep_published(config, stop=lambda: state.number != number)
        state.prepared.set()
        load_models(config, state.memory)
    except Exception:  # noqa: BLE001 - only a head start: the build that needs them reports it
        pass
    finally:
        state.prepared.set()


def _build_when_wanted(site_dir: Path, overrides: dict, state: BuildState, wanted: threading.Event,
                       stop: threading.Event) -> None:  # fmt: skip
    """Rebuild each time wanted is set, one build at a time."""
    while not stop.is_set():
        if wanted.wait(timeout=0.5):
            wanted.clear()
            with state.building:
                rebuild(site_dir, overrides, state, cancel=wanted)


def _collect(folders: list[Path], recursive: bool, config: Config,
             changed: queue.SimpleQueue, stop: threading.Event) -> None:
    """Put the inputs changed on changed, one set for each batch of changes that touches one."""
    from watchfiles import watch as watch_files

    batches = watch_files(*folders, recursive=recursive, watch_filter=None, stop_event=stop,
                          debounce=WATCH_BATCH, step=WATCH_BATCH // 2)  # fmt: skip
    for batch in batches:
        inputs = {Path(p) for _, p in batch if is_input(Path(p), config)}
        if inputs:
            changed.put(inputs)


def _drain(changed: queue.SimpleQueue, quiet: float = BURST_QUIET) -> set[Path]:
    """What else arrives until quiet seconds pass without news: one rebuild a burst."""
    paths: set[Path] = set()
    while True:
        try:
            paths |= changed.get(timeout=quiet)
        except queue.Empty:
            return paths


class PreviewServer(ThreadingHTTPServer):
    """One thread per request, and a listen queue deep enough for a burst of requests."""

    daemon_threads = True
    request_queue_size = 256


def make_handler(output: Path, state: BuildState, review: bool = False):
    """A request handler class serving output, with reload injection."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(output), **kwargs)

        def log_message(self, format: str, *args) -> None:  # quiet: builds report instead
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == RELOAD_PATH:
                return self._wait()
            if review and path == REVIEW_PATH:  # review mode: made per request, never written
                page = review_html(output, urlsplit(self.path).query)
                return self._send(HTTPStatus.OK, _inject(page, state), "text/html")
            if not state.error and (page := state.preview(shown := _output_path(path))) is not None:  # not built yet
                if not shown.endswith(".html"):  # a static file
                    return self._send(HTTPStatus.OK, page, self.guess_type(shown))
                return self._send(HTTPStatus.OK, _inject(page, state), "text/html")
            target = self._target(path)
            if target is None:
                return self._send(HTTPStatus.NOT_FOUND, self._not_found(), "text/html")
            if state.error and target.suffix == ".html":
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, _error_page(state), "text/html")
            if target.suffix == ".html":
                page = target.read_text(encoding="utf-8", errors="replace")
                return self._send(HTTPStatus.OK, _inject(page, state), "text/html")
            return self._send(HTTPStatus.OK, target.read_bytes(), self.guess_type(str(target)))

        def do_HEAD(self) -> None:
            self.do_GET()

        def _target(self, path: str) -> Path | None:
            """The file for a URL path, or None if missing or outside the output folder."""
            root = output.resolve()
            parts = [p for p in unquote(path).split("/") if p not in ("", ".")]
            if any(p == ".." or "\\" in p or "\x00" in p for p in parts):
                return None
            target = root.joinpath(*parts)
            if target.is_dir():
                target = target / "index.html"
            try:
                resolved = target.resolve(strict=True)
            except (OSError, RuntimeError):
                return None
            return resolved if resolved.is_relative_to(root) and resolved.is_file() else None

        def _not_found(self) -> str:
            page = output / "404.html"
            text = page.read_text(encoding="utf-8") if page.is_file() else "<h1>Not found</h1>"
            return _inject(text, state)

        def _wait(self) -> None:
            query = urlsplit(self.path).query
            seen = int(query.split("=", 1)[1]) if query.startswith("build=") and query[6:].isdigit() else -1
            number = state.wait_after(seen, timeout=25)
            self._send(HTTPStatus.OK, str(number), "text/plain")

        def _send(self, status: HTTPStatus, body: str | bytes, content_type: str) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            charset = "; charset=utf-8" if content_type.startswith("text/") else ""
            self.send_header("Content-Type", content_type + charset)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return Handler


def _output_path(path: str) -> str:
    """The output path of the page a URL path names: a folder's index.html."""
    parts = [p for p in unquote(path).split("/") if p not in ("", ".")]
    last = parts[-1] if parts else ""
    folder = path.endswith("/") or "." not in last
    return "/".join([*parts, "index.html"] if folder else parts)


def _inject(page: str, state: BuildState) -> str:
    """The page with the reload script, and the last build's problems if any."""
    script = RELOAD_SCRIPT % state.number
    if problems := state.problems:
        script = PROBLEMS_BANNER % html.escape("\n".join(problems)) + script
    index = page.rfind("</body>")
    return page[:index] + script + page[index:] if index >= 0 else page + script


def _error_page(state: BuildState) -> str:
    body = f"<h1>Build failed</h1><pre>{html.escape(state.error or '')}</pre>"
    return _inject(f"<!doctype html><html><head><meta charset='utf-8'><title>Build failed</title>"
                   f"</head><body>{body}</body></html>", state)


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000, review: bool = False) -> None:
    """Build, then serve config's output and rebuild on change until interrupted."""
    state, stop = BuildState(), threading.Event()
    _build_and_watch(config, state, stop)
    config.output_path.mkdir(parents=True, exist_ok=True)
    server = PreviewServer((host, port), make_handler(config.output_path, state, review))
    print(f"serving on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
    if review:
        print(f"review: http://{host}:{server.server_address[1]}{REVIEW_PATH}", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()


def build_on_change(config: Config) -> None:
    """`archivist build --watch`: build, then rebuild on change, as serve does without
    the server, until interrupted. An edit's pages are written first (publish_early)."""
    state, stop = BuildState(), threading.Event()
    _build_and_watch(config, state, stop)
    print(f"watching {config.site_dir} for changes (Ctrl-C to stop)", file=sys.stderr)
    try:
        stop.wait()
    finally:
        stop.set()


def _build_and_watch(config: Config, state: BuildState, stop: threading.Event) -> None:
    """The first build, with the watcher started before it, so an edit made while it
    runs is not missed; then the memory filled for quick edits (_prepare)."""
    overrides = {"profile": config.profile, "output_dir": config.output_dir}
    threading.Thread(target=watch, args=(config, overrides, state, stop), daemon=True).start()
    with state.building:
        built = rebuild(config.site_dir, overrides, state)
    if built is not None:
        threading.Thread(target=_prepare, args=(built, state), daemon=True).start()
    else:
        state.prepared.set()  # the build failed: edits are built, not previewed, until it works

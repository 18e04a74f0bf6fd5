"""The preview server: build, serve on loopback, rebuild on change, reload the browser.

The reload script is injected into served HTML responses only, never into built
files. The site is swapped in whole by write_site, so a half-built site is never
served; a failed build shows an error page until the input is fixed.
"""

from __future__ import annotations

import html
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import build
from .config import CONFIG_FILE, Config, load_config
from .errors import ArchivistError
from .render import templates_dir

RELOAD_PATH = "/__archivist__/wait"
RELOAD_SCRIPT = """<script>
(function poll(seen) {
  fetch("%s?build=" + seen).then(function (r) { return r.text(); }).then(function (now) {
    if (now !== String(seen)) { location.reload(); } else { poll(seen); }
  }).catch(function () { setTimeout(function () { poll(seen); }, 1000); });
})(%%d);
</script>""" % RELOAD_PATH


@dataclass
class BuildState:
    """The number of the latest build and its error, shared by watcher and handlers."""

    number: int = 0  # increases with every build, failed or not
    error: str | None = None  # the last build's error, or None if it succeeded
    changed: threading.Condition = field(default_factory=threading.Condition)

    def finished(self, error: str | None) -> None:
        with self.changed:
            self.number += 1
            self.error = error
            self.changed.notify_all()

    def wait_after(self, number: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number != number, timeout=timeout)
            return self.number


def rebuild(site_dir: Path, overrides: dict, state: BuildState) -> Config | None:
    """One build with freshly loaded settings; errors go to the state, not out."""
    try:
        config = load_config(site_dir, **overrides)
        result = build(config)
    except ArchivistError as error:
        print(f"error: {error}", file=sys.stderr)
        state.finished(str(error))
        return None
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    state.finished(None)  # skipped documents are reported above; the site still works
    return config


def watched_paths(config: Config) -> list[Path]:
    """Everything a build reads: content, registry, settings, templates."""
    paths = [config.content_path, config.site_dir / CONFIG_FILE, templates_dir()]
    if config.registry_path.exists():
        paths.append(config.registry_path)
    return [p for p in paths if p.exists()]


def watch(config: Config, overrides: dict, state: BuildState, stop: threading.Event) -> None:
    """Rebuild when a watched file changes; a burst of edits gives one rebuild."""
    from watchfiles import watch as watch_files

    output = config.output_path.resolve()
    for changes in watch_files(*watched_paths(config), stop_event=stop, debounce=150, step=50):
        if all(Path(p).resolve().is_relative_to(output) for _, p in changes):
            continue
        rebuild(config.site_dir, overrides, state)


def make_handler(output: Path, state: BuildState):
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
            target = self._target(path)
            if target is None:
                return self._send(HTTPStatus.NOT_FOUND, self._not_found(), "text/html")
            if state.error and target.suffix == ".html":
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, _error_page(state), "text/html")
            if target.suffix == ".html":
                page = target.read_text(encoding="utf-8", errors="replace")
                return self._send(HTTPStatus.OK, _inject(page, state.number), "text/html")
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
            return _inject(text, state.number)

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


def _inject(page: str, number: int) -> str:
    script = RELOAD_SCRIPT % number
    index = page.rfind("</body>")
    return page[:index] + script + page[index:] if index >= 0 else page + script


def _error_page(state: BuildState) -> str:
    body = f"<h1>Build failed</h1><pre>{html.escape(state.error or '')}</pre>"
    return _inject(f"<!doctype html><html><head><meta charset='utf-8'><title>Build failed</title>"
                   f"</head><body>{body}</body></html>", state.number)


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build, then serve config's output and rebuild on change until interrupted."""
    overrides = {"profile": config.profile, "output_dir": config.output_dir}
    state = BuildState()
    stop = threading.Event()
    # Watch before the first build, so an edit made while it runs is not missed.
    watcher = threading.Thread(target=watch, args=(config, overrides, state, stop), daemon=True)
    watcher.start()
    rebuild(config.site_dir, overrides, state)
    config.output_path.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), make_handler(config.output_path, state))
    server.daemon_threads = True
    print(f"serving on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()

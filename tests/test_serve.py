"""The preview server, run as a user runs it: a real process on loopback."""

import gc
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from waiting import wait_for

FAST = 'title = "Preview"\nprofile = "fast"\n'
BUILD_NUMBER = "__archivist__/wait?build=now"  # answers at once with the latest build's number
EDITOR_TEMP_FILES = [".a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "#a.md#", "4913", "a.md.tmp",
                     ".goutputstream-XYZ12", "a.md___jb_tmp___"]  # fmt: skip
DOCUMENTS = {"a.md": "---\ntitle: First title\n---\n\nHello.\n", "b.md": "---\ntitle: Other\n---\n\nWorld.\n"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def start(site: Path, log: Path):
    """archivist serve on a free loopback port; (process, base URL) once it answers."""
    port = free_port()
    with log.open("w") as stream:  # the child keeps its own copy
        command = [sys.executable, "-m", "archivist", "serve", str(site), "--port", str(port)]
        process = subprocess.Popen(command, stderr=stream)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(600):
        try:
            if get(base)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    return process, base


def write_site(site: Path) -> Path:
    (site / "content").mkdir(parents=True)
    (site / "archive.toml").write_text(FAST, encoding="utf-8")
    for name, text in DOCUMENTS.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    return site


@pytest.fixture
def served(tmp_path):
    """A server of its own, for tests that edit the archive."""
    site = write_site(tmp_path / "site")
    process, base = start(site, tmp_path / "serve.log")
    yield site, base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server for the tests that only read."""
    folder = tmp_path_factory.mktemp("serve")
    site = write_site(folder / "site")
    process, base = start(site, folder / "serve.log")
    yield site, base
    process.terminate()
    process.wait(timeout=10)


def builds(base: str) -> int:
    return int(get(base + BUILD_NUMBER)[1])


def settled(base: str, quiet: float = 2.0) -> int:
    """The build number once no build has finished for quiet seconds."""
    number = builds(base)
    while True:
        time.sleep(quiet)
        now = builds(base)
        if now == number:
            return now
        number = now


def logged(site: Path, start: str) -> int:
    """How many lines of the server's log (see start) begin with start: "built ", "previewed "."""
    log = site.parent / "serve.log"
    return sum(line.startswith(start) for line in log.read_text(encoding="utf-8").splitlines())


def save_by_rename(path: Path, text: str) -> None:
    """Save as editors do: write a temporary file beside path, then rename it over path."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_serves_with_reload_script_only_in_responses(shared):
    site, base = shared
    status, page = get(base)
    assert status == 200 and "First title" in page
    assert "__archivist__/wait" in page
    assert "__archivist__" not in (site / "public/index.html").read_text(encoding="utf-8")


def test_binds_loopback_only_by_default(shared):
    _, base = shared
    port = int(base.rsplit(":", 1)[1].strip("/"))
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).exists():
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    listening.append(local.rsplit(":", 1)[0])
    if not listening:
        pytest.skip("no /proc/net/tcp to read the bound address from")
    assert listening == ["0100007F"]  # 127.0.0.1, and on no other address


def test_rebuilds_on_change(served):
    site, base = served
    (site / "content/a.md").write_text("---\ntitle: Second title\n---\n\nHello.\n", encoding="utf-8")
    assert wait_for(lambda: "Second title" in get(base)[1])


def test_save_by_rename_rebuilds_once_and_serves_the_new_text(served):
    site, base = served
    before = settled(base)
    built, previewed = logged(site, "built "), logged(site, "previewed ")
    save_by_rename(site / "content/a.md", "---\ntitle: Renamed title\n---\n\nHello.\n")
    assert wait_for(lambda: "Renamed title" in get(base)[1])
    assert settled(base) == before + 2  # the edited page shown alone, then the site built
    assert logged(site, "built ") == built + 1
    assert logged(site, "previewed documents/a/index.html") == previewed + 1


def test_settings_saved_by_rename_are_watched_after_each_save(served):
    site, base = served
    for title in ("Renamed archive", "Renamed again"):
        save_by_rename(site / "archive.toml", f'title = "{title}"\nprofile = "fast"\n')
        assert wait_for(lambda: title in get(base)[1]), title


def test_a_burst_of_edits_gives_one_rebuild(served):
    site, base = served
    settled(base)
    built, batches = logged(site, "built "), logged(site, "previewed ")
    for i in range(40):  # about 400 ms of saves, longer than the watcher's own batches
        save_by_rename(site / "content/a.md", f"---\ntitle: Burst {i}\n---\n\nHello.\n")
        time.sleep(0.01)
    assert wait_for(lambda: "Burst 39" in get(base)[1])
    settled(base)
    # Saves closer than serve's BURST_QUIET make one batch, previewed and then built once;
    # a loaded machine may lag enough to split the burst, but not into a batch a save.
    batches = logged(site, "previewed ") - batches
    assert 1 <= batches <= 3
    assert 1 <= logged(site, "built ") - built <= batches


def test_editor_temporary_files_alone_trigger_no_rebuild(served):
    site, base = served
    before = settled(base)
    for name in EDITOR_TEMP_FILES:
        (site / "content" / name).write_text("---\ntitle: Temporary\n---\n\nNot a document.\n", encoding="utf-8")
    for name in EDITOR_TEMP_FILES:
        (site / "content" / name).unlink()
    assert settled(base) == before
    (site / "content/a.md").write_text("---\ntitle: After temporaries\n---\n\nHello.\n", encoding="utf-8")
    assert wait_for(lambda: "After temporaries" in get(base)[1])


def test_error_page_then_recovery(served):
    site, base = served
    config = site / "archive.toml"
    config.write_text(FAST + "nonsense = 1\n", encoding="utf-8")
    assert wait_for(lambda: get(base)[0] == 500)
    assert "nonsense" in get(base)[1]
    config.write_text(FAST, encoding="utf-8")
    assert wait_for(lambda: get(base)[0] == 200)


def test_never_serves_a_half_built_site(served):
    """Pages are asked for without pause through several rebuilds: each is whole."""
    site, base = served
    seen: list[tuple[int, str, str]] = []  # status, body, path asked for
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            for path in ("", "documents/a/", "documents/b/", "static/style.css"):
                seen.append((*get(base + path), path))

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        for i in range(3):  # saved whole: a build that reads a file cut short mid-write rightly lacks it
            save_by_rename(site / "content/a.md", f"---\ntitle: Round {i}\n---\n\nHello.\n")
            assert wait_for(lambda i=i: f"Round {i}" in get(base)[1])
    finally:
        done.set()
        asker.join()
    assert len(seen) > 20
    assert [(status, path) for status, _, path in seen if status != 200] == []  # which, if any
    pages = [body for _, body, _ in seen if "<html" in body]
    assert pages and all(body.rstrip().endswith("</html>") for body in pages)


def test_an_unreadable_save_keeps_the_document_and_shows_the_error(served):
    """A source saved broken (here, not text) is built from the version read before,
    and every page says so until the source is fixed."""
    site, base = served
    save_by_rename(site / "content/b.md", "---\ntitle: Other\n---\n\n\x00\x00\x00\n")
    assert wait_for(lambda: "content/b.md" in get(base)[1])
    status, page = get(base + "documents/b/")
    assert status == 200 and "World." in page and 'role="alert"' in page
    assert "last good version" in page
    save_by_rename(site / "content/b.md", "---\ntitle: Other\n---\n\nWorld, fixed.\n")
    assert wait_for(lambda: 'role="alert"' not in get(base)[1])  # once built: a preview comes first
    assert "World, fixed." in get(base + "documents/b/")[1]


def test_answers_200_concurrent_requests(shared):
    _, base = shared
    paths = ["", "documents/a/", "documents/b/", "static/style.css", "feed.xml"] * 40
    barrier = threading.Barrier(len(paths))

    def ask(path: str) -> tuple[str, int, str]:
        barrier.wait()
        status, body = get(base + path)
        return path, status, body

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        answers = list(pool.map(ask, paths))
    assert len(answers) == 200
    assert [(path, status) for path, status, _ in answers if status != 200] == []
    for path, _, body in answers:
        expected = {"": "First title", "documents/a/": "First title", "documents/b/": "Other",
                    "static/style.css": "{", "feed.xml": "<feed"}[path]  # fmt: skip
        assert expected in body, path


@pytest.mark.parametrize("path", ["../archive.toml", "%2e%2e/archive.toml", "..%2farchive.toml",
                                  "%2e%2e%2farchive.toml", "..%5carchive.toml", "%2fetc%2fpasswd",
                                  "/etc/passwd", "//etc/passwd", "static/../../archive.toml",
                                  "static/%2e%2e/%2e%2e/archive.toml", "a%00.html"])
def test_nothing_outside_the_output_folder(shared, path):
    site, base = shared
    status, body = get(base + path)
    assert status == 404
    assert "profile" not in body and "root:" not in body


def test_symlinks_leaving_the_output_folder_are_not_followed(shared):
    site, base = shared
    public = site / "public"
    (public / "settings.txt").symlink_to(site / "archive.toml")
    (public / "site-folder").symlink_to(site, target_is_directory=True)
    (public / "etc").symlink_to("/etc", target_is_directory=True)
    for path in ("settings.txt", "site-folder/archive.toml", "site-folder/", "etc/passwd", "etc/hostname"):
        status, body = get(base + path)
        assert status in (403, 404), path
        assert "profile" not in body and "root:" not in body, path


def test_an_open_page_reloads_itself_and_shows_the_edit(served, browser):
    """In a real browser: the page's reload script notices the edit and the page shows it."""
    site, base = served
    page = browser.new_page()
    try:
        page.goto(base + "documents/b/")
        assert "World." in page.inner_text("main")
        settled(base)
        (site / "content/b.md").write_text("---\ntitle: Other\n---\n\nWorld, edited.\n", encoding="utf-8")
        # The page reloads twice (the preview, then the build): title and text are read together.
        page.wait_for_function("document.title.startsWith('Other') && document.querySelector('main') &&"
                               " document.querySelector('main').innerText.includes('World, edited.')",
                               timeout=30_000)  # fmt: skip
    finally:
        page.close()


def test_a_rebuild_reports_warnings_as_warnings(make_site, capsys):
    from archivist.serve import BuildState, rebuild

    site = make_site({"content/a.md": "# 記事\n\n山田氏は「まだ閉じていない、と語った。\n"}, FAST)
    state = BuildState()
    assert rebuild(site, {}, state) is not None and state.error is None
    err = capsys.readouterr().err
    assert "warning: content/a.md" in err and "never closes" in err and "error:" not in err


def test_between_rebuilds_the_memory_is_set_aside_and_what_it_drops_is_freed(make_site):
    """The cycle collector does not walk what a build keeps in memory (a full pass over
    a large archive holds the watcher and the previews for a second), yet the Jinja
    environment, a tangle of cycles, is freed when a settings edit drops it."""
    from archivist.serve import BuildState, rebuild

    site = make_site({"content/a.md": "# 記事\n\n山田太郎氏は「明日も来る」と語った。\n"}, FAST)
    state = BuildState()
    try:
        assert rebuild(site, {}, state) is not None and state.error is None
        archive, environment = state.memory.archive, weakref.ref(state.memory._templates)
        assert archive is not None and all(o is not archive for o in gc.get_objects())  # frozen: not walked
        del archive
        (site / "archive.toml").write_text(FAST.replace("Preview", "Renamed"), encoding="utf-8")
        assert rebuild(site, {}, state) is not None and state.error is None
        assert environment() is None and state.memory._templates is not None
    finally:
        gc.unfreeze()

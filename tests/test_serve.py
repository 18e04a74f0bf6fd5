"""The preview server, run as a user runs it: a real process on loopback."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

FAST = 'title = "Preview"\nprofile = "fast"\n'


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


@pytest.fixture
def served(make_site):
    site = make_site({"content/a.md": "---\ntitle: First title\n---\n\nHello.\n"}, FAST)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "archivist", "serve", str(site), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(600):
        try:
            if get(base)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    yield site, base
    process.terminate()
    process.wait(timeout=10)


def wait_for(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_serves_with_reload_script_only_in_responses(served):
    site, base = served
    status, page = get(base)
    assert status == 200 and "First title" in page
    assert "__archivist__/wait" in page
    assert "__archivist__" not in (site / "public/index.html").read_text(encoding="utf-8")


def test_rebuilds_on_change(served):
    site, base = served
    (site / "content/a.md").write_text("---\ntitle: Second title\n---\n\nHello.\n", encoding="utf-8")
    assert wait_for(lambda: "Second title" in get(base)[1])


def test_error_page_then_recovery(served):
    site, base = served
    config = site / "archive.toml"
    config.write_text(FAST + "nonsense = 1\n", encoding="utf-8")
    assert wait_for(lambda: get(base)[0] == 500)
    assert "nonsense" in get(base)[1]
    config.write_text(FAST, encoding="utf-8")
    assert wait_for(lambda: get(base)[0] == 200)


@pytest.mark.parametrize("path", ["../archive.toml", "%2e%2e/archive.toml", "..%2farchive.toml",
                                  "/etc/passwd", "//etc/passwd", "static/../../archive.toml"])
def test_nothing_outside_the_output_folder(served, path):
    site, base = served
    status, body = get(base + path)
    assert status == 404
    assert "profile" not in body and "root:" not in body

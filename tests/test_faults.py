"""Faults: builds killed at random points, an unwritable output folder, a full disk, and
cache files cut short, overwritten or killed mid-write. The published site is never
half-replaced, every fault is one line naming the problem, and the next build is right.

Builds run as users run them, `python -m archivist build` in a process of its own.
Full-disk and read-only cases mount a small tmpfs, which needs root and permission to
mount; they are skipped, saying so, where that is refused.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archivist.cache import Cache
from archivist.model import Annotations, Mention, Quote
from site_snapshot import differences, snapshot

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "site" / "content" / "000_1e3ef660da145d7e.txt"
CONFIG = 'title = "Faults"\nprofile = "fast"\nlanguage = "ja"\n'
KILL_SEED = 20261129
KILL_POINTS = 10
CACHE_KILL_POINTS = 6
CACHE_ENTRIES = 4000


def make_fault_site(folder: Path, version: int = 1) -> Path:
    """A small archive: the seed article and a few short documents, one of which
    carries version in its title."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    (folder / "archive.toml").write_text(CONFIG, encoding="utf-8")
    shutil.copy(SEED, folder / "content" / SEED.name)
    for i in range(5):
        (folder / "content" / f"note-{i}.md").write_text(
            f"---\ntitle: 覚え書き{i}\ndate: 2024-0{i + 1}-0{i + 1}\n---\n\n"
            f"山田太郎氏は「第{i}の計画は順調だ」と語った。東京の記者会見で述べた。\n",
            encoding="utf-8",
        )
    set_version(folder, version)
    return folder


def set_version(folder: Path, version: int) -> None:
    (folder / "content" / "versioned.md").write_text(
        f"---\ntitle: 版{version}の記事\ndate: 2024-06-0{version}\n---\n\n"
        f"鈴木花子氏は「版{version}です」と話した。\n",
        encoding="utf-8",
    )


def build_command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "archivist", "build", str(site), *extra]


def run_build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(site, *extra), capture_output=True, text=True, timeout=600)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def children(pid: int) -> list[int]:
    """The processes pid started (the search indexer), to wait for once they are orphans."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def wait_gone(pids: list[int], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while any(Path(f"/proc/{p}").exists() for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)


# Killed builds


def test_builds_killed_at_random_points_never_leave_a_mixed_site(tmp_path):
    """kill -9 at seeded random moments across a build: the published site is the
    previous one byte for byte, the new one whole, or the new pages whole with the
    previous search index whole (the pages are published first); the next build is
    right, index included."""
    references = {}
    for version in (1, 2):  # each version built cleanly in a folder of its own
        clean = make_fault_site(tmp_path / f"clean-{version}", version)
        started = time.monotonic()
        assert run_build(clean).returncode == 0
        seconds = time.monotonic() - started
        references[version] = snapshot(clean / "public")
    assert differences(references[1], references[2])

    site = make_fault_site(tmp_path / "site", 1)
    assert run_build(site).returncode == 0
    version = 1
    exact = {p: (site / "public" / p).read_bytes() for p in _files(site / "public")}
    published = snapshot(site / "public")
    rng = random.Random(KILL_SEED)
    delays = sorted(rng.uniform(0.0, seconds * 1.1) for _ in range(KILL_POINTS))
    orphans: list[int] = []
    outcomes = []
    for delay in delays:
        target = 3 - version
        set_version(site, target)
        process = subprocess.Popen(build_command(site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        orphans += children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = {p: (site / "public" / p).read_bytes() for p in _files(site / "public")}
        if now == exact:
            outcomes.append("previous")
            continue
        current = snapshot(site / "public")
        if differences(current, references[target]):  # killed between the pages and their index
            pages, index = _split(current)
            assert differences(pages, _split(references[target])[0]) == [], f"mixed pages after {delay:.2f} s"
            assert differences(index, _split(published)[1]) == [], f"mixed index after {delay:.2f} s"
            outcomes.append("new pages, previous index")
        else:
            outcomes.append("new")
        version, exact, published = target, now, current
    wait_gone(orphans)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    final = snapshot(site / "public")
    assert differences(final, references[target]) == [], (outcomes, _described(final, references[target]))
    # No staging or discarded folder is left; the site the last build replaced may be kept (previous_site.py).
    left = sorted(p.name for p in site.iterdir() if p.name != ".public.previous")
    assert left == [".archivist", "archive.toml", "content", "public"]
    assert "previous" in outcomes, outcomes  # some kills landed before the swap


def test_a_killed_build_leaves_no_indexer_running(tmp_path):
    """kill -9 as Pagefind starts (its dictionary alone takes over a second to load):
    the indexer and Pagefind stop there and then, and write no index, so nothing goes on
    writing into the dead build's folders, which the next build removes."""
    site = make_fault_site(tmp_path / "site")
    process = subprocess.Popen(build_command(site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        indexer, pagefind = _indexing(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 60
    while any(map(_running, (indexer, pagefind))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(indexer) and not _running(pagefind)
    assert list(tmp_path.rglob("pagefind-entry.json")) == []


def _indexing(build: int, seconds: float = 120) -> tuple[int, int]:
    """The indexer a build started and the Pagefind process it drives, once both run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for child in children(build):
            if "archivist.indexer" in _command_line(child) and (pagefind := children(child)):
                return child, pagefind[0]
        time.sleep(0.02)
    raise AssertionError("the build never started its indexer")


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").replace("\0", " ")
    except OSError:
        return ""


def _running(pid: int) -> bool:
    """Whether pid is alive (a zombie left unreaped by a container's init is not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def _described(found: dict, wanted: dict) -> list[str]:
    """Each difference between two snapshots, with the sizes on either side: what a
    failure needs to be understood."""
    def size(value):
        return "missing" if value is None else f"{len(value)} bytes" if isinstance(value, bytes) else "differs"
    return [f"{path}: {size(found.get(path))}, wanted {size(wanted.get(path))}" for path in differences(found, wanted)]


def _split(files: dict) -> tuple[dict, dict]:
    """A snapshot's pages, and its search index."""
    index = {path: value for path, value in files.items() if path.startswith("pagefind/")}
    return {path: value for path, value in files.items() if path not in index}, index


def _files(public: Path) -> list[str]:
    return sorted(p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file())


# Unwritable output, full disk


@pytest.fixture
def small_disk(tmp_path):
    """mount(size) -> a fresh tmpfs of that size; unmounted afterwards."""
    mounts: list[Path] = []

    def mount(size: str) -> Path:
        if shutil.which("mount") is None:
            pytest.skip("no mount command to make a small disk with")
        point = tmp_path / f"disk{len(mounts)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root and mount permission): {done.stderr.strip()}")
        mounts.append(point)
        return point

    yield mount
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_output_under_a_file_is_one_line_and_exit_1(tmp_path):
    site = make_fault_site(tmp_path / "site")
    (site / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    result = run_build(site, "--output", "blocker/public")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = error_lines(result.stderr)
    assert "blocker/public: cannot write the site: Not a directory" in line


def test_read_only_output_is_one_line_and_the_site_stays(tmp_path, small_disk):
    site = make_fault_site(tmp_path / "site")
    disk = small_disk("64m")
    (site / "out").symlink_to(disk, target_is_directory=True)
    assert run_build(site, "--output", "out/public").returncode == 0
    before = {p: (disk / "public" / p).read_bytes() for p in _files(disk / "public")}
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    set_version(site, 2)
    result = run_build(site, "--output", "out/public")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = error_lines(result.stderr)
    assert "out/public: cannot write the site: Read-only file system" in line
    assert {p: (disk / "public" / p).read_bytes() for p in _files(disk / "public")} == before
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    assert run_build(site, "--output", "out/public").returncode == 0
    assert "版2の記事" in (disk / "public/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["output", "whole archive"])
def test_full_disk_is_one_line_and_the_site_stays(tmp_path, small_disk, where):
    """The output alone, or the archive with its annotation cache, on a disk that fills."""
    disk = small_disk("16m")
    if where == "output":
        site = make_fault_site(tmp_path / "site")
        (site / "out").symlink_to(disk, target_is_directory=True)
        output, extra = disk / "public", ("--output", "out/public")
    else:
        site = make_fault_site(disk / "site")
        output, extra = site / "public", ()
    assert run_build(site, *extra).returncode == 0, "the first build fits"
    before = {p: (output / p).read_bytes() for p in _files(output)}
    for i in range(8):  # new documents, so the cache has something to write too
        (site / "content" / f"new-{i}.md").write_text(f"---\ntitle: 新規{i}\n---\n\n" + "追加の本文。" * 400,
                                                      encoding="utf-8")  # fmt: skip
    filler = disk / "filler"
    _fill(filler, keep=24_000)
    result = run_build(site, *extra)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = error_lines(result.stderr)
    assert "No space left on device" in line or "disk is full" in line, line
    assert {p: (output / p).read_bytes() for p in _files(output)} == before
    assert not list(output.parent.glob(".public.staging*")), "the staging folder gives its space back"
    filler.unlink()
    result = run_build(site, *extra)
    assert result.returncode == 0, result.stderr
    assert "新規7" in (output / "index.html").read_text(encoding="utf-8")


def _fill(path: Path, keep: int) -> None:
    """Write path until the disk holding it has about keep bytes free."""
    free = shutil.disk_usage(path.parent).free
    with path.open("wb") as stream:
        stream.write(b"\0" * max(free - keep, 0))


# The annotation cache


def expected(i: int) -> Annotations:
    """The entry written under key i: long enough to span pages, different for every i."""
    text = f"entry {i} " * (1 + i % 40)
    return Annotations(
        mentions=[Mention(0, j, j + 3, text[j : j + 3], "PERSON", source="rules") for j in range(i % 9)],
        quotes=[Quote(0, 0, len(text), text, "direct", cue=f"cue {i}")],
    )


WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from test_faults import expected
    from archivist.cache import Cache
    cache = Cache(Path(sys.argv[1]))
    print("open", flush=True)
    for i in range({CACHE_ENTRIES}):
        cache.put(("key", str(i)), expected(i))
    print("done", flush=True)
""")


def check_entries(path: Path) -> int:
    """Open the cache; every entry is whole and right, or absent. Returns how many are there."""
    cache = Cache(path)
    try:
        present = 0
        for i in range(CACHE_ENTRIES):
            got = cache.get(("key", str(i)))
            assert got is None or got == expected(i), i
            present += got is not None
        cache.put(("after",), expected(1))
        assert cache.get(("after",)) == expected(1)
        return present
    finally:
        cache.close()


def test_a_cached_result_comes_back_with_every_field(tmp_path):
    result = Annotations(
        mentions=[Mention(2, 5, 9, "東京都庁", "ORG", "org/東京都庁", "registry", 0.75)],
        quotes=[Quote(1, 3, 8, "晴れた", "direct", "person/山田", "と語った", "山田", 0)],
    )
    cache = Cache(tmp_path / "cache.sqlite")
    cache.put(("k",), result)
    cache.close()
    cache = Cache(tmp_path / "cache.sqlite")
    assert cache.get(("k",)) == result
    cache.close()


def test_cache_writer_killed_mid_write_leaves_whole_entries_or_none(tmp_path):
    path = tmp_path / "cache.sqlite"
    rng = random.Random(KILL_SEED)
    counts = []
    for _ in range(CACHE_KILL_POINTS):
        path.unlink(missing_ok=True)
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "open"
        time.sleep(rng.uniform(0.01, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts.append(check_entries(path))
    assert any(0 < count < CACHE_ENTRIES for count in counts), counts  # some kills landed mid-way


def _written_cache(path: Path, entries: int = 1000) -> bytes:
    cache = Cache(path)
    for i in range(entries):
        cache.put(("key", str(i)), expected(i))
    cache.close()
    return path.read_bytes()


@pytest.mark.parametrize("damage", ["empty", "cut in the header", "cut to one page", "cut in half",
                                    "last page cut short", "padded", "garbage", "header then garbage",
                                    "pages overwritten"])  # fmt: skip
def test_damaged_cache_file_is_never_trusted(tmp_path, damage):
    path = tmp_path / "cache.sqlite"
    data = _written_cache(path)
    rng = random.Random(damage)
    noise = rng.randbytes(len(data))
    damaged = {
        "empty": b"",
        "cut in the header": data[:60],
        "cut to one page": data[:4096],
        "cut in half": data[: len(data) // 2],
        "last page cut short": data[:-100],
        "padded": data + b"\0" * 4096,
        "garbage": noise,
        "header then garbage": data[:100] + noise[100:],
        "pages overwritten": data[:8192] + noise[8192:16384] + data[16384:],
    }[damage]
    path.write_bytes(damaged)
    cache = Cache(path)
    try:
        for i in range(1000):
            got = cache.get(("key", str(i)))
            assert got is None or got == expected(i), i
        cache.put(("after",), expected(3))
        assert cache.get(("after",)) == expected(3)
    finally:
        cache.close()


def test_a_build_over_a_damaged_cache_equals_a_clean_build(tmp_path):
    site = make_fault_site(tmp_path / "site")
    assert run_build(site).returncode == 0
    clean = snapshot(site / "public")
    cache = site / ".archivist" / "cache.sqlite"
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 2])
    shutil.rmtree(site / "public")
    (site / ".archivist" / "sources.sqlite").unlink()  # else the build needs no annotation from the cache
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert differences(snapshot(site / "public"), clean) == []
    assert len(cache.read_bytes()) >= len(data) // 2


def test_staging_of_a_killed_build_goes_and_a_running_one_stays(tmp_path):
    from archivist.render import Page
    from archivist.write import write_site

    out = tmp_path / "public"
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    try:
        for process in (running, killed):
            (tmp_path / f".public.staging-{process.pid}" / "documents").mkdir(parents=True)
        write_site([Page("index.html", "new")], [], out)
        assert (tmp_path / f".public.staging-{running.pid}").is_dir()
        assert not (tmp_path / f".public.staging-{killed.pid}").exists()
        assert (out / "index.html").read_text() == "new"
    finally:
        running.kill()
        running.wait()
    write_site([Page("index.html", "newer")], [], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]

"""The build manifest: a fingerprint of every input, so a rebuild with nothing changed
does nothing.

The fingerprint covers the settings (CLI overrides included), every file of the
archive folder outside its output and hidden folders (content, registry, overrides,
archive.toml), the content and registry where they live outside it, the templates,
archivist's own files (code and models) and the installed packages' versions. Files
count by path, size and mtime, so it is taken from stat alone; any change to any of
them gives another fingerprint and a real build.

The manifest is written after each build. It lists every folder of the output with its
mtime, and the problems the build reported (skipped documents, warnings), so a skipped
rebuild reports them again and exits as the build did. A rebuild is skipped only when
the fingerprint is the same and every output folder is as the build left it: a file
added, removed or replaced in the output changes its folder's mtime. Folders, not
files, are checked because a large archive has tens of thousands of files and stat-ing
them all would cost more than the rest of the check; a file edited in place is not
noticed (`archivist build --force` rebuilds anyway). A manifest that cannot be read is
ignored. A build that published its pages before their search index (build's
search_later) says so until the index is made, so that an interrupted indexer is
made up for by the next build, even one with nothing else to do.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
import threading
from collections.abc import Set
from dataclasses import dataclass, replace
from pathlib import Path

import archivist

from . import errors
from .config import Config
from .errors import ArchivistError, ProblemList
from .records import read_json_record, write_json_record

MANIFEST_FILE = ".archivist/build.json"  # relative to the archive folder
FORMAT = 3  # version of the manifest's layout
# Held by whatever in this process writes the output and its manifest (a build,
# publish_early, refresh_search's restat): the preview server does several at once.
OUTPUT_WRITES = threading.RLock()
STATIC_FOLDER = "static"  # in the templates: files copied into the site as they are


@dataclass(frozen=True)
class Manifest:
    """What the last successful build read and wrote."""

    fingerprint: str  # of every input, taken before the build read them
    documents: int  # documents built
    files: int  # files in the output
    folders: dict[str, int]  # output folder, relative ("" for the output itself) -> mtime_ns
    problems: list[ArchivistError]  # skipped documents and warnings, reported again
    search_stale: tuple[int, ...] = ()  # shards of the search index older than their pages (search_later)

    @property
    def failed(self) -> bool:
        """Whether the build reported problems beyond warnings (its exit code was 1)."""
        return any(not isinstance(p, errors.ContentWarning) for p in self.problems)


def unchanged_report(last: Manifest, seconds: float) -> list[str]:
    """What a build skipped because nothing changed prints: the last build's problems
    (the first warnings only) and the summary line."""
    return [*errors.report_lines(last.problems, errors.WARNINGS_SHOWN),
            unchanged_summary(last.documents, last.files, len(last.problems), seconds)]  # fmt: skip


def unchanged_summary(documents: int, files: int, problems: int, seconds: float) -> str:
    """The summary line of a build skipped because nothing changed."""
    return (f"nothing changed: {documents} documents, {files} files (checked in {seconds:.2f} s)"
            + (f"; {problems} problem(s) or warning(s)" if problems else ""))  # fmt: skip


def _problem_data(problem: ArchivistError) -> list[str | None]:
    return [type(problem).__name__, problem.message, problem.path]


def _problem(data: list[str | None]) -> ArchivistError:
    kind = getattr(errors, str(data[0]), None)
    if not (isinstance(kind, type) and issubclass(kind, ArchivistError)) or kind is ProblemList:
        kind = ArchivistError
    return kind(str(data[1]), data[2])


def templates_folder() -> Path:
    """render.templates_dir(), without importing the renderer: a skipped build stays light."""
    installed = Path(archivist.__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parents[2] / "templates"


def manifest_path(config: Config) -> Path:
    return config.site_dir / MANIFEST_FILE


def fingerprint(config: Config, content: bool = True) -> str:
    """A hash of every input of a build of config (see the module doc); without content,
    of every input but the content folder, the templates and the registry: what every
    page depends on (page_keys.py). Pages link to the static files by name, and name
    among their sources the templates they are made with (template_keys.py) and the
    entities they show, whose records hold what the registry says of them."""
    config = _located(config)
    digest = hashlib.sha256(f"{FORMAT}\x00{archivist.__version__}\x00{content}\x00{config!r}".encode())
    skipped = {config.output_path.resolve(), (config.site_dir / ".archivist").resolve()}
    roots = [config.site_dir, config.content_path, config.registry_path, templates_folder(),
             Path(archivist.__file__).parent]  # fmt: skip
    skipped_files: set[Path] = set()
    if not content:
        skipped_files.add(config.registry_path.resolve())
        roots.remove(config.registry_path)
        skipped.add(templates_folder().resolve())
        roots.remove(templates_folder())
        if config.content_path.resolve() in (config.site_dir.resolve(), *config.site_dir.resolve().parents):
            return fingerprint(config)  # content and settings share a folder: keep them together
        skipped.add(config.content_path.resolve())
        roots.remove(config.content_path)
    for root in _outermost(roots):
        digest.update(b"\x02" + str(root).encode("utf-8", "surrogateescape"))
        for entry in _stats(root, skipped, skipped_files):
            digest.update(entry)
    digest.update("\x00".join(_installed_packages()).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def memory_key(config: Config, setting: str) -> str:
    """What a process's memory of the archive depends on (memory.py): the build's setting
    key (fingerprint without content) and the registry, which resolution reads."""
    registry = _located(config).registry_path
    lines = _stats(registry, set()) if registry.exists() else []
    return hashlib.sha256(setting.encode() + b"".join(lines)).hexdigest()


def reading_key(config: Config) -> str:
    """A hash of what reading and annotating a source depend on, besides the file:
    the settings, the registry, archivist's code and the installed packages (models
    included); not the templates (source_store.py)."""
    config = _located(config)
    digest = hashlib.sha256(f"{FORMAT}\x00{archivist.__version__}\x00{config!r}".encode())
    digest.update(b"\x02" + str(config.registry_path).encode("utf-8", "surrogateescape"))
    for entry in _stats(config.registry_path, set()) if config.registry_path.exists() else ():
        digest.update(entry)
    _hash_code(digest)
    return digest.hexdigest()


def code_key() -> str:
    """A hash of the code a build runs: archivist's own files, its Python and the
    installed packages (build_daemon.py: a daemon started before an upgrade stops)."""
    digest = hashlib.sha256(f"{FORMAT}\x00{archivist.__version__}\x00{sys.executable}".encode())
    _hash_code(digest)
    return digest.hexdigest()


def _hash_code(digest: hashlib._Hash) -> None:
    """Add archivist's own files and the installed packages to digest."""
    package = Path(archivist.__file__).parent
    digest.update(b"\x02" + str(package).encode("utf-8", "surrogateescape"))
    for entry in _stats(package, set()):
        digest.update(entry)
    digest.update("\x00".join(_installed_packages()).encode("utf-8", "surrogateescape"))


def _outermost(roots: list[Path]) -> list[Path]:
    """roots without those inside another one (the content folder inside the archive's)."""
    resolved = [root.resolve() for root in roots]
    return [root for root, full in zip(roots, resolved)
            if not any(other != full and other in full.parents for other in resolved)]  # fmt: skip


def _located(config: Config) -> Config:
    """config with its archive folder resolved: `build .` and `build /path/to/it` are
    one archive, whose pages and sources stay valid from one spelling to the other."""
    return replace(config, site_dir=config.site_dir.resolve())


def _stats(root: Path, skipped: set[Path], skipped_files: Set[Path] = frozenset()) -> list[bytes]:
    """A line per file under root, hidden ones, skipped folders and skipped files left out."""
    if root.is_file():
        stat = root.stat()
        return [_stat_line(str(root), stat)]
    entries = []
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and n != "__pycache__"
                          and Path(folder, n).resolve() not in skipped)  # fmt: skip
        for name in sorted(files):
            if name.startswith(".") or (skipped_files and Path(folder, name) in skipped_files):
                continue
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue  # vanished while listed: the next build sees the change
            entries.append(_stat_line(f"{folder}/{name}", stat))
    return entries


def _stat_line(path: str, stat: os.stat_result) -> bytes:
    # ctime and inode too: tools that restore mtimes (rsync -t, tar) still change them.
    line = f"{path}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x00{stat.st_ctime_ns}\x00{stat.st_ino}\x01"
    return line.encode("utf-8", "surrogateescape")


def _installed_packages() -> list[str]:
    """Names of the installed distributions, versions included, where packages live."""
    paths = sysconfig.get_paths()
    names = []
    for folder in sorted({paths["purelib"], paths["platlib"]}):
        if not os.path.isdir(folder):
            continue
        names += sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
    return names


def output_folders(out_dir: Path, paths: list[str], scanned: tuple[str, ...] = ()) -> dict[str, int]:
    """The mtime of every folder of the output: the folders of paths (the files the build
    wrote) and every folder under scanned (subfolders written by other tools)."""
    folders = {""}
    for path in paths:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    for name in scanned:
        for folder, _names, _files in os.walk(out_dir / name):
            folders.add(Path(folder).relative_to(out_dir).as_posix())
    return _mtimes(out_dir, folders)


def _mtimes(out_dir: Path, folders: set[str]) -> dict[str, int]:
    """folder -> mtime, in order of name; the paths are strings, as pathlib is slow
    for the tens of thousands of folders of a large archive."""
    root = str(out_dir)
    return {folder: os.stat(f"{root}/{folder}" if folder else root).st_mtime_ns for folder in sorted(folders)}


def count_files(out_dir: Path, paths: list[str], scanned: tuple[str, ...] = ()) -> int:
    """How many files the output holds: paths plus those under the scanned folders."""
    return len(paths) + sum(len(files) for name in scanned for _, _, files in os.walk(out_dir / name))


def restat_output(config: Config, scanned: tuple[str, ...], files_added: int, since: Manifest | None) -> None:
    """Record the output again after the scanned folders were replaced since the build
    (the search index made afterwards, now current): their folders anew, and the
    output folder's own mtime, which holds them. Other folders keep the mtime the build
    recorded: one changed meanwhile is still noticed (30,000 stats on the livedoor
    archive took 0.1 s of every edit's index). since: the manifest when the index was
    started; when pages were written since (publish_early.py), the shards it names
    stale stay so, as the index may have read those pages before."""
    manifest = read_manifest(config)
    if manifest is None:
        return
    written = since is None or (manifest.folders, manifest.search_stale) != (since.folders, since.search_stale)
    out = config.output_path
    inside = tuple(f"{name}/" for name in scanned)
    folders = {f: mtime for f, mtime in manifest.folders.items() if f not in scanned and not f.startswith(inside)}
    restat = {""}
    for name in scanned:
        restat |= {Path(d).relative_to(out).as_posix() for d, _, _ in os.walk(out / name)}
    folders |= _mtimes(out, restat)
    write_manifest(config, Manifest(manifest.fingerprint, manifest.documents, manifest.files + files_added,
                                    dict(sorted(folders.items())), manifest.problems,
                                    manifest.search_stale if written else ()))  # fmt: skip


def _folders_unchanged(out_dir: Path, folders: dict[str, int]) -> bool:
    root = str(out_dir)
    for folder, mtime in folders.items():
        try:
            if os.stat(f"{root}/{folder}").st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def read_manifest(config: Config) -> Manifest | None:
    """The last successful build's manifest, or None when missing or unreadable."""
    data = read_json_record(manifest_path(config), FORMAT)
    if data is None:
        return None
    try:
        folders = {str(folder): int(mtime) for folder, mtime in data["folders"].items()}
        problems = [_problem(problem) for problem in data["problems"]]
        return Manifest(str(data["fingerprint"]), int(data["documents"]), int(data["files"]),
                        folders, problems, tuple(int(n) for n in data["search_stale"]))  # fmt: skip
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def write_manifest(config: Config, manifest: Manifest) -> None:
    """Record a successful build (written last, so a failed build leaves none)."""
    write_json_record(manifest_path(config), FORMAT, {
        "fingerprint": manifest.fingerprint, "documents": manifest.documents, "files": manifest.files,
        "folders": manifest.folders, "problems": [_problem_data(problem) for problem in manifest.problems],
        "search_stale": list(manifest.search_stale),
    })  # fmt: skip


def forget_manifest(config: Config) -> None:
    """Drop the manifest before a build writes, so an interrupted build is never trusted."""
    manifest_path(config).unlink(missing_ok=True)


def output_as_built(config: Config, manifest: Manifest | None = None) -> bool:
    """Whether the output is as the last successful build (its manifest, read here
    unless given) left it: no file added, removed or replaced in any of its folders."""
    manifest = manifest or read_manifest(config)
    return manifest is not None and _folders_unchanged(config.output_path, manifest.folders)


def unchanged(config: Config, current: str) -> Manifest | None:
    """The last manifest if its fingerprint is current, its search index caught up with
    its pages and the output is as it left it."""
    manifest = read_manifest(config)
    if manifest is None or manifest.fingerprint != current or manifest.search_stale:
        return None
    return manifest if _folders_unchanged(config.output_path, manifest.folders) else None

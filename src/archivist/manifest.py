"""The build manifest: a fingerprint of every input, so a rebuild with nothing changed
does nothing.

The fingerprint covers the settings (CLI overrides included), every file of the
archive folder outside its output and hidden folders (content, registry, overrides,
archive.toml), the content and registry where they live outside it, the templates,
archivist's own files (code and models) and the installed packages' versions. Files
count by path, size and mtime, so it is taken from stat alone; any change to any of
them gives another fingerprint and a real build.

The manifest is written after each build. It lists every file of the output with its
size and mtime, and the problems the build reported (skipped documents, warnings), so a
skipped rebuild reports them again and exits as the build did. A rebuild is skipped
only when the fingerprint is the same and the output still holds exactly those files,
untouched. A manifest that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import archivist

from . import errors
from .config import Config
from .errors import ArchivistError, ProblemList

MANIFEST_FILE = ".archivist/build.json"  # relative to the archive folder
FORMAT = 1  # version of the manifest's layout


@dataclass(frozen=True)
class Manifest:
    """What the last successful build read and wrote."""

    fingerprint: str  # of every input, taken before the build read them
    documents: int  # documents built
    files: dict[str, tuple[int, int]]  # output path -> (size, mtime_ns)
    problems: list[ArchivistError]  # skipped documents and warnings, reported again

    @property
    def failed(self) -> bool:
        """Whether the build reported problems beyond warnings (its exit code was 1)."""
        return any(not isinstance(p, errors.ContentWarning) for p in self.problems)


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


def fingerprint(config: Config) -> str:
    """A hash of every input of a build of config (see the module doc)."""
    digest = hashlib.sha256(f"{FORMAT}\x00{archivist.__version__}\x00{config!r}".encode())
    skipped = {config.output_path.resolve(), (config.site_dir / ".archivist").resolve()}
    roots = [config.site_dir, config.content_path, config.registry_path, templates_folder(),
             Path(archivist.__file__).parent]  # fmt: skip
    for root in roots:
        digest.update(b"\x02" + str(root).encode("utf-8", "surrogateescape"))
        for entry in _stats(root, skipped):
            digest.update(entry)
    digest.update("\x00".join(_installed_packages()).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _stats(root: Path, skipped: set[Path]) -> list[bytes]:
    """A line per file under root, hidden ones and skipped folders left out."""
    if root.is_file():
        stat = root.stat()
        return [_stat_line(str(root), stat)]
    entries = []
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and n != "__pycache__"
                          and Path(folder, n).resolve() not in skipped)  # fmt: skip
        for name in sorted(files):
            if name.startswith("."):
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


def output_files(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file of the output with its size and mtime."""
    files = {}
    prefix = len(str(out_dir)) + 1
    folders = [str(out_dir)]
    while folders:  # scandir, not os.walk + os.stat: one system call a file, not two
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    stat = entry.stat()
                    files[entry.path[prefix:]] = (stat.st_size, stat.st_mtime_ns)
    return files


def read_manifest(config: Config) -> Manifest | None:
    """The last successful build's manifest, or None when missing or unreadable."""
    try:
        data = json.loads(manifest_path(config).read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return None
        files = {path: (int(size), int(mtime)) for path, (size, mtime) in data["files"].items()}
        problems = [_problem(problem) for problem in data["problems"]]
        return Manifest(str(data["fingerprint"]), int(data["documents"]), files, problems)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_manifest(config: Config, manifest: Manifest) -> None:
    """Record a successful build (written last, so a failed build leaves none)."""
    path = manifest_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "fingerprint": manifest.fingerprint,
            "documents": manifest.documents, "files": manifest.files,
            "problems": [_problem_data(problem) for problem in manifest.problems]}  # fmt: skip
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def forget_manifest(config: Config) -> None:
    """Drop the manifest before a build writes, so an interrupted build is never trusted."""
    manifest_path(config).unlink(missing_ok=True)


def unchanged_since_last_build(config: Config) -> Manifest | None:
    """The last build's manifest when nothing changed since (see unchanged)."""
    return unchanged(config, fingerprint(config))


def unchanged(config: Config, current: str) -> Manifest | None:
    """The last manifest if its fingerprint is current and the output is as it left it."""
    manifest = read_manifest(config)
    if manifest is None or manifest.fingerprint != current:
        return None
    try:
        return manifest if output_files(config.output_path) == manifest.files else None
    except OSError:
        return None

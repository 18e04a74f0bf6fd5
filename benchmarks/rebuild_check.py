"""Rebuilds after edits give exactly the site a clean build gives: random edits of livedoor articles.

Copies --articles livedoor news articles (every n-th, across the categories) into three
archives with the fast profile. Then, --edits times, makes one random edit to all three
alike and builds the first in this process with a memory kept from build to build, as
`archivist serve` does, the second with `archivist build` in a new process, as at the
command line, and the third with `archivist build --force`, which keeps nothing; and
compares the first two sites with the third, byte for byte, the search index aside.
The edits: a sentence naming a name of the archive or a new person, with a quote; a
title naming a name; a new date (which moves the article in the archive's order); a
name of the article written as another name of the archive; quote marks removed; an
article deleted, put back, copied or renamed; a registry entry for a name of the archive;
an override retyping a name everywhere, or rejecting one in an article; an article
broken (its date unreadable: it is reported and skipped) and mended; a setting of
archive.toml changed (the site's description, or its address, which adds a sitemap).
While an article is broken the first site is not compared: the server builds it from
its last good version, as it should, where the clean build skips it.

    python benchmarks/rebuild_check.py [--articles 400] [--edits 20] [--seed 1] [--work DIR]

Prints each edit, how many files each rebuild wrote and which differ; exit code 1 if any did.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from build_vs_peers import extract_articles

from archivist.build import build
from archivist.config import load_config
from archivist.memory import BuildMemory

ARCHIVIST = Path(sys.executable).with_name("archivist")
NAMING = {"named", "title", "registry", "retyped", "rejected"}  # the edits that use a name of the archive
SETTINGS = 'title = "rebuild check"\nlanguage = "ja"\nlayout = "livedoor"\nprofile = "fast"\n'
KINDS = ("named", "new name", "title", "date", "date", "respelled", "unquoted",
         "deleted", "restored", "copied", "renamed", "registry", "retyped", "rejected",
         "broken", "mended", "setting")  # fmt: skip
MENDING = 0.3  # the chance that a broken article is mended next, so that the server's site is soon compared again


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400, help="articles in the archive")
    parser.add_argument("--edits", type=int, default=20, help="edits, each followed by the three builds")
    parser.add_argument("--seed", type=int, default=1, help="of the random edits")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="rebuild-check-"))
    everything = extract_articles(work / "articles", 0)
    articles = everything[:: max(1, len(everything) // args.articles)][: args.articles]
    sites = {kind: work / kind for kind in ("memory", "process", "clean")}
    for site in sites.values():
        make_site(site, articles)
    editor = Editor(sites, random.Random(args.seed))
    memory = BuildMemory(keeps_last_good=True)
    started = time.perf_counter()
    differing = check(sites, memory, "first builds")
    for number in range(args.edits):
        what = editor.edit(number)
        differing += check(sites, memory, f"edit {number + 1}: {what}", len(editor.broken))
    print(f"{args.edits} edits of {len(articles)} articles in {time.perf_counter() - started:.0f} s: "
          f"{differing} rebuilds differed from clean builds", file=sys.stderr)  # fmt: skip
    return 1 if differing else 0


def make_site(site: Path, articles: list[Path]) -> None:
    for folder in (site, site.with_name(f"{site.name}-aside")):
        shutil.rmtree(folder, ignore_errors=True)
    for article in articles:
        target = site / "content" / article.parent.name / article.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(article, target)
    (site / "archive.toml").write_text(SETTINGS, encoding="utf-8")


def check(sites: dict[str, Path], memory: BuildMemory, label: str, broken: int = 0) -> int:
    """Build the three sites; print what differs from the clean one; how many did.
    With broken articles the memory's site is built but not compared (see above)."""
    result = build(load_config(sites["memory"]), memory=memory)
    _run(sites["process"])
    _run(sites["clean"], "--force")
    clean = _files(sites["clean"] / "public")
    differing = 0
    notes = [f"memory wrote {result.written}"]
    if broken:
        notes.append(f"memory not compared ({broken} broken: built from the last good version)")
    for kind in ("process",) if broken else ("memory", "process"):
        files = _files(sites[kind] / "public")
        wrong = sorted(path for path in files.keys() | clean.keys() if files.get(path) != clean.get(path))
        if wrong:
            differing += 1
            shown = ", ".join(wrong[:4]) + (", …" if len(wrong) > 4 else "")
            notes.append(f"{kind}: {len(wrong)} files differ ({shown})")
    print(f"{label}: {'; '.join(notes)}", file=sys.stderr)
    return differing


def _run(site: Path, *options: str) -> None:
    done = subprocess.run([str(ARCHIVIST), "build", str(site), "--quiet", *options], capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: a document was skipped, as it would be in every build
        raise SystemExit(f"archivist build {site} failed:\n{done.stderr[-2000:]}")


def _files(folder: Path) -> dict[str, bytes]:
    found = {}
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != "pagefind"]
        for name in names:
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


class Editor:
    """Makes each random edit to every site alike."""

    def __init__(self, sites: dict[str, Path], chance: random.Random) -> None:
        self.sites, self.chance = sites, chance
        self.deleted: list[tuple[Path, str]] = []  # (article, where it was put aside)
        self.broken: list[tuple[Path, str]] = []  # (article, its text before)

    def edit(self, number: int) -> str:
        kind = self.chance.choice(KINDS)
        kind = "deleted" if kind == "restored" and not self.deleted else kind
        kind = "broken" if kind == "mended" and not self.broken else kind
        kind = "mended" if self.broken and self.chance.random() < MENDING else kind
        clean = self.sites["clean"]
        broken = {article for article, _ in self.broken}  # left alone until mended
        articles = [path.relative_to(clean) for path in sorted((clean / "content").rglob("*.txt"))]
        article = self.chance.choice([path for path in articles if path not in broken])
        names = self._names()
        name, other = self.chance.sample(names, 2)
        if kind == "restored":
            article, _ = self.deleted[-1]
        elif kind == "mended":
            article, _ = self.broken[-1]
        elif kind == "broken":
            self.broken.append((article, _text(clean / article)))
        for site in self.sites.values():
            self._apply(kind, site, article, number, name, other)
        if kind == "deleted":
            self.deleted.append((article, f"deleted-{number}"))
        elif kind == "restored":
            self.deleted.pop()
        elif kind == "mended":
            self.broken.pop()
        return f"{kind} {article.name}" + (f" ({name})" if kind in NAMING else "")

    def _apply(self, kind: str, site: Path, article: Path, number: int, name: str, other: str) -> None:
        path = site / article
        change: dict[str, Callable[[], object]] = {
            "named": lambda: _append(path, f"{name}氏は「それは大事だ{number}」と述べた。"),
            "new name": lambda: _append(path, f"ゼッテルマイヤー{number}氏は「驚いた」と話した。"),
            "title": lambda: _line(path, 2, lambda title: f"{title} {name}の話"),
            "date": lambda: _line(path, 1, lambda _: _date(number)),
            "respelled": lambda: _respell(path, name, other),
            "unquoted": lambda: path.write_text(_text(path).replace("「", "").replace("」", ""), encoding="utf-8"),
            "deleted": lambda: shutil.move(path, _aside(site) / f"deleted-{number}"),
            "restored": lambda: shutil.move(_aside(site) / self.deleted[-1][1], path),
            "copied": lambda: shutil.copy(path, path.with_name(f"{path.stem}-copy{number}.txt")),
            "renamed": lambda: shutil.move(path, path.with_name(f"{path.stem}-moved{number}.txt")),
            "registry": lambda: (site / "entities.toml").write_text(
                f'[[entity]]\nname = {_toml(name)}\ntype = "PERSON"\ndescription = "edit {number}"\n',
                encoding="utf-8"),
            "retyped": lambda: (site / "overrides.toml").write_text(
                f'[[retype]]\nexact = {_toml(name)}\ntype = "ORG"\n', encoding="utf-8"),
            "rejected": lambda: (_append(path, f"{name}も来た。"), path.with_suffix(".overrides.toml").write_text(
                f'[[reject]]\nexact = {_toml(name)}\n', encoding="utf-8")),
            "broken": lambda: _line(path, 1, lambda _: "いつか"),
            "mended": lambda: path.write_text(self.broken[-1][1], encoding="utf-8"),
            "setting": lambda: (site / "archive.toml").write_text(SETTINGS + _setting(number), encoding="utf-8"),
        }  # fmt: skip
        change[kind]()

    def _names(self) -> list[str]:
        """Names of the clean site's entities, from its open data."""
        try:
            data = json.loads((self.sites["clean"] / "public/data/entities.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = []
        entities = data if isinstance(data, list) else data.get("entities", [])
        names = [e["name"] for e in entities if isinstance(e, dict) and e.get("name")]
        return names if len(names) >= 2 else ["山田太郎", "佐藤花子"]


def _aside(site: Path) -> Path:
    """Where deleted articles are kept: outside the archive's folder, whose every file
    is a setting (manifest.fingerprint), so that a deletion is not a change of settings."""
    folder = site.with_name(f"{site.name}-aside")
    folder.mkdir(exist_ok=True)
    return folder


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _date(number: int) -> str:
    return f"20{10 + number % 3}-0{1 + number % 9}-1{number % 10}T10:00:00+0900"


def _setting(number: int) -> str:
    """A line of archive.toml: the site's description or, every third time, its address."""
    return f'base_url = "https://example.org/{number}/"\n' if number % 3 == 0 else f'description = "edit {number}"\n'


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def _append(path: Path, sentence: str) -> None:
    path.write_text(_text(path) + f"\n{sentence}\n", encoding="utf-8")


def _line(path: Path, number: int, change: Callable[[str], str]) -> None:
    """Change line number (from 0) of a livedoor article: 1 is its date, 2 its title."""
    lines = _text(path).split("\n")
    lines[number] = change(lines[number])
    path.write_text("\n".join(lines), encoding="utf-8")


def _respell(path: Path, name: str, other: str) -> None:
    """The article's name written as other; both appended when it has no name."""
    text = _text(path)
    path.write_text(text.replace(name, other) if name in text else text + f"\n{name}と{other}。\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

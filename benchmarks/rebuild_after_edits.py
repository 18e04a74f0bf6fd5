"""Rebuild times after edits of the templates and of the registry, with `archivist build`.

Edits archivist's own templates in turn (so run it from a checkout; each is restored
right after): entity.html, document.html and base.html, each timed once edited and
once restored. Then the archive's registry: an entry is added for the archive's most
mentioned entity that the registry does not define yet, and its description is
edited --edits times; the registry is restored at the end. Each line gives the files
the build changed, the seconds until its pages were published (its summary line) and
until the command ended, after the search index, if it was made again.

    python benchmarks/rebuild_after_edits.py SITE [--edits 2]

The site should be built first (the entity comes from its data/entities.json).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from archivist.config import load_config
from archivist.render import templates_dir

ARCHIVIST = Path(sys.executable).with_name("archivist")
SUMMARY = re.compile(r"built \d+ documents into \d+ files \((\d+) changed\) in ([\d.]+) s")
# template -> the tag whose first occurrence gets a marker attribute
TEMPLATE_EDITS = {"entity.html": "<header", "document.html": "<article", "base.html": "<main"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="archive folder, built")
    parser.add_argument("--edits", type=int, default=2, help="edits of the registry timed")
    args = parser.parse_args(argv)
    build(args.site, "before the edits")
    for name, tag in TEMPLATE_EDITS.items():
        path = templates_dir() / name
        original = path.read_bytes()
        text = original.decode("utf-8")
        if tag not in text:
            raise SystemExit(f"{path}: no {tag} to mark")
        path.write_text(text.replace(tag, f'{tag} data-edit="1"', 1), encoding="utf-8")
        try:
            build(args.site, f"{name} edited")
        finally:
            path.write_bytes(original)
        build(args.site, f"{name} restored")
    registry_edits(args.site, args.edits)
    return 0


def registry_edits(site: Path, edits: int) -> None:
    """Add a registry entry for the most mentioned entity, edit its description, restore."""
    config = load_config(site)
    entities = json.loads((config.output_path / "data/entities.json").read_text(encoding="utf-8"))
    entity = max((e for e in entities if not e["registry"]), key=lambda e: e["documents"])
    registry = config.registry_path
    original = registry.read_bytes() if registry.exists() else None
    entry = '\n[[entity]]\nname = "{}"\ntype = "{}"\ndescription = "{}"\n'
    try:
        for edit in range(edits + 1):
            added = entry.format(entity["name"], entity["type"], f"edit {edit}").encode("utf-8")
            registry.write_bytes((original or b"") + added)
            build(site, f"registry: {entity['name']} ({entity['documents']} documents) "
                        + ("added" if edit == 0 else f"description edit {edit}"))  # fmt: skip
    finally:
        if original is None:
            registry.unlink(missing_ok=True)
        else:
            registry.write_bytes(original)
    build(site, "registry restored")


def build(site: Path, label: str) -> None:
    """Run `archivist build site` and print what it changed and how long it took."""
    started = time.perf_counter()
    done = subprocess.run([str(ARCHIVIST), "build", str(site), "--quiet"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    if "nothing changed" in output:
        print(f"{label}: nothing changed ({seconds:.2f} s)", flush=True)
        return
    summary = SUMMARY.search(output)
    if done.returncode not in (0, 1) or summary is None:
        raise SystemExit(f"{label}: the build failed\n{done.stderr[-2000:]}")
    changed, published = summary.groups()
    print(f"{label}: {int(changed):,} files changed; published after {float(published):.1f} s, "
          f"the command ended after {seconds:.1f} s", flush=True)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())

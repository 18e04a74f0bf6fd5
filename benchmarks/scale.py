"""How archivist's build times and memory grow with the archive: livedoor copied 1, 2, 4 times.

An archive of N copies of the 7,367 livedoor articles (copy k of an article is named
<name>-copy<k>.txt; its text is the same, so its annotations come from the cache and
every build is warm) has N times the documents, mentions and quotes, and the same
names. For each N: the first build (every page new), a warm full build, a rebuild
with nothing changed, two one-article edits, and the search index alone, each with
its wall time and the peak memory of the largest process (archivist or Pagefind).

    python benchmarks/scale.py [--copies 1 2 4] [--profile fast] [--work DIR]

Prints a line per build and a table; the articles are not modified.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from build_vs_peers import (ARCHIVIST, TRASH, Run, _edit_build, _full_build, _noop_build, _search_index,
                            extract_articles, median, set_aside, timed)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4], help="archive sizes, in copies")
    parser.add_argument("--profile", default="fast", choices=("fast", "default"), help="annotator profile")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="scale-"))
    articles = extract_articles(work / "articles", 0)
    try:
        rows = [(copies, len(articles) * copies, measure(work / f"copies-{copies}", articles, copies, args.profile))
                for copies in args.copies]  # fmt: skip
    finally:
        for trash in [work / TRASH, *work.glob(f"*/{TRASH}")]:
            shutil.rmtree(trash, ignore_errors=True)
    print_table(rows, args.profile)
    return 0


def make_site(site: Path, articles: list[Path], copies: int, profile: str) -> None:
    set_aside(site)  # deleted once every build is timed (see build_vs_peers.TRASH)
    for article in articles:
        folder = site / "content" / article.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        for copy in range(copies):
            shutil.copy2(article, folder / (article.name if copy == 0 else f"{article.stem}-copy{copy}.txt"))
    (site / "archive.toml").write_text(f'title = "livedoor x{copies}"\nlanguage = "ja"\nlayout = "livedoor"\n'
                                       f'profile = "{profile}"\n', encoding="utf-8")  # fmt: skip


def measure(site: Path, articles: list[Path], copies: int, profile: str) -> dict[str, Run]:
    print(f"{copies} copies ({len(articles) * copies} documents):", file=sys.stderr)
    make_site(site, articles, copies, profile)
    build = [str(ARCHIVIST), "build", str(site)]
    first = timed(build)
    print(f"  first build: {first.seconds:.1f} s, peak {first.peak_mb:.0f} MB", file=sys.stderr)
    edits = [_edit_build(site, build, number) for number in range(2)]
    figures = {"first build": first, "warm full build": _full_build(site, build),
               "nothing changed": _noop_build(build), "one article edited": median(edits)}  # fmt: skip
    figures["search index alone"] = _search_index(site)
    print(f"  search index alone: {figures['search index alone'].seconds:.1f} s", file=sys.stderr)
    return figures


def print_table(rows: list[tuple[int, int, dict[str, Run]]], profile: str) -> None:
    """Wall seconds (peak MB of the largest process) per build and archive size."""
    names = list(rows[0][2])
    print(f"\nlivedoor articles copied, {profile} profile: wall s (peak MB)\n")
    print(f"{'documents':>10} " + " ".join(f"{name:>20}" for name in names))
    for _, documents, figures in rows:
        cells = [f"{figures[name].seconds:.2f} ({figures[name].peak_mb:.0f})" for name in names]
        print(f"{documents:>10} " + " ".join(f"{cell:>20}" for cell in cells))
    one = rows[0][2]
    for copies, documents, figures in rows[1:]:
        ratios = ", ".join(f"{name} {figures[name].seconds / one[name].seconds:.2f}x" for name in names)
        print(f"{documents} documents ({copies / rows[0][0]:.0f}x) against {rows[0][1]}: {ratios}")


if __name__ == "__main__":
    sys.exit(main())

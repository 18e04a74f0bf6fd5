"""Build speed: archivist, Hugo and Pelican on the same livedoor news articles.

The articles are copied unmodified from the corpus archive into a work folder, as an
archivist archive (livedoor layout) and as Markdown for Hugo (minimal templates) and
Pelican (its default theme). archivist's annotation cache is filled once (cold: every
annotator runs; minutes with the fast profile, much longer with the default one) and
kept in the work folder, so later runs start warm. Then, per generator, the median of
--runs full builds; for archivist also a rebuild with nothing changed, rebuilds after
one article is edited (when its pages were published, before the search index caught
up, and how many files it rewrote; the first edit after a full build is shown apart, as
it also makes the copy of the site kept for the next build), the search index on its own
(with one Pagefind process, as a full build makes most of it, which the row without the
search index subtracts; and with two, as an index catches up), and the peak memory of a
warm full build.

    python benchmarks/build_vs_peers.py [--limit N] [--runs 3] [--profile fast|default]
                                        [--work DIR]

Needs `hugo` (Debian: apt-get install hugo) and Pelican (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIVEDOOR = ROOT.parent / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
ARTICLE = re.compile(r"^text/([a-z-]+)/\1-\d+\.txt$")  # articles, not LICENSE.txt or README
ARCHIVIST = Path(sys.executable).with_name("archivist")
# Outputs of earlier builds are moved here and deleted once every build is timed: on
# ext4 without a journal, a file created within minutes of many deletions costs up to
# twenty times more (the kernel skips every recently freed inode it comes across), so a
# build timed after deleting the last one's 65,000 files measured that deletion.
TRASH = ".trash"
PELICAN = Path(sys.executable).with_name("pelican")


@dataclass
class Run:
    """One timed command."""

    seconds: float  # wall time
    peak_mb: float  # peak resident memory of the process and its children, in MB
    output: str  # what it printed on stderr
    cpu: float = 0.0  # user and system CPU time of the process and its children


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N articles (default all)")
    parser.add_argument("--runs", type=int, default=3, help="full builds timed per generator")
    parser.add_argument("--profile", choices=["fast", "default"], default="fast")
    parser.add_argument("--work", type=Path, help="work folder, kept (default: a temporary one)")
    parser.add_argument("--skip-peers", action="store_true", help="time archivist only")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="build-vs-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    articles = extract_articles(work / "articles", args.limit)
    print(f"{len(articles)} livedoor articles in {work}", file=sys.stderr)
    try:
        figures = time_archivist(work / "archivist", articles, args.profile, args.runs)
        if not args.skip_peers:
            figures |= time_peers(work, articles, args.runs)
    finally:
        for trash in [work / TRASH, *work.glob(f"*/{TRASH}")]:
            shutil.rmtree(trash, ignore_errors=True)
    print_table(figures, len(articles), args.profile)
    return 0


def set_aside(path: Path) -> None:
    """Move path out of the way, into a trash folder beside it (see TRASH)."""
    if not path.exists():
        return
    trash = path.parent / TRASH
    trash.mkdir(exist_ok=True)
    os.replace(path, trash / f"{len(list(trash.iterdir()))}-{path.name}")


def extract_articles(folder: Path, limit: int) -> list[Path]:
    """The corpus's articles, unmodified, under folder/<category>/; sorted, first limit."""
    if not folder.is_dir():
        staging = folder.with_name(folder.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        with tarfile.open(LIVEDOOR) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and ARTICLE.match(m.name)]
            for member in members:
                target = staging / Path(member.name).relative_to("text")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
        staging.rename(folder)
    articles = sorted(folder.glob("*/*.txt"))
    return articles[: limit] if limit else articles


def make_archivist_site(site: Path, articles: list[Path], profile: str) -> None:
    """An archive of the articles (livedoor layout); its cache and output are kept."""
    content = site / "content"
    if content.is_dir():
        shutil.rmtree(content)  # the article set may differ from the last run's
    for article in articles:
        target = content / article.parent.name / article.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(article, target)
    (site / "archive.toml").write_text(
        'title = "livedoor ニュース"\nlanguage = "ja"\nlayout = "livedoor"\n'
        f'profile = "{profile}"\n',
        encoding="utf-8",
    )


HUGO_CONFIG = """baseURL = "http://localhost/"
title = "livedoor news"
languageCode = "ja"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
    "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
    "<time>{{ .Date.Format \"2006-01-02\" }}</time>{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<ul>{{ range .Site.RegularPages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
}
PELICAN_CONFIG = """SITENAME = "livedoor news"
PATH = "content"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
"""


def split_article(path: Path) -> tuple[str, str, list[str]]:
    """(ISO date with a colon in the offset, title, body paragraphs) of a livedoor article."""
    lines = path.read_text(encoding="utf-8").split("\n")
    date = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", lines[1].strip())
    return date, lines[2].strip(), [line.strip() for line in lines[3:] if line.strip()]


def make_markdown_sites(work: Path, articles: list[Path]) -> tuple[Path, Path]:
    """The same articles as Markdown: a Hugo site and a Pelican site, made afresh."""
    hugo, pelican = work / "hugo", work / "pelican"
    for site in (hugo, pelican):
        shutil.rmtree(site, ignore_errors=True)
    (hugo / "content" / "posts").mkdir(parents=True)
    (pelican / "content").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / name).write_text(text, encoding="utf-8")
    (pelican / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for article in articles:
        date, title, body = split_article(article)
        text = "\n\n".join(body) + "\n"
        quoted = json.dumps(title, ensure_ascii=False)  # JSON strings are YAML strings
        (hugo / "content" / "posts" / f"{article.stem}.md").write_text(
            f"---\ntitle: {quoted}\ndate: {date}\n---\n\n{text}", encoding="utf-8"
        )
        (pelican / "content" / f"{article.stem}.md").write_text(
            f"Title: {title}\nDate: {date[:16].replace('T', ' ')}\nSlug: {article.stem}\n"
            f"Category: {article.parent.name}\n\n{text}",
            encoding="utf-8",
        )
    return hugo, pelican


# Runs a command, then prints its wall time and the peak resident memory of all its
# descendants (RUSAGE_CHILDREN of this fresh process: the largest one, Pagefind included).
PROBE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


# Python tools timed as installed, their bytecode cached: where the environment forbids
# writing it, every run of archivist or Pelican compiled their modules again (0.1 s).
AS_INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run command, failing loudly; its wall time and peak memory (self and children)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *command], cwd=cwd, env=AS_INSTALLED,
                            capture_output=True, text=True, check=True)  # fmt: skip
    code, seconds, peak_kb, cpu = result.stdout.split()
    if code not in ("0", "1"):  # 1: built, with problems reported (skipped documents)
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{result.stderr}")
    return Run(float(seconds), int(peak_kb) / 1024, result.stderr, float(cpu))


def median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda run: run.seconds)
    return ordered[len(ordered) // 2]


def time_archivist(site: Path, articles: list[Path], profile: str, runs: int) -> dict[str, Run]:
    """archivist's figures: warm full build, no-op and one-edit rebuilds, search index."""
    make_archivist_site(site, articles, profile)
    build = [str(ARCHIVIST), "build", str(site)]
    # Not timed as warm even when a cache was kept: a changed annotator misses it.
    print(f"filling the annotation cache ({profile} profile; when cold every annotator runs: "
          "minutes for the whole corpus, far more with the default profile)...", file=sys.stderr)
    first = timed(build)
    print(f"  first build: {first.seconds:.1f} s", file=sys.stderr)
    warm = [_full_build(site, build) for _ in range(runs)]
    figures: dict[str, Run] = {"archivist": median(warm)}
    figures["no-op rebuild"] = median([_noop_build(build) for _ in range(runs)])
    edits = [_edit_build(site, build, i) for i in range(runs + 1)]
    figures["first edit after a full build"] = edits[0]
    figures["one-article edit"] = median(edits[1:])
    figures["search index"] = median([_search_index(site, 1) for _ in range(runs)])
    figures["search index, two processes"] = median([_search_index(site, 2) for _ in range(runs)])
    return figures


def _noop_build(build: list[str]) -> Run:
    run = timed(build)
    if "nothing changed" not in run.output:  # an input (say archivist's code) changed meanwhile
        print("  warning: the rebuild with nothing changed was a real build", file=sys.stderr)
    print(f"  rebuild with nothing changed: {run.seconds:.2f} s", file=sys.stderr)
    return run


def _full_build(site: Path, build: list[str]) -> Run:
    """A warm full build: annotation cache kept; output, the site kept for the next
    build (.public.previous) and the build's records removed."""
    for folder in ("public", ".public.previous"):
        set_aside(site / folder)
    for record in ("build.json", "previous.json"):
        (site / ".archivist" / record).unlink(missing_ok=True)
    run = timed(build)
    print(f"  warm full build: {run.seconds:.2f} s, peak {run.peak_mb:.0f} MB", file=sys.stderr)
    return run


def _edit_build(site: Path, build: list[str], number: int) -> Run:
    """Edit one article's body (a different one each time) and rebuild; count rewritten files."""
    articles = sorted((site / "content").glob("*/*.txt"))
    article = articles[(number * 7919) % len(articles)]
    lines = article.read_text(encoding="utf-8").split("\n")
    body = next(i for i, line in enumerate(lines) if i > 2 and line.strip())
    lines[body] = lines[body] + "（追記）"
    before = _mtimes(site / "public")
    article.write_text("\n".join(lines), encoding="utf-8")
    run = timed(build)
    after = _mtimes(site / "public")
    rewritten = sorted(p for p, t in after.items() if before.get(p) != t and "pagefind" not in p)
    published = re.search(r"^built .* in ([\d.]+) s", run.output, re.M)  # before the search index
    run.output = (f"pages published after {published[1] if published else '?'} s, "
                  f"{len(rewritten)} files rewritten: " + ", ".join(rewritten[:6])
                  + (", …" if len(rewritten) > 6 else ""))  # fmt: skip
    print(f"  edit of {article.name}: {run.seconds:.2f} s, {run.output}", file=sys.stderr)
    return run


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}  # fmt: skip


def _search_index(site: Path, processes: int) -> Run:
    """Pagefind alone over a copy of the built site: with one process, as a full build
    makes most of the index beside its pages; with two, as an index catches up once
    the pages are published (search.INDEXERS)."""
    copy = site.parent / "search-copy"
    set_aside(copy)
    shutil.copytree(site / "public", copy, ignore=shutil.ignore_patterns("pagefind"),
                    copy_function=os.link)  # fmt: skip
    code = ("import sys; from pathlib import Path; from archivist.search import index_site; "
            "index_site(Path(sys.argv[1]), 'ja', int(sys.argv[2]))")
    run = timed([sys.executable, "-c", code, str(copy), str(processes)])
    set_aside(copy)
    return run


def time_peers(work: Path, articles: list[Path], runs: int) -> dict[str, Run]:
    """Hugo's and Pelican's full builds of the same articles as Markdown."""
    hugo, pelican = make_markdown_sites(work, articles)
    figures = {}
    if shutil.which("hugo"):
        figures["Hugo"] = median([_peer_build(hugo, ["hugo", "--quiet", "-d", "public"], "public")
                                  for _ in range(runs)])  # fmt: skip
    else:
        print("hugo not found (apt-get install hugo): left out", file=sys.stderr)
    if PELICAN.exists():
        command = [str(PELICAN), "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        figures["Pelican"] = median([_peer_build(pelican, command, "output") for _ in range(runs)])
    else:
        print("pelican not found (pip install -e '.[bench]'): left out", file=sys.stderr)
    return figures


def _peer_build(site: Path, command: list[str], output: str) -> Run:
    set_aside(site / output)
    run = timed(command, cwd=site)
    print(f"  {command[0].rsplit('/', 1)[-1]}: {run.seconds:.2f} s", file=sys.stderr)
    return run


def print_table(figures: dict[str, Run], articles: int, profile: str) -> None:
    """The figures, with the full builds' ratios to Hugo's and Pelican's.

    Wall time is what a user waits; CPU time (all processes, all cores) is steadier on
    a shared machine. Ratios are of wall times.
    """
    search = figures.get("search index")
    full = figures["archivist"]
    rows = [("archivist warm full build", full)]
    if search:
        rows.append(("  without the search index",
                     Run(full.seconds - search.seconds, 0.0, "", full.cpu - search.cpu)))
        rows.append(("  search index, one process (Pagefind)", search))
    if "search index, two processes" in figures:
        rows.append(("  search index, two processes", figures["search index, two processes"]))
    rows += [(name, figures[name]) for name in ("Hugo", "Pelican") if name in figures]
    rows += [(f"archivist {name}", figures[name])
             for name in ("no-op rebuild", "first edit after a full build", "one-article edit")
             if name in figures]  # fmt: skip
    print(f"\n{articles} livedoor articles, {profile} profile, median of runs\n")
    print(f"{'':40} {'wall s':>8} {'CPU s':>8} {'vs Hugo':>8} {'vs Pelican':>10} {'peak MB':>8}")
    for name, run in rows:
        ratios = [_ratio(run, figures.get(peer)) if name.startswith(("archivist warm", "  without"))
                  else "" for peer in ("Hugo", "Pelican")]  # fmt: skip
        peak = f"{run.peak_mb:.0f}" if run.peak_mb else ""
        print(f"{name:40} {run.seconds:8.2f} {run.cpu:8.2f} {ratios[0]:>8} {ratios[1]:>10} {peak:>8}")
    for name in ("first edit after a full build", "one-article edit"):
        if name in figures:
            print(f"\n{name}: {figures[name].output}")


def _ratio(run: Run, peer: Run | None) -> str:
    return f"{run.seconds / peer.seconds:.2f}x" if peer else ""


if __name__ == "__main__":
    sys.exit(main())

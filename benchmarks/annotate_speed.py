"""Cold annotation speed on livedoor news articles, against plain single-process GiNZA.

    .venv/bin/python benchmarks/annotate_speed.py [--articles 300] [--variants ginza,jobs1,jobs2,fast]

Writes N articles (evenly spread over the sorted corpus, so every category is in)
from the livedoor tarball into a temporary archive, then runs each variant in a
fresh process with an empty annotation cache and prints, per variant: characters
per second of wall time (model loading included, as a cold build pays it),
characters per CPU second (robust when other work shares the machine) and the peak
resident memory of the process and its workers together, then the ratios to
plain GiNZA, which is `nlp.pipe` over whole articles with ja_ginza's full pipeline.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import psutil  # installed with the dask extra; sums the memory of the worker processes

ROOT = Path(__file__).resolve().parents[1]
LIVEDOOR = ROOT.parent / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
ARTICLE = re.compile(r"text/([a-z-]+)/\1-\d+\.txt$")
VARIANTS = {  # name -> (what it measures, profile, jobs); jobs None is plain GiNZA
    "ginza": ("plain ja_ginza, nlp.pipe, one process", None, None),
    "jobs1": ("archivist default profile, --jobs 1", "default", 1),
    "jobs2": ("archivist default profile, --jobs 2", "default", 2),
    "fast": ("archivist fast profile, --jobs 2", "fast", 2),
}
SAMPLE_SECONDS = 0.2  # how often the memory of the process tree is read


def write_archive(folder: Path, count: int, archive: Path = LIVEDOOR) -> Path:
    """An archive of count livedoor articles in folder; the corpus itself is only read."""
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    (site / "archive.toml").write_text('title = "livedoor"\nlayout = "livedoor"\n', encoding="utf-8")
    with tarfile.open(archive) as tar:
        names = sorted(member.name for member in tar.getmembers() if ARTICLE.search(member.name))
        for number in range(count):
            name = names[number * len(names) // count]
            (site / "content" / Path(name).name).write_bytes(tar.extractfile(name).read())
    return site


def measure(variant: str, site: Path) -> dict:
    """Run variant in a fresh process; its figures, with the peak memory of its process tree."""
    command = [sys.executable, __file__, "--child", variant, "--site", str(site)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = 0
    tree = psutil.Process(child.pid)
    while child.poll() is None:
        peak = max(peak, _tree_rss(tree))
        time.sleep(SAMPLE_SECONDS)
    output = child.stdout.read()
    if child.returncode:
        raise SystemExit(f"{variant} failed with exit code {child.returncode}")
    figures = json.loads(output.strip().splitlines()[-1])
    figures["peak_mb"] = peak / 2**20
    return figures


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for each in [process, *process.children(recursive=True)]:
        try:
            total += each.memory_info().rss
        except psutil.Error:
            pass  # a worker that ended between listing and reading
    return total


def run_child(variant: str, site: Path) -> dict:
    """The timed work of one variant, in this process (and its workers)."""
    from archivist.build import read_documents
    from archivist.config import load_config

    _, profile, jobs = VARIANTS[variant]
    config = load_config(site, profile=profile or "default", cache=f".archivist/{variant}.sqlite")
    documents, _ = read_documents(config)
    chars = sum(len(block.text) for doc in documents for block in doc.blocks)
    started, cpu = time.perf_counter(), _cpu_seconds()
    if jobs is None:
        _plain_ginza(documents)
    else:
        _archivist(documents, config, jobs)
    return {"chars": chars, "documents": len(documents),
            "seconds": time.perf_counter() - started, "cpu": _cpu_seconds() - cpu}


def _plain_ginza(documents) -> None:
    import spacy

    from archivist.annotators.ner_ja import chunks

    nlp = spacy.load("ja_ginza")
    texts = [piece for doc in documents for _, piece in chunks("\n".join(b.text for b in doc.blocks))]
    for _ in nlp.pipe(texts):
        pass


def _archivist(documents, config, jobs: int) -> None:
    from archivist.annotators import AnnotateContext
    from archivist.cache import Cache
    from archivist.executors import Local, annotate_all
    from archivist.registry import load_registry

    config.cache_path.unlink(missing_ok=True)
    cache = Cache(config.cache_path)
    try:
        ctx = AnnotateContext(config.annotator_names, load_registry(config.registry_path), cache=cache)
        annotate_all(documents, ctx, Local(jobs))
    finally:
        cache.close()


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def report(results: dict[str, dict]) -> str:
    lines = [f"{'variant':<44} {'chars/s':>8} {'chars/CPU-s':>12} {'peak MB':>8} {'vs GiNZA':>9}"]
    base = results.get("ginza")
    for variant, figures in results.items():
        speed = figures["chars"] / figures["seconds"]
        ratio = f"{speed / (base['chars'] / base['seconds']):.2f}x" if base else "-"
        lines.append(f"{VARIANTS[variant][0]:<44} {speed:>8,.0f} {figures['chars'] / figures['cpu']:>12,.0f} "
                     f"{figures['peak_mb']:>8,.0f} {ratio:>9}")
    some = next(iter(results.values()))
    lines.append(f"({some['documents']} articles, {some['chars']:,} characters, each variant cold: "
                 "fresh process, empty cache, model loading included)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="livedoor articles to annotate")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, of " + ", ".join(VARIANTS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--site", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child, args.site)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        site = write_archive(Path(folder), args.articles)
        results = {}
        for variant in args.variants.split(","):
            results[variant] = measure(variant, site)
            print(f"{variant}: {results[variant]}", file=sys.stderr)
        print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

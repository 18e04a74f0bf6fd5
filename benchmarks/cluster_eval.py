"""Entity clustering: do the names archivist links to one entity belong to one real thing?

Gold clusters are in benchmarks/gold/entities_ja.jsonl (hand-annotated livedoor news
articles, benchmarks/gold/README.md) plus the seed article, whose gold is the sample
archive's hand-written registry (site/entities.toml). Runs `archivist annotate --format
json` over the articles outside any archive, so no registry helps, and scores the entity
ids of the mentions whose text is a gold name with B-cubed precision, recall and F1:

- within each document (a surname with 氏 and the full name, two spellings of a name);
- across the archive (the same person or country in several articles is one entity).

    python benchmarks/cluster_eval.py [--profile default|fast] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold" / "entities_ja.jsonl"
LIVEDOOR = ROOT.parent / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
SAMPLE = ROOT / "site"
SEED = "seed.txt"

Item = tuple[str, str]  # (article, name as written)


def load_gold() -> dict[str, dict[str, str]]:
    """article -> name as written -> gold entity id."""
    gold: dict[str, dict[str, str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["article"]] = {n: e["id"] for e in record["entities"] for n in e["names"]}
    registry = tomllib.loads((SAMPLE / "entities.toml").read_text(encoding="utf-8"))
    gold[SEED] = {n: f"{e['type'].lower()}/{e.get('slug', e['name'])}"
                  for e in registry["entity"] for n in (e["name"], *e.get("aliases", ()))}
    return gold


def prepare(folder: Path, articles: list[str]) -> None:
    """The livedoor articles, unmodified, and the seed, copied into folder."""
    with tarfile.open(LIVEDOOR) as tar:
        for article in articles:
            if article != SEED:
                target = folder / article
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(tar.getmember(article)).read())
    seed = next((SAMPLE / "content").glob("*.txt"))
    shutil.copyfile(seed, folder / SEED)


def predicted(folder: Path, articles: list[str], profile: str) -> dict[str, dict[str, str]]:
    """article -> mention text -> the entity id archivist gave it most often there."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "archivist", "annotate", "--format", "json", "--profile", profile, *articles]
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"archivist annotate failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    found: dict[str, dict[str, str]] = {}
    for doc in json.loads(result.stdout):
        votes: dict[str, Counter] = defaultdict(Counter)
        for mention in doc["mentions"]:
            votes[mention["text"]][mention["entity"]] += 1
        found[Path(doc["source"]).as_posix()] = {text: ids.most_common(1)[0][0] for text, ids in votes.items()}
    return found


def bcubed(items: list[Item], gold: dict[Item, str], guess: dict[Item, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of the clustering guess against gold over items."""
    if not items:
        return 0.0, 0.0, 0.0
    by_gold, by_guess = defaultdict(set), defaultdict(set)
    for item in items:
        by_gold[gold[item]].add(item)
        by_guess[guess[item]].add(item)
    precision = sum(len(by_gold[gold[i]] & by_guess[guess[i]]) / len(by_guess[guess[i]]) for i in items) / len(items)
    recall = sum(len(by_gold[gold[i]] & by_guess[guess[i]]) / len(by_gold[gold[i]]) for i in items) / len(items)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores(gold: dict[str, dict[str, str]], found: dict[str, dict[str, str]]) -> dict[str, tuple]:
    """Within-document (micro over documents) and archive-wide B-cubed scores."""
    items = [(a, name) for a, names in gold.items() for name in names if name in found.get(a, {})]
    gold_ids = {(a, n): gold[a][n] for a, n in items}
    guess_within = {(a, n): f"{a}#{found[a][n]}" for a, n in items}  # no credit across documents
    gold_within = {(a, n): f"{a}#{gold[a][n]}" for a, n in items}
    guess_archive = {(a, n): found[a][n] for a, n in items}
    return {
        "within documents": bcubed(items, gold_within, guess_within),
        "across the archive": bcubed(items, gold_ids, guess_archive),
        "items": (len(items), sum(len(names) for names in gold.values())),
    }


def errors(gold: dict[str, dict[str, str]], found: dict[str, dict[str, str]]) -> list[str]:
    """Gold entities split over several predicted entities, and predicted entities holding several gold ones."""
    lines = []
    for article, names in gold.items():
        split, merged = defaultdict(set), defaultdict(set)
        for name, gold_id in names.items():
            if name in found.get(article, {}):
                split[gold_id].add(found[article][name])
                merged[found[article][name]].add(gold_id)
        lines += [f"{article}: {g} split into {sorted(p)}" for g, p in split.items() if len(p) > 1]
        lines += [f"{article}: {p} merges {sorted(g)}" for p, g in merged.items() if len(g) > 1]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="default")
    parser.add_argument("--verbose", action="store_true", help="list every split and merge")
    args = parser.parse_args(argv)
    gold = load_gold()
    articles = sorted(gold)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder, articles)
        found = predicted(folder, articles, args.profile)
    result = scores(gold, found)
    matched, total = result.pop("items")
    print(f"profile {args.profile}: {len(articles)} articles, {matched} of {total} gold names found as mentions")
    print(f"{'B-cubed':20} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, (p, r, f) in result.items():
        print(f"{name:20} {p:9.3f} {r:7.3f} {f:6.3f}")
    if args.verbose:
        print("\n".join(errors(gold, found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

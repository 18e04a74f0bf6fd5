"""Entity recognition on Japanese news: strict micro F1 on hand-annotated livedoor articles.

The test split of ner-wikipedia-ja (ner_eval.py) is encyclopedia sentences, one a
document; archives hold news. benchmarks/gold/ner_ja_news.jsonl lists, for 18 livedoor
articles drawn at random (two from each category), every name they write and its type; an entry with a third field types only the occurrences
written right after it (平清盛 the drama, but 主役の平清盛 the man). Every occurrence of
a gold name in the article as archivist reads it (title, paragraphs and links it keeps
as text) is a gold mention, longest names first, a name inside a longer one not counted.

Runs `archivist annotate --format json` over the articles, unmodified and outside any
archive, and scores its mentions against them, strict spans and types, per type:

    python benchmarks/ner_news_eval.py [--profile default|fast] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold" / "ner_ja_news.jsonl"
LIVEDOOR = ROOT.parent / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")

Span = tuple[int, int, int, str]  # (block, start, end, type)


def load_gold() -> dict[str, list[list[str]]]:
    """article -> [name, type] or [name, type, the words written before it]."""
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {record["article"]: record["names"] for record in records}


def annotated(articles: list[str], profile: str) -> dict[str, dict]:
    """article -> archivist's JSON for it, the articles copied from the archive unmodified."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(LIVEDOOR) as tar:
        for article in articles:
            target = Path(tmp) / article
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(tar.getmember(article)).read())
        command = [sys.executable, "-m", "archivist", "annotate", "--format", "json", "--profile", profile, *articles]
        result = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"archivist annotate failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return {doc["source"]: doc for doc in json.loads(result.stdout)}


def gold_spans(doc: dict, names: list[list[str]]) -> set[Span]:
    """Every occurrence of a gold name in the document's blocks, longest names first."""
    spans: set[Span] = set()
    for index, block in enumerate(doc["blocks"]):
        text, taken = block["text"], bytearray(len(block["text"]))
        for name in sorted({entry[0] for entry in names}, key=len, reverse=True):
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(taken[start:end]):
                    taken[start:end] = b"\x01" * len(name)
                    spans.add((index, start, end, _type_at(text, start, name, names)))
                start = text.find(name, end)
    return spans


def _type_at(text: str, start: int, name: str, names: list[list[str]]) -> str:
    """The type of the occurrence of name at start: an entry naming the words before it wins."""
    for entry in names:
        if entry[0] == name and len(entry) > 2 and text[:start].endswith(entry[2]):
            return entry[1]
    return next(entry[1] for entry in names if entry[0] == name and len(entry) == 2)


def predicted_spans(doc: dict) -> set[Span]:
    return {(m["block"], m["start"], m["end"], m["type"]) for m in doc["mentions"]}


def score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="default")
    parser.add_argument("--verbose", action="store_true", help="list every miss and every false name")
    args = parser.parse_args(argv)
    gold = load_gold()
    docs = annotated(sorted(gold), args.profile)
    counts = {kind: Counter() for kind in TYPES}
    errors = []
    for article, names in sorted(gold.items()):
        doc = docs[article]
        expected, found = gold_spans(doc, names), predicted_spans(doc)
        for block, start, end, kind in expected | found:
            span = (block, start, end, kind)
            outcome = "tp" if span in expected and span in found else "fn" if span in expected else "fp"
            counts[kind][outcome] += 1
            if outcome != "tp":
                errors.append(f"{outcome} {kind:8} {doc['blocks'][block]['text'][start:end]}  ({Path(article).name})")
    mentions = sum(c["tp"] + c["fn"] for c in counts.values())
    print(f"profile {args.profile}: {len(gold)} articles, {mentions} gold mentions")
    print(f"{'type':8} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5}")
    for kind in TYPES:
        p, r, f = score(counts[kind]["tp"], counts[kind]["fp"], counts[kind]["fn"])
        print(f"{kind:8} {p:9.3f} {r:7.3f} {f:6.3f} {counts[kind]['tp'] + counts[kind]['fn']:5}")
    total = sum(counts.values(), Counter())
    p, r, f = score(total["tp"], total["fp"], total["fn"])
    print(f"{'micro':8} {p:9.3f} {r:7.3f} {f:6.3f} {mentions:5}")
    if args.verbose:
        print("\n".join(sorted(errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

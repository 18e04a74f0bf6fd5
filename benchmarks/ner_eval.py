"""Entity recognition quality: strict micro F1 on the ner-wikipedia-ja test split.

Runs `archivist annotate --jsonl` (the same path users and held-out evaluation take)
and prints precision, recall and F1 per type and overall, with characters per second.
`--data benchmarks/gold/ner_en.jsonl` scores English instead: the paragraphs of the
English gold articles with hand-annotated entities (benchmarks/gold/README.md).

    python benchmarks/ner_eval.py [--profile fast] [--limit N] [--data PATH] [--ginza]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared/corpus/ner-wikipedia-ja/test.jsonl"
TYPE_MAP = {
    "人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG",
    "地名": "PLACE", "施設名": "PLACE", "製品名": "PRODUCT", "イベント名": "EVENT",
}
TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")
TYPE_MAP.update({t: t for t in TYPES})  # gold already in archivist's types (gold/ner_en.jsonl)


def load(path: Path, limit: int | None) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:limit] if line.strip()]


def gold_spans(item: dict) -> set[tuple[int, int, str]]:
    return {(e["span"][0], e["span"][1], TYPE_MAP[e["type"]]) for e in item["entities"] if e["type"] in TYPE_MAP}


def run_annotate(items: list[dict], profile: str) -> tuple[str, float]:
    """The JSON lines `archivist annotate --jsonl` prints for items, and its CPU time.

    CPU time (user + system of the child) rather than wall time, so that other work
    on the machine does not change the figure; on an idle machine they agree."""
    lines = "".join(json.dumps({"id": str(i), "text": x["text"]}, ensure_ascii=False) + "\n"
                    for i, x in enumerate(items))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "archivist", "annotate", "--jsonl", "--profile", profile],
                            input=lines, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result.stdout, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup_seconds(profile: str) -> float:
    """CPU time of annotating one short sentence: loading Python, models and dictionaries."""
    return min(run_annotate([{"text": "東京で会議が開かれた。"}], profile)[1] for _ in range(2))


def predict(items: list[dict], profile: str) -> tuple[dict[str, set], float]:
    stdout, seconds = run_annotate(items, profile)
    predicted = {}
    for line in stdout.splitlines():
        record = json.loads(line)
        predicted[record["id"]] = {(m["start"], m["end"], m["type"]) for m in record["mentions"]}
    return predicted, seconds


def ginza_speed(items: list[dict]) -> float:
    """Characters per CPU second of plain ja_ginza (every component) over the same texts."""
    import spacy  # late: only this comparison needs it in this process

    texts = [x["text"] for x in items]
    nlp = spacy.load("ja_ginza")
    list(nlp.pipe(texts[:20]))  # warm up
    started = time.process_time()
    list(nlp.pipe(texts, batch_size=64))
    return sum(map(len, texts)) / (time.process_time() - started)


def score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="default")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ginza", action="store_true", help="also time plain ja_ginza on the same texts")
    args = parser.parse_args()
    items = load(args.data, args.limit)
    predicted, seconds = predict(items, args.profile)
    counts = {t: Counter() for t in TYPES}
    for i, item in enumerate(items):
        gold, guess = gold_spans(item), predicted.get(str(i), set())
        for span in guess & gold:
            counts[span[2]]["tp"] += 1
        for span in guess - gold:
            counts[span[2]]["fp"] += 1
        for span in gold - guess:
            counts[span[2]]["fn"] += 1
    chars = sum(len(x["text"]) for x in items)
    startup = startup_seconds(args.profile)
    print(f"profile {args.profile}: {len(items)} sentences, {chars} characters, "
          f"{seconds:.1f} CPU s including start-up ({chars / seconds:,.0f} chars/s); "
          f"start-up {startup:.1f} s, so {chars / max(seconds - startup, 1e-9):,.0f} chars/s after it")
    if args.ginza:
        print(f"plain ja_ginza on the same texts: {ginza_speed(items):,.0f} chars per CPU second")
    print(f"{'type':8} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5}")
    for t in TYPES:
        c = counts[t]
        p, r, f = score(c["tp"], c["fp"], c["fn"])
        print(f"{t:8} {p:9.3f} {r:7.3f} {f:6.3f} {c['tp'] + c['fn']:5d}")
    total = sum(counts.values(), Counter())
    p, r, f = score(total["tp"], total["fp"], total["fn"])
    print(f"{'micro':8} {p:9.3f} {r:7.3f} {f:6.3f} {total['tp'] + total['fn']:5d}")


if __name__ == "__main__":
    main()

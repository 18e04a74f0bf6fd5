"""Train the Japanese entity recogniser shipped in src/archivist/models/ner_ja/.

Trains on the ner-wikipedia-ja train split only, holding out every article whose id
hashes to 0 mod 10 as a dev set for early stopping and per-type precision (the
confidence the annotator gives each type). The test split is never read: score it
with benchmarks/ner_eval.py. Seeds are fixed, so the same corpus gives the same model.

    python benchmarks/train_ner.py [--data PATH] [--out DIR] [--epochs N] [--patience N]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import zlib
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans, fix_random_seed, minibatch
from thinc.api import Adam, compounding

from archivist import models
from archivist.model import ENTITY_TYPES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/corpus/ner-wikipedia-ja/train.jsonl"
OUT = ROOT / "src/archivist/models/ner_ja"
TYPE_MAP = {
    "人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG",
    "地名": "PLACE", "施設名": "PLACE", "製品名": "PRODUCT", "イベント名": "EVENT",
}
SEED = 0
NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2, "use_upper": True,
        "nO": None,
        "tok2vec": {"@architectures": "archivist.StackedTok2Vec.v1", "tensor_width": 256,
                    "feature_width": 32, "feature_rows": 5000, "width": 128, "depth": 2},
    },
}
LICENCE = ("Derived from ner-wikipedia-dataset v2.0 by Stockmark Inc., "
           "CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/)")


def read(path: Path) -> tuple[list[dict], list[dict]]:
    """(train, dev) sentences; dev is every article whose id hashes to 0 mod 10."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [x for x in items if zlib.crc32(x["curid"].encode()) % 10 == 0]
    return [x for x in items if zlib.crc32(x["curid"].encode()) % 10 != 0], dev


def gold_spans(item: dict) -> set[tuple[int, int, str]]:
    return {(e["span"][0], e["span"][1], TYPE_MAP[e["type"]]) for e in item["entities"] if e["type"] in TYPE_MAP}


def example(predicted: Doc, item: dict, counts: Counter) -> Example:
    """predicted (ents unset) paired with a gold copy; spans that cut a token are left unknown."""
    reference = Doc(predicted.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted])
    spans, unknown = [], []
    for start, end, kind in sorted(gold_spans(item)):
        span = reference.char_span(start, end, label=kind)
        counts["spans"] += 1
        if span is None:
            counts["cut a token"] += 1
            unknown.append(reference.char_span(start, end, alignment_mode="expand"))
        else:
            spans.append(span)
    spans = filter_spans(spans)
    unknown = filter_spans([u for u in unknown if not any(u.start < s.end and s.start < u.end for s in spans)])
    reference.set_ents(spans, missing=unknown, default="outside")
    return Example(predicted, reference)


def examples(nlp, items: list[dict], counts: Counter) -> list[Example]:
    """Examples whose predicted docs carry GiNZA's vectors and labels, computed once."""
    docs = nlp.pipe((x["text"] for x in items), batch_size=64)
    return [example(doc, item, counts) for doc, item in zip(docs, items)]


def evaluate(ner, items: list[dict], dev: list[Example]) -> tuple[float, dict[str, Counter]]:
    """Strict micro F1 over character spans, and counts per type."""
    docs = ner.pipe((eg.predicted.copy() for eg in dev), batch_size=256)
    counts = {kind: Counter() for kind in ENTITY_TYPES}
    for doc, item in zip(docs, items):
        gold, guess = gold_spans(item), {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for span in guess & gold:
            counts[span[2]]["tp"] += 1
        for span in guess - gold:
            counts[span[2]]["fp"] += 1
        for span in gold - guess:
            counts[span[2]]["fn"] += 1
    total = sum(counts.values(), Counter())
    return 2 * total["tp"] / max(1, 2 * total["tp"] + total["fp"] + total["fn"]), counts


def train(nlp, train_set: list[Example], dev_items: list[dict], dev: list[Example],
          epochs: int, patience: int) -> tuple[bytes, float, dict[str, Counter]]:
    """The ner component's best bytes (averaged weights) by dev F1, with its dev figures."""
    ner = nlp.get_pipe("ner")
    optimizer = Adam(0.001, L2=0.01, grad_clip=1.0, use_averages=True, L2_is_weight_decay=True)
    best: tuple[bytes, float, dict[str, Counter]] = (b"", -1.0, {})
    since_best = 0
    for epoch in range(epochs):
        random.shuffle(train_set)
        losses: dict[str, float] = {}
        for batch in minibatch(train_set, size=compounding(8, 32, 1.002)):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        with ner.model.use_params(optimizer.averages):
            f1, counts = evaluate(ner, dev_items, dev)
            if f1 > best[1]:
                best, since_best = (ner.to_bytes(), f1, counts), 0
            else:
                since_best += 1
        print(f"epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, dev F1 {f1:.3f}", flush=True)
        if since_best >= patience:
            break
    return best


def precision(counts: dict[str, Counter]) -> dict[str, float]:
    return {kind: round(c["tp"] / max(1, c["tp"] + c["fp"]), 3) for kind, c in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    fix_random_seed(SEED)
    random.seed(SEED)
    base = models.load_ginza_base()
    train_items, dev_items = read(args.data)
    counts: Counter = Counter()
    train_set, dev = examples(base, train_items, counts), examples(base, dev_items, Counter())
    print(f"{len(train_set)} train and {len(dev)} dev sentences; {counts['cut a token']} of "
          f"{counts['spans']} train spans cut a token and are left unknown "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    nlp = spacy.blank("ja", vocab=base.vocab, config={"nlp": {"tokenizer": base.config["nlp"]["tokenizer"]}})
    nlp.add_pipe("ner", config=NER_CONFIG)
    nlp.initialize(lambda: train_set[:500])
    weights, f1, dev_counts = train(nlp, train_set, dev_items, dev, args.epochs, args.patience)
    nlp.get_pipe("ner").from_bytes(weights)
    nlp.meta.update({
        "name": "archivist_ner_ja", "version": "1.0.0", "license": "CC BY-SA 3.0", "sources": [LICENCE],
        "description": "Japanese entity recogniser (PERSON, ORG, PLACE, PRODUCT, EVENT) over ja_ginza",
        "performance": {"dev_f1": round(f1, 3), "dev_precision": precision(dev_counts)},
    })
    nlp.to_disk(args.out, exclude=["vocab"])  # ja_ginza's vocabulary and vectors are used at load time
    print(f"dev F1 {f1:.3f}; precision {precision(dev_counts)}; "
          f"{time.perf_counter() - started:.0f} s; saved to {args.out}")


if __name__ == "__main__":
    main()

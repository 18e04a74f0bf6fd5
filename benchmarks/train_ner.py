"""Train the Japanese entity recogniser shipped in src/archivist/models/ner_ja/.

Fine-tunes ja_ginza's tok2vec, cut to its first --depth layers, together with a new
entity recogniser, on the ner-wikipedia-ja train split only, holding out every
article whose id hashes to 0 mod 10 as a dev set for early stopping and per-type
precision (the confidence the annotator gives each type). The test split is never
read: score it with benchmarks/ner_eval.py. Seeds are fixed, so the same corpus gives
the same model. About six minutes an epoch on a 2-core machine with all eight layers
(an hour in all); dev F1 was still rising slowly at the last epoch.

    python benchmarks/train_ner.py [--data PATH] [--out DIR] [--epochs N] [--patience N] [--depth N]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import zlib
from collections import Counter
from pathlib import Path

from spacy.pipeline.tok2vec import Tok2VecListener
from spacy.tokens import Doc
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
        "tok2vec": {"@architectures": "archivist.ListenerWithFeatures.v1", "upstream_width": 256,
                    "feature_width": 32, "feature_rows": 5000, "width": 128, "depth": 1},
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
    return [example(nlp.make_doc(item["text"]), item, counts) for item in items]


def evaluate(nlp, items: list[dict]) -> tuple[float, dict[str, Counter]]:
    """Strict micro F1 over character spans, and counts per type."""
    docs = nlp.pipe((item["text"] for item in items), batch_size=256)
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


def pipeline(depth: int):
    """ja_ginza's tokenizer and tok2vec, cut to its first depth layers, and a new "ner" listening to it."""
    models.register_layers()
    nlp = models.load_ginza(keep=("tok2vec",))
    encoder = nlp.get_pipe("tok2vec").model.get_ref("encode").layers[0]  # with_array(residual layers)
    del encoder._layers[depth:]
    nlp.get_pipe_config("tok2vec")["model"]["encode"]["depth"] = depth  # saved, so it loads as cut
    nlp.add_pipe("ner", config=NER_CONFIG)
    return nlp


def train(nlp, train_set: list[Example], dev_items: list[dict], out: Path, epochs: int,
          patience: int) -> tuple[float, dict[str, Counter]]:
    """Trains tok2vec and ner together; saves the pipeline (averaged weights) with the best dev F1."""
    optimizer = Adam(0.001, L2=0.01, grad_clip=1.0, use_averages=True, L2_is_weight_decay=True)
    best: tuple[float, dict[str, Counter]] = (-1.0, {})
    since_best = 0
    for epoch in range(epochs):
        random.shuffle(train_set)
        losses: dict[str, float] = {}
        for batch in minibatch(train_set, size=compounding(8, 32, 1.002)):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            f1, counts = evaluate(nlp, dev_items)
            if f1 > best[0]:
                best, since_best = (f1, counts), 0
                nlp.to_disk(out, exclude=["vocab"])  # ja_ginza's vocabulary and vectors are used at load time
                write_meta(out, f1, counts, epoch, nlp.get_pipe_config("tok2vec")["model"]["encode"]["depth"])
            else:
                since_best += 1
        print(f"epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, dev F1 {f1:.3f}", flush=True)
        if since_best >= patience:
            break
    return best


def write_meta(out: Path, f1: float, counts: dict[str, Counter], epoch: int, depth: int) -> None:
    """The saved model's meta.json: name, version, licence and its dev figures."""
    path = out / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update({
        "name": "archivist_ner_ja", "version": "2.0.0", "license": "CC BY-SA 3.0", "sources": [LICENCE],
        "description": "Japanese entity recogniser (PERSON, ORG, PLACE, PRODUCT, EVENT) over ja_ginza's "
                       f"tok2vec ({depth} of its 8 layers), fine-tuned with it",
        "performance": {"dev_f1": round(f1, 3), "dev_precision": precision(counts), "epochs": epoch + 1},
    })
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def precision(counts: dict[str, Counter]) -> dict[str, float]:
    return {kind: round(c["tp"] / max(1, c["tp"] + c["fp"]), 3) for kind, c in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=11)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--depth", type=int, default=8, help="layers of ja_ginza's tok2vec to keep (of 8)")
    args = parser.parse_args()
    started = time.perf_counter()
    fix_random_seed(SEED)
    random.seed(SEED)
    nlp = pipeline(args.depth)
    train_items, dev_items = read(args.data)
    counts: Counter = Counter()
    train_set = examples(nlp, train_items, counts)
    print(f"{len(train_set)} train and {len(dev_items)} dev sentences; {counts['cut a token']} of "
          f"{counts['spans']} train spans cut a token and are left unknown", flush=True)
    ner = nlp.get_pipe("ner")
    ner.initialize(lambda: train_set[:500], nlp=nlp)  # tok2vec keeps ja_ginza's weights
    listener = next(node for node in ner.model.walk() if isinstance(node, Tok2VecListener))
    nlp.get_pipe("tok2vec").add_listener(listener, "ner")
    f1, dev_counts = train(nlp, train_set, dev_items, args.out, args.epochs, args.patience)
    print(f"dev F1 {f1:.3f}; precision {precision(dev_counts)}; "
          f"{time.perf_counter() - started:.0f} s; saved to {args.out}")


if __name__ == "__main__":
    main()

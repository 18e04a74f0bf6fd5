"""Trained models shipped with archivist, and how they are loaded.

``ner_ja/`` is a spaCy pipeline for Japanese entities (see its README.md), trained by
benchmarks/train_ner.py: ja_ginza's tokenizer, its tok2vec fine-tuned (and cut to its
first layers) and an entity recogniser. It is saved without a vocabulary: ja_ginza's,
with its word vectors, is used at load time.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path
from typing import Any

NER_JA = Path(__file__).resolve().parent / "ner_ja"
GINZA = "ja_ginza"
GINZA_COMPONENTS = ("tok2vec", "parser", "morphologizer", "compound_splitter", "bunsetu_recognizer",
                    "attribute_ruler", "ner")


@cache  # read once: asked for every document's cache key
def ner_ja_meta() -> dict:
    """The recogniser's meta.json: version, licence, dev figures."""
    return json.loads((NER_JA / "meta.json").read_text(encoding="utf-8"))


def load_ginza(keep: tuple[str, ...] = ()) -> Any:
    """ja_ginza's tokenizer and vocabulary, with only the components named in keep."""
    import spacy  # late: loading spaCy takes seconds, and only entity recognition needs it

    return spacy.load(GINZA, exclude=[name for name in GINZA_COMPONENTS if name not in keep])


def register_layers() -> None:
    """Makes the recogniser's layers known to spaCy (importing the module registers them)."""
    importlib.import_module(f"{__name__}.layers")


def load_ner_ja(path: Path = NER_JA) -> Any:
    """The recogniser's pipeline (tokenizer, tok2vec, ner) over ja_ginza's vocabulary."""
    import spacy

    register_layers()
    return spacy.load(path, vocab=load_ginza().vocab)

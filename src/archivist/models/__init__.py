"""Trained models shipped with archivist, and how they are loaded.

``ner_ja/`` is a spaCy entity recogniser for Japanese (see its README.md), trained by
benchmarks/train_ner.py. It reads what ja_ginza computes, so it is loaded on top of
ja_ginza's tokenizer, tok2vec and ner, sharing their vocabulary and vectors.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

NER_JA = Path(__file__).resolve().parent / "ner_ja"
GINZA = "ja_ginza"
GINZA_UNUSED = ("parser", "morphologizer", "compound_splitter", "bunsetu_recognizer", "attribute_ruler")


@cache  # read once: asked for every document's cache key
def ner_ja_meta() -> dict:
    """The recogniser's meta.json: version, licence, dev figures."""
    return json.loads((NER_JA / "meta.json").read_text(encoding="utf-8"))


def load_ginza_base() -> Any:
    """ja_ginza with what the recogniser reads: tokens, contextual vectors and GiNZA's own labels."""
    import spacy  # late: loading spaCy takes seconds, and only entity recognition needs it

    from . import layers  # registers the recogniser's layers and components

    nlp = spacy.load(GINZA, exclude=list(GINZA_UNUSED))
    nlp.rename_pipe("ner", "ene")
    nlp.add_pipe(layers.ENE_COMPONENT)
    return nlp


def load_ner_ja(path: Path = NER_JA) -> Any:
    """The pipeline ending in the trained recogniser ("ner"); its meta is the recogniser's."""
    import spacy

    nlp = load_ginza_base()
    trained = spacy.load(path, vocab=nlp.vocab)
    nlp.add_pipe("ner", source=trained)
    nlp.meta["archivist_ner"] = trained.meta
    return nlp

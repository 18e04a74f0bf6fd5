"""Annotators: an ordered list of named modules, each returning standoff spans.

Each annotator module defines NAME, VERSION, ``settings(ctx) -> str`` (whatever
besides the text changes its result, for the cache key) and
``annotate(doc, ctx) -> Annotations``. Adding one is a module plus one line in
ANNOTATORS. Results are cached per annotator by (text hash, name, version, settings).
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ..cache import Cache
from ..model import Annotations, Document
from ..registry import Registry
from .merge import merge_annotations

ANNOTATORS: dict[str, str] = {
    "registry": "archivist.annotators.registry_match",
    "ner": "archivist.annotators.ner_ja",
    "rules": "archivist.annotators.rules_ja",
    "english": "archivist.annotators.english",
    "quotes": "archivist.annotators.quotes",
}


@dataclass
class Models:
    """Loaded NLP pipelines, loaded lazily once per process and shared by annotators."""

    loaded: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, loader) -> Any:
        """The model called name, loaded by loader() on first use."""
        if name not in self.loaded:
            self.loaded[name] = loader()
        return self.loaded[name]


@dataclass
class AnnotateContext:
    """What annotators may use besides the document."""

    names: tuple[str, ...]  # annotators to run, in order
    registry: Registry  # the archive's entity registry (empty outside an archive)
    models: Models = field(default_factory=Models)  # shared lazily loaded models
    cache: Cache | None = None  # annotation cache, or None to always run


def annotator(name: str) -> ModuleType:
    """The module of the annotator called name."""
    return importlib.import_module(ANNOTATORS[name])


def text_hash(doc: Document) -> str:
    """Hash of everything an annotator reads: language and block texts and kinds."""
    digest = hashlib.sha256(doc.lang.encode())
    for block in doc.blocks:
        digest.update(b"\x00" + block.kind.encode() + b"\x01" + block.text.encode("utf-8"))
    return digest.hexdigest()


def annotate(doc: Document, ctx: AnnotateContext) -> Annotations:
    """Run ctx.names over doc (from the cache where possible) and merge their spans."""
    results = []
    digest = text_hash(doc)
    for name in ctx.names:
        module = annotator(name)
        key = (digest, name, str(module.VERSION), module.settings(ctx))
        result = ctx.cache.get(key) if ctx.cache else None
        if result is None:
            result = module.annotate(doc, ctx)
            if ctx.cache:
                ctx.cache.put(key, result)
        results.append(result)
    return merge_annotations(results)

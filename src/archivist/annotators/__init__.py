"""Annotators: an ordered list of named modules, each returning standoff spans.

Each annotator module defines NAME, VERSION, ``settings(ctx) -> str`` (whatever
besides the text changes its result, for the cache key) and
``annotate(doc, ctx) -> Annotations``, and may define ``annotate_many(docs, ctx)``
to read several documents in one batch. Adding one is a module plus one line in
ANNOTATORS. Results are cached per annotator by (text hash, name, version, settings);
only the process that owns the cache reads and writes it, so annotators can run
anywhere (see executors.py). The merged result of a document is cached too, under a
key made of every annotator's, so a warm build reads one entry per document.
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
from . import merge
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


CacheKey = tuple[str, str, str, str]  # (text hash, annotator, version, settings)


@dataclass
class Pending:
    """One document's cached results and the annotators still to run on it."""

    doc: Document
    keys: dict[str, CacheKey]  # annotator name -> its cache key for this document
    results: dict[str, Annotations]  # annotator name -> result, the cached ones so far
    missing: tuple[str, ...]  # annotators to run, in ctx.names order
    merged: Annotations | None = None  # the cached merged result, when there is one


def pending(doc: Document, ctx: AnnotateContext) -> Pending:
    """What the cache already holds for doc, and what is left to compute."""
    digest = text_hash(doc)
    keys = {}
    for name in ctx.names:
        module = annotator(name)
        keys[name] = (digest, name, str(module.VERSION), module.settings(ctx))
    merged = ctx.cache.get(merged_key(keys)) if ctx.cache and keys else None
    if merged is not None:
        return Pending(doc, keys, {}, (), merged)
    results = {}
    for name, key in keys.items():
        result = ctx.cache.get(key) if ctx.cache else None
        if result is not None:
            results[name] = result
    return Pending(doc, keys, results, tuple(n for n in ctx.names if n not in results))


def merged_key(keys: dict[str, CacheKey]) -> CacheKey:
    """The cache key of the merged result: every annotator's key, in order, and the
    merge rule's version."""
    digest = next(iter(keys.values()))[0]
    parts = "\x02".join("\x03".join(key[1:]) for key in keys.values())
    return (digest, "merged", merge.VERSION, parts)


def run_annotators(work: list[tuple[Document, tuple[str, ...]]], ctx: AnnotateContext) -> list[dict[str, Annotations]]:
    """Each document's named annotators run, without the cache; one batch per annotator."""
    results: list[dict[str, Annotations]] = [{} for _ in work]
    for name in ctx.names:
        indexes = [i for i, (_, names) in enumerate(work) if name in names]
        if not indexes:
            continue
        module = annotator(name)
        docs = [work[i][0] for i in indexes]
        many = getattr(module, "annotate_many", None)
        found = many(docs, ctx) if many else [module.annotate(doc, ctx) for doc in docs]
        for index, result in zip(indexes, found):
            results[index][name] = result
    return results


def finish(item: Pending, computed: dict[str, Annotations], ctx: AnnotateContext) -> Annotations:
    """Store computed results in the cache, then merge every result in ctx.names order
    (and cache the merged result too)."""
    if item.merged is not None:
        return item.merged
    for name, result in computed.items():
        if ctx.cache:
            ctx.cache.put(item.keys[name], result)
        item.results[name] = result
    merged = merge_annotations([item.results[name] for name in ctx.names])
    if ctx.cache and item.keys:
        ctx.cache.put(merged_key(item.keys), merged)
    return merged


def annotate(doc: Document, ctx: AnnotateContext) -> Annotations:
    """Run ctx.names over doc (from the cache where possible) and merge their spans."""
    item = pending(doc, ctx)
    computed = run_annotators([(doc, item.missing)], ctx)[0] if item.missing else {}
    return finish(item, computed, ctx)

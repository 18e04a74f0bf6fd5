"""Where annotators run: in this process, in worker processes, or on a Dask cluster.

Only the coordinating process touches the annotation cache. It looks up every
document, sends the ones with missing results to an executor in batches of about
BATCH_CHARS characters, and writes each batch's results to the cache as it comes
back, so an interrupted build keeps the work that finished. Workers load their
models once and keep them for every batch they are given. Results do not depend on
where, or in which batch, a document was annotated.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Protocol

from .annotators import AnnotateContext, Models, Pending, finish, pending, run_annotators
from .errors import BuildError
from .model import Annotations, Document
from .progress import Progress
from .registry import Registry

BATCH_CHARS = 10_000  # characters per batch: a few seconds of work, so progress and the cache move often
CONNECT_SECONDS = 30  # how long to wait for a Dask scheduler
MIN_POOL_CHARS = 50_000  # below this much text, starting workers and their models costs more than it saves

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# The models loaded in this process serve one thread at a time: the preview server
# annotates an edited page while its builder thread may be annotating too.
IN_PROCESS = threading.Lock()
Batch = list[tuple[Document, tuple[str, ...]]]  # documents and the annotators each still needs
BatchResults = list[dict[str, Annotations]]  # per document: annotator name -> result


class Executor(Protocol):
    def run(self, batches: list[Batch], ctx: AnnotateContext) -> Iterator[tuple[int, BatchResults]]:
        """(batch number, results) for every batch, in the order they finish."""


@dataclass(frozen=True)
class Local:
    """This machine: worker processes, or this process when jobs is 1 or the work is small."""

    jobs: int | None = None  # worker processes; None: one per CPU, and none for small work

    def run(self, batches: list[Batch], ctx: AnnotateContext) -> Iterator[tuple[int, BatchResults]]:
        jobs = self.jobs or os.cpu_count() or 1
        small = self.jobs is None and sum(_chars(doc) for batch in batches for doc, _ in batch) < MIN_POOL_CHARS
        if jobs == 1 or len(batches) == 1 or small:
            return _in_process(batches, ctx)
        return _in_pool(batches, ctx, min(jobs, len(batches)))


@dataclass(frozen=True)
class Dask:
    """A Dask distributed cluster; its workers need archivist installed, not the archive."""

    scheduler: str  # the scheduler's address, e.g. tcp://10.0.0.5:8786

    def run(self, batches: list[Batch], ctx: AnnotateContext) -> Iterator[tuple[int, BatchResults]]:
        try:
            from distributed import Client, as_completed as finished  # late: an optional dependency
        except ImportError:
            raise BuildError("the dask executor needs Dask: pip install 'archivist[dask]'") from None
        try:
            client = Client(self.scheduler, timeout=CONNECT_SECONDS)
        except OSError as error:
            raise BuildError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None
        with client:
            registry = client.scatter(ctx.registry, broadcast=True)
            futures = [client.submit(annotate_batch, batch, ctx.names, registry, pure=False) for batch in batches]
            numbers = {future.key: number for number, future in enumerate(futures)}
            try:
                for future in finished(futures):
                    yield numbers[future.key], future.result()
            finally:
                client.cancel(futures)


def render_jobs(executor: Executor | None) -> int:
    """How many processes make the pages: --jobs on this machine, else one per CPU."""
    jobs = executor.jobs if isinstance(executor, Local) else None
    return jobs or os.cpu_count() or 1


def annotate_all(documents: list[Document], ctx: AnnotateContext, executor: Executor,
                 progress: Progress | None = None, batch_chars: int = BATCH_CHARS) -> dict[str, Annotations]:
    """Every document's merged annotations: cached results, the rest computed by executor.

    Fully cached documents are never sent to it; when none is left, it is not even started.
    """
    items = [pending(doc, ctx) for doc in documents]
    todo = [item for item in items if item.missing]
    batches = make_batches(todo, batch_chars)
    progress = progress or Progress(None)
    progress.start(len(todo), sum(_chars(item.doc) for item in todo))
    annotations = {item.doc.id: finish(item, {}, ctx) for item in items if not item.missing}
    work = [[(item.doc, item.missing) for item in batch] for batch in batches]
    for number, results in executor.run(work, ctx) if work else ():
        for item, computed in zip(batches[number], results):
            annotations[item.doc.id] = finish(item, computed, ctx)  # written to the cache now
        progress.advance(len(batches[number]), sum(_chars(item.doc) for item in batches[number]))
    progress.finish()
    return {doc.id: annotations[doc.id] for doc in documents}


def make_batches(items: list[Pending], limit: int = BATCH_CHARS) -> list[list[Pending]]:
    """items in order, cut into runs of about limit characters (a longer document is alone)."""
    batches: list[list[Pending]] = []
    size = limit
    for item in items:
        if size >= limit:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += _chars(item.doc)
    return batches


def annotate_batch(batch: Batch, names: tuple[str, ...], registry: Registry) -> BatchResults:
    """Run on a worker: the batch's missing annotators, with the worker's models."""
    return run_annotators(batch, AnnotateContext(names=names, registry=registry, models=worker_models()))


@functools.cache
def worker_models() -> Models:
    """The models of this worker process, loaded on first use and kept for its later batches."""
    return Models()


def _in_process(batches: list[Batch], ctx: AnnotateContext) -> Iterator[tuple[int, BatchResults]]:
    uncached = replace(ctx, cache=None)
    for number, batch in enumerate(batches):
        with IN_PROCESS:
            results = run_annotators(batch, uncached)
        yield number, results


def _in_pool(batches: list[Batch], ctx: AnnotateContext, jobs: int) -> Iterator[tuple[int, BatchResults]]:
    # spawn, not fork: the parent may hold threads (the preview server) and loaded models
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_one_thread)
    try:
        futures = {pool.submit(annotate_batch, batch, ctx.names, ctx.registry): number
                   for number, batch in enumerate(batches)}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(cancel_futures=True)


def _one_thread() -> None:
    """Keep a worker's BLAS to one thread: the workers already fill the cores (Dask does the same)."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")  # read when numpy loads, which is after this


def _chars(doc: Document) -> int:
    return sum(len(block.text) for block in doc.blocks)

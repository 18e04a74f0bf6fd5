"""Annotation in worker processes and on a Dask cluster: the serial result, one cache writer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pytest

from archivist.annotators import AnnotateContext, Models, annotate, ner_ja
from archivist.build import build, read_documents
from archivist.cache import Cache
from archivist.config import PROFILES, load_config
from archivist.executors import Batch, BatchResults, Dask, Local, annotate_all
from archivist.model import Document
from archivist.registry import Registry, load_registry
from archivist.sources import read_document

from conftest import SEED

REGISTRY = '[[entity]]\nname = "山田花子"\ntype = "PERSON"\n'


def _files(count: int = 8) -> dict[str, str]:
    files = {"entities.toml": REGISTRY}
    for n in range(count):
        files[f"content/{n:02d}.md"] = (
            f"---\ntitle: 記事{n}\n---\n\n"
            f"山田花子さんは名古屋で{n}回目の会見を開き、「準備は進んでいる」と語った。\n\n"
            f"経済産業省の田中一郎局長は「{n}件の申請を受け付けた」と述べた。\n"
        )
    files["content/en.md"] = '---\ntitle: News\n---\n\n"We are ready," said Jane Smith of Acme Corp in Paris.\n'
    return files


def _context(site: Path, cache: Cache | None) -> tuple[list[Document], AnnotateContext]:
    config = load_config(site)
    documents, problems = read_documents(config)
    assert not problems
    return documents, AnnotateContext(config.annotator_names, load_registry(config.registry_path), cache=cache)


def _json(annotations: dict) -> dict:
    return {doc_id: asdict(result) for doc_id, result in annotations.items()}


def _rows(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, value FROM results"))


@dataclass
class Recording:
    """An executor that runs batches here and remembers how many documents it was given."""

    given: list[int] = field(default_factory=list)
    stop_after: int | None = None  # raise KeyboardInterrupt after this many batches

    def run(self, batches: list[Batch], ctx: AnnotateContext) -> Iterator[tuple[int, BatchResults]]:
        for number, results in Local(1).run(batches, ctx):
            if self.stop_after is not None and len(self.given) == self.stop_after:
                raise KeyboardInterrupt
            self.given.append(len(batches[number]))
            yield number, results


def test_worker_processes_give_the_serial_result_and_fill_the_cache(make_site, tmp_path: Path) -> None:
    site = make_site(_files(), 'title = "T"\nprofile = "fast"\n')
    documents, serial_ctx = _context(site, Cache(tmp_path / "serial.sqlite"))
    serial = annotate_all(documents, serial_ctx, Local(1))
    pool_cache = Cache(tmp_path / "pool.sqlite")
    _, pool_ctx = _context(site, pool_cache)
    pooled = annotate_all(documents, pool_ctx, Local(2), batch_chars=150)
    assert _json(pooled) == _json(serial)
    assert list(pooled) == [doc.id for doc in documents]
    serial_ctx.cache.close()
    pool_cache.close()
    rows = _rows(tmp_path / "pool.sqlite")
    assert len(rows) == len(documents) * (len(PROFILES["fast"]) + 1)  # each annotator's result, and merged
    assert rows == _rows(tmp_path / "serial.sqlite")


def test_a_warm_document_reads_only_its_merged_result(make_site, tmp_path) -> None:
    site = make_site(_files(3), 'title = "T"\nprofile = "fast"\n')
    documents, ctx = _context(site, Cache(tmp_path / "cache.sqlite"))
    cold = annotate_all(documents, ctx, Local(1))
    assert ctx.cache is not None
    read = []
    get = ctx.cache.get
    ctx.cache.get = lambda key: read.append(key[1]) or get(key)  # type: ignore[method-assign]
    assert annotate_all(documents, ctx, Recording()) == cold
    assert read == ["merged"] * len(documents)
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:  # a damaged merged entry is recomputed
        db.execute("UPDATE results SET value = 'not json'")
    read.clear()
    assert annotate_all(documents, ctx, Recording()) == cold
    assert read.count("merged") == len(documents) and len(read) > len(documents)
    ctx.cache.close()


def test_cached_documents_are_never_sent_and_an_interrupted_run_keeps_its_work(make_site, tmp_path) -> None:
    site = make_site(_files(6), 'title = "T"\nprofile = "fast"\n')
    documents, ctx = _context(site, Cache(tmp_path / "cache.sqlite"))
    with pytest.raises(KeyboardInterrupt):
        annotate_all(documents, ctx, Recording(stop_after=2), batch_chars=1)  # one document a batch
    finished = Recording()
    again = annotate_all(documents, ctx, finished, batch_chars=1)
    assert finished.given == [1] * (len(documents) - 2)  # the two finished before the stop were kept
    assert annotate_all(documents, ctx, Dask("tcp://127.0.0.1:9"), batch_chars=1) == again  # never contacted
    ctx.cache.close()


def _seed(blocks: slice) -> Document:
    """The sample archive's article, cut to some of its blocks."""
    doc = read_document(SEED, source="seed.txt")
    return replace(doc, blocks=doc.blocks[blocks])


def test_recogniser_batches_across_documents_match_one_at_a_time() -> None:
    seed = _seed(slice(None))
    documents = [replace(seed, id=str(n), blocks=seed.blocks[n::3]) for n in range(3)]
    ctx = AnnotateContext(("ner",), Registry.empty(), models=Models())
    together = ner_ja.annotate_many(documents, ctx)
    assert any(result.mentions for result in together)
    assert together == [ner_ja.annotate(doc, ctx) for doc in documents]


def test_a_dask_cluster_of_two_workers_fills_the_same_cache(make_site, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    site = make_site(_files(), 'title = "T"\nprofile = "fast"\n')
    serial_site = tmp_path / "serial"
    serial_site.mkdir()
    for path in site.rglob("*"):
        if path.is_file():
            (serial_site / path.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
            (serial_site / path.relative_to(site)).write_bytes(path.read_bytes())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = build(load_config(site), Dask(cluster.scheduler_address))
        seed = _seed(slice(0, 6))
        ctx = AnnotateContext(PROFILES["default"], Registry.empty())
        on_cluster = annotate_all([seed], ctx, Dask(cluster.scheduler_address))
    assert not result.problems and (site / "public" / "index.html").is_file()
    build(load_config(serial_site), Local(1))
    assert _rows(site / ".archivist" / "cache.sqlite") == _rows(serial_site / ".archivist" / "cache.sqlite")
    assert _json(on_cluster) == {seed.id: asdict(annotate(seed, ctx))}
    assert on_cluster[seed.id].mentions  # the recogniser ran on a worker


def test_the_command_line_checks_its_executor_flags(make_site, capsys) -> None:
    from archivist.cli import main

    site = make_site(_files(1), 'title = "T"\nprofile = "fast"\n')
    assert main(["build", str(site), "--executor", "dask"]) == 1
    assert "--executor dask needs --scheduler" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", str(site), "--jobs", "0"])
    assert "'0' is not a positive whole number" in capsys.readouterr().err
    assert main(["build", str(site), "--jobs", "2", "--quiet"]) == 0
    assert _rows(site / ".archivist" / "cache.sqlite")

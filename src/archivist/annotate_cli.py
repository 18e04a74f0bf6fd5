"""`archivist annotate`: the JSON contract for any file, inside an archive or not."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

from .annotators import AnnotateContext
from .apply_overrides import apply_overrides, document_keys
from .cache import Cache
from .config import CONFIG_FILE, Config, default_config, load_config
from .errors import ArchivistError, DocumentError
from .executors import Local, annotate_all
from .export import document_json, dumps, mention_json, quote_json
from .model import Annotations, Block, Document
from .overrides import load_overrides
from .registry import Registry, load_registry
from .resolve import resolve
from .sources import layout_for, read_document
from .sources.lang import detect_language


def find_site(path: Path) -> Path | None:
    """The archive folder holding path: the nearest ancestor with archive.toml."""
    for folder in path.resolve().parents:
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def settings_for(path: Path | None, site: Path | None, profile: str | None) -> tuple[Config, Registry]:
    """The archive's settings and registry, or the defaults and no registry outside one."""
    site = site or (find_site(path) if path else None)
    if site is None:
        return default_config(Path.cwd(), profile=profile), Registry.empty()
    config = load_config(site, profile=profile)
    return config, load_registry(config.registry_path)


def annotate_paths(paths: list[Path], out: IO[str], *, site: Path | None, profile: str | None) -> int:
    """Print one JSON array of documents; unreadable files are reported and skipped."""
    documents, problems = [], []
    config, registry = settings_for(paths[0], site, profile)
    for path in paths:
        try:
            source = _display_path(path, config)
            documents.append(read_document(path, layout=layout_for(path, config), source=source))
        except (DocumentError, OSError) as error:
            problems.append(error if isinstance(error, ArchivistError) else DocumentError(str(error), path))
    annotations = _with_overrides(config, documents, _annotate_all(documents, config, registry))
    annotations, entities = resolve(documents, annotations, registry)
    by_id = {e.id: e for e in entities}
    out.write(dumps([document_json(d, annotations[d.id], by_id) for d in documents]))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def annotate_jsonl(lines: IO[str], out: IO[str], *, site: Path | None, profile: str | None) -> int:
    """Read {"id", "text"} lines; write {"id", "mentions", "quotes"} lines, offsets into text."""
    config, registry = settings_for(None, site, profile)
    documents, status = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, doc_id = item["text"], str(item["id"])
        except (ValueError, KeyError, TypeError) as error:
            print(f"error: <stdin>:{number}: not a {{id, text}} object ({error})", file=sys.stderr)
            status = 1
            continue
        documents.append(Document(id=doc_id, slug=doc_id, source="<stdin>", lang=detect_language(text),
                                  title="", blocks=[Block("paragraph", text)]))
    annotations = _annotate_all(documents, config, registry)
    annotations, _ = resolve(documents, annotations, registry)
    for doc in documents:
        result = annotations[doc.id]
        record = {"id": doc.id, "mentions": [mention_json(m) for m in result.mentions],
                  "quotes": [quote_json(q) for q in result.quotes]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return status


def _annotate_all(documents: list[Document], config: Config, registry: Registry) -> dict[str, Annotations]:
    cache = Cache(config.cache_path) if (config.site_dir / CONFIG_FILE).is_file() else None
    try:
        ctx = AnnotateContext(names=config.annotator_names, registry=registry, cache=cache)
        return annotate_all(documents, ctx, Local())
    finally:
        if cache:
            cache.close()


def _with_overrides(config: Config, documents: list[Document],
                    annotations: dict[str, Annotations]) -> dict[str, Annotations]:  # fmt: skip
    """Inside an archive, its editors' overrides applied as a build applies them, so the
    JSON is the archive's. Overrides of other documents, and the problems of the
    overrides files, are `archivist check`'s to report, not this command's."""
    if not (config.site_dir / CONFIG_FILE).is_file():
        return annotations
    overrides, _ = load_overrides(config)
    names = {name for doc in documents for name in document_keys(doc)}
    these = [override for override in overrides if override.document is None or override.document in names]
    return apply_overrides(documents, annotations, these)[0]


def _display_path(path: Path, config: Config) -> str:
    try:
        return path.resolve().relative_to(config.site_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

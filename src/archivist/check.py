"""`archivist check`: every problem with content, registry and overrides, without building."""

from __future__ import annotations

from .apply_overrides import apply_archive_overrides
from .config import Config
from .errors import ArchivistError, ProblemList
from .notices import document_notices
from .registry import load_registry


def check(config: Config) -> list[ArchivistError]:
    """Parse every document, the registry and the overrides; return every problem found.

    Overrides are placed by their words alone, so no annotator runs: an override
    that no longer finds its words is reported here as in a build."""
    from .build import read_documents

    documents, problems = read_documents(config)
    try:
        load_registry(config.registry_path)
    except ProblemList as error:
        problems.extend(error.problems)
    except ArchivistError as error:
        problems.append(error)
    problems.extend(apply_archive_overrides(config, documents, {})[1])
    problems.extend(notice for doc in documents for notice in document_notices(doc))
    if not documents and not problems:
        problems.append(ArchivistError("no documents found", config.content_path))
    return problems

"""`archivist check`: every problem with content and registry, without building."""

from __future__ import annotations

from .config import Config
from .errors import ArchivistError, ProblemList
from .registry import load_registry


def check(config: Config) -> list[ArchivistError]:
    """Parse every document and the registry; return every problem found."""
    from .build import read_documents

    documents, problems = read_documents(config)
    try:
        load_registry(config.registry_path)
    except ProblemList as error:
        problems.extend(error.problems)
    except ArchivistError as error:
        problems.append(error)
    if not documents and not problems:
        problems.append(ArchivistError("no documents found", config.content_path))
    return problems

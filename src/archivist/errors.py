"""The project's errors: each names the file (and block or line) at fault."""

from __future__ import annotations

from pathlib import Path


class ArchivistError(Exception):
    """Base of every error archivist reports to its user."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)

    def __reduce__(self) -> tuple:
        return type(self), (self.message, self.path)  # whole across processes


class ConfigError(ArchivistError):
    """archive.toml is missing, unreadable or holds bad or unknown keys."""


class DocumentError(ArchivistError):
    """A source document cannot be decoded or parsed; it is skipped."""


class StaleDocument(DocumentError):
    """A source that cannot be read now, built from the version an earlier build of
    the preview server read: a save caught half-written, or a typo being fixed."""


class RegistryError(ArchivistError):
    """The entity registry (entities.toml) is malformed."""


class TemplateError(ArchivistError):
    """A template fails to load or render; nothing is written."""


class BuildError(ArchivistError):
    """The site cannot be written (output folder, search index, ...)."""


class ContentWarning(ArchivistError):
    """Something in a document a reader would trip over; the document is still built."""


class ProblemList(ArchivistError):
    """Several problems found at once, reported together."""

    def __init__(self, problems: list[ArchivistError]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple:
        return type(self), (self.problems,)


def report_line(problem: ArchivistError) -> str:
    """How a problem is printed: a warning as one, anything else as an error."""
    level = "warning" if isinstance(problem, ContentWarning) else "error"
    return f"{level}: {problem}"


# A build shows every error but only the first warnings: on a large archive the same
# hundred warnings after every edit would bury its summary. `check` lists them all.
WARNINGS_SHOWN = 20


def report_lines(problems: list[ArchivistError], warnings_shown: int | None = None) -> list[str]:
    """One line per problem, errors first; past warnings_shown warnings, a count."""
    errors = [p for p in problems if not isinstance(p, ContentWarning)]
    warnings = [p for p in problems if isinstance(p, ContentWarning)]
    shown = warnings if warnings_shown is None else warnings[:warnings_shown]
    lines = [report_line(problem) for problem in errors + shown]
    if len(shown) < len(warnings):
        lines.append(f"… and {len(warnings) - len(shown)} more warning(s): `archivist check` lists them all")
    return lines

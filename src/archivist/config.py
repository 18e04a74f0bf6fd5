"""archive.toml: one frozen Config, loaded once, with every problem reported at once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, ProblemList

CONFIG_FILE = "archive.toml"
LAYOUTS = ("auto", "scraped", "livedoor", "markdown", "text")
PROFILES: dict[str, tuple[str, ...]] = {
    "default": ("registry", "ner", "english", "quotes"),
    "fast": ("registry", "rules", "english", "quotes"),
}
INTERFACE_LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class Config:
    site_dir: Path  # the archive folder, holding archive.toml
    title: str = "Archive"  # the site's name, shown on every page
    description: str = ""  # one sentence about the archive, for the index and feeds
    language: str = "ja"  # interface language: "ja" or "en"
    base_url: str = ""  # absolute address of the published site, for feeds and sitemap
    content_dir: str = "content"  # folder of source documents, relative to site_dir
    output_dir: str = "public"  # folder the site is written to, relative to site_dir
    registry: str = "entities.toml"  # entity registry file, relative to site_dir
    cache: str = ".archivist/cache.sqlite"  # annotation cache, relative to site_dir
    layout: str = "auto"  # source layout for every document, or "auto" to detect
    layouts: dict[str, str] = field(default_factory=dict)  # glob -> layout, per file
    profile: str = "default"  # annotator profile: "default" or "fast"
    annotators: tuple[str, ...] = ()  # explicit annotator order; overrides profile

    @property
    def content_path(self) -> Path:
        return self.site_dir / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.site_dir / self.output_dir

    @property
    def registry_path(self) -> Path:
        return self.site_dir / self.registry

    @property
    def cache_path(self) -> Path:
        return self.site_dir / self.cache

    @property
    def annotator_names(self) -> tuple[str, ...]:
        """Annotators to run, in order."""
        return self.annotators or PROFILES[self.profile]


def default_config(site_dir: Path | str = ".", **overrides: Any) -> Config:
    """Settings for a file outside any archive: defaults plus overrides."""
    return _checked(Config(site_dir=Path(site_dir)), overrides, Path(site_dir) / CONFIG_FILE)


def load_config(site_dir: Path | str, **overrides: Any) -> Config:
    """Read site_dir/archive.toml; CLI overrides (None means unset) win over it."""
    site_dir = Path(site_dir)
    path = site_dir / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("no archive.toml here (run 'archivist new DIR' to start one)", path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"cannot read: {error}", path)
    data.update({k: v for k, v in overrides.items() if v is not None})
    return _checked(Config(site_dir=site_dir), data, path)


def _checked(base: Config, data: dict[str, Any], path: Path) -> Config:
    known = {f.name: f for f in fields(Config) if f.name != "site_dir"}
    problems: list[ConfigError] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key not in known:
            problems.append(ConfigError(f"unknown key {key!r}", path))
            continue
        problem = _problem(key, value)
        if problem:
            problems.append(ConfigError(f"{key}: {problem}", path))
        else:
            values[key] = tuple(value) if key == "annotators" else value
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemList(problems)
    return replace(base, **values)


def _problem(key: str, value: Any) -> str | None:
    """What is wrong with one key's value, or None."""
    if key == "annotators":
        from .annotators import ANNOTATORS  # late: a skipped build never needs them

        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of annotator names"
        unknown = [v for v in value if v not in ANNOTATORS]
        return f"unknown annotator(s) {unknown}; known: {sorted(ANNOTATORS)}" if unknown else None
    if key == "layouts":
        if not isinstance(value, dict):
            return "must be a table of glob = layout"
        bad = [v for v in value.values() if v not in LAYOUTS]
        return f"unknown layout(s) {bad}; known: {list(LAYOUTS)}" if bad else None
    if not isinstance(value, str):
        return "must be a string"
    choices = {"layout": LAYOUTS, "profile": tuple(PROFILES), "language": INTERFACE_LANGUAGES}
    if key in choices and value not in choices[key]:
        return f"{value!r} is not one of {list(choices[key])}"
    return None

from pathlib import Path

import pytest

from archivist.config import PROFILES, default_config, load_config
from archivist.errors import ConfigError, ProblemList


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "archive.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_and_values(tmp_path):
    config = load_config(write(tmp_path, 'title = "ニュース"\nlanguage = "en"\n'))
    assert config.title == "ニュース"
    assert config.language == "en"
    assert config.output_path == tmp_path / "public"
    assert config.annotator_names == PROFILES["default"]


def test_overrides_win_and_none_is_unset(tmp_path):
    config = load_config(write(tmp_path, 'profile = "default"\n'), profile="fast", output_dir=None)
    assert config.profile == "fast"
    assert config.output_dir == "public"
    assert config.annotator_names == PROFILES["fast"]


def test_explicit_annotators_override_profile(tmp_path):
    config = load_config(write(tmp_path, 'annotators = ["quotes"]\n'))
    assert config.annotator_names == ("quotes",)


def test_every_problem_reported_at_once(tmp_path):
    site = write(tmp_path, 'colour = "red"\nlanguage = "fr"\nannotators = ["magic"]\nlayout = 3\n')
    with pytest.raises(ProblemList) as caught:
        load_config(site)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 4
    assert all("archive.toml" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)
    assert any("'fr'" in m for m in messages)
    assert any("magic" in m for m in messages)


def test_single_problem_names_file(tmp_path):
    with pytest.raises(ConfigError, match=r"archive\.toml: unknown key 'x'"):
        load_config(write(tmp_path, "x = 1\n"))


def test_missing_and_malformed(tmp_path):
    with pytest.raises(ConfigError, match="no archive.toml"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(write(tmp_path, "title = \n"))


def test_config_is_frozen(tmp_path):
    config = default_config(tmp_path)
    with pytest.raises(AttributeError):
        config.title = "changed"  # type: ignore[misc]

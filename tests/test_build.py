"""Whole builds: the sample archive, a bad document among good ones, determinism."""

import json
from pathlib import Path

import pytest

from archivist.build import build
from archivist.config import load_config
from archivist.errors import ConfigError

FAST = 'title = "Test"\nprofile = "fast"\n'


def test_sample_site_has_every_page_kind(sample_site):
    for page in ["index.html", "404.html", "entities/index.html", "quotes/index.html",
                 "documents/000_1e3ef660da145d7e/index.html", "data/entities.json",
                 "data/documents/000_1e3ef660da145d7e.json", "static/style.css"]:
        assert (sample_site / page).is_file(), page
    entity_pages = list((sample_site / "entities").glob("*/*/index.html"))
    assert len(entity_pages) >= 10


def test_sample_document_data_follows_contract(sample_site):
    data = json.loads((sample_site / "data/documents/000_1e3ef660da145d7e.json").read_text())
    assert data["lang"] == "ja" and data["byline"] == "シャオ・シャオ"
    assert sum(b["kind"] == "paragraph" for b in data["blocks"]) == 24
    ids = {e["id"] for e in data["entities"]}
    for mention in data["mentions"]:
        assert data["blocks"][mention["block"]]["text"][mention["start"]:mention["end"]] == mention["text"]
        assert mention["entity"] in ids
    for quote in data["quotes"]:
        assert data["blocks"][quote["block"]]["text"][quote["start"]:quote["end"]] == quote["text"]
        assert quote["speaker"] is None or quote["speaker"] in ids
    # the registry gathers the article's four spellings of one person into one entity
    chorzempa = [m for m in data["mentions"] if m["entity"] == "person/martin-chorzempa"]
    assert {m["text"] for m in chorzempa} >= {"マーティン・チョルゼンパ", "Jozempa", "ジョゼンパ", "ヨゼンプ"}


def test_bad_document_is_reported_and_the_rest_builds(make_site):
    site = make_site({
        "content/good.md": "---\ntitle: Good\nlang: en\n---\n\nAlice Smith said \"hello there\".\n",
        "content/empty.txt": "",
        "content/broken.md": "---\ntitle: [unclosed\n---\n\nBody.\n",
    }, FAST)
    result = build(load_config(site))
    names = sorted(Path(p.path).name for p in result.problems)
    assert names == ["broken.md", "empty.txt"]
    assert result.documents == 1
    assert (site / "public/documents/good/index.html").is_file()


def files_outside_search(public: Path) -> dict[Path, bytes]:
    """Every output file but Pagefind's, whose filter files list values in varying order."""
    return {p.relative_to(public): p.read_bytes() for p in public.rglob("*")
            if p.is_file() and "pagefind" not in p.relative_to(public).parts}


def test_same_inputs_give_identical_output(make_site):
    site = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n山田太郎氏は「こんにちは」と述べた。\n"}, FAST)
    build(load_config(site))
    first = files_outside_search(site / "public")
    mtimes = {p: (site / "public" / p).stat().st_mtime_ns for p in first}
    result = build(load_config(site))
    second = files_outside_search(site / "public")
    assert first == second
    assert result.written == 0
    assert all((site / "public" / p).stat().st_mtime_ns == t for p, t in mtimes.items())


def test_broken_template_or_config_writes_nothing(make_site):
    site = make_site({"content/a.md": "---\ntitle: A\n---\n\nText.\n"}, FAST)
    build(load_config(site))
    before = (site / "public/index.html").read_bytes()
    (site / "archive.toml").write_text('title = "B"\nunknown = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown"):
        build(load_config(site))
    assert (site / "public/index.html").read_bytes() == before


def test_a_broken_template_stops_the_build_before_any_document_is_read(make_site, tmp_path, monkeypatch):
    import shutil

    import archivist.build
    import archivist.render
    from archivist.errors import TemplateError

    site = make_site({"content/a.md": "---\ntitle: A\n---\n\nText.\n"}, FAST)
    templates = tmp_path / "templates"
    shutil.copytree(archivist.render.templates_dir(), templates)
    (templates / "entity.html").write_text('{% extends "base.html" %}{% block main %}{% if x %}{% endblock %}',
                                           encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(archivist.render, "templates_dir", lambda: templates)

    def read_documents(*args, **kwargs):
        raise AssertionError("documents were read")

    monkeypatch.setattr(archivist.build, "read_documents", read_documents)
    with pytest.raises(TemplateError) as raised:
        build(load_config(site))
    assert "entity.html" in str(raised.value) and "cannot compile" in str(raised.value)
    assert not (site / "public").exists()

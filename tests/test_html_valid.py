"""The Nu Html Checker (vnu.jar) finds no error in any built page, stylesheet or icon.

vnu.jar comes from the npm registry (`make checkers`, run by `make test`) and runs on
Java 17 or later. Warnings are allowed; errors fail the test and are printed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / ".venv" / "checkers" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(*args: str) -> list[str]:
    """The checker's errors for the files or folders given, one line each."""
    java = shutil.which("java")
    if not java or not VNU.is_file():
        pytest.fail("vnu.jar or java is missing: run `make checkers` (part of `make test`)")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *args],
                         capture_output=True, text=True, check=False)  # fmt: skip
    report = json.loads(run.stderr or '{"messages": []}')
    errors = [
        f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors or run.returncode == 0, run.stderr
    return errors


def test_every_page_of_the_sample_site_is_valid_html(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    errors = vnu_errors("--skip-non-html", *map(str, pages))
    assert not errors, "\n".join(errors)


def test_the_pages_of_a_long_document_list_are_valid_html(long_site):
    pages = [long_site / "index.html", *sorted((long_site / "page").glob("*/index.html"))]
    pages += [long_site / "quotes/index.html", *sorted((long_site / "quotes/page").glob("*/index.html"))]
    errors = vnu_errors(*map(str, pages))
    assert not errors, "\n".join(errors)


def test_the_stylesheet_and_icon_are_valid(sample_site):
    errors = vnu_errors("--css", str(sample_site / "static" / "style.css"))
    errors += vnu_errors("--svg", str(sample_site / "static" / "favicon.svg"))
    assert not errors, "\n".join(errors)


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_every_json_ld_block_parses_and_entity_pages_describe_their_entity(sample_site):
    for page in sample_site.rglob("*.html"):
        for block in JSON_LD.findall(page.read_text(encoding="utf-8")):
            data = json.loads(block)
            assert data["@context"] == "https://schema.org", page
    page = sample_site / "entities" / "person" / "martin-chorzempa" / "index.html"
    (block,) = JSON_LD.findall(page.read_text(encoding="utf-8"))
    data = json.loads(block)
    assert data["@type"] == "Person" and data["name"] == "マーティン・チョルゼンパ"
    assert data["description"] and "Martin Chorzempa" in data["alternateName"]
    with_wikidata = [json.loads(b) for p in sample_site.glob("entities/*/*/index.html")
                     for b in JSON_LD.findall(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert any(s.startswith("https://www.wikidata.org/wiki/Q")
               for d in with_wikidata for s in d.get("sameAs", []))  # fmt: skip


def test_the_checker_reports_errors(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><title>x</title><p><div>x</p>", encoding="utf-8")
    assert vnu_errors(str(page))

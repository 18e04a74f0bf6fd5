"""`archivist entities`: the listing, --suggest, and no model run when the cache is warm."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from archivist.build import build
from archivist.cli import main
from archivist.config import load_config
from archivist.duplicates import org_key, plain_key, sounds_alike

ARTICLE = "題\n\nアップル（Apple）の担当者は株式会社ミナトを訪れた。ミナトの社長ジョン・スミス氏と会った。\n"
SECOND = "題\n\nジョンスミス氏は東京で講演した。ミナトの新製品について話した。\n"
ADDED = '''
[[add]]
exact = "アップル"
type = "ORG"

[[add]]
exact = "Apple"
type = "ORG"

[[add]]
exact = "株式会社ミナト"
type = "ORG"

[[add]]
exact = "ミナト"
type = "ORG"

[[add]]
exact = "ジョン・スミス"
type = "PERSON"
'''
SECOND_ADDED = '[[add]]\nexact = "ジョンスミス"\ntype = "PERSON"\n\n[[add]]\nexact = "ミナト"\ntype = "ORG"\n'


def make_archive(make_site) -> Path:
    return make_site({
        "content/a.txt": ARTICLE, "content/a.overrides.toml": ADDED,
        "content/b.txt": SECOND, "content/b.overrides.toml": SECOND_ADDED,
        "entities.toml": '[[entity]]\nname = "東京"\ntype = "PLACE"\nslug = "tokyo"\n',
    }, 'title = "T"\nprofile = "fast"\n')


def test_duplicate_keys() -> None:
    assert plain_key("ジョン・スミス") == plain_key("ジョンスミス") == plain_key("ジョン＝スミス")
    assert plain_key("John Smith") == plain_key("JOHN SMITH")
    assert org_key("株式会社ミナト") == org_key("ミナト") == org_key("ミナト社") == org_key("(株)ミナト")
    assert org_key("Minato Inc.") == org_key("Minato")
    assert org_key("新聞社") != org_key("新聞")[:1]
    assert sounds_alike("Jensen Huang", "ジェンスン・フアン")
    assert sounds_alike("Tim Cook", "ティム・クック")
    assert not sounds_alike("Joe Biden", "ドナルド・トランプ")


def test_listing_gives_counts_types_and_sources(make_site, capsys) -> None:
    site = make_archive(make_site)
    assert main(["entities", str(site)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["mentions", "docs", "type", "id", "sources", "name"]
    minato = next(line for line in lines if line.split()[3] == "org/ミナト")
    assert minato.split()[:3] == ["2", "2", "ORG"]  # not the ミナト inside 株式会社ミナト
    assert "editor 2" in minato
    tokyo = next(line for line in lines if "place/tokyo" in line)
    assert "registry" in tokyo and tokyo.endswith("東京 (registry)")
    counts = [int(line.split()[0]) for line in lines[1:]]
    assert counts == sorted(counts, reverse=True)


def test_suggestions_are_toml_that_merges_duplicates_and_keeps_old_addresses(make_site, capsys) -> None:
    site = make_archive(make_site)
    assert main(["entities", str(site), "--suggest", "--min-mentions", "1"]) == 0
    out = capsys.readouterr().out
    suggested = tomllib.loads(out)["entity"]
    by_names = {frozenset([e["name"], *e.get("aliases", [])]): e for e in suggested}
    # two scripts: too short for resolution to join them by itself (name_match.py)
    apple = by_names[frozenset(["アップル", "Apple"])]
    assert apple["type"] == "ORG" and len(apple["merged_from"]) == 1
    assert apple["merged_from"][0] in ("org/apple", "org/アップル")
    assert apple["merged_from"][0] != f"org/{apple['slug']}"  # the main one keeps its address
    minato = by_names[frozenset(["ミナト", "株式会社ミナト"])]
    assert minato["name"] == "ミナト" and minato["merged_from"] == ["org/株式会社ミナト"]
    smith = by_names[frozenset(["ジョン・スミス", "ジョンスミス"])]
    assert smith["type"] == "PERSON" and len(smith["merged_from"]) == 1
    assert not any("東京" in names for names in by_names)  # already in the registry
    assert "# Likely one person: " in out

    registry = site / "entities.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n" + out, encoding="utf-8")
    assert build(load_config(site)).problems == []
    old_page = site / "public" / "entities" / "org" / apple["merged_from"][0].split("/")[1] / "index.html"
    assert "refresh" in old_page.read_text(encoding="utf-8")
    assert main(["entities", str(site), "--suggest", "--min-mentions", "1"]) == 0
    assert "[[entity]]" not in capsys.readouterr().out


def test_a_warm_cache_runs_no_model(make_site) -> None:
    site = make_site({"content/a.txt": ARTICLE}, 'title = "T"\nprofile = "default"\n')
    assert build(load_config(site)).problems == []
    script = ("import sys\nfrom archivist.cli import main\ncode = main(['entities', sys.argv[1]])\n"
              "print('loaded spacy' if 'spacy' in sys.modules else 'no model', code)\n")
    run = subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True, text=True, timeout=300)
    assert run.stdout.splitlines()[-1] == "no model 0", run.stderr
    assert "person/" in run.stdout

"""The command line, run as users run it."""

import io
import json
import subprocess
import sys

import pytest

from archivist.cli import main
from conftest import SEED

COMMANDS = ["new", "build", "serve", "check", "annotate"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archivist", *args], input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: archivist " + command in result.stdout


def test_new_archive_builds_and_checks(tmp_path):
    site = tmp_path / "mine"
    assert main(["new", str(site)]) == 0
    assert main(["check", str(site)]) == 0
    assert main(["build", str(site), "--profile", "fast"]) == 0
    index = (site / "public/index.html").read_text(encoding="utf-8")
    assert "図書館が古い新聞をデジタル化" in index
    assert main(["new", str(site)]) == 1  # not empty: refused


def test_check_reports_each_problem_on_one_line(make_site, capsys):
    site = make_site({
        "content/ok.md": "---\ntitle: OK\n---\n\nText.\n",
        "content/empty.txt": "",
        "content/binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "entities.toml": '[[entity]]\nname = "X"\ntype = "ALIEN"\n',
    })
    assert main(["check", str(site)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert any("empty.txt" in e for e in errors)
    assert any("binary.txt" in e for e in errors)
    assert any("entities.toml" in e for e in errors)


def test_bad_config_is_one_line_naming_the_file(make_site):
    site = make_site({}, 'title = "x"\nbogus = true\n')
    result = run("build", str(site))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {site / 'archive.toml'}: unknown key 'bogus'"]


def test_annotate_seed_follows_the_json_contract(tmp_path):
    result = run("annotate", str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr
    [doc] = json.loads(result.stdout)
    assert set(doc) >= {"id", "slug", "lang", "title", "byline", "date", "url", "source",
                        "blocks", "related", "mentions", "entities", "quotes"}
    assert doc["id"] == "000_1e3ef660da145d7e" and doc["lang"] == "ja"
    assert len(doc["related"]) == 6
    entity_ids = {e["id"] for e in doc["entities"]}
    types = {e["type"] for e in doc["entities"]}
    assert {"PERSON", "ORG"} <= types
    for m in doc["mentions"]:
        assert set(m) == {"block", "start", "end", "text", "type", "entity", "source", "confidence"}
        assert doc["blocks"][m["block"]]["text"][m["start"]:m["end"]] == m["text"]
        assert m["entity"] in entity_ids and 0 <= m["confidence"] <= 1
    assert {"direct", "partial"} <= {q["kind"] for q in doc["quotes"]}
    for q in doc["quotes"]:
        assert set(q) == {"block", "start", "end", "text", "kind", "speaker", "cue"}
        assert doc["blocks"][q["block"]]["text"][q["start"]:q["end"]] == q["text"]
    spoken = [q for q in doc["quotes"] if q["kind"] == "direct" and q["speaker"]]
    assert len(spoken) >= 8


def test_annotate_inside_archive_uses_its_registry():
    result = run("annotate", str(SEED))  # SEED lies inside the sample archive
    [doc] = json.loads(result.stdout)
    assert "person/martin-chorzempa" in {e["id"] for e in doc["entities"]}
    assert doc["source"] == "content/000_1e3ef660da145d7e.txt"


def test_annotate_inside_archive_applies_its_overrides_as_the_build_does(make_site, capsys):
    from archivist.build import build
    from archivist.config import load_config

    site = make_site({
        "content/a.md": "---\ntitle: A\n---\n\n山田太郎氏はトヨタ自動車を訪れた。\n",
        "content/a.overrides.toml": '[[reject]]\nexact = "トヨタ自動車"\n',
        "content/b.md": "---\ntitle: B\n---\n\n佐藤花子氏は大阪を訪れた。\n",
        "overrides.toml": '[[retype]]\nexact = "大阪"\ndocument = "b"\ntype = "ORG"\n'
                          '[[retype]]\nexact = "山田太郎"\ntype = "ORG"\n',  # another document's, and every one's
    }, 'title = "T"\nprofile = "fast"\n')  # fmt: skip
    assert build(load_config(site)).errors == []
    assert main(["annotate", str(site / "content" / "a.md")]) == 0
    [doc] = json.loads(capsys.readouterr().out)
    built = json.loads((site / "public" / "data" / "documents" / "a.json").read_text(encoding="utf-8"))
    assert doc["mentions"] == built["mentions"] and doc["entities"] == built["entities"]
    assert {(m["text"], m["type"]) for m in doc["mentions"]} == {("山田太郎", "ORG")}


def test_annotate_jsonl(capsys, monkeypatch):
    lines = [
        {"id": "a", "text": "トヨタ自動車の豊田章男社長は「挑戦を続ける」と語った。"},
        {"id": "b", "text": "東京と大阪を結ぶ新幹線。"},
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines)))
    assert main(["annotate", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    for record, line in zip(out, lines):
        assert set(record) == {"id", "mentions", "quotes"}
        for m in record["mentions"]:
            assert line["text"][m["start"]:m["end"]] == m["text"] and m["block"] == 0
    assert any(q["text"] == "挑戦を続ける" for q in out[0]["quotes"])
    places = {m["text"] for m in out[1]["mentions"] if m["type"] == "PLACE"}
    assert {"東京", "大阪"} <= places


def test_build_after_an_edit_publishes_the_pages_then_brings_the_index_up_to_date(make_site, capsys):
    site = make_site({"content/a.md": "---\ntitle: A\n---\n\n山田太郎氏は東京を訪れた。\n"},
                     'title = "x"\nprofile = "fast"\n')  # fmt: skip
    assert main(["build", str(site)]) == 0
    assert "search index updated" not in capsys.readouterr().err  # the first index is made with the pages
    entry = site / "public/pagefind/pagefind-entry.json"
    first = entry.read_bytes()
    (site / "content/b.md").write_text("---\ntitle: B\n---\n\n佐藤花子氏は大阪を訪れた。\n", encoding="utf-8")
    assert main(["build", str(site)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("built 2 documents") and lines[1].startswith("search index updated in ")
    assert entry.read_bytes() != first  # the index counts the new page
    assert '"page_count":2' in entry.read_text(encoding="utf-8").replace(" ", "")
    assert main(["build", str(site)]) == 0
    assert capsys.readouterr().err.startswith("nothing changed")


def test_build_shows_every_error_and_the_first_warnings_check_all(make_site, capsys):
    from archivist.errors import WARNINGS_SHOWN

    unclosed = {f"content/w{i:02}.md": f"---\ntitle: W{i}\n---\n\n彼は「終わらない話{i}をした。\n"
                for i in range(WARNINGS_SHOWN + 5)}  # fmt: skip
    site = make_site({**unclosed, "content/zz-empty.txt": ""}, 'title = "x"\nprofile = "fast"\n')
    assert main(["build", str(site)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("error:") and "zz-empty.txt" in lines[0]  # errors first, whatever the order
    assert sum(line.startswith("warning:") for line in lines) == WARNINGS_SHOWN
    assert "… and 5 more warning(s): `archivist check` lists them all" in lines
    assert main(["build", str(site)]) == 1  # nothing changed: the same report
    assert sum(line.startswith("warning:") for line in capsys.readouterr().err.splitlines()) == WARNINGS_SHOWN
    assert main(["check", str(site)]) == 1
    assert sum(line.startswith("warning:") for line in capsys.readouterr().err.splitlines()) == WARNINGS_SHOWN + 5

"""Finding source files, per-file layouts, and read_document on any bytes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from archivist.config import default_config
from archivist.errors import DocumentError
from archivist.model import Document
from archivist.sources import find_sources, layout_for, read_document

CASES = Path(__file__).resolve().parent / "cases" / "sources"


def test_find_sources_sorted_and_filtered(make_site):
    site = make_site(
        {
            "content/b.txt": "B",
            "content/a.md": "A",
            "content/sub/c.markdown": "C",
            "content/sub/a.txt": "A2",
            "content/Z.TXT": "Z",
            "content/.hidden.txt": "no",
            "content/.drafts/d.txt": "no",
            "content/notes.txt~": "no",
            "content/.notes.txt.swp": "no",
            "content/notes.txt.swp": "no",
            "content/#notes.txt#": "no",
            "content/image.png": b"\x89PNG",
            "content/readme.rst": "no",
            "other/e.txt": "outside content",
        }
    )
    config = default_config(site)
    found = find_sources(config)
    relative = [path.relative_to(config.content_path).as_posix() for path in found]
    assert relative == ["Z.TXT", "a.md", "b.txt", "sub/a.txt", "sub/c.markdown"]
    assert all(path.is_absolute() == config.content_path.is_absolute() for path in found)


def test_find_sources_follows_links_to_files_not_to_folders(make_site, tmp_path):
    site = make_site({"content/a.txt": "A", "content/#drafts/b.txt": "B", "elsewhere/c.txt": "C",
                      "elsewhere/deep/d.txt": "D"})  # fmt: skip
    (site / "content/linked.txt").symlink_to(site / "elsewhere/c.txt")
    (site / "content/folder").symlink_to(site / "elsewhere/deep", target_is_directory=True)
    (site / "content/dangling.txt").symlink_to(site / "missing.txt")
    config = default_config(site)
    relative = [path.relative_to(config.content_path).as_posix() for path in find_sources(config)]
    assert relative == ["#drafts/b.txt", "a.txt", "linked.txt"]  # as os.walk: only names of files start hidden


def test_find_sources_missing_folder(tmp_path):
    assert find_sources(default_config(tmp_path)) == []


def test_layout_for_first_matching_glob(tmp_path):
    config = default_config(
        tmp_path,
        layouts={"news/*.txt": "livedoor", "news/**": "text", "*.md": "markdown"},
        layout="scraped",
    )
    content = config.content_path
    assert layout_for(content / "news" / "a.txt", config) == "livedoor"
    assert layout_for(content / "news" / "a.md", config) == "text"
    assert layout_for(content / "x.md", config) == "markdown"
    assert layout_for(content / "x.txt", config) == "scraped"
    plain = default_config(tmp_path)
    assert layout_for(plain.content_path / "x.txt", plain) == "auto"


def test_layout_argument_overrides_detection():
    document = read_document(CASES / "scraped-layout.txt", layout="text")
    assert document.meta["layout"] == "text"
    assert document.title == "|"
    with pytest.raises(ValueError, match="unknown layout"):
        read_document(CASES / "scraped-layout.txt", layout="pdf")


def test_document_identity(tmp_path):
    path = tmp_path / "Spring Notes 春.txt"
    path.write_text("Title\n\nBody.\n", encoding="utf-8")
    document = read_document(path, source="content/Spring Notes 春.txt")
    assert document.id == "Spring Notes 春"
    assert document.slug == "spring-notes-春"
    assert document.source == "content/Spring Notes 春.txt"
    assert read_document(path).source == str(path)


def test_random_bytes_give_a_document_or_a_document_error(tmp_path):
    rng = random.Random(20240305)
    seeds = [
        b"",
        b"\xef\xbb\xbf",
        b"---\n",
        b"+++\n",
        b"---\ntitle: x\n---\n",
        b"http://x\n2012-01-01\n",
        "関連するおすすめ記事\n-\n".encode(),
        "|\n本文。 (名) |\n".encode(),
        "# 見出し\n\n<script>".encode(),
    ]
    outcomes = {"document": 0, "error": 0}
    for index in range(400):
        prefix = seeds[index % len(seeds)]
        if index % 3 == 0:
            noise = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        else:
            alphabet = "abc あい漢字。 \n|-#<>*`[]()：&;"
            noise = "".join(rng.choice(alphabet) for _ in range(rng.randrange(200))).encode()
        path = tmp_path / f"fuzz-{index}.{rng.choice(['txt', 'md'])}"
        path.write_bytes(prefix + noise)
        try:
            document = read_document(path)
        except DocumentError as error:
            assert path.name in str(error)
            outcomes["error"] += 1
        else:
            assert isinstance(document, Document)
            assert document.title
            assert all(block.text and block.text == block.text.strip() for block in document.blocks)
            outcomes["document"] += 1
    assert outcomes["document"] > 100 and outcomes["error"] > 10

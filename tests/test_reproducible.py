"""Reproducible builds: the same inputs give the same bytes, whenever and wherever built.

The sample archive is built twice: once by the session's fixture, once by the command
line in another folder, with other file times, another hash seed, time zone and
working folder, and SOURCE_DATE_EPOCH set. No build writes the time it ran: feeds and
data take their dates from the documents, so there is no clock for SOURCE_DATE_EPOCH
to stand in for, and setting it changes nothing. Pagefind's filter files, whose value
order Pagefind itself varies, are compared by content (see site_snapshot.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from site_snapshot import differences, snapshot

ROOT = Path(__file__).resolve().parents[1]
OTHER_TIME = 1_000_000_000  # 2001-09-09: the inputs' mtimes in the second folder
EPOCH = "1234567890"


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built by the CLI in a deeper folder, at other times and settings."""
    site = tmp_path_factory.mktemp("elsewhere") / "a" / "different" / "folder"
    shutil.copytree(ROOT / "site", site, ignore=shutil.ignore_patterns("public", ".archivist"))
    for path in site.rglob("*"):
        os.utime(path, (OTHER_TIME, OTHER_TIME))
    environment = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TZ="Pacific/Kiritimati",
                       PYTHONHASHSEED="4242", LC_ALL="C.UTF-8")  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "archivist", "build", "."], cwd=site, env=environment,
                            capture_output=True, text=True, timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return site


def test_two_builds_in_different_folders_and_times_are_byte_identical(sample_site, elsewhere):
    first, second = snapshot(sample_site), snapshot(elsewhere / "public")
    assert len(first) > 50
    assert differences(first, second) == []


def test_only_pagefind_filter_files_are_compared_by_content(sample_site, elsewhere):
    """Everything else is compared as raw bytes, Pagefind's stable files included."""
    first = snapshot(sample_site)
    raw = [p for p, v in first.items() if isinstance(v, bytes)]
    assert len(raw) >= len(first) - 3
    assert any(p.startswith("pagefind/fragment/") for p in raw)
    assert any(p.startswith("pagefind/index/") for p in raw)


def test_a_rebuild_with_touched_inputs_changes_no_file(elsewhere):
    before = snapshot(elsewhere / "public")
    mtimes = {p: p.stat().st_mtime_ns for p in (elsewhere / "public").rglob("*.html")}
    for path in (elsewhere / "content").rglob("*"):
        path.touch()
    result = subprocess.run([sys.executable, "-m", "archivist", "build", str(elsewhere)],
                            capture_output=True, text=True, timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(0 changed)" in result.stderr
    assert differences(before, snapshot(elsewhere / "public")) == []
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_no_build_time_in_the_output(sample_site):
    """Feeds are dated by their newest document, and no file holds the day it was built."""
    feed = (sample_site / "feed.xml").read_text(encoding="utf-8")
    documents = [p.read_text(encoding="utf-8") for p in (sample_site / "data" / "documents").glob("*.json")]
    dates = sorted(re.findall(r'"date": "([^"]+)"', "".join(documents)))
    updated = re.search(r"<updated>([^<]+)</updated>", feed)[1]
    assert updated[:10] == (dates[-1][:10] if dates else "1970-01-01")
    today = {datetime.now(timezone.utc).date().isoformat(), datetime.now().date().isoformat()}
    for path in sample_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".jsonld", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not any(day in text for day in today), path

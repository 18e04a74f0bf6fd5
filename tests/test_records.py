"""The build's JSON records: read back as written, never half-trusted, and a record
this process wrote is read from memory only while the file is the one it wrote."""

from __future__ import annotations

import json
import os

from archivist.records import read_json_record, write_json_record


def test_a_record_reads_back_as_json_would_give_it(tmp_path):
    path = tmp_path / ".archivist" / "pages.json"
    data = {"pages": {"index.html": "k1", "documents/a/index.html": "k2"}, "problems": [["Warning", "m", None]]}
    write_json_record(path, 3, data)
    assert read_json_record(path, 3) == json.loads(path.read_text(encoding="utf-8")) == {"format": 3, **data}
    assert read_json_record(path, 4) is None  # another format is never trusted


def test_neither_the_writer_nor_a_reader_changes_what_the_next_reader_gets(tmp_path):
    path = tmp_path / "pages.json"
    pages = {"index.html": "k1"}
    write_json_record(path, 1, {"pages": pages})
    pages["index.html"] = "changed by the writer"
    first = read_json_record(path, 1)
    assert first is not None
    first["pages"]["index.html"] = "changed by a reader"
    assert read_json_record(path, 1) == {"format": 1, "pages": {"index.html": "k1"}}


def test_a_record_replaced_or_removed_by_another_writer_is_read_from_the_file(tmp_path):
    path = tmp_path / "pages.json"
    write_json_record(path, 1, {"pages": {"index.html": "k1"}})
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": 1, "pages": {"index.html": "k2"}}), encoding="utf-8")
    os.replace(other, path)
    assert read_json_record(path, 1) == {"format": 1, "pages": {"index.html": "k2"}}
    path.write_text("{not json", encoding="utf-8")
    assert read_json_record(path, 1) is None
    path.unlink()
    assert read_json_record(path, 1) is None

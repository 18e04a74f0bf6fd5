"""The fast indented JSON writer: the same text as json.dumps(indent=2, ensure_ascii=False)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from hypothesis import given
from hypothesis import strategies as st

from archivist.json_text import dumps_compact, dumps_indented

LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
DATA = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4)
    | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def expected(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@given(DATA)
def test_same_text_as_json_dumps(data):
    assert dumps_indented(data) == expected(data)


@given(DATA)
def test_compact_text_is_json_dumps_without_whitespace(data):
    assert dumps_compact(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_compact_text_of_what_orjson_writes_otherwise_is_left_to_json():
    data = {"confidence": [1e-05, 2.5e-308], 1: "int key", "big": 2**70}
    assert dumps_compact(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_japanese_controls_and_separators_of_lines():
    data = {"text": "山田「こんにちは」\u2028\u0000\"\\/</script>", "n": [1, 2.5, -0.0, 1e300, True, None]}
    assert dumps_indented(data) == expected(data)


def test_what_json_converts_is_left_to_json():
    data = {1: "int key", None: [float("nan"), float("inf")], "nested": {2.5: "float key"}}
    assert dumps_indented(data) == expected(data)


def test_small_floats_as_json_writes_them():
    data = {"confidence": [1e-05, -9.99e-05, 1.5e-07, 2.5e-308, 0.0001], "text": "0.00001 and 1e-7 as text"}
    assert dumps_indented(data) == expected(data)


def test_integers_past_64_bits_are_written_whole():
    data = {"big": 2**70, "small": -(2**64)}
    assert dumps_indented(data) == expected(data)


def test_not_a_number_is_written_null_which_json_reads():
    text = dumps_indented({"score": float("nan"), "scores": [float("inf"), 1.5]})
    assert json.loads(text) == {"score": None, "scores": [None, 1.5]}


def test_other_types_are_refused_as_json_refuses_them():
    @dataclass
    class Point:
        x: int

    with pytest.raises(TypeError):
        dumps_indented({"point": Point(1)})

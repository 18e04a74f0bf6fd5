"""The fast indented JSON writer: the same bytes as json.dumps(indent=2, ensure_ascii=False)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from archivist.json_text import dumps_indented

LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
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


def test_japanese_controls_and_separators_of_lines():
    data = {"text": "山田「こんにちは」\u2028\u0000\"\\/</script>", "n": [1, 2.5, -0.0, 1e300, True, None]}
    assert dumps_indented(data) == expected(data)


def test_what_json_converts_is_left_to_json():
    data = {1: "int key", None: [float("nan"), float("inf")], "nested": {2.5: "float key"}}
    assert dumps_indented(data) == expected(data)

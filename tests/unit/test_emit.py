"""Unit tests for swaggertools.emit: deterministic JSON and YAML."""

from __future__ import annotations

import json
from typing import Any

import pytest

from swaggertools.emit import dumps
from swaggertools.errors import OutputError
from swaggertools.load import parse_json, parse_yaml

DOC: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Usine: données de production — 東京", "version": "1.10"},
    "zeta": 1,
    "alpha": [1, 2.5, True, False, None],
    "empty": {},
    "none": [],
}


# ---------------------------------------------------------------- JSON


def test_json_exact_layout() -> None:
    doc = {"b": 1, "a": {"c": [1, "x"], "d": {}}, "e": []}
    assert dumps(doc, "json") == (
        b'{\n  "b": 1,\n  "a": {\n    "c": [\n      1,\n      "x"\n    ],\n'
        b'    "d": {}\n  },\n  "e": []\n}\n'
    )


def test_json_deterministic_order_kept_non_ascii_kept() -> None:
    first = dumps(DOC, "json")
    assert first == dumps(dict(DOC), "json")
    text = first.decode("utf-8")
    assert "données de production — 東京" in text
    assert "\\u" not in text
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert not first.startswith(b"\xef\xbb\xbf")
    assert "\r" not in text
    assert [line for line in text.splitlines() if line.startswith('  "')][:4] == [
        '  "swagger": "2.0",',
        '  "info": {',
        '  "zeta": 1,',
        '  "alpha": [',
    ]
    assert parse_json(text, "x.json") == DOC


def test_json_is_orjson_indent_2() -> None:
    import orjson

    assert dumps(DOC, "json") == orjson.dumps(
        DOC, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )


@pytest.mark.parametrize("big", [2**64, -(2**63) - 1, 10**40 + 7])
def test_json_big_integers_exact(big: int) -> None:
    doc = {"name": "é", "n": big, "list": [{"m": big}], "empty": {}}
    out = dumps(doc, "json")
    assert str(big).encode() in out
    assert parse_json(out.decode("utf-8"), "x.json") == doc
    assert out.endswith(b"}\n")
    assert "é" in out.decode("utf-8")
    # same layout as the orjson output would have had
    small = dumps({"name": "é", "n": 1, "list": [{"m": 1}], "empty": {}}, "json")
    assert out.replace(str(big).encode(), b"1") == small


def test_json_unserialisable_value() -> None:
    with pytest.raises(OutputError) as info:
        dumps({"a": object()}, "json")
    assert info.value.message.startswith("cannot write JSON: ")


# ---------------------------------------------------------------- YAML


def test_yaml_no_anchors_for_shared_subtrees() -> None:
    shared = {"type": "string", "enum": ["a", "b"]}
    shared_list = [1, 2]
    doc = {"a": shared, "b": shared, "c": [shared, shared], "d": shared_list, "e": shared_list}
    text = dumps(doc, "yaml").decode("utf-8")
    assert "&" not in text
    assert "*" not in text
    assert "!!" not in text
    assert text.count("type: string") == 4
    assert parse_yaml(text, "x.yaml") == doc


def test_yaml_round_trips_tricky_strings() -> None:
    strings = [
        "on",
        "off",
        "yes",
        "no",
        "Y",
        "200",
        "10:30",
        "2024-01-01",
        "1.10",
        "1e3",
        "0o17",
        "0x1F",
        "-2E-3",
        ".5",
        "null",
        "~",
        "",
        "true",
        "False",
        ".inf",
        ".NaN",
        "012",
        "a: b",
        "- item",
        "#not a comment",
        "@at",
        " leading space",
        "multi\nline\n",
        "é 東京",
        "{not: flow}",
        "x" * 300,
    ]
    doc: dict[str, Any] = {
        "responses": {"200": {"description": "OK"}, "default": {"description": "x"}},
        "values": strings,
        "keys": {s: s for s in strings if s},
        "numbers": [0, -1, 2**70, 1.5, -0.25, 1e300],
        "flags": [True, False, None],
    }
    text = dumps(doc, "yaml").decode("utf-8")
    back = parse_yaml(text, "x.yaml")
    assert back == doc
    assert back["values"] == strings
    assert all(type(v) is str for v in back["values"])
    assert list(back["keys"]) == [s for s in strings if s]
    assert back["numbers"][2] == 2**70
    assert ("x" * 300) in text  # never folded
    assert "é 東京" in text  # unicode kept, not escaped


def test_yaml_deterministic_and_ordered() -> None:
    first = dumps(DOC, "yaml")
    assert first == dumps(DOC, "yaml")
    text = first.decode("utf-8")
    assert [
        line.split(":")[0] for line in text.splitlines() if not line.startswith((" ", "-"))
    ] == [
        "swagger",
        "info",
        "zeta",
        "alpha",
        "empty",
        "none",
    ]
    assert not text.startswith("---")
    assert text.endswith("\n")
    assert parse_yaml(text, "x.yaml") == DOC


def test_yaml_json_round_trip_equal() -> None:
    doc = json.loads(dumps(DOC, "json"))
    assert parse_yaml(dumps(doc, "yaml").decode("utf-8"), "x.yaml") == DOC

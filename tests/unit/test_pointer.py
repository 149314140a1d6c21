"""Unit tests for swaggertools.pointer (RFC 6901 in URI-fragment style)."""

from __future__ import annotations

import pytest

from swaggertools.pointer import escape, join, resolve, split, unescape


def test_escape_and_unescape() -> None:
    assert escape("/api/a~b") == "~1api~1a~0b"
    assert escape(3) == "3"
    assert unescape("~1api~1a~0b") == "/api/a~b"
    # ~01 is an escaped "~" followed by "1", never a slash
    assert unescape("~01") == "~1"
    assert escape("~1") == "~01"


def test_join() -> None:
    assert join([]) == "#"
    assert (
        join(["paths", "/api/Core/AttrSet/Add", "post"]) == "#/paths/~1api~1Core~1AttrSet~1Add/post"
    )
    assert join(["a", 0, "b~c"]) == "#/a/0/b~0c"
    assert join([""]) == "#/"


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [
        ("#", []),
        ("", []),
        ("#/", [""]),
        ("#/definitions/A", ["definitions", "A"]),
        ("/definitions/A", ["definitions", "A"]),
        ("#/paths/~1a~1b/get", ["paths", "/a/b", "get"]),
        ("#/x/~01", ["x", "~1"]),
        ("#/components/schemas/My%20Schema", ["components", "schemas", "My Schema"]),
        ("#/a//b", ["a", "", "b"]),
    ],
)
def test_split(pointer: str, tokens: list[str]) -> None:
    assert split(pointer) == tokens


def test_split_rejects_relative() -> None:
    with pytest.raises(ValueError, match="not a JSON pointer: '#definitions/A'"):
        split("#definitions/A")


@pytest.mark.parametrize(
    "tokens",
    [["paths", "/a/b", "get"], ["a~b", "c/d~1"], ["x", "0", ""]],
)
def test_join_split_round_trip(tokens: list[str]) -> None:
    assert split(join(tokens)) == tokens


def test_resolve() -> None:
    doc = {"a": {"b/c": [10, {"d": None}]}, "e": 0}
    assert resolve(doc, []) == (True, doc)
    assert resolve(doc, ["a", "b/c", "0"]) == (True, 10)
    assert resolve(doc, ["a", "b/c", "1", "d"]) == (True, None)
    assert resolve(doc, ["a", "b/c", "2"]) == (False, None)
    assert resolve(doc, ["a", "b/c", "-1"]) == (False, None)
    assert resolve(doc, ["a", "b/c", "x"]) == (False, None)
    assert resolve(doc, ["e", "f"]) == (False, None)
    assert resolve(doc, ["missing"]) == (False, None)
    assert resolve(doc, split("#/a/b~1c/1/d")) == (True, None)

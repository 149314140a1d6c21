"""Unit tests for swaggertools.written: the written text kept where the spec needs a string."""

from __future__ import annotations

from typing import Any

import pytest

from swaggertools.load import Note, load_bytes
from swaggertools.written import keep_written_strings, needs_string


def _fixed(text: str) -> tuple[Any, list[str]]:
    loaded = load_bytes(text.encode(), "t.yaml")
    keep_written_strings(loaded)
    return loaded.doc, [getattr(n, "pointer", None) for n in loaded.notes]


def test_info_version_and_friends() -> None:
    doc, pointers = _fixed(
        "swagger: 2.0\n"
        "info: {title: 2024, version: 1.10, description: 3.5}\n"
        "host: 10.5\n"
        "basePath: 1\n"
        "schemes: [1.0]\n"
        "paths: {}\n"
    )
    assert doc == {
        "swagger": "2.0",
        "info": {"title": "2024", "version": "1.10", "description": "3.5"},
        "host": "10.5",
        "basePath": "1",
        "schemes": ["1.0"],
        "paths": {},
    }
    assert pointers == [
        "#/swagger",
        "#/info/title",
        "#/info/version",
        "#/info/description",
        "#/host",
        "#/basePath",
        "#/schemes/0",
    ]


def test_operation_strings() -> None:
    doc, _ = _fixed(
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      operationId: 12\n"
        "      summary: 1.0\n"
        "      tags: [1.10, on]\n"
        "      parameters:\n"
        "        - {name: 10, in: query, type: string, format: 2, pattern: 123}\n"
        "      responses:\n"
        "        200: {description: 404}\n"
    )
    op = doc["paths"]["/a"]["get"]
    assert op["operationId"] == "12"
    assert op["summary"] == "1.0"
    assert op["tags"] == ["1.10", "on"]
    assert op["parameters"][0] == {
        "name": "10",
        "in": "query",
        "type": "string",
        "format": "2",
        "pattern": "123",
    }
    assert op["responses"] == {"200": {"description": "404"}}


def test_string_schema_data_but_not_other_data() -> None:
    doc, _ = _fixed(
        "definitions:\n"
        "  S: {type: string, enum: [1.10, 2.0], default: 1.5, example: 3}\n"
        "  N: {type: number, enum: [1.10, 2.0], default: 1.5, example: 3}\n"
        "  T: {type: [string, null], enum: [1.10, null]}\n"
        "  O: {type: object, example: {version: 1.10, title: 2}}\n"
        "x-version: 1.10\n"
        "x-ext: {title: 2}\n"
    )
    defs = doc["definitions"]
    assert defs["S"] == {
        "type": "string",
        "enum": ["1.10", "2.0"],
        "default": "1.5",
        "example": "3",
    }
    assert defs["N"] == {"type": "number", "enum": [1.1, 2.0], "default": 1.5, "example": 3}
    assert defs["T"] == {"type": ["string", "null"], "enum": ["1.10", None]}
    assert defs["O"]["example"] == {"version": 1.1, "title": 2}
    assert doc["x-version"] == 1.1
    assert doc["x-ext"] == {"title": 2}


def test_user_chosen_names_are_not_keywords() -> None:
    doc, _ = _fixed(
        "definitions:\n"
        "  description: {type: object, properties: {title: {type: integer, default: 2}}}\n"
        "  title: 5\n"
        "paths:\n"
        "  /version:\n"
        "    get: {responses: {default: {description: 2}}}\n"
    )
    assert doc["definitions"]["title"] == 5  # a (broken) schema named `title`
    assert doc["definitions"]["description"]["properties"]["title"]["default"] == 2
    assert doc["paths"]["/version"]["get"]["responses"]["default"]["description"] == "2"


def test_string_maps_and_server_variables() -> None:
    doc, _ = _fixed(
        "servers:\n"
        "  - url: https://x/{v}\n"
        "    variables: {v: {default: 1.0, enum: [1.0, 2], description: 7}}\n"
        "components:\n"
        "  securitySchemes:\n"
        "    o:\n"
        "      type: oauth2\n"
        "      flows: {clientCredentials: {tokenUrl: https://t, scopes: {read: 1.5}}}\n"
        "  schemas:\n"
        "    B: {discriminator: {propertyName: 1, mapping: {a: 2}}}\n"
    )
    assert doc["servers"][0]["variables"]["v"] == {
        "default": "1.0",
        "enum": ["1.0", "2"],
        "description": "7",
    }
    assert doc["components"]["securitySchemes"]["o"]["flows"]["clientCredentials"]["scopes"] == {
        "read": "1.5"
    }
    assert doc["components"]["schemas"]["B"]["discriminator"] == {
        "propertyName": "1",
        "mapping": {"a": "2"},
    }


def test_nulls_stay_null_except_type_names() -> None:
    doc, pointers = _fixed("info:\n  title: ~\n  version:\n  description: null\ntype: null\n")
    assert doc == {"info": {"title": None, "version": None, "description": None}, "type": "null"}
    assert pointers == ["#/type"]


def test_refs_and_security_are_not_touched() -> None:
    doc, pointers = _fixed(
        "paths: {/a: {get: {responses: {200: {$ref: 12}}, security: [{o: [1.5]}]}}}\n"
    )
    assert doc["paths"]["/a"]["get"] == {
        "responses": {"200": {"$ref": 12}},
        "security": [{"o": [1.5]}],
    }
    assert pointers == []


def test_only_limits_the_fix_to_top_level_keys() -> None:
    loaded = load_bytes(b"openapi: 3.0\ninfo: {version: 1.10}\n", "t.yaml")
    keep_written_strings(loaded, only=frozenset({"swagger", "openapi"}))
    assert loaded.doc == {"openapi": "3.0", "info": {"version": 1.1}}
    keep_written_strings(loaded)
    assert loaded.doc == {"openapi": "3.0", "info": {"version": "1.10"}}


def test_notes_name_the_text_and_the_kind() -> None:
    loaded = load_bytes(b"info: {version: 1.10, title: true, summary: 3}\n", "t.yaml")
    keep_written_strings(loaded)
    assert [str(n) for n in loaded.notes] == [
        'unquoted 1.10 is a number in YAML; kept as the string "1.10" the specification '
        "wants here (quote it)",
        'unquoted true is a boolean in YAML; kept as the string "true" the specification '
        "wants here (quote it)",
        'unquoted 3 is an integer in YAML; kept as the string "3" the specification '
        "wants here (quote it)",
    ]
    assert all(isinstance(n, Note) for n in loaded.notes)


def test_json_input_is_never_changed() -> None:
    loaded = load_bytes(b'{"info": {"version": 1.1}}', "t.json")
    keep_written_strings(loaded)
    assert loaded.doc == {"info": {"version": 1.1}}
    assert loaded.notes == []


@pytest.mark.parametrize(
    ("tokens", "wanted"),
    [
        (("info", "version"), True),
        (("paths", "/a", "get", "tags", 0), True),
        (("paths", "/a", "get", "x-tags", 0), False),
        (("definitions", "version"), False),
        (("definitions", "A", "properties", "version"), False),
        (("definitions", "A", "required", 0), True),
        (("definitions", "A", "example", "title"), False),
        (("components", "examples", "E", "summary"), False),
        ((), False),
    ],
)
def test_needs_string(tokens: tuple[str | int, ...], wanted: bool) -> None:
    assert needs_string({}, tokens) is wanted

"""Diff model cases beyond one kind each: cycles, 2.0 forms, path variables, duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from swaggertools.diff.engine import DiffOptions, diff
from swaggertools.diff.result import DiffResult

Doc = dict[str, Any]


def _run(tmp_path: Path, old: Doc, new: Doc) -> DiffResult:
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    return diff(tmp_path / "old.json", tmp_path / "new.json", DiffOptions(rules=()))


def _returns(op_id: str, name: str) -> Doc:
    schema = {"$ref": f"#/definitions/{name}"}
    return {
        "get": {"operationId": op_id, "responses": {"200": {"description": "ok", "schema": schema}}}
    }


def _recursive(v_type: str, order: tuple[str, ...]) -> Doc:
    """Node <-> Link, mutually recursive; op A returns Node, op B returns Link."""
    ops = {"A": ("/a", "Node"), "B": ("/b", "Link")}
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {ops[o][0]: _returns(o, ops[o][1]) for o in order},
        "definitions": {
            "Node": {
                "type": "object",
                "properties": {"link": {"$ref": "#/definitions/Link"}, "v": {"type": v_type}},
            },
            "Link": {
                "type": "object",
                "properties": {"node": {"$ref": "#/definitions/Node"}, "w": {"type": "string"}},
            },
        },
    }


@pytest.mark.parametrize("order", [("A", "B"), ("B", "A")])
def test_a_change_in_a_cycle_affects_every_operation_whatever_the_order(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    result = _run(tmp_path, _recursive("string", order), _recursive("integer", order))
    assert [(c.id, c.message) for c in result.changes] == [
        ("response-property-type-changed", "Node.v: type changed: string → integer")
    ]
    assert sorted(op.operation_id or "" for op in result.changes[0].operations) == ["A", "B"]


CASES = Path(__file__).resolve().parents[1] / "diff_cases"


@pytest.mark.parametrize(
    ("old", "new"), [("form-2.0.yaml", "form-3.0.yaml"), ("form-3.0.yaml", "form-2.0.yaml")]
)
def test_formdata_and_file_in_2_0_are_the_3_0_request_body(old: str, new: str) -> None:
    result = diff(CASES / old, CASES / new, DiffOptions(rules=()))
    assert result.old.operations == result.new.operations == 3
    assert [c.message for c in result.changes] == []


def test_a_2_0_file_that_becomes_a_plain_string_is_a_change(tmp_path: Path) -> None:
    new = yaml.safe_load((CASES / "form-3.0.yaml").read_text(encoding="utf-8"))
    form = new["paths"]["/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    del form["schema"]["properties"]["file"]["format"]
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    result = diff(CASES / "form-2.0.yaml", tmp_path / "new.json", DiffOptions(rules=()))
    assert [(c.id, c.message) for c in result.changes] == [
        (
            "request-property-type-changed",
            "request body field file: type changed: string/binary → string",
        )
    ]


def _item_path(var: str, var_type: str = "integer") -> Doc:
    param = {"name": var, "in": "path", "required": True, "type": var_type}
    op = {
        "operationId": "GetItem",
        "parameters": [param],
        "responses": {"200": {"description": "ok"}},
    }
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {f"/items/{{{var}}}": {"get": op}},
    }


def test_a_path_variable_renamed_with_its_template_is_no_change(tmp_path: Path) -> None:
    result = _run(tmp_path, _item_path("id"), _item_path("key"))
    assert [op.operation_id for op in result.removed + result.added] == []
    assert [c.message for c in result.changes] == []


def test_a_renamed_path_variable_is_still_compared(tmp_path: Path) -> None:
    result = _run(tmp_path, _item_path("id"), _item_path("key", "string"))
    assert [(c.id, c.message) for c in result.changes] == [
        ("parameter-type-changed", "type of path parameter 'key' changed: integer → string")
    ]


def test_a_duplicate_gained_in_new_is_reported_and_the_unchanged_operation_pairs(
    tmp_path: Path,
) -> None:
    old = _item_path("id")
    new = _item_path("id")
    new["paths"]["/items/{key}"] = _item_path("key")["paths"]["/items/{key}"]
    result = _run(tmp_path, old, new)
    assert result.renamed == []
    assert [op.path for op in result.removed] == []
    assert [op.path for op in result.added] == ["/items/{key}"]
    assert sorted(c.id for c in result.changes) == ["duplicate-operation-key", "operation-added"]


def _accepting(schema: Doc, version: str = "3.1.0") -> Doc:
    """An OpenAPI document whose one operation takes a request body field `v`."""
    body = {"type": "object", "properties": {"v": schema}}
    content = {"application/json": {"schema": body}}
    op = {"operationId": "Put", "requestBody": {"content": content}, "responses": {}}
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"put": op}},
    }


TIGHTENED = [
    ({"maxLength": 10}, {"maxLength": 5}, "maxLength 10 → 5"),
    ({"maxItems": 10}, {"maxItems": 3}, "maxItems 10 → 3"),
    ({}, {"maxItems": 3}, "maxItems none → 3"),
    ({}, {"minLength": 3}, "minLength none → 3"),
    ({"minimum": 0}, {"minimum": 1}, "minimum 0 → 1"),
    ({"maximum": 10}, {"maximum": 10, "exclusiveMaximum": True}, "maximum 10 → <10"),
    ({"maximum": 10}, {"exclusiveMaximum": 10}, "maximum 10 → <10"),
    ({"exclusiveMaximum": 10}, {"exclusiveMaximum": 9}, "maximum <10 → <9"),
    ({"minimum": 0}, {"exclusiveMinimum": 0}, "minimum 0 → >0"),
    ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 1}, "minimum >0 → >1"),
    ({}, {"multipleOf": 5}, "multipleOf none → 5"),
    ({"multipleOf": 5}, {"multipleOf": 10}, "multipleOf 5 → 10"),
    ({"multipleOf": 0.25}, {"multipleOf": 0.5}, "multipleOf 0.25 → 0.5"),
]
LOOSER = [
    ({"maxLength": 10}, {"maxLength": 20}),
    ({"maxItems": 3}, {}),
    ({}, {"minLength": 0}),
    ({"minimum": 1}, {"minimum": 0}),
    ({"maximum": 10, "exclusiveMaximum": True}, {"maximum": 10}),
    ({"maximum": 10, "exclusiveMaximum": True}, {"exclusiveMaximum": 10}),
    ({"exclusiveMinimum": 0}, {"minimum": 0}),
    ({"multipleOf": 10}, {"multipleOf": 5}),
    ({"multipleOf": 0.5}, {"multipleOf": 0.25}),
    ({"multipleOf": 5}, {}),
]


@pytest.mark.parametrize(("old", "new", "detail"), TIGHTENED)
def test_request_constraints_tightened(tmp_path: Path, old: Doc, new: Doc, detail: str) -> None:
    result = _run(
        tmp_path, _accepting({"type": "number", **old}), _accepting({"type": "number", **new})
    )
    assert [(c.id, c.message) for c in result.changes] == [
        ("request-constraint-tightened", f"request body field v: tightened: {detail}")
    ]


@pytest.mark.parametrize(("old", "new"), LOOSER)
def test_request_constraints_loosened_or_kept(tmp_path: Path, old: Doc, new: Doc) -> None:
    result = _run(
        tmp_path, _accepting({"type": "number", **old}), _accepting({"type": "number", **new})
    )
    assert [c.message for c in result.changes] == []


def test_a_3_0_exclusive_maximum_is_the_3_1_one(tmp_path: Path) -> None:
    old = _accepting({"type": "integer", "maximum": 9, "exclusiveMaximum": True}, "3.0.3")
    new = _accepting({"type": "integer", "exclusiveMaximum": 9})
    assert _run(tmp_path, old, new).changes == []


def test_a_tightened_response_constraint_is_no_request_change(tmp_path: Path) -> None:
    def returning(limit: int) -> Doc:
        schema = {"type": "string", "maxLength": limit}
        ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
        op = {"operationId": "Get", "responses": {"200": ok}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": op}},
        }

    assert _run(tmp_path, returning(10), returning(5)).changes == []

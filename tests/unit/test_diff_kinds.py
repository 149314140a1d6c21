"""Each change kind: a failing pair (the kind is reported) and a passing pair (it is not)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from swaggertools.diff.engine import DiffOptions, diff
from swaggertools.diff.kinds import KINDS

Doc = dict[str, Any]
Edit = Callable[[Doc, Doc], None]

BASE: Doc = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "host": "a.example",
    "basePath": "/api",
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "tok": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://aim/authorize",
            "tokenUrl": "https://aim/token",
            "scopes": {"r": "Read"},
        }
    },
    "security": [{"tok": []}],
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "GetItem",
                "tags": ["Items"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "integer"},
                    {"name": "q", "in": "query", "required": False, "type": "string"},
                ],
                "responses": {
                    "200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}},
                    "404": {"description": "none"},
                },
            }
        },
        "/items": {
            "post": {
                "operationId": "AddItem",
                "tags": ["Items"],
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "required": False,
                        "schema": {"$ref": "#/definitions/ItemIn"},
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
    "definitions": {
        "Item": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "state": {"type": "string", "enum": ["A", "B"]},
                "child": {"$ref": "#/definitions/Item"},
            },
        },
        "ItemIn": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": 10},
                "kind": {"type": "string", "enum": ["x", "y"]},
                "legacy": {"type": "string"},
            },
        },
    },
}


def _get(doc: Doc) -> Doc:
    return doc["paths"]["/items/{id}"]["get"]  # type: ignore[no-any-return]


def _post(doc: Doc) -> Doc:
    return doc["paths"]["/items"]["post"]  # type: ignore[no-any-return]


def _both(edit: Callable[[Doc], None]) -> Edit:
    def apply(old: Doc, new: Doc) -> None:
        edit(old)
        edit(new)

    return apply


def _new(edit: Callable[[Doc], None]) -> Edit:
    return lambda old, new: edit(new)


def _old(edit: Callable[[Doc], None]) -> Edit:
    return lambda old, new: edit(old)


def _then(*edits: Edit) -> Edit:
    def apply(old: Doc, new: Doc) -> None:
        for edit in edits:
            edit(old, new)

    return apply


def _same(old: Doc, new: Doc) -> None:
    return None


def _del_post(d: Doc) -> None:
    del d["paths"]["/items"]


def _deprecate_post(d: Doc) -> None:
    _post(d)["deprecated"] = True


def _add_query(required: bool) -> Callable[[Doc], None]:
    def edit(d: Doc) -> None:
        _get(d)["parameters"].append(
            {"name": "site", "in": "query", "required": required, "type": "string"}
        )

    return edit


def _q(d: Doc) -> Doc:
    return _get(d)["parameters"][1]  # type: ignore[no-any-return]


def _item(d: Doc) -> Doc:
    return d["definitions"]["Item"]["properties"]  # type: ignore[no-any-return]


def _item_in(d: Doc) -> Doc:
    return d["definitions"]["ItemIn"]["properties"]  # type: ignore[no-any-return]


def _set(getter: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    def edit(d: Doc) -> None:
        getter(d)[key] = value

    return edit


def _pop(getter: Callable[[Doc], Doc], key: str) -> Callable[[Doc], None]:
    return lambda d: getter(d).pop(key)


def _body(d: Doc) -> Doc:
    return _post(d)["parameters"][0]  # type: ignore[no-any-return]


def _mes_shape(d: Doc) -> None:
    d["paths"]["/api/Core/Item/Add"] = d["paths"].pop("/items")
    d["paths"]["/api/Core/Item/Add"]["post"]["operationId"] = "Core_Item_Add"


def _mes_add(d: Doc) -> Doc:
    return d["paths"]["/api/Core/Item/Add"]["post"]  # type: ignore[no-any-return]


def _mes_renamed(d: Doc) -> None:
    item = d["paths"].pop("/api/Core/Item/Add")
    item["post"]["operationId"] = "FactMES_API_Core_Item_Add"
    d["paths"]["/v2/FactMES.API.Core.Item.Add"] = item


def _respell_items(d: Doc) -> None:
    """`/items` as `/Items/`: the same normalised path, so no operation is added."""
    d["paths"]["/Items/"] = d["paths"].pop("/items")


def _move_items(d: Doc) -> None:
    """A move that keeps the operationId."""
    d["paths"]["/v2/items"] = d["paths"].pop("/items")


def _add_copy(d: Doc) -> None:
    d["paths"]["/items/{id}/copy"] = {"post": {"operationId": "CopyItem", "responses": {}}}


def _q_to_path_item(d: Doc) -> None:
    """The query parameter declared once for the path item instead: still sent."""
    d["paths"]["/items/{id}"]["parameters"] = [_get(d)["parameters"].pop()]


def _add_header_q(d: Doc) -> None:
    """A header of the same name beside the query parameter, which stays where it was."""
    _get(d)["parameters"].append({"name": "q", "in": "header", "type": "string"})


def _rename_path_variable(d: Doc) -> None:
    """`{id}` to `{key}` in the template and the parameter: callers send no name."""
    d["paths"]["/items/{key}"] = d["paths"].pop("/items/{id}")
    _get_key(d)["parameters"][0]["name"] = "key"


def _get_key(d: Doc) -> Doc:
    return d["paths"]["/items/{key}"]["get"]  # type: ignore[no-any-return]


# id → (failing edit, passing edit)
CASES: dict[str, tuple[Edit, Edit]] = {
    "operation-removed": (_new(_del_post), _then(_old(_deprecate_post), _new(_del_post))),
    "operation-removed-after-deprecation": (
        _then(_old(_deprecate_post), _new(_del_post)),
        _new(_del_post),
    ),
    "operation-deprecated": (
        _new(_deprecate_post),
        _new(_set(_q, "deprecated", True)),  # a parameter deprecated, not the operation
    ),
    "operation-added": (_old(_del_post), _new(_respell_items)),
    "operation-moved": (
        _new(lambda d: d["paths"].__setitem__("/v2/items", d["paths"].pop("/items"))),
        _new(lambda d: d["paths"].__setitem__("/Items/", d["paths"].pop("/items"))),
    ),
    "operation-renamed": (
        _then(_both(_mes_shape), _new(_mes_renamed)),
        _then(_both(_mes_shape), _new(_set(_mes_add, "operationId", "Core_Item_Insert"))),
    ),
    "operation-id-changed": (_new(_set(_post, "operationId", "CreateItem")), _new(_move_items)),
    "operation-tag-changed": (
        _new(_set(_post, "tags", ["Stock"])),
        _new(_set(_post, "summary", "new words")),
    ),
    "duplicate-operation-key": (
        _new(
            lambda d: d["paths"].__setitem__(
                "/items/{key}", copy.deepcopy(d["paths"]["/items/{id}"])
            )
        ),
        _new(_add_copy),
    ),
    "parameter-added-required": (_new(_add_query(True)), _new(_add_query(False))),
    "parameter-added-optional": (_new(_add_query(False)), _new(_add_query(True))),
    "parameter-removed": (_new(lambda d: _get(d)["parameters"].pop()), _new(_q_to_path_item)),
    "parameter-moved": (_new(_set(_q, "in", "header")), _new(_add_header_q)),
    "parameter-renamed": (_new(_set(_q, "name", "query")), _new(_rename_path_variable)),
    "parameter-type-changed": (
        _new(_set(_q, "type", "integer")),
        _new(_set(_q, "description", "words")),
    ),
    "parameter-made-required": (_new(_set(_q, "required", True)), _old(_set(_q, "required", True))),
    "request-body-made-required": (
        _new(_set(_body, "required", True)),
        _old(_set(_body, "required", True)),
    ),
    "request-body-removed": (
        _new(lambda d: _post(d).pop("parameters")),
        _new(_set(_body, "name", "payload")),  # a 2.0 body parameter's name is never sent
    ),
    "request-content-type-removed": (
        _then(_old(_set(_post, "consumes", ["application/json", "application/xml"]))),
        _new(_set(_post, "consumes", ["application/json", "application/xml"])),
    ),
    "request-property-required-added": (
        _new(lambda d: d["definitions"]["ItemIn"].__setitem__("required", ["name"])),
        _old(lambda d: d["definitions"]["ItemIn"].__setitem__("required", ["name"])),
    ),
    "request-property-type-changed": (
        _new(_set(_item_in, "legacy", {"type": "integer"})),
        _new(_set(_item_in, "legacy", {"type": "string", "description": "d"})),
    ),
    "request-enum-value-removed": (
        _new(_set(_item_in, "kind", {"type": "string", "enum": ["x"]})),
        _new(_set(_item_in, "kind", {"type": "string", "enum": ["x", "y", "z"]})),
    ),
    "request-constraint-tightened": (
        _new(_set(_item_in, "name", {"type": "string", "maxLength": 5})),
        _new(_set(_item_in, "name", {"type": "string", "maxLength": 20})),
    ),
    "request-property-removed": (_new(_pop(_item_in, "legacy")), _old(_pop(_item_in, "legacy"))),
    "response-status-removed": (
        _new(lambda d: _get(d)["responses"].pop("404")),
        _old(lambda d: _get(d)["responses"].pop("404")),
    ),
    "response-content-type-removed": (
        _old(_set(_get, "produces", ["application/json", "application/xml"])),
        _new(_set(_get, "produces", ["application/json", "application/xml"])),
    ),
    "response-property-removed": (_new(_pop(_item, "state")), _old(_pop(_item, "state"))),
    "response-property-made-optional": (
        _new(lambda d: d["definitions"]["Item"].__setitem__("required", ["id"])),
        _old(lambda d: d["definitions"]["Item"].__setitem__("required", ["id"])),
    ),
    "response-property-made-nullable": (
        _new(_set(_item, "name", {"type": "string", "x-nullable": True})),
        _old(_set(_item, "name", {"type": "string", "x-nullable": True})),
    ),
    "response-property-type-changed": (
        _new(_set(_item, "id", {"type": "string"})),
        _new(_set(_item, "id", {"type": "integer", "description": "key"})),
    ),
    "response-enum-value-added": (
        _new(_set(_item, "state", {"type": "string", "enum": ["A", "B", "C"]})),
        _new(_set(_item, "state", {"type": "string", "enum": ["A"]})),
    ),
    "security-scheme-added": (
        _new(
            lambda d: d["securityDefinitions"].__setitem__(
                "key", {"type": "apiKey", "in": "header", "name": "K"}
            )
        ),
        _new(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("w", "Write")),
    ),
    "security-scheme-removed": (
        _old(
            lambda d: d["securityDefinitions"].__setitem__(
                "key", {"type": "apiKey", "in": "header", "name": "K"}
            )
        ),
        _old(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("w", "Write")),
    ),
    "security-scheme-changed": (
        _new(
            lambda d: d["securityDefinitions"]["tok"].__setitem__("tokenUrl", "https://aim2/token")
        ),
        _new(lambda d: d["securityDefinitions"]["tok"].__setitem__("description", "AIM")),
    ),
    "security-scope-added": (
        _new(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("w", "Write")),
        _new(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("r", "Read all")),
    ),
    "security-scope-removed": (
        _old(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("w", "Write")),
        _old(lambda d: d["securityDefinitions"]["tok"]["scopes"].__setitem__("r", "Read all")),
    ),
    "operation-security-changed": (
        _new(_set(_post, "security", [{"tok": ["r"]}])),
        _new(_set(_post, "security", [{"tok": []}])),
    ),
    "server-base-path-changed": (
        _new(lambda d: d.__setitem__("basePath", "/api/v2")),
        _new(lambda d: d.__setitem__("basePath", "/api/")),
    ),
    "server-host-changed": (
        _new(lambda d: d.__setitem__("host", "b.example")),
        _new(lambda d: d.__setitem__("host", "A.EXAMPLE")),
    ),
}

RULE_CASES = {"rule-escaped", "rule-unmatched-now", "rule-matches-more", "rule-matches-fewer"}


def test_every_kind_has_cases() -> None:
    assert set(CASES) | RULE_CASES == set(KINDS)


def _run(tmp_path: Path, edit: Edit, rules: tuple[str, ...] = ()) -> set[str]:
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    edit(old, new)
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    result = diff(tmp_path / "old.json", tmp_path / "new.json", DiffOptions(rules=rules))
    return {c.id for c in result.changes}


@pytest.mark.parametrize("change_id", sorted(CASES))
def test_failing_pair_reports_the_kind(tmp_path: Path, change_id: str) -> None:
    assert change_id in _run(tmp_path, CASES[change_id][0])


@pytest.mark.parametrize("change_id", sorted(CASES))
def test_passing_pair_does_not(tmp_path: Path, change_id: str) -> None:
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    CASES[change_id][1](old, new)
    assert old != new, "a pass case must change the file, or it cannot fail"
    assert change_id not in _run(tmp_path, CASES[change_id][1])


def _rules(tmp_path: Path, entries: list[dict[str, Any]]) -> str:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"name": "t", "version": "1", "exclude": entries}), encoding="utf-8")
    return str(path)


def test_rule_kinds(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        [
            {"operationId": "AddItem", "reason": "no-web-endpoint"},
            {"path": "/items/*", "reason": "no-web-endpoint"},
        ],
    )

    def edit(old: Doc, new: Doc) -> None:
        _set(_post, "operationId", "CreateItem")(new)
        new["paths"]["/items/{id}/copy"] = {"post": {"operationId": "CopyItem", "responses": {}}}

    found = _run(tmp_path, edit, (rules,))
    assert {"rule-escaped", "rule-matches-more"} <= found
    assert not {"rule-escaped", "rule-matches-more"} & _run(tmp_path, _same, (rules,))


def test_rule_unmatched_now_and_fewer(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        [
            {"operationId": "AddItem", "reason": "no-web-endpoint"},
            {"path": "/items*", "reason": "no-web-endpoint"},
        ],
    )
    found = _run(tmp_path, _new(_del_post), (rules,))
    assert {"rule-unmatched-now", "rule-matches-fewer"} <= found
    assert not {"rule-unmatched-now", "rule-matches-fewer"} & _run(tmp_path, _same, (rules,))


def test_identical_files_have_no_change(tmp_path: Path) -> None:
    assert _run(tmp_path, _same) == set()


def test_a_component_only_renamed_is_no_change(tmp_path: Path) -> None:
    def rename(d: Doc) -> None:
        d["definitions"]["Article"] = d["definitions"].pop("Item")
        text = json.dumps(d).replace('#/definitions/Item"', '#/definitions/Article"')
        d.clear()
        d.update(json.loads(text))

    assert _run(tmp_path, _new(rename)) == set()


def test_mutually_recursive_schemas_end_and_report_once(tmp_path: Path) -> None:
    def recursive(d: Doc) -> None:
        d["definitions"]["Node"] = {
            "type": "object",
            "properties": {"link": {"$ref": "#/definitions/Link"}, "v": {"type": "string"}},
        }
        d["definitions"]["Link"] = {
            "type": "object",
            "properties": {"node": {"$ref": "#/definitions/Node"}, "w": {"type": "string"}},
        }
        _item(d)["node"] = {"$ref": "#/definitions/Node"}

    def change(d: Doc) -> None:
        d["definitions"]["Link"]["properties"]["w"] = {"type": "integer"}

    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    recursive(old)
    recursive(new)
    change(new)
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    result = diff(tmp_path / "old.json", tmp_path / "new.json", DiffOptions(rules=()))
    assert [(c.id, c.new_pointer) for c in result.changes] == [
        ("response-property-type-changed", "#/definitions/Link/properties/w")
    ]


def test_the_generated_reference_is_current() -> None:
    from swaggertools.diff.kinds import reference_markdown

    committed = (Path(__file__).resolve().parents[2] / "docs" / "diff-checks.md").read_text(
        encoding="utf-8"
    )
    assert committed == reference_markdown(), "run `make docs`"


@pytest.mark.parametrize("change_id", sorted(KINDS))
def test_every_kind_is_documented_with_a_failing_example(change_id: str) -> None:
    found = KINDS[change_id]
    assert found.level in ("error", "warning", "info")
    assert "Failing::" in found.explain()
    assert found.summary.endswith(".")

"""Unit tests for swaggertools.validate: ref checks and openapi-spec-validator as findings."""

from __future__ import annotations

import copy
from typing import Any

from swaggertools.index import build_index
from swaggertools.load import load_bytes
from swaggertools.model import Finding, Severity
from swaggertools.validate import check_refs, locate_findings, validate_document
from swaggertools.versions import SpecVersion, detect


def _validate(doc: dict[str, Any]) -> list[Finding]:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    index = build_index(doc, version, method_extension="x-mes")
    # the openapi-spec-validator adapter (the fast path has tests/unit/test_validate_fast.py)
    return validate_document(doc, version, index, "full")


def _summary(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return [(f.rule, f.pointer, f.message) for f in findings]


V2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "a",
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}},
            }
        }
    },
    "definitions": {"A": {"type": "object", "properties": {"n": {"type": "integer"}}}},
}
V3: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "a",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/A"}}
                        },
                    }
                },
            }
        }
    },
    "components": {"schemas": {"A": {"type": "string"}}},
}


def test_valid_documents_give_no_findings() -> None:
    assert _validate(copy.deepcopy(V2)) == []
    assert _validate(copy.deepcopy(V3)) == []
    v31 = copy.deepcopy(V3)
    v31["openapi"] = "3.1.0"
    assert _validate(v31) == []


def test_unresolved_ref_is_a_finding_not_a_crash() -> None:
    doc = copy.deepcopy(V2)
    doc["paths"]["/a"]["get"]["responses"]["200"]["schema"] = {"$ref": "#/definitions/Missing"}
    assert _summary(_validate(doc)) == [
        (
            "unresolved-ref",
            "#/paths/~1a/get/responses/200/schema/$ref",
            "$ref '#/definitions/Missing' points to nothing",
        )
    ]


def test_unresolved_sub_pointer_ref() -> None:
    doc = copy.deepcopy(V3)
    schema = {"$ref": "#/components/schemas/A/properties/nope"}
    doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = schema
    findings = _validate(doc)
    assert _summary(findings) == [
        (
            "unresolved-ref",
            "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "$ref '#/components/schemas/A/properties/nope' points to nothing",
        )
    ]
    assert findings[0].severity is Severity.ERROR


def test_external_ref_refused() -> None:
    doc = copy.deepcopy(V2)
    doc["definitions"]["A"]["properties"]["n"] = {"$ref": "other.json#/X"}
    findings = _validate(doc)
    assert [(f.rule, f.pointer) for f in findings] == [
        ("unresolved-ref", "#/definitions/A/properties/n/$ref")
    ]
    assert findings[0].message.startswith("$ref 'other.json#/X' is not a local reference")


def test_schema_error_has_pointer() -> None:
    doc = copy.deepcopy(V3)
    doc["info"]["version"] = 1
    assert _summary(_validate(doc)) == [
        ("invalid-spec", "#/info/version", "1 is not of type 'string'")
    ]


def test_v2_response_schema_error_pointer() -> None:
    doc = copy.deepcopy(V2)
    doc["paths"]["/a"]["get"]["responses"]["200"]["description"] = 5
    findings = _validate(doc)
    assert len(findings) == 1
    assert findings[0].rule == "invalid-spec"
    assert findings[0].pointer == "#/paths/~1a/get/responses/200"
    assert "is not valid under any of the given schemas" in findings[0].message


def test_duplicate_operation_id_gets_operation_pointer() -> None:
    doc = copy.deepcopy(V2)
    doc["paths"]["/b"] = {"post": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}
    assert _summary(_validate(doc)) == [
        (
            "duplicate-operation-id",
            "#/paths/~1b/post",
            "Operation ID 'a' for 'post' in '/b' is not unique",
        )
    ]


def test_unresolved_path_parameter_gets_operation_pointer() -> None:
    doc = copy.deepcopy(V3)
    doc["paths"]["/a/{id}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    findings = _validate(doc)
    assert _summary(findings) == [
        (
            "invalid-spec",
            "#/paths/~1a~1{id}/get",
            "Path parameter 'id' for 'get' operation in '/a/{id}' was not resolved",
        )
    ]


def test_structural_findings_block_the_validator() -> None:
    doc = copy.deepcopy(V2)
    doc["paths"]["/bad"] = ["not", "a", "path item"]
    doc["paths"]["/b"] = {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}
    assert _summary(_validate(doc)) == [
        ("invalid-structure", "#/paths/~1bad", "a path item must be an object"),
        (
            "duplicate-operation-id",
            "#/paths/~1b/get/operationId",
            "operationId 'a' is also used by GET /a",
        ),
    ]


def test_check_refs_caches_and_reports_each_site() -> None:
    doc = copy.deepcopy(V2)
    doc["definitions"]["A"]["properties"] = {
        "x": {"$ref": "#/definitions/Gone"},
        "y": {"$ref": "#/definitions/Gone"},
        "z": {"$ref": "#/definitions/A"},
        "w": {"$ref": "#definitions/bad-pointer"},
    }
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    findings = check_refs(doc, build_index(doc, version, method_extension="x"))
    assert sorted(f.pointer or "" for f in findings) == [
        "#/definitions/A/properties/w/$ref",
        "#/definitions/A/properties/x/$ref",
        "#/definitions/A/properties/y/$ref",
    ]


def test_locate_findings_adds_lines() -> None:
    text = (
        "openapi: 3.0.3\n"
        "info:\n"
        "  title: t\n"
        "  version: 1\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"
        "                $ref: '#/components/schemas/Nope'\n"
    )
    loaded = load_bytes(text.encode(), "spec.yaml")
    findings = _validate(loaded.doc)
    assert [f.rule for f in findings] == ["unresolved-ref"]
    located = locate_findings(findings, "spec.yaml", loaded.locator.locate)
    assert [(f.file, f.line, f.column) for f in located] == [("spec.yaml", 14, 17)]
    assert located[0].message == findings[0].message
    assert located[0].pointer == findings[0].pointer

    loaded.doc["components"] = {"schemas": {"Nope": {"type": "string"}}}
    findings = _validate(loaded.doc)
    located = locate_findings(findings, "spec.yaml", loaded.locator.locate)
    assert [(f.pointer, f.line, f.column) for f in located] == [("#/info/version", 4, 3)]


def test_locate_findings_without_locator_or_pointer() -> None:
    findings = [
        Finding("r", Severity.WARNING, "m", pointer="#/a"),
        Finding("r", Severity.INFO, "n", file="orig.json"),
    ]
    located = locate_findings(findings, None, None)
    assert [(f.file, f.line, f.column) for f in located] == [
        (None, None, None),
        ("orig.json", None, None),
    ]
    # a finding that names its file (a ref in a bundled file) keeps its own location
    located = locate_findings(findings, "x.json", lambda _p: (3, 4))
    assert [(f.file, f.line, f.column) for f in located] == [
        ("x.json", 3, 4),
        ("orig.json", None, None),
    ]


def test_validator_crash_is_a_finding_not_a_crash() -> None:
    # `x-` keys are legal in the Paths Object and swaggertools indexes them as extensions,
    # but openapi-spec-validator raises KeyError on one: that must surface as a finding.
    doc = copy.deepcopy(V2)
    doc["paths"]["x-generated"] = True
    assert _summary(_validate(doc)) == [
        (
            "invalid-spec",
            "#",
            "openapi-spec-validator could not check this document (KeyError: 'x-generated')",
        )
    ]


def test_non_object_path_item_is_a_finding_not_a_crash() -> None:
    doc = copy.deepcopy(V2)
    doc["paths"]["/broken"] = True
    assert _summary(_validate(doc)) == [
        ("invalid-structure", "#/paths/~1broken", "a path item must be an object")
    ]

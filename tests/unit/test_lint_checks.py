"""Unit tests for the lint checks, their registry, and the lint engine (real files, no mocks)."""

from __future__ import annotations

import copy
import importlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RuleSetError, UsageError
from swaggertools.findings.model import LOAD_ERROR, FileResult, LintRun
from swaggertools.lint.checks import CHECKS
from swaggertools.lint.engine import LintOptions, enabled_checks, exit_code, lint
from swaggertools.model import Finding, Severity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MES_SWAGGER = FIXTURES / "mes-swagger.json"
MES_OPENAPI = FIXTURES / "mes-openapi.yaml"

SEVERITIES = {
    "ambiguous-rule": Severity.WARNING,
    "duplicate-operation-id": Severity.ERROR,
    "excluded-operation": Severity.ERROR,
    "input-note": Severity.WARNING,
    "invalid-spec": Severity.ERROR,
    "missing-operation-id": Severity.WARNING,
    "missing-security": Severity.WARNING,
    "unmatched-rule": Severity.WARNING,
    "unresolved-mapping": Severity.WARNING,
    "unresolved-ref": Severity.ERROR,
    "untagged-operation": Severity.WARNING,
    "unused-component": Severity.INFO,
}
RULE_USING = {"ambiguous-rule", "excluded-operation", "unmatched-rule"}
OK = {"description": "OK"}
NO_AIM = "no AIM security scheme"

Hit = tuple[str, "str | None", str]


# ---------------------------------------------------------------- helpers


def write(path: Path, doc: Any) -> Path:
    """Write `doc` as JSON or YAML (by suffix); strings and bytes are written as they are."""
    if isinstance(doc, bytes):
        path.write_bytes(doc)
    elif isinstance(doc, str):
        path.write_text(doc, encoding="utf-8", newline="")
    elif path.suffix in (".yaml", ".yml"):
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def run_checks(
    tmp_path: Path,
    doc: Any,
    *checks: str,
    name: str = "spec.json",
    rules: Sequence[str] = ("mes-model-driven-7.0",),
) -> list[Hit]:
    """Lint one file with only `checks` enabled; (rule, pointer, message) of every finding."""
    spec = write(tmp_path / name, doc)
    run = lint([spec], LintOptions(select=checks, rules=tuple(rules)))
    [result] = run.files
    assert result.error is None, result.error
    for finding in result.findings:
        assert finding.file == str(spec)
        assert finding.severity is SEVERITIES[finding.rule]
    return [(f.rule, f.pointer, f.message) for f in result.findings]


def swagger(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths, **top}


def openapi(paths: dict[str, Any], version: str = "3.0.3", **top: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **top}


def op(operation_id: str | None = None, **extra: Any) -> dict[str, Any]:
    """A valid operation (Swagger 2.0 and OpenAPI 3 alike), tagged unless told otherwise."""
    node: dict[str, Any] = {"tags": ["Items"]}
    if operation_id is not None:
        node["operationId"] = operation_id
    node["responses"] = {"200": OK}
    node.update(extra)
    return node


def line_of(text: str, needle: str, start: str | None = None) -> tuple[int, int]:
    """1-based line and column of the first `needle` (after `start`, when given)."""
    offset = text.index(start) if start is not None else 0
    pos = text.index(needle, offset)
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def write_rules(tmp_path: Path, entries: str, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f'name: site\nversion: "1"\nexclude:\n{entries}', encoding="utf-8")
    return path


# ---------------------------------------------------------------- registry


def test_registry_has_the_twelve_checks_in_id_order() -> None:
    assert list(CHECKS) == sorted(SEVERITIES)


@pytest.mark.parametrize("check_id", sorted(SEVERITIES))
def test_registered_check_matches_its_module(check_id: str) -> None:
    check = CHECKS[check_id]
    module = importlib.import_module(f"swaggertools.lint.checks.{check_id.replace('-', '_')}")
    assert module.ID == check.id == check_id
    assert check.severity is SEVERITIES[check_id]
    assert check.run is module.check
    assert check.uses_rules is (check_id in RULE_USING)
    assert "Failing" in check.explain
    assert "Passing" in check.explain
    assert check.summary.strip() == check.summary
    assert check.summary
    assert "\n" not in check.summary
    info = check.info()
    assert (info.id, info.severity, info.summary, info.explain) == (
        check.id,
        check.severity,
        check.summary,
        check.explain,
    )
    assert info.help_uri.endswith(f"#{check_id}")


# ---------------------------------------------------------------- excluded-operation

SITE_RULES = """\
  - method: FactMES.API.Core.AttrSet.Add
    reason: no-web-endpoint
  - method: FactMES.API.Prod.Item.Update
    reason: replaced
    replacement: api/v3/Item
  - tag: Diagnostics
    reason: internal use only
    id: site-diagnostics
"""


def test_excluded_operation_names_rule_reason_and_replacement(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, SITE_RULES)
    doc = swagger(
        {
            "/api/Core/AttrSet/Add": {"post": op("Core_AttrSet_Add")},
            "/api/Prod/Item/Update": {"post": op("Prod_Item_Update")},
            "/api/Util/Trace": {"get": op("Util_Trace", tags=["Diagnostics"])},
            "/api/Core/Ent": {"get": op("Core_Ent_GetAll")},
        }
    )
    hits = run_checks(tmp_path, doc, "excluded-operation", rules=[str(rules)])
    assert hits == [
        (
            "excluded-operation",
            "#/paths/~1api~1Core~1AttrSet~1Add/post",
            "POST /api/Core/AttrSet/Add (Core_AttrSet_Add) is excluded by site rule site#1 "
            "(method FactMES.API.Core.AttrSet.Add): "
            "the MES method has no usable Web API endpoint for Work Tasks",
        ),
        (
            "excluded-operation",
            "#/paths/~1api~1Prod~1Item~1Update/post",
            "POST /api/Prod/Item/Update (Prod_Item_Update) is excluded by site rule site#2 "
            "(method FactMES.API.Prod.Item.Update): a newer Web API endpoint replaces it; "
            "use api/v3/Item instead",
        ),
        (
            "excluded-operation",
            "#/paths/~1api~1Util~1Trace/get",
            "GET /api/Util/Trace (Util_Trace) is excluded by site rule site-diagnostics "
            "(tag Diagnostics): internal use only",
        ),
    ]


def test_excluded_operation_openapi_yaml_by_extension(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, SITE_RULES)
    doc = openapi(
        {
            "/v1/items/{id}": {
                "put": op("updateItem", **{"x-mes-method": "FactMES.API.Prod.Item.Update"}),
                "get": op("getItem"),
            }
        }
    )
    hits = run_checks(tmp_path, doc, "excluded-operation", name="api.yaml", rules=[str(rules)])
    assert hits == [
        (
            "excluded-operation",
            "#/paths/~1v1~1items~1{id}/put",
            "PUT /v1/items/{id} (updateItem) is excluded by site rule site#2 "
            "(method FactMES.API.Prod.Item.Update): a newer Web API endpoint replaces it; "
            "use api/v3/Item instead",
        )
    ]


def test_excluded_operation_passes_when_no_rule_names_an_operation(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, SITE_RULES)
    doc = swagger({"/api/Core/Ent": {"get": op("Core_Ent_GetAll")}})
    assert run_checks(tmp_path, doc, "excluded-operation", rules=[str(rules)]) == []


def test_excluded_operation_skips_ambiguous_rules(tmp_path: Path) -> None:
    # Two operations normalise to the same method name: clean removes neither, so lint
    # must not claim either is excluded (ambiguous-rule reports it instead).
    rules = write_rules(tmp_path, "  - method: FactMES.API.Core.Item.Get\n    reason: x\n")
    doc = swagger({"/a": {"get": op("Core_Item_Get")}, "/b": {"get": op("coreItemGet")}})
    assert run_checks(tmp_path, doc, "excluded-operation", rules=[str(rules)]) == []


@pytest.mark.parametrize("fixture", [MES_SWAGGER, MES_OPENAPI], ids=["swagger2", "openapi3"])
def test_excluded_operation_on_the_mes_fixtures(tmp_path: Path, fixture: Path) -> None:
    run = lint([fixture], LintOptions(select=("excluded-operation",)))
    findings = run.findings()
    assert len(findings) == 42
    assert len({f.pointer for f in findings}) == 42
    assert all(f.line is not None and f.column is not None for f in findings)
    assert all(
        " is excluded by mes-model-driven-7.0 rule mes-model-driven-7.0#" in f.message
        for f in findings
    )
    add = [f for f in findings if "(method FactMES.API.Core.AttrSet.Add)" in f.message]
    assert len(add) == 1
    assert add[0].message.endswith("the MES method has no usable Web API endpoint for Work Tasks")
    update = [f for f in findings if "(method FactMES.API.Prod.Item.Update)" in f.message]
    assert len(update) == 1
    assert update[0].message.endswith(
        "a newer Web API endpoint replaces it; use api/v3/Item instead"
    )
    assert run.exit_code == EXIT_FINDINGS


# ---------------------------------------------------------------- unmatched-rule


def test_unmatched_rule_names_rule_target_and_rule_file_line(tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path,
        "  - method: FactMES.API.Core.AttrSet.Add\n    reason: no-web-endpoint\n"
        "  - method: FactMES.API.Core.AttrSet.Ad\n    reason: no-web-endpoint\n",
    )
    doc = swagger({"/api/Core/AttrSet/Add": {"post": op("Core_AttrSet_Add")}})
    hits = run_checks(tmp_path, doc, "unmatched-rule", rules=[str(rules)])
    line, _ = line_of(rules.read_text(), "- method: FactMES.API.Core.AttrSet.Ad\n")
    assert hits == [
        (
            "unmatched-rule",
            None,
            f"rule site#2 (method FactMES.API.Core.AttrSet.Ad, {rules}:{line}) "
            "matched no operation",
        )
    ]


def test_unmatched_rule_passes_when_every_rule_matches(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - path: /api/Core/*\n    reason: x\n")
    doc = swagger({"/api/Core/Ent": {"get": op("Core_Ent_GetAll")}})
    assert run_checks(tmp_path, doc, "unmatched-rule", rules=[str(rules)]) == []


@pytest.mark.parametrize("fixture", [MES_SWAGGER, MES_OPENAPI], ids=["swagger2", "openapi3"])
def test_shipped_rules_all_match_the_fixtures(fixture: Path) -> None:
    run = lint([fixture], LintOptions(select=("unmatched-rule", "ambiguous-rule")))
    assert run.findings() == []
    assert run.exit_code == EXIT_OK


# ---------------------------------------------------------------- ambiguous-rule


def test_ambiguous_method_rule_lists_every_candidate(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - method: FactMES.API.Core.Item.Get\n    reason: x\n")
    doc = swagger({"/a": {"get": op("Core_Item_Get")}, "/b": {"post": op("coreItemGet")}})
    hits = run_checks(tmp_path, doc, "ambiguous-rule", rules=[str(rules)])
    assert hits == [
        (
            "ambiguous-rule",
            "#/paths/~1a/get",
            "rule site#1 (method FactMES.API.Core.Item.Get) matched 2 operations by "
            "operationId: GET /a; POST /b",
        )
    ]


def test_ambiguous_short_form_on_openapi(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - method: FactMES.API.Core.AttrSet.Add\n    reason: x\n")
    doc = openapi(
        {"/core/add": {"post": op("AttrSet_Add")}, "/prod/add": {"post": op("attrSetAdd")}}
    )
    hits = run_checks(tmp_path, doc, "ambiguous-rule", name="a.yaml", rules=[str(rules)])
    assert hits == [
        (
            "ambiguous-rule",
            "#/paths/~1core~1add/post",
            "rule site#1 (method FactMES.API.Core.AttrSet.Add) matched 2 operations by "
            "operationId (short form): POST /core/add; POST /prod/add",
        )
    ]


def test_ambiguous_operation_id_rule_on_a_duplicated_id(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - operationId: GetItem\n    reason: x\n")
    doc = swagger({"/a": {"get": op("GetItem")}, "/b": {"get": op("GetItem")}})
    hits = run_checks(tmp_path, doc, "ambiguous-rule", rules=[str(rules)])
    assert hits == [
        (
            "ambiguous-rule",
            "#/paths/~1a/get",
            "rule site#1 (operationId GetItem) matched 2 operations by operationId: GET /a; GET /b",
        )
    ]


def test_operation_id_rules_are_exact_so_not_ambiguous(tmp_path: Path) -> None:
    # (The check's docstring gives this as its failing example; operationId targets are
    # exact and case-sensitive, so only GetItem matches and the rule is not ambiguous.)
    rules = write_rules(tmp_path, "  - operationId: GetItem\n    reason: x\n")
    doc = swagger({"/a": {"get": op("GetItem")}, "/b": {"get": op("get_item")}})
    hits = run_checks(tmp_path, doc, "ambiguous-rule", "excluded-operation", rules=[str(rules)])
    assert [(rule, pointer) for rule, pointer, _ in hits] == [
        ("excluded-operation", "#/paths/~1a/get")
    ]


def test_glob_matching_several_operations_is_not_ambiguous(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - method: FactMES.API.Core.Item.*\n    reason: x\n")
    doc = swagger({"/a": {"get": op("Core_Item_Get")}, "/b": {"get": op("Core_Item_Add")}})
    assert run_checks(tmp_path, doc, "ambiguous-rule", rules=[str(rules)]) == []


# ---------------------------------------------------------------- invalid-spec

INVALID_V2 = swagger(
    {
        "/a": {"get": op("A", responses={})},
        "/b": {"get": op("B", parameters=[{"name": "q", "in": "nowhere", "type": "string"}])},
    }
)


def test_invalid_spec_reports_every_error_with_its_pointer(tmp_path: Path) -> None:
    hits = run_checks(tmp_path, INVALID_V2, "invalid-spec")
    pointers = {pointer for _, pointer, _ in hits}
    assert pointers >= {"#/paths/~1a/get/responses", "#/paths/~1b/get/parameters/0"}
    assert any("has less than 1 property" in message for _, _, message in hits)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_invalid_spec_openapi_every_error(tmp_path: Path, version: str) -> None:
    doc = openapi(
        {
            "/a": {"get": op("A", responses={})},
            "/c": {"get": op("C", parameters=[{"name": "q", "in": "nowhere"}])},
        },
        version,
    )
    hits = run_checks(tmp_path, doc, "invalid-spec", name="v3.yaml")
    pointers = {pointer for _, pointer, _ in hits}
    assert "#/paths/~1a/get/responses" in pointers
    assert any(p is not None and p.startswith("#/paths/~1c/get/parameters/0") for p in pointers)


def test_invalid_spec_reports_structure_errors(tmp_path: Path) -> None:
    doc = swagger({"/a": "not a path item", "/b": {"get": op("B")}})
    hits = run_checks(tmp_path, doc, "invalid-spec")
    assert hits
    assert all(rule == "invalid-spec" for rule, _, _ in hits)
    assert any(pointer == "#/paths/~1a" for _, pointer, _ in hits), hits


def test_invalid_spec_passes_a_valid_file_and_leaves_refs_to_unresolved_ref(
    tmp_path: Path,
) -> None:
    valid = swagger({"/a": {"get": op("A")}})
    assert run_checks(tmp_path, valid, "invalid-spec") == []
    broken_ref = swagger(
        {"/a": {"get": op("A", responses={"200": {**OK, "schema": {"$ref": "#/definitions/X"}}})}}
    )
    assert run_checks(tmp_path, broken_ref, "invalid-spec") == []


@pytest.mark.parametrize("fixture", [MES_SWAGGER, MES_OPENAPI], ids=["swagger2", "openapi3"])
def test_fixtures_are_valid(fixture: Path) -> None:
    run = lint([fixture], LintOptions(select=("invalid-spec", "unresolved-ref")))
    assert run.findings() == []


# ---------------------------------------------------------------- unresolved-ref


def test_unresolved_ref_swagger(tmp_path: Path) -> None:
    doc = swagger(
        {
            "/a": {
                "get": op("A", responses={"200": {**OK, "schema": {"$ref": "#/definitions/Ordr"}}})
            }
        },
        definitions={"Order": {"type": "object"}},
    )
    assert run_checks(tmp_path, doc, "unresolved-ref") == [
        (
            "unresolved-ref",
            "#/paths/~1a/get/responses/200/schema/$ref",
            "$ref '#/definitions/Ordr' points to nothing",
        )
    ]


def test_unresolved_ref_openapi_and_self_reference(tmp_path: Path) -> None:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}
    doc = openapi(
        {"/b": {"post": op("B", responses={"200": {**OK, "content": content}})}},
        components={"schemas": {"Self": {"$ref": "#/components/schemas/Self"}}},
    )
    hits = run_checks(tmp_path, doc, "unresolved-ref", name="v3.yaml")
    assert [(rule, pointer) for rule, pointer, _ in hits] == [
        ("unresolved-ref", "#/paths/~1b/post/responses/200/content/application~1json/schema/$ref"),
        ("unresolved-ref", "#/components/schemas/Self/$ref"),
    ]
    assert hits[0][2] == "$ref '#/components/schemas/Nope' points to nothing"
    assert "'#/components/schemas/Self' never reaches a value" in hits[1][2]


def test_unresolved_ref_passes_when_refs_resolve(tmp_path: Path) -> None:
    doc = swagger(
        {"/a": {"get": op("A", responses={"200": {**OK, "schema": {"$ref": "#/definitions/O"}}})}},
        definitions={"O": {"type": "object"}},
    )
    assert run_checks(tmp_path, doc, "unresolved-ref") == []


def test_unresolved_ref_to_a_missing_file_in_a_bundled_file(tmp_path: Path) -> None:
    """Located in the file that holds the ref, after the linted file's own findings."""
    pet = write(tmp_path / "pet.yaml", "Pet:\n  properties:\n    o: {$ref: 'gone.yaml#/O'}\n")
    doc = swagger(
        {"/a": {"get": op("A", responses={"200": {**OK, "schema": {"$ref": "pet.yaml#/Pet"}}})}},
        definitions={"B": {"$ref": "#/definitions/Nope"}},
    )
    spec = write(tmp_path / "spec.json", doc)
    run = lint([spec], LintOptions(select=("unresolved-ref",)))
    [result] = run.files
    assert [(f.rule, f.severity, f.file, f.pointer, f.line, f.column) for f in result.findings] == [
        ("unresolved-ref", Severity.ERROR, str(spec), "#/definitions/B/$ref", 27, 7),
        ("unresolved-ref", Severity.ERROR, str(pet), "#/Pet/properties/o/$ref", 3, 9),
    ]
    assert result.findings[1].message == (
        "$ref 'gone.yaml#/O' points to a file that does not exist: gone.yaml"
    )
    assert run.exit_code == EXIT_FINDINGS


# ---------------------------------------------------------------- unresolved-mapping


def test_unresolved_mapping_is_a_warning_at_the_mapping_value(tmp_path: Path) -> None:
    pet = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"dog": "dogs.yaml#/Dog", "cat": "Cat", "fish": "#/nope"},
        },
    }
    doc = openapi({}, components={"schemas": {"Pet": pet, "Cat": {"type": "object"}}})
    mapping = "#/components/schemas/Pet/discriminator/mapping"
    assert run_checks(tmp_path, doc, "unresolved-mapping", "unresolved-ref") == [
        (
            "unresolved-mapping",
            f"{mapping}/dog",
            "discriminator mapping 'dog': 'dogs.yaml#/Dog' points to a file that does not "
            "exist: dogs.yaml (kept as written)",
        ),
        (
            "unresolved-mapping",
            f"{mapping}/fish",
            "discriminator mapping 'fish': '#/nope' points to nothing (kept as written)",
        ),
    ]
    run = lint([tmp_path / "spec.json"], LintOptions(select=("unresolved-mapping",)))
    assert run.exit_code == EXIT_OK
    failing = LintOptions(select=("unresolved-mapping",), fail_on="warning")
    assert lint([tmp_path / "spec.json"], failing).exit_code == EXIT_FINDINGS


# ---------------------------------------------------------------- duplicate-operation-id


def test_duplicate_operation_id_once_per_duplicated_operation(tmp_path: Path) -> None:
    doc = swagger({"/a": {"get": op("A")}, "/b": {"get": op("A")}, "/c": {"post": op("A")}})
    assert run_checks(tmp_path, doc, "duplicate-operation-id") == [
        (
            "duplicate-operation-id",
            "#/paths/~1b/get/operationId",
            "operationId 'A' is also used by GET /a",
        ),
        (
            "duplicate-operation-id",
            "#/paths/~1c/post/operationId",
            "operationId 'A' is also used by GET /a",
        ),
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_duplicate_operation_id_openapi(tmp_path: Path, version: str) -> None:
    doc = openapi({"/a": {"get": op("A")}, "/b": {"post": op("A")}}, version)
    assert run_checks(tmp_path, doc, "duplicate-operation-id", name="v3.yaml") == [
        (
            "duplicate-operation-id",
            "#/paths/~1b/post/operationId",
            "operationId 'A' is also used by GET /a",
        )
    ]


def test_duplicate_operation_id_passes_unique_ids(tmp_path: Path) -> None:
    doc = swagger({"/a": {"get": op("A")}, "/b": {"get": op("B")}})
    assert run_checks(tmp_path, doc, "duplicate-operation-id") == []


# ---------------------------------------------------------------- missing-operation-id / untagged


def test_missing_operation_id(tmp_path: Path) -> None:
    doc = swagger({"/a": {"get": op()}, "/b": {"get": op("")}, "/c": {"get": op("C")}})
    assert run_checks(tmp_path, doc, "missing-operation-id") == [
        ("missing-operation-id", "#/paths/~1a/get", "GET /a has no operationId"),
        ("missing-operation-id", "#/paths/~1b/get", "GET /b has no operationId"),
    ]


def test_missing_operation_id_openapi_passes_and_fails(tmp_path: Path) -> None:
    doc = openapi({"/items/{id}": {"delete": op(), "get": op("getItem")}})
    assert run_checks(tmp_path, doc, "missing-operation-id", name="v3.yaml") == [
        (
            "missing-operation-id",
            "#/paths/~1items~1{id}/delete",
            "DELETE /items/{id} has no operationId",
        )
    ]
    passing = openapi({"/items": {"get": op("listItems")}})
    assert run_checks(tmp_path, passing, "missing-operation-id", name="ok.yaml") == []


def test_untagged_operation(tmp_path: Path) -> None:
    doc = swagger(
        {
            "/a": {"get": {"operationId": "A", "responses": {"200": OK}}},
            "/b": {"get": {"tags": [], "responses": {"200": OK}}},
            "/c": {"get": op("C")},
        }
    )
    assert run_checks(tmp_path, doc, "untagged-operation") == [
        ("untagged-operation", "#/paths/~1a/get", "A has no tag"),
        ("untagged-operation", "#/paths/~1b/get", "GET /b has no tag"),
    ]


def test_untagged_operation_passes_tagged_openapi(tmp_path: Path) -> None:
    assert run_checks(tmp_path, openapi({"/a": {"get": op("A")}}), "untagged-operation") == []


# ---------------------------------------------------------------- missing-security

AIM_V2 = {
    "aimUserToken": {
        "type": "oauth2",
        "flow": "accessCode",
        "authorizationUrl": "https://sms/identitymanager/connect/authorize",
        "tokenUrl": "https://sms/identitymanager/connect/token",
        "scopes": {},
    }
}


def many(count: int, **extra: Any) -> dict[str, Any]:
    return {f"/p{i}": {"get": op(f"Op{i}", **extra)} for i in range(count)}


@pytest.mark.parametrize("count", [1, 3])
def test_missing_security_no_scheme_is_one_finding(tmp_path: Path, count: int) -> None:
    hits = run_checks(tmp_path, swagger(many(count)), "missing-security")
    assert len(hits) == 1, hits
    _, pointer, message = hits[0]
    assert pointer == "#"
    assert message.startswith(NO_AIM)
    assert "aimUserToken or aimServiceToken" in message
    assert "swaggertools clean --authority URL" in message


def test_missing_security_non_aim_scheme_points_at_the_container(tmp_path: Path) -> None:
    doc = swagger(
        many(2),
        securityDefinitions={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        security=[{"key": []}],
    )
    hits = run_checks(tmp_path, doc, "missing-security")
    assert [(p, m.startswith(NO_AIM)) for _, p, m in hits] == [("#/securityDefinitions", True)]


def test_missing_security_all_open_is_one_summary(tmp_path: Path) -> None:
    doc = swagger(many(3), securityDefinitions=AIM_V2)
    assert run_checks(tmp_path, doc, "missing-security") == [
        (
            "missing-security",
            "#",
            "none of the 3 operations is covered by an AIM security requirement "
            "(set a global `security`)",
        )
    ]


def test_missing_security_all_open_with_empty_global_security(tmp_path: Path) -> None:
    doc = swagger(many(2), securityDefinitions=AIM_V2, security=[])
    hits = run_checks(tmp_path, doc, "missing-security")
    assert [(p, m.split(" is ")[0]) for _, p, m in hits] == [
        ("#/security", "none of the 2 operations")
    ]


def test_missing_security_some_open_per_operation(tmp_path: Path) -> None:
    paths = many(4)
    paths["/p1"]["get"]["security"] = []
    paths["/p2"]["get"]["security"] = [{}]
    paths["/p3"]["get"]["security"] = [{"aimUserToken": []}, {}]
    doc = swagger(paths, securityDefinitions=AIM_V2, security=[{"aimUserToken": []}])
    assert run_checks(tmp_path, doc, "missing-security") == [
        ("missing-security", "#/paths/~1p1/get", "Op1 can be called without a token"),
        ("missing-security", "#/paths/~1p2/get", "Op2 can be called without a token"),
        ("missing-security", "#/paths/~1p3/get", "Op3 can be called without a token"),
    ]


def test_missing_security_operation_on_a_non_aim_scheme(tmp_path: Path) -> None:
    paths = many(2)
    paths["/p0"]["get"]["security"] = [{"key": []}]
    schemes = {**AIM_V2, "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    doc = swagger(paths, securityDefinitions=schemes, security=[{"aimUserToken": []}])
    assert run_checks(tmp_path, doc, "missing-security") == [
        ("missing-security", "#/paths/~1p0/get", "Op0 is not secured by an AIM scheme")
    ]


def test_missing_security_passes_aim_secured_swagger(tmp_path: Path) -> None:
    doc = swagger(many(3), securityDefinitions=AIM_V2, security=[{"aimUserToken": []}])
    assert run_checks(tmp_path, doc, "missing-security") == []


def test_custom_oauth2_scheme_with_connect_token_counts_as_aim(tmp_path: Path) -> None:
    v2 = swagger(
        many(2),
        securityDefinitions={
            "corp": {
                "type": "oauth2",
                "flow": "application",
                "tokenUrl": "https://sms/identitymanager/connect/token/",
                "scopes": {},
            }
        },
        security=[{"corp": []}],
    )
    assert run_checks(tmp_path, v2, "missing-security") == []
    v3 = openapi(
        many(2),
        components={
            "securitySchemes": {
                "corp": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://sms/identitymanager/connect/token",
                            "scopes": {},
                        }
                    },
                }
            }
        },
        security=[{"corp": []}],
    )
    assert run_checks(tmp_path, v3, "missing-security", name="v3.yaml") == []


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_missing_security_openapi(tmp_path: Path, version: str) -> None:
    schemes = {
        "securitySchemes": {
            "aimServiceToken": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://x/t", "scopes": {}}},
            }
        }
    }
    paths = many(2)
    paths["/p1"]["get"]["security"] = []
    doc = openapi(paths, version, components=schemes, security=[{"aimServiceToken": []}])
    assert run_checks(tmp_path, doc, "missing-security", name="v3.yaml") == [
        ("missing-security", "#/paths/~1p1/get", "Op1 can be called without a token")
    ]
    no_schemes = openapi(many(2), version)
    hits = run_checks(tmp_path, no_schemes, "missing-security", name="none.yaml")
    assert [(p, m.startswith(NO_AIM)) for _, p, m in hits] == [("#", True)]


def test_missing_security_on_the_fixture_is_one_finding(tmp_path: Path) -> None:
    run = lint([MES_SWAGGER], LintOptions(select=("missing-security",)))
    assert [(f.pointer, f.line, f.message.startswith(NO_AIM)) for f in run.findings()] == [
        ("#", 1, True)
    ]


# ---------------------------------------------------------------- unused-component


def unused(pointer: str, kind: str, name: str) -> Hit:
    return ("unused-component", pointer, f"{kind} component {name!r} is not referenced")


def unused_scheme(pointer: str, name: str) -> Hit:
    message = f"security scheme {name!r} is not named by any security requirement"
    return ("unused-component", pointer, message)


def test_unused_component_swagger_definitions_parameters_responses(tmp_path: Path) -> None:
    doc = swagger(
        {
            "/a": {
                "get": op(
                    "A",
                    parameters=[{"$ref": "#/parameters/used"}],
                    responses={"200": {**OK, "schema": {"$ref": "#/definitions/Used"}}},
                )
            }
        },
        definitions={
            "Used": {"type": "object", "properties": {"c": {"$ref": "#/definitions/Child"}}},
            "Child": {"type": "string"},
            "Unused": {"type": "object"},
            "a/b": {"type": "object"},
        },
        parameters={
            "used": {"name": "q", "in": "query", "type": "string"},
            "spare": {"name": "r", "in": "query", "type": "string"},
        },
        responses={"Gone": {"description": "gone"}},
        securityDefinitions={**AIM_V2, "old": {"type": "basic"}},
        security=[{"aimUserToken": []}],
    )
    assert run_checks(tmp_path, doc, "unused-component") == [
        unused("#/definitions/Unused", "definitions", "Unused"),
        unused("#/definitions/a~1b", "definitions", "a/b"),
        unused("#/parameters/spare", "parameters", "spare"),
        unused("#/responses/Gone", "responses", "Gone"),
        unused_scheme("#/securityDefinitions/old", "old"),
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_unused_component_openapi_kinds_and_schemes(tmp_path: Path, version: str) -> None:
    oauth = {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "https://x/t", "scopes": {}}},
    }
    doc = openapi(
        {
            "/a": {
                "get": op(
                    "A",
                    parameters=[{"$ref": "#/components/parameters/Used"}],
                    responses={"200": {"$ref": "#/components/responses/Ok"}},
                    security=[{"opScheme": []}],
                )
            }
        },
        version,
        components={
            "schemas": {"Used": {"type": "object"}, "Unused": {"type": "string"}},
            "parameters": {
                "Used": {
                    "name": "q",
                    "in": "query",
                    "schema": {"$ref": "#/components/schemas/Used"},
                },
                "Unused": {"name": "r", "in": "query", "schema": {"type": "string"}},
            },
            "responses": {"Ok": OK, "Gone": {"description": "gone"}},
            "requestBodies": {"Body": {"content": {"application/json": {"schema": {}}}}},
            "headers": {"H": {"schema": {"type": "string"}}},
            "examples": {"E": {"value": 1}},
            "securitySchemes": {"aimUserToken": oauth, "opScheme": oauth, "old": oauth},
        },
        security=[{"aimUserToken": []}],
    )
    assert run_checks(tmp_path, doc, "unused-component", name="v3.yaml") == [
        *(
            unused(f"#/components/{kind}/{name}", kind, name)
            for kind, name in [
                ("schemas", "Unused"),
                ("parameters", "Unused"),
                ("responses", "Gone"),
                ("requestBodies", "Body"),
                ("headers", "H"),
                ("examples", "E"),
            ]
        ),
        unused_scheme("#/components/securitySchemes/old", "old"),
    ]


def test_unused_component_passes_when_everything_is_reachable(tmp_path: Path) -> None:
    doc = swagger(
        {"/a": {"get": op("A", responses={"200": {**OK, "schema": {"$ref": "#/definitions/P"}}})}},
        definitions={"P": {"properties": {"c": {"$ref": "#/definitions/C"}}}, "C": {}},
        securityDefinitions=AIM_V2,
        security=[{"aimUserToken": []}],
    )
    assert run_checks(tmp_path, doc, "unused-component") == []


@pytest.mark.parametrize(
    ("fixture", "kind"), [(MES_SWAGGER, "definitions"), (MES_OPENAPI, "schemas")]
)
def test_unused_component_on_the_fixtures(fixture: Path, kind: str) -> None:
    run = lint([fixture], LintOptions(select=("unused-component",)))
    assert [f.message for f in run.findings()] == [
        f"{kind} component 'LegacyUnused' is not referenced",
        f"{kind} component 'LegacyUnusedChild' is not referenced",
        "parameters component 'legacy_param' is not referenced",
    ]
    assert run.exit_code == EXIT_OK  # info never fails a run


# ---------------------------------------------------------------- input-note


def test_input_note_unquoted_swagger_version(tmp_path: Path) -> None:
    text = 'swagger: 2.0\ninfo: {title: t, version: "1"}\npaths: {}\n'
    [(rule, pointer, message)] = run_checks(tmp_path, text, "input-note", name="n.yaml")
    assert (rule, pointer) == ("input-note", "#/swagger")
    assert message.startswith("unquoted ")
    assert "2.0" in message
    assert "number in YAML" in message
    assert 'string "2.0"' in message
    quoted = text.replace("2.0", '"2.0"', 1)
    assert run_checks(tmp_path, quoted, "input-note", name="q.yaml") == []


# ---------------------------------------------------------------- engine: select / ignore


def test_select_and_ignore() -> None:
    every = [c.id for c in enabled_checks([], [])]
    assert every == sorted(SEVERITIES)
    assert [c.id for c in enabled_checks(["unused-component", "input-note"], [])] == [
        "input-note",
        "unused-component",
    ]
    assert [c.id for c in enabled_checks([], ["input-note"])] == [
        i for i in every if i != "input-note"
    ]
    # ignore wins over select
    assert [c.id for c in enabled_checks(["input-note", "invalid-spec"], ["input-note"])] == [
        "invalid-spec"
    ]


@pytest.mark.parametrize("option", ["select", "ignore"])
def test_unknown_check_id_is_a_usage_error(tmp_path: Path, option: str) -> None:
    spec = write(tmp_path / "s.json", swagger({"/a": {"get": op("A")}}))
    with pytest.raises(UsageError) as caught:
        lint([spec], LintOptions(**{option: ("missing-operation-id", "no-such-check")}))
    message = caught.value.message
    assert f"--{option}: unknown check 'no-such-check'" in message
    assert "missing-operation-id" in message  # the known ids are listed


def test_select_limits_the_findings_and_the_checks_that_ran(tmp_path: Path) -> None:
    spec = write(tmp_path / "s.json", swagger({"/a": {"get": {"responses": {"200": OK}}}}))
    run = lint([spec], LintOptions(select=("untagged-operation",)))
    assert [c.id for c in run.checks] == ["untagged-operation"]
    assert run.files[0].checks == ("untagged-operation",)
    assert {f.rule for f in run.findings()} == {"untagged-operation"}
    ignored = lint([spec], LintOptions(ignore=("untagged-operation", "missing-security")))
    rules = {f.rule for f in ignored.findings()}
    assert "missing-operation-id" in rules
    assert not rules & {"untagged-operation", "missing-security"}


def test_no_spec_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no spec files given"):
        lint([])


# ---------------------------------------------------------------- engine: rule sets


def test_rule_sets_not_loaded_without_a_rule_check(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    spec = write(tmp_path / "s.json", swagger({"/a": {"get": op("A")}}))
    run = lint(
        [spec],
        LintOptions(rules=(str(broken),), ignore=tuple(sorted(RULE_USING))),
    )
    assert run.exit_code == EXIT_OK
    assert all(f.rule not in RULE_USING for f in run.findings())
    with pytest.raises(RuleSetError) as caught:
        lint([spec], LintOptions(rules=(str(broken),), select=("unmatched-rule",)))
    assert caught.value.file == str(broken)


def test_rule_set_errors_raise_before_any_file_is_read(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="no rule file or shipped rule set named"):
        lint([tmp_path / "does-not-exist.json"], LintOptions(rules=("no-such-set",)))


# ---------------------------------------------------------------- engine: unreadable files


def test_unreadable_file_is_a_load_error_finding_others_fully_linted(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", swagger({"/a": {"get": {"responses": {"200": OK}}}}))
    bad = write(tmp_path / "bad.json", '{\n  "swagger": "2.0",\n  "info": {,\n}\n')
    dup = write(
        tmp_path / "dup.yaml",
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\npaths: {}\n',
    )
    missing = tmp_path / "missing.json"
    run = lint([bad, good, dup, missing], LintOptions())
    assert [r.path for r in run.files] == [str(bad), str(good), str(dup), str(missing)]
    assert run.exit_code == EXIT_ERROR

    bad_result, good_result, dup_result, missing_result = run.files
    assert bad_result.error is not None
    assert bad_result.findings == [bad_result.error]
    assert (bad_result.error.rule, bad_result.error.severity) == (LOAD_ERROR, Severity.ERROR)
    assert (bad_result.error.line, bad_result.error.column) == (3, 12)
    assert "invalid JSON" in bad_result.error.message
    assert bad_result.checks == ()

    assert dup_result.error is not None
    assert (dup_result.error.line, dup_result.error.column) == (4, 1)
    assert "duplicate key 'paths'" in dup_result.error.message

    assert missing_result.error is not None
    assert missing_result.error.file == str(missing)

    assert good_result.error is None
    assert good_result.checks == tuple(sorted(SEVERITIES))
    assert (good_result.spec_version, good_result.operations) == ("2.0", 1)
    assert {f.rule for f in good_result.findings} >= {
        "missing-operation-id",
        "untagged-operation",
        "missing-security",
        "unmatched-rule",
    }


def test_load_error_exit_code_even_with_fail_on_never(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", "{")
    assert lint([bad], LintOptions(fail_on="never")).exit_code == EXIT_ERROR


def test_not_a_spec_is_a_load_error_at_line_one(tmp_path: Path) -> None:
    other = write(tmp_path / "other.json", {"a": 1})
    [result] = lint([other]).files
    assert result.error is not None
    assert (result.error.line, result.error.column) == (1, 1)
    assert "neither 'swagger' nor 'openapi'" in result.error.message


# ---------------------------------------------------------------- engine: exit codes


def _result(*severities: Severity) -> FileResult:
    return FileResult(
        path="s.json",
        findings=[Finding("x", s, "m", "s.json", "#", 1, 1) for s in severities],
    )


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), {"error": 0, "warning": 0, "never": 0}),
        ((Severity.INFO,), {"error": 0, "warning": 0, "never": 0}),
        ((Severity.WARNING, Severity.INFO), {"error": 0, "warning": 1, "never": 0}),
        ((Severity.ERROR,), {"error": 1, "warning": 1, "never": 0}),
    ],
)
def test_exit_code_per_fail_on(severities: tuple[Severity, ...], expected: dict[str, int]) -> None:
    for fail_on, code in expected.items():
        assert exit_code([_result(*severities)], fail_on) == code, fail_on  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        (("unused-component",), {"error": 0, "warning": 0, "never": 0}),
        (("untagged-operation", "unused-component"), {"error": 0, "warning": 1, "never": 0}),
        (("duplicate-operation-id", "untagged-operation"), {"error": 1, "warning": 1, "never": 0}),
    ],
)
def test_lint_exit_code_per_fail_on(
    tmp_path: Path, checks: tuple[str, ...], expected: dict[str, int]
) -> None:
    doc = swagger(
        {"/a": {"get": {"operationId": "A", "responses": {"200": OK}}}, "/b": {"get": op("A")}},
        definitions={"Spare": {}},
    )
    spec = write(tmp_path / "s.json", doc)
    for fail_on, code in expected.items():
        run = lint([spec], LintOptions(select=checks, fail_on=fail_on))  # type: ignore[arg-type]
        assert run.exit_code == code, (fail_on, run.counts())
        assert run.fail_on == fail_on


# ---------------------------------------------------------------- engine: locations

V2_TEXT = swagger(
    {
        "/a": {"get": op("A")},
        "/b": {"get": {"operationId": "B", "responses": {"200": OK}}},
        "/c": {"post": op()},
    },
    definitions={"Spare": {"type": "object"}},
)


def _expected_json(text: str) -> list[tuple[str, int, int]]:
    return [
        ("untagged-operation", *line_of(text, '"get"', '"/b"')),
        ("missing-operation-id", *line_of(text, '"post"', '"/c"')),
        ("unused-component", *line_of(text, '"Spare"')),
    ]


def _expected_yaml(text: str) -> list[tuple[str, int, int]]:
    return [
        ("untagged-operation", *line_of(text, "get:", "/b:")),
        ("missing-operation-id", *line_of(text, "post:", "/c:")),
        ("unused-component", *line_of(text, "Spare:")),
    ]


def _locations(path: Path) -> list[tuple[str, int | None, int | None]]:
    run = lint(
        [path],
        LintOptions(select=("untagged-operation", "missing-operation-id", "unused-component")),
    )
    [result] = run.files
    assert result.error is None, result.error
    return [(f.rule, f.line, f.column) for f in result.findings]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_json_line_and_column(tmp_path: Path, newline: str, encoding: str) -> None:
    text = json.dumps(V2_TEXT, indent=2) + "\n"
    path = tmp_path / "spec.json"
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    assert _locations(path) == _expected_json(text)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_yaml_line_and_column(tmp_path: Path, newline: str, encoding: str) -> None:
    text = "# leading comment\n\n" + yaml.safe_dump(V2_TEXT, sort_keys=False)
    path = tmp_path / "spec.yaml"
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    assert _locations(path) == _expected_yaml(text)


def test_line_one_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfswagger: 2.0\r\ninfo: {title: t, version: '1'}\r\npaths: {}\r\n")
    run = lint([path], LintOptions(select=("input-note",)))
    assert [(f.pointer, f.line, f.column) for f in run.findings()] == [("#/swagger", 1, 1)]


def test_findings_sorted_by_line(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "  - operationId: Nothing\n    reason: x\n")
    spec = write(tmp_path / "s.json", V2_TEXT)
    run = lint([spec], LintOptions(rules=(str(rules),)))
    findings = run.files[0].findings
    assert len({f.rule for f in findings}) >= 4
    keys = [(f.line or 0, f.column or 0) for f in findings]
    assert keys == sorted(keys)
    # a finding without a location (an unmatched rule) comes first
    assert findings[0].rule == "unmatched-rule"
    assert findings[0].line is None


def test_fixture_findings_sorted_and_located(tmp_path: Path) -> None:
    run = lint([MES_OPENAPI])
    findings = run.files[0].findings
    assert len(findings) == 42 + 1 + 3
    lines = [f.line for f in findings]
    assert all(line is not None for line in lines)
    assert lines == sorted(lines)  # type: ignore[type-var]
    text = MES_OPENAPI.read_text(encoding="utf-8")
    first_excluded = next(f for f in findings if f.rule == "excluded-operation")
    assert first_excluded.pointer is not None
    path = first_excluded.pointer.split("/")[2].replace("~1", "/")
    assert (first_excluded.line, first_excluded.column) == line_of(text, "post:", f"{path}:")


# ---------------------------------------------------------------- engine: read-only


def test_lint_never_modifies_its_inputs(tmp_path: Path) -> None:
    files = [
        shutil.copy(MES_SWAGGER, tmp_path / "mes-swagger.json"),
        shutil.copy(MES_OPENAPI, tmp_path / "mes-openapi.yaml"),
        write(tmp_path / "loose.yaml", 'swagger: 2.0\ninfo: {title: t, version: "1"}\npaths: {}\n'),
        write(tmp_path / "crlf.json", json.dumps(V2_TEXT, indent=2).replace("\n", "\r\n")),
    ]
    paths = [Path(f) for f in files]
    past = 1_600_000_000
    for path in paths:
        os.utime(path, (past, past))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    listing = sorted(os.listdir(tmp_path))
    run = lint(paths, LintOptions())
    assert run.exit_code == EXIT_FINDINGS
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths} == before
    assert sorted(os.listdir(tmp_path)) == listing


def test_lint_run_counts_and_findings_in_file_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.json", swagger({"/a": {"get": op()}}))
    b = write(tmp_path / "b.json", copy.deepcopy(V2_TEXT))
    run: LintRun = lint([b, a], LintOptions(select=("missing-operation-id", "unused-component")))
    assert [f.file for f in run.findings()] == [str(b), str(b), str(a)]
    assert run.counts() == {"error": 0, "warning": 2, "info": 1}

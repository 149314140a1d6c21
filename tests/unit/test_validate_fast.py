"""Unit tests for the fast validator (swaggertools.validation) and its wiring in validate.py."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from swaggertools.index import build_index
from swaggertools.model import Finding
from swaggertools.prune import remove_and_prune
from swaggertools.security import secure
from swaggertools.validate import (
    VALIDATOR_NAMES,
    derived_body,
    resolve_mode,
    same_semantic_body,
    validate_document,
    validate_input,
    validate_outputs,
)
from swaggertools.validation.fast import validate_fast
from swaggertools.versions import SpecVersion, detect

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_V2 = ROOT / "fixtures" / "mes-swagger.json"


def _version(doc: dict[str, Any]) -> SpecVersion:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    return version


def _fast(doc: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    version = _version(doc)
    index = build_index(doc, version, method_extension="x-mes-method")
    return [(f.rule, f.pointer, f.message) for f in validate_document(doc, version, index)]


def _v30(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "operationId": "a",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {}},
    }
    doc.update(extra)
    return doc


def test_valid_document_has_no_findings() -> None:
    assert _fast(_v30()) == []


def test_schema_error_points_at_the_value_and_collapses_one_of() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"type": "object", "properties": {"n": {"type": "null"}}}
    findings = _fast(doc)
    # the Schema-or-Reference oneOf is reported through its Schema branch, at the bad value
    assert [(rule, pointer) for rule, pointer, _ in findings] == [
        ("invalid-spec", "#/components/schemas/A/properties/n/type")
    ]
    assert "null" in findings[0][2]


def test_every_error_is_reported_not_only_the_first() -> None:
    doc = _v30()
    doc["info"]["title"] = 5
    doc["paths"]["/a/{id}"]["get"]["responses"]["200"] = {}
    pointers = {pointer for _, pointer, _ in _fast(doc)}
    assert {"#/info/title", "#/paths/~1a~1{id}/get/responses/200"} <= pointers


def test_formats_are_not_asserted_like_upstream() -> None:
    assert _fast(_v30(info={"title": "t", "version": "1", "contact": {"email": "nope"}})) == []


def test_duplicate_operation_id_has_its_rule_and_pointer() -> None:
    doc = _v30()
    doc["paths"]["/b"] = {"get": {"operationId": "a", "responses": {"200": {"description": "x"}}}}
    assert _fast(doc) == [
        (
            "duplicate-operation-id",
            "#/paths/~1b/get/operationId",
            "Operation ID 'a' for 'get' in '/b' is not unique",
        )
    ]


def test_path_parameters_both_ways() -> None:
    doc = _v30()
    doc["paths"] = {"/a/{x}": doc["paths"]["/a/{id}"]}
    messages = [message for _, _, message in _fast(doc)]
    assert any("'x'" in m and "not declared" in m for m in messages)
    assert any("'id'" in m and "not in the path template" in m for m in messages)


def test_default_error_points_into_the_default() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"type": "array", "items": {"type": "integer"}}
    doc["components"]["schemas"]["A"]["default"] = [1, "two"]
    assert _fast(doc) == [
        (
            "invalid-spec",
            "#/components/schemas/A/default/1",
            "default value: 'two' is not of type 'integer'",
        )
    ]


def test_required_not_defined_names_the_schema() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"allOf": [{"type": "object"}], "required": ["zz"]}
    [(rule, pointer, message)] = _fast(doc)
    assert (rule, pointer) == ("invalid-spec", "#/components/schemas/A/required")
    assert "['zz']" in message


def test_invalid_regex_found_by_the_meta_schema_check() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"properties": {"p": {"pattern": "[a-"}}}
    assert [p for _, p, _ in _fast(doc)] == ["#/components/schemas/A/properties/p/pattern"]


def test_malformed_path_template_is_an_error() -> None:
    doc = _v30()
    doc["paths"] = {"/a}": {"get": {"responses": {"200": {"description": "ok"}}}}}
    [(_, pointer, message)] = _fast(doc)
    assert pointer == "#/paths/~1a}/get"
    assert "cannot be parsed" in message


def test_unresolved_ref_blocks_before_the_validator_in_both_modes() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"$ref": "#/components/schemas/Missing"}
    version = _version(doc)
    index = build_index(doc, version, method_extension="x")
    fast = validate_document(doc, version, index, "fast")
    full = validate_document(doc, version, index, "full")
    assert [f.rule for f in fast] == [f.rule for f in full] == ["unresolved-ref"]


def test_fast_does_not_import_openapi_spec_validator() -> None:
    code = (
        "import sys; from swaggertools.pipeline import validate_file; "
        f"r = validate_file({str(FIXTURE_V2)!r}); "
        "print(r.valid, 'openapi_spec_validator' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False"]


def test_fallback_to_full_when_the_fast_path_cannot_be_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "swaggertools.validation.fast", None)
    mode, note = resolve_mode("fast")
    assert mode == "full"
    assert note is not None
    assert "openapi-spec-validator" in note
    assert resolve_mode("full") == ("full", None)


# -- output variants ----------------------------------------------------------------


def _variants(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    version = _version(doc)
    return {
        variant: secure(
            doc,
            version,
            variant,
            auth="both",
            authority="https://aim.example/identitymanager",
            replace=False,
            document_auth_errors=True,
        )[0]
        for variant in ("user", "service")
    }


def _records(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return [(f.rule, f.pointer, f.message) for f in findings]


def test_second_variant_reuses_the_semantic_checks_and_agrees() -> None:
    doc = json.loads(FIXTURE_V2.read_text("utf-8"))
    version = _version(doc)
    documents = _variants(doc)
    checked = validate_outputs(documents, version, method_extension="x-mes-method")
    assert [c.shortcut for c in checked.values()] == [False, True]
    for variant, outcome in checked.items():
        alone = build_index(documents[variant], version, method_extension="x-mes-method")
        assert outcome.operations == len(alone.operations)
        expected = validate_document(documents[variant], version, alone, "fast")
        assert _records(outcome.findings) == _records(expected)


def test_second_variant_with_its_own_error_is_still_caught() -> None:
    doc = _v30()
    doc["components"]["schemas"]["A"] = {"allOf": [{"type": "object"}], "required": ["zz"]}
    version = _version(doc)
    documents = _variants(doc)
    # a semantic error common to both variants is reported for both
    checked = validate_outputs(documents, version, method_extension="x")
    assert all(len(c.findings) == 1 for c in checked.values())
    # a schema error only in the second one (security is not part of the shared body)
    documents["service"]["security"] = "not a list"
    checked = validate_outputs(documents, version, method_extension="x")
    assert [len(c.findings) for c in checked.values()] == [1, 2]


def test_same_semantic_body_refuses_changed_members() -> None:
    doc = json.loads(FIXTURE_V2.read_text("utf-8"))
    version = _version(doc)
    user, service = _variants(doc).values()
    assert same_semantic_body(user, service, version)
    changed = dict(service)
    changed["definitions"] = copy.deepcopy(service["definitions"])
    assert not same_semantic_body(user, changed, version)
    with_ref = dict(service)
    with_ref["securityDefinitions"] = {"x": {"$ref": "#/definitions/A"}}
    assert not same_semantic_body(user, with_ref, version)
    path = next(iter(service["paths"]))
    other_op = dict(service)
    other_op["paths"] = dict(service["paths"])
    other_op["paths"][path] = {**service["paths"][path], "x-note": "new"}
    assert not same_semantic_body(user, other_op, version)


def _respond(name: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _route_dependent() -> dict[str, Any]:
    """Valid only while /a meets S inside T before /b enters S directly (upstream's order)."""
    return _v30(
        paths={
            "/a": {"get": {"operationId": "a", "responses": _respond("T")}},
            "/b": {"get": {"operationId": "b", "responses": _respond("S")}},
        },
        components={
            "schemas": {
                "T": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/S"}}},
                "S": {"allOf": [{"type": "object"}], "required": ["zz"]},
            }
        },
    )


def test_input_basis_carries_outputs_without_a_second_walk() -> None:
    doc = json.loads(FIXTURE_V2.read_text("utf-8"))
    version = _version(doc)
    index = build_index(doc, version, method_extension="x-mes-method")
    findings, basis = validate_input(doc, version, index)
    assert findings == []
    assert basis is not None
    removed = [op.pointer for op in index.operations[:3]]
    pruned = remove_and_prune(doc, index, removed)
    basis = basis.without(pruned.removed_units, len(removed))
    assert basis is not None
    documents = _variants(pruned.doc)
    assert derived_body(doc, documents["user"], version)
    checked = validate_outputs(documents, version, method_extension="x-mes-method", basis=basis)
    assert [c.shortcut for c in checked.values()] == [True, True]
    for variant, outcome in checked.items():
        alone = build_index(documents[variant], version, method_extension="x-mes-method")
        assert outcome.operations == len(alone.operations) == len(index.operations) - 3
        assert _records(outcome.findings) == _records(
            validate_document(documents[variant], version, alone, "fast")
        )


def test_no_basis_when_findings_depend_on_the_route_to_a_schema() -> None:
    doc = _route_dependent()
    version = _version(doc)
    index = build_index(doc, version, method_extension="x")
    findings, basis = validate_input(doc, version, index)
    assert findings == []
    assert basis is None
    out = remove_and_prune(doc, index, ["#/paths/~1a/get"]).doc
    checked = validate_outputs({"user": out}, version, method_extension="x", basis=basis)
    assert [(f.pointer, f.message[:34]) for f in checked["user"].findings] == [
        ("#/components/schemas/S/required", "Required list has not defined prop")
    ]


def test_derived_body_accepts_only_subsets_of_the_same_objects() -> None:
    doc = json.loads(FIXTURE_V2.read_text("utf-8"))
    version = _version(doc)
    user = _variants(doc)["user"]
    assert derived_body(doc, user, version)
    assert derived_body(doc, {k: v for k, v in doc.items() if k != "tags"}, version)
    fewer = dict(user, definitions=dict(list(user["definitions"].items())[1:]))
    assert derived_body(doc, fewer, version)
    path = next(iter(user["paths"]))
    fewer_paths = dict(user, paths={k: v for k, v in user["paths"].items() if k != path})
    assert derived_body(doc, fewer_paths, version)
    # anything new or changed is refused
    changed = dict(user, definitions=copy.deepcopy(user["definitions"]))
    assert not derived_body(doc, changed, version)
    name = next(iter(user["definitions"]))
    renamed = dict(user, definitions={name + "2": user["definitions"][name]})
    assert not derived_body(doc, renamed, version)
    added = dict(user, paths={**user["paths"], "/new": {"get": {"responses": {}}}})
    assert not derived_body(doc, added, version)
    reordered = dict(user, tags=list(reversed(user["tags"])))
    assert len(user["tags"]) < 2 or not derived_body(doc, reordered, version)
    extra = dict(user, info={**user["info"], "title": "other"})
    assert not derived_body(doc, extra, version)
    op_key = next(k for k in user["paths"][path] if k in ("get", "post", "put", "delete"))
    new_key = dict(user, paths=dict(user["paths"]))
    new_key["paths"][path] = {
        **user["paths"][path],
        op_key: {**user["paths"][path][op_key], "parameters": []},
    }
    assert not derived_body(doc, new_key, version)
    with_ref = dict(user, securityDefinitions={"x": {"$ref": "#/definitions/A"}})
    assert not derived_body(doc, with_ref, version)


def test_full_mode_names_and_runs_openapi_spec_validator() -> None:
    assert VALIDATOR_NAMES["full"] == "openapi-spec-validator"
    doc = _v30()
    doc["info"]["title"] = 5
    version = _version(doc)
    index = build_index(doc, version, method_extension="x")
    assert validate_document(doc, version, index, "full")
    assert validate_fast(doc, version)


# -- CLI ------------------------------------------------------------------------------


def test_cli_validate_modes_agree(run_cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    doc = _v30()
    doc["paths"]["/a/{id}"]["get"]["responses"]["200"] = {}
    bad.write_text(json.dumps(doc), encoding="utf-8")
    for mode in ("fast", "full"):
        proc = run_cli("validate", "--validate", mode, FIXTURE_V2, bad)
        assert proc.returncode == 1, proc.stderr
        assert f"{FIXTURE_V2}: valid (2.0)" in proc.stdout
        assert f"{bad}: INVALID" in proc.stdout
        assert "#/paths/~1a~1{id}/get/responses/200" in proc.stdout


def test_cli_rejects_an_unknown_validator(run_cli: Any) -> None:
    proc = run_cli("validate", "--validate", "quick", FIXTURE_V2)
    assert proc.returncode == 2
    assert "--validate" in proc.stderr


def test_clean_report_names_the_validator(run_cli: Any, tmp_path: Path) -> None:
    authority = "https://aim.example/identitymanager"
    for mode, name in VALIDATOR_NAMES.items():
        out = tmp_path / mode
        proc = run_cli(
            "clean", FIXTURE_V2, "--authority", authority, "-d", out, "-q", "--validate", mode
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        report = json.loads((out / "mes-swagger.report.json").read_text("utf-8"))
        assert report["validation"]["validator"] == name
        assert [o["valid"] for o in report["validation"]["outputs"]] == [True, True]

"""Reports of real runs validate against the published report schema."""

import json
from pathlib import Path

import jsonschema
import pytest

from swaggertools import CleanOptions, clean

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "swaggertools/schemas/report.schema.json").read_text()
)

SPEC = {
    "swagger": "2.0",
    "info": {"title": "MES", "version": "1"},
    "tags": [{"name": "AttrSet"}, {"name": "Ent"}, {"name": "Unused"}],
    "paths": {
        "/api/Core/AttrSet/Add": {
            "post": {
                "operationId": "Core_AttrSet_Add",
                "tags": ["AttrSet"],
                "parameters": [
                    {"in": "body", "name": "b", "schema": {"$ref": "#/definitions/AddReq"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/api/Core/Ent/GetAll": {
            "get": {
                "operationId": "Core_Ent_GetAll",
                "tags": ["Ent"],
                "security": [],
                "responses": {
                    "200": {"description": "ok", "schema": {"$ref": "#/definitions/Ent"}}
                },
            }
        },
    },
    "definitions": {
        "AddReq": {
            "type": "object",
            "properties": {"id": {"$ref": "#/definitions/Ent/properties/id"}},
        },
        "Ent": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Old": {"type": "object"},
    },
}


@pytest.mark.parametrize("auth", ["both", "user", "service", "combined", "none"])
def test_report_matches_schema(tmp_path: Path, auth: str) -> None:
    spec = tmp_path / "mes.json"
    spec.write_text(json.dumps(SPEC))
    result = clean(
        spec,
        CleanOptions(auth=auth, authority="https://sms.plant.local/identitymanager"),  # type: ignore[arg-type]
        output_dir=tmp_path / "out",
    )
    report = result.report.as_dict()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert [r["operationId"] for r in report["removed_operations"]] == ["Core_AttrSet_Add"]
    assert {(p["pointer"], p["cause"]) for p in report["pruned"]} == {
        ("#/definitions/AddReq", "orphaned-by-removal"),
        ("#/definitions/Old", "already-unused"),
        ("#/tags/0", "orphaned-by-removal"),
        ("#/tags/2", "already-unused"),
    }
    assert len(report["unmatched_rules"]) == 41
    overrides = [v["operation_overrides"] for v in report["security"]["variants"]]
    expected = [] if auth == "none" else ["#/paths/~1api~1Core~1Ent~1GetAll/get/security"]
    assert all(o == expected for o in overrides)
    # the written JSON report is the same data
    result.write()
    written = json.loads((tmp_path / "out" / "mes.report.json").read_text())
    assert written == json.loads(json.dumps(report))


def test_report_of_failed_run_matches_schema(tmp_path: Path) -> None:
    """An output that does not validate: exit 1, nothing to write, report still valid."""
    broken = json.loads(json.dumps(SPEC))
    # the kept operation refers to a definition that does not exist
    broken["paths"]["/api/Core/Ent/GetAll"]["get"]["responses"]["200"]["schema"] = {
        "$ref": "#/definitions/Missing"
    }
    spec = tmp_path / "mes.json"
    spec.write_text(json.dumps(broken))
    result = clean(spec, CleanOptions(auth="none"), output_dir=tmp_path / "out")
    report = result.report.as_dict()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert result.exit_code == 1
    assert not result.ok
    assert result.artifacts == []
    assert report["summary"]["outputs_valid"] is False
    errors = report["validation"]["outputs"][0]["errors"]
    assert errors[0]["rule"] == "unresolved-ref"
    assert errors[0]["pointer"] == "#/paths/~1api~1Core~1Ent~1GetAll/get/responses/200/schema/$ref"
    assert report["validation"]["input"]["valid"] is False


def test_dangling_operation_ref_is_named_in_the_report(tmp_path: Path) -> None:
    case = Path(__file__).parent / "cases" / "prune-link-operationref-dangling"
    result = clean(
        case / "input.json",
        CleanOptions(auth="none", rules=(str(case / "rules.yaml"),)),
        output_dir=tmp_path,
    )
    report = result.report.as_dict()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert result.exit_code == 1
    assert result.artifacts == []
    (error,) = report["validation"]["outputs"][0]["errors"]
    assert error["rule"] == "unresolved-ref"
    assert error["message"] == "output clean: operationRef '#/paths/~1b/get' points to nothing"
    assert error["pointer"] == "#/paths/~1a/get/responses/200/links/toB/operationRef"

"""`swaggertools diff` as CI runs it: the installed command in a subprocess."""

from __future__ import annotations

import copy
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import RunCli, assert_one_line_error

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import diffpairs  # noqa: E402

SCHEMA = json.loads((ROOT / "swaggertools" / "schemas" / "diff.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clipair")
    old, new, _ = diffpairs.release_pair(diffpairs.MIN_OPERATIONS)
    (folder / "old.json").write_text(diffpairs.dump(old), encoding="utf-8")
    (folder / "new.json").write_text(diffpairs.dump(new), encoding="utf-8")
    (folder / "extra.yaml").write_text(yaml.safe_dump(diffpairs.extra_rules(old)), "utf-8")
    return folder


def _json(run_cli: RunCli, pair: Path, *args: str) -> dict[str, Any]:
    proc = run_cli("diff", pair / "old.json", pair / "new.json", "-f", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def test_json_follows_the_contract_and_schema(run_cli: RunCli, pair: Path) -> None:
    doc = _json(run_cli, pair, "-r", "mes-model-driven-7.0", "-r", str(pair / "extra.yaml"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["format_version"] == 1
    assert doc["old"]["spec_version"] == "2.0"
    assert doc["old"]["operations"] == diffpairs.MIN_OPERATIONS
    renamed = {r["new"]["operationId"]: r["by"] for r in doc["operations"]["renamed"]}
    assert renamed["class0011List"] == "path"
    assert any(by == "mes-method" for by in renamed.values())
    ids = {c["id"] for c in doc["changes"]}
    assert {"operation-removed", "rule-escaped", "server-base-path-changed"} <= ids
    statuses = {r["status"] for r in doc["rules"]}
    assert {"escaped", "matches-more", "matches-fewer", "unmatched-now"} <= statuses
    assert doc["summary"]["exit_code"] == 1


def test_same_input_same_bytes(run_cli: RunCli, pair: Path) -> None:
    first = run_cli("diff", pair / "old.json", pair / "new.json", "-f", "sarif")
    second = run_cli("diff", pair / "old.json", pair / "new.json", "-f", "sarif")
    assert first.stdout == second.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "github", "sarif"])
def test_every_format(run_cli: RunCli, pair: Path, fmt: str) -> None:
    proc = run_cli("diff", pair / "old.json", pair / "new.json", "-f", fmt)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    if fmt == "text":
        assert "operation-renamed" in out
        assert out.rstrip().endswith("(fail-on error: failed)")
    elif fmt == "markdown":
        assert len(out) <= 65_536
        assert "| Level | Change | Operation | Message |" in out
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
        assert "<script" not in out
    elif fmt == "junit":
        root = ET.fromstring(out)
        assert root.get("name") == "swaggertools diff"
        assert int(root.get("failures") or 0) > 0
    elif fmt == "github":
        assert "::error file=" in out
        assert "title=operation-removed" in out
    else:
        log = json.loads(out)
        results = log["runs"][0]["results"]
        removed = next(r for r in results if r["ruleId"] == "operation-removed")
        uri = removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.endswith("old.json")  # removals point at OLD
        moved = next(r for r in results if r["ruleId"] == "operation-moved")
        place = moved["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"].endswith("new.json")
        assert place["region"]["startLine"] > 1


def test_output_files_and_exit_codes(run_cli: RunCli, pair: Path, tmp_path: Path) -> None:
    proc = run_cli(
        "diff",
        pair / "old.json",
        pair / "new.json",
        "-o",
        str(tmp_path / "d.sarif"),
        "-o",
        f"markdown:{tmp_path / 'comment.txt'}",
        "-o",
        str(tmp_path / "d.html"),
        "--fail-on",
        "never",
    )
    assert proc.returncode == 0
    assert json.loads((tmp_path / "d.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert (tmp_path / "comment.txt").read_text("utf-8").startswith("## ")
    assert "<html" in (tmp_path / "d.html").read_text("utf-8")
    same = run_cli("diff", pair / "old.json", pair / "old.json")
    assert same.returncode == 0
    assert "0 errors, 0 warnings, 0 info" in same.stdout


def test_levels_ignore_file_and_stale_entries(run_cli: RunCli, pair: Path, tmp_path: Path) -> None:
    (tmp_path / "swaggertools.yaml").write_text(
        "diff:\n  levels:\n    operation-tag-changed: info\n    server-base-path-changed: off\n",
        encoding="utf-8",
    )
    (tmp_path / "ignore.yaml").write_text(
        "ignore:\n"
        "  - id: operation-removed\n"
        "    operation: 'POST /api/*/Class0000/Add'\n"
        "    reason: accepted in the 7.1 upgrade review\n"
        "  - id: parameter-*\n"
        "    operation: NoSuchOperation\n"
        "    reason: left over from 7.0\n",
        encoding="utf-8",
    )
    doc = _json(run_cli, pair, "--ignore-file", str(tmp_path / "ignore.yaml"))
    levels = {c["id"]: c["level"] for c in doc["changes"]}
    assert levels["operation-tag-changed"] == "info"
    assert "server-base-path-changed" not in levels
    assert [i["reason"] for i in doc["ignored"]] == ["accepted in the 7.1 upgrade review"]
    assert [s["operation"] for s in doc["stale_ignores"]] == ["NoSuchOperation"]
    assert doc["stale_ignores"][0]["line"] == 5


def test_consumers_grade_used_changes_first(run_cli: RunCli, pair: Path, tmp_path: Path) -> None:
    new = json.loads((pair / "new.json").read_text("utf-8"))
    mod = next(p for p in new["paths"] if "/Class0008/" in p).split("/")[2]
    (tmp_path / "consumers.yaml").write_text(
        "consumers:\n"
        f"  - operation: {mod}_Class0008_GetByKey\n"
        "    name: Read class 8\n"
        "  - operation: GET /api/nothing/here\n",
        encoding="utf-8",
    )
    doc = _json(run_cli, pair, "--consumers", str(tmp_path / "consumers.yaml"))
    used = [c for c in doc["changes"] if c["used"]]
    assert doc["changes"][: len(used)] == used  # used changes come first
    # its own entity's type change, the shared ErrorInfo change of every 400 response,
    # and the basePath change every call goes through
    assert {c["id"] for c in used} == {
        "response-property-type-changed",
        "response-property-removed",
        "server-base-path-changed",
    }
    impacts = {c["operation"]: c for c in doc["consumers"]}
    assert impacts[f"{mod}_Class0008_GetByKey"]["status"] == "changed"
    assert impacts["GET /api/nothing/here"]["status"] == "not-found"
    used_only = run_cli(
        "diff",
        pair / "old.json",
        pair / "new.json",
        "--consumers",
        str(tmp_path / "consumers.yaml"),
        "--fail-scope",
        "used",
        "--fail-on",
        "error",
    )
    assert used_only.returncode == 1
    (tmp_path / "quiet.yaml").write_text("- GET /api/nothing/here\n", encoding="utf-8")
    quiet = run_cli(
        "diff",
        pair / "old.json",
        pair / "new.json",
        "--consumers",
        str(tmp_path / "quiet.yaml"),
        "--fail-scope",
        "used",
    )
    assert quiet.returncode == 0, quiet.stdout[-500:]


def test_a_document_level_change_is_used_by_every_consumer(run_cli: RunCli, tmp_path: Path) -> None:
    doc = copy.deepcopy(SMALL)
    doc["paths"]["/b"] = {"post": {"operationId": "B", "responses": {"200": {"description": "ok"}}}}
    doc["basePath"] = "/api"
    old = _write(tmp_path / "old.json", doc)
    doc["basePath"] = "/api/v2"
    new = _write(tmp_path / "new.json", doc)
    consumers = tmp_path / "consumers.yaml"
    consumers.write_text("- A\n- POST /b\n- GET /gone\n", encoding="utf-8")
    args = ("--consumers", consumers, "--fail-scope", "used", "--no-rules")
    proc = run_cli("diff", old, new, "-f", "json", *args)
    assert proc.returncode == 1, proc.stdout[-500:]
    result = json.loads(proc.stdout)
    assert [(c["id"], c["used"]) for c in result["changes"]] == [("server-base-path-changed", True)]
    impacts = {
        i["operation"]: (i["status"], [c["id"] for c in i["changes"]]) for i in result["consumers"]
    }
    assert impacts == {
        "A": ("changed", ["server-base-path-changed"]),
        "POST /b": ("changed", ["server-base-path-changed"]),
        "GET /gone": ("not-found", []),
    }
    text = run_cli("diff", old, new, *args).stdout
    assert "changed    A: 1 error, 0 warning, 0 info" in text


def _op(op_id: str) -> dict[str, Any]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}}


def test_rule_drift_lists_matches_and_every_status_that_applies(
    run_cli: RunCli, tmp_path: Path
) -> None:
    doc: dict[str, Any] = {"swagger": "2.0", "info": {"title": "t", "version": "1"}}
    doc["paths"] = {"/items": {"get": _op("ItemList"), "post": _op("ItemAdd")}}
    old = _write(tmp_path / "old.json", doc)
    doc["paths"]["/items"]["post"] = _op("CreateItem")  # paired by path: escapes the glob
    doc["paths"]["/items/copy"] = {"post": _op("ItemCopy")}  # newly caught by the glob
    new = _write(tmp_path / "new.json", doc)
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "name: t\nversion: '1'\nexclude:\n  - {operationId: 'Item*', reason: no-web-endpoint}\n",
        encoding="utf-8",
    )
    proc = run_cli("diff", old, new, "-f", "json", "-r", rules)
    result = json.loads(proc.stdout)
    jsonschema.validate(result, SCHEMA)
    (entry,) = result["rules"]
    ids = [(o["method"], o["path"], o["operationId"]) for o in entry["old_operations"]]
    assert ids == [("get", "/items", "ItemList"), ("post", "/items", "ItemAdd")]
    ids = [(o["method"], o["path"], o["operationId"]) for o in entry["new_operations"]]
    assert ids == [("get", "/items", "ItemList"), ("post", "/items/copy", "ItemCopy")]
    assert (entry["old_matches"], entry["new_matches"]) == (2, 2)
    assert [
        (s["status"], [o["operationId"] for o in s["operations"]]) for s in entry["statuses"]
    ] == [
        ("escaped", ["CreateItem"]),
        ("matches-more", ["ItemCopy"]),
    ]
    assert entry["status"] == "escaped"
    assert {"rule-escaped", "rule-matches-more"} <= {c["id"] for c in result["changes"]}
    text = run_cli("diff", old, new, "-r", rules).stdout
    assert "escaped+matches-more t#1 (operationId Item*): 2 → 2; " in text
    assert "POST /items (CreateItem), POST /items/copy (ItemCopy)" in text
    markdown = run_cli("diff", old, new, "-r", rules, "-f", "markdown").stdout
    assert "| escaped+matches-more | 2 | 2 |" in markdown


def test_list_and_explain(run_cli: RunCli) -> None:
    listed = run_cli("diff", "--list-checks")
    assert listed.returncode == 0
    assert "operation-id-changed" in listed.stdout
    explained = run_cli("diff", "--explain", "operation-tag-changed")
    assert "Operation Group" in explained.stdout
    assert "Failing:" in explained.stdout
    assert_one_line_error(run_cli("diff", "--explain", "nope"))


SMALL: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}},
}


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_hostile_inputs(run_cli: RunCli, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", SMALL)
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    line = assert_one_line_error(run_cli("diff", good, tmp_path / "empty.json"))
    assert "empty.json" in line
    line = assert_one_line_error(run_cli("diff", tmp_path / "missing.json", good))
    assert "missing.json" in line
    assert_one_line_error(run_cli("diff", good))
    assert_one_line_error(run_cli("diff", good, good, "--fail-on", "sometimes"))
    assert_one_line_error(run_cli("diff", good, good, "--fail-scope", "used"))
    bad_ignore = tmp_path / "ignore.yaml"
    bad_ignore.write_text("ignore:\n  - id: no-such-change\n    reason: x\n", encoding="utf-8")
    line = assert_one_line_error(run_cli("diff", good, good, "--ignore-file", bad_ignore))
    assert "ignore.yaml:2" in line


def test_ref_cycles_and_deep_recursion_end(run_cli: RunCli, tmp_path: Path) -> None:
    doc = copy.deepcopy(SMALL)
    doc["definitions"] = {
        "A": {"$ref": "#/definitions/B"},
        "B": {"$ref": "#/definitions/A"},
        "N": {"type": "object", "properties": {"next": {"$ref": "#/definitions/N"}}},
    }
    ok = doc["paths"]["/a"]["get"]["responses"]["200"]
    ok["schema"] = {
        "type": "object",
        "properties": {"a": {"$ref": "#/definitions/A"}, "n": {"$ref": "#/definitions/N"}},
    }
    old = _write(tmp_path / "old.json", doc)
    doc["definitions"]["N"]["properties"]["v"] = {"type": "string"}
    del doc["definitions"]["N"]["properties"]["next"]
    new = _write(tmp_path / "new.json", doc)
    proc = run_cli("diff", old, new, "-f", "json", timeout=60)
    assert proc.returncode == 1
    changes = json.loads(proc.stdout)["changes"]
    assert [c["id"] for c in changes] == ["response-property-removed"]


def test_swagger_2_against_openapi_3_1(run_cli: RunCli, tmp_path: Path) -> None:
    old = _write(tmp_path / "old.json", SMALL)
    new_doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "2"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"type": ["string", "null"]}}
                            },
                        }
                    },
                }
            }
        },
    }
    new = _write(tmp_path / "new.json", new_doc)
    proc = run_cli("diff", old, new, "-f", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["new"]["spec_version"] == "3.1.0"
    assert doc["changes"] == []

"""`swaggertools diff` on hostile input, through the installed command.

Every case ends quickly with findings or with one `swaggertools: error:` line and exit
2; never a hang, a traceback or an `internal error`; and when a file cannot be read,
no `-o` report is written (a stale report would pass for a fresh one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli, assert_one_line_error

TIMEOUT = 60


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _spec(schema: Any, definitions: dict[str, Any] | None = None) -> dict[str, Any]:
    ok = {"description": "ok", "schema": schema}
    doc: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": ok}}}},
    }
    if definitions is not None:
        doc["definitions"] = definitions
    return doc


def _nested(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"p": schema}}
    return schema


def _refused(run_cli: RunCli, tmp_path: Path, old: Path, new: Path, *args: str) -> str:
    """The run is refused in one line, and neither -o report is written."""
    json_out, sarif_out = tmp_path / "out" / "diff.json", tmp_path / "out" / "diff.sarif"
    json_out.parent.mkdir(exist_ok=True)
    proc = run_cli("diff", old, new, "-o", json_out, "-o", sarif_out, *args, timeout=TIMEOUT)
    line = assert_one_line_error(proc)
    assert "internal error" not in line
    assert not json_out.exists()
    assert not sarif_out.exists()
    assert proc.stdout == ""
    return line


def test_an_empty_file(run_cli: RunCli, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", _spec({"type": "string"}))
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    assert "empty.json" in _refused(run_cli, tmp_path, good, tmp_path / "empty.json")
    assert "empty.json" in _refused(run_cli, tmp_path, tmp_path / "empty.json", good)


@pytest.mark.parametrize("text", ["null", "[1, 2]", '"swagger"', "{}"])
def test_a_file_that_is_no_spec(run_cli: RunCli, tmp_path: Path, text: str) -> None:
    good = _write(tmp_path / "good.json", _spec({"type": "string"}))
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    assert "bad.json" in _refused(run_cli, tmp_path, good, tmp_path / "bad.json")


def test_nesting_deeper_than_the_loader_allows(run_cli: RunCli, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", _spec({"type": "string"}))
    deep = _write(tmp_path / "deep.json", _spec(_nested(400)))
    line = _refused(run_cli, tmp_path, good, deep)
    assert "deep.json:1:" in line
    assert "nesting deeper than" in line


def test_a_url_ref_is_not_fetched(run_cli: RunCli, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", _spec({"type": "string"}))
    remote = _write(tmp_path / "remote.json", _spec({"$ref": "https://example.com/s.json#/S"}))
    line = _refused(run_cli, tmp_path, good, remote)
    assert "remote.json" in line
    assert "example.com" in line


def test_a_yaml_alias_bomb(run_cli: RunCli, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", _spec({"type": "string"}))
    bomb = tmp_path / "bomb.yaml"
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        rows.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    bomb.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert "bomb.yaml" in _refused(run_cli, tmp_path, good, bomb)


def _json(run_cli: RunCli, old: Path, new: Path) -> dict[str, Any]:
    proc = run_cli("diff", old, new, "-f", "json", "--no-rules", timeout=TIMEOUT)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def test_a_ref_cycle_ends_with_the_real_change(run_cli: RunCli, tmp_path: Path) -> None:
    cycle = {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}}
    schema = {"type": "object", "properties": {"a": {"$ref": "#/definitions/A"}, "n": {}}}
    old = _write(tmp_path / "old.json", _spec(schema, cycle))
    schema["properties"]["n"] = {"type": "integer"}
    schema["properties"]["b"] = {"$ref": "#/definitions/B"}
    new = _write(tmp_path / "new.json", _spec(schema, cycle))
    assert [c["id"] for c in _json(run_cli, old, new)["changes"]] == []  # n: {} → integer
    self_ref = {"S": {"$ref": "#/definitions/S"}}
    old = _write(tmp_path / "old.json", _spec({"$ref": "#/definitions/S"}, self_ref))
    new = _write(tmp_path / "new.json", _spec({"type": "string"}, {}))
    assert _json(run_cli, old, new)["changes"] == []  # an unresolvable ref promises nothing


def test_a_chain_of_thousands_of_refs_ends(run_cli: RunCli, tmp_path: Path) -> None:
    def chain(last: str) -> dict[str, Any]:
        defs: dict[str, Any] = {
            f"D{i}": {"type": "object", "properties": {"n": {"$ref": f"#/definitions/D{i + 1}"}}}
            for i in range(3000)
        }
        defs["D3000"] = {"type": "object", "properties": {"v": {"type": last}}}
        return _spec({"$ref": "#/definitions/D0"}, defs)

    old = _write(tmp_path / "old.json", chain("string"))
    new = _write(tmp_path / "new.json", chain("integer"))
    changes = _json(run_cli, old, new)["changes"]
    assert [(c["id"], c["message"]) for c in changes] == [
        ("response-property-type-changed", "D3000.v: type changed: string → integer")
    ]


def test_swagger_2_against_a_malformed_openapi_3_1(run_cli: RunCli, tmp_path: Path) -> None:
    old = _write(tmp_path / "old.json", _spec({"type": "object"}))
    odd = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "parameters": [{"name": "x"}, {"in": "query"}, "str"],
                    "requestBody": {"content": {"application/json": {"schema": True}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": ["object", "null"], "required": "x"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"S": {"$ref": "#/components/schemas/S"}}},
    }
    new = _write(tmp_path / "new.json", odd)
    doc = _json(run_cli, old, new)
    assert doc["new"]["spec_version"] == "3.1.0"
    # the nameless, placeless and string parameters are nothing a caller can send
    assert [c["message"] for c in doc["changes"]] == ["response 200: may now be null: nullable"]

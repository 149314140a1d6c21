"""`swaggertools diff` reports at their limits: a PR comment cut to size, consumer fields."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import RunCli

LIMIT = 65_536


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _spec(paths: dict[str, Any], definitions: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"swagger": "2.0", "info": {"title": "t", "version": "1"}}
    doc["paths"] = paths
    if definitions:
        doc["definitions"] = definitions
    return doc


def test_markdown_longer_than_a_comment_is_cut_with_a_more_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    ops = {
        f"/api/Core/Class{i:04d}/GetAll": {
            "get": {
                "operationId": f"Core_Class{i:04d}_GetAll",
                "responses": {"200": {"description": "ok"}},
            }
        }
        for i in range(2000)
    }
    old = _write(tmp_path / "old.json", _spec(ops))
    new = _write(tmp_path / "new.json", _spec({}))
    proc = run_cli("diff", old, new, "-f", "markdown", "--no-rules")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert 60_000 < len(out) <= LIMIT
    rows = [line for line in out.splitlines() if line.startswith("| error | `operation-removed`")]
    found = re.search(r"^… and (\d+) more changes \(see the JSON report\)\.$", out, re.M)
    assert found is not None, out[-300:]
    assert len(rows) + int(found.group(1)) == 2000
    assert len(rows) > 300  # the budget is used, not thrown away
    assert out.endswith("\n")


def _order(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def test_consumer_fields_grade_only_the_mapped_fields_used(run_cli: RunCli, tmp_path: Path) -> None:
    def doc(qty: str, note: str, total: str, label: str) -> dict[str, Any]:
        body = {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/OrderIn"}}
        ok = {"description": "ok", "schema": {"$ref": "#/definitions/Order"}}
        op = {"operationId": "Order_Add", "parameters": [body], "responses": {"200": ok}}
        line = _order({"qty": {"type": qty}, "note": {"type": note}})
        return _spec(
            {"/orders": {"post": op}},
            {
                "OrderIn": _order({"lines": {"type": "array", "items": line}}),
                "Order": _order({"total": {"type": total}, "label": {"type": label}}),
            },
        )

    old = _write(tmp_path / "old.json", doc("integer", "string", "number", "string"))
    new = _write(tmp_path / "new.json", doc("string", "integer", "string", "integer"))
    consumers = tmp_path / "consumers.yaml"
    consumers.write_text(
        "- operation: Order_Add\n  request: [lines.qty]\n  response: [total]\n", encoding="utf-8"
    )
    proc = run_cli("diff", old, new, "-f", "json", "--no-rules", "--consumers", consumers)
    result = json.loads(proc.stdout)
    graded = sorted((c["message"], c["used"]) for c in result["changes"])
    assert graded == [
        ("Order.label: type changed: string → integer", False),
        ("Order.total: type changed: number → string", True),
        ("OrderIn.lines[].note: type changed: string → integer", False),
        ("OrderIn.lines[].qty: type changed: integer → string", True),
    ]
    (impact,) = result["consumers"]
    assert impact["status"] == "changed"
    assert impact["counts"] == {"error": 2, "warning": 0, "info": 0}
    # the same file without fields: every change of the operation is used
    consumers.write_text("- Order_Add\n", encoding="utf-8")
    proc = run_cli("diff", old, new, "-f", "json", "--no-rules", "--consumers", consumers)
    assert all(c["used"] for c in json.loads(proc.stdout)["changes"])


def test_a_shared_schema_field_is_graded_by_the_entrys_own_path(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Node.v is `v` from A and `node.v` from B; B's consumer maps `node.v`."""

    def doc(v_type: str) -> dict[str, Any]:
        def returns(op_id: str, name: str) -> dict[str, Any]:
            ok = {"description": "ok", "schema": {"$ref": f"#/definitions/{name}"}}
            return {"get": {"operationId": op_id, "responses": {"200": ok}}}

        return _spec(
            {"/a": returns("A", "Node"), "/b": returns("B", "Link")},
            {
                "Node": _order({"link": {"$ref": "#/definitions/Link"}, "v": {"type": v_type}}),
                "Link": _order({"node": {"$ref": "#/definitions/Node"}}),
            },
        )

    old = _write(tmp_path / "old.json", doc("string"))
    new = _write(tmp_path / "new.json", doc("integer"))
    consumers = tmp_path / "consumers.yaml"
    for mapped, used in (("node.v", True), ("w", False)):
        consumers.write_text(f"- operation: B\n  response: [{mapped}]\n", encoding="utf-8")
        proc = run_cli("diff", old, new, "-f", "json", "--no-rules", "--consumers", consumers)
        (change,) = json.loads(proc.stdout)["changes"]
        assert (change["message"], change["used"]) == (
            "Node.v: type changed: string → integer",
            used,
        )

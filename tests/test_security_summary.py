"""`clean` says in words what it did to the input's own security (summary and reports).

The installed command in a subprocess; the exact summary lines, the report's
`dropped_schemes` and the Markdown report's sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import RunCli

AUTHORITY = "https://aim.example.test/identitymanager"


def _spec(**extra: Any) -> dict[str, Any]:
    """One Swagger 2.0 operation (no rule of the MES set matches it), plus `extra`."""
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "ListItems",
                    "tags": ["Items"],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        **extra,
    }


BEARER = _spec(
    security=[{"bearerAuth": []}],
    securityDefinitions={"bearerAuth": {"type": "apiKey", "name": "Authorization", "in": "header"}},
)


def _clean(run_cli: RunCli, folder: Path, doc: dict[str, Any], *args: str) -> list[str]:
    """Run clean on `doc` (api.json); the summary's `security` lines."""
    (folder / "api.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    proc = run_cli("clean", "api.json", "--authority", AUTHORITY, "-d", "out", *args, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return [line for line in proc.stdout.splitlines() if line.startswith("  security")]


def _report(folder: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((folder / "out" / "api.report.json").read_text())
    return report


def _markdown_security(folder: Path) -> list[str]:
    text = (folder / "out" / "api.report.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("- The input's own security")]


def test_replaced_global_requirement_and_dropped_scheme(run_cli: RunCli, tmp_path: Path) -> None:
    lines = _clean(run_cli, tmp_path, BEARER, "--auth", "user")
    said = "replaced global requirement bearerAuth with aimUserToken; dropped scheme bearerAuth"
    assert lines == [f"  security: {said}"]
    [variant] = _report(tmp_path)["security"]["variants"]
    assert variant["global_security_replaced"] == [{"bearerAuth": []}]
    assert variant["dropped_schemes"] == ["bearerAuth"]
    assert _markdown_security(tmp_path) == [f"- The input's own security: {said}"]


def test_service_and_combined_name_their_own_requirement(run_cli: RunCli, tmp_path: Path) -> None:
    assert _clean(run_cli, tmp_path, BEARER, "--auth", "service") == [
        "  security: replaced global requirement bearerAuth with aimServiceToken; "
        "dropped scheme bearerAuth"
    ]
    assert _clean(run_cli, tmp_path, BEARER, "--auth", "combined") == [
        "  security: replaced global requirement bearerAuth with aimUserToken or "
        "aimServiceToken; dropped scheme bearerAuth"
    ]


def test_both_outputs_alike_are_said_once(run_cli: RunCli, tmp_path: Path) -> None:
    said = (
        "replaced global requirement bearerAuth with aimUserToken in the user file and "
        "aimServiceToken in the service file; dropped scheme bearerAuth"
    )
    assert _clean(run_cli, tmp_path, BEARER, "--auth", "both") == [f"  security: {said}"]
    variants = _report(tmp_path)["security"]["variants"]
    assert [v["dropped_schemes"] for v in variants] == [["bearerAuth"], ["bearerAuth"]]
    assert _markdown_security(tmp_path) == [f"- The input's own security: {said}"]


def test_both_outputs_that_differ_are_said_each(run_cli: RunCli, tmp_path: Path) -> None:
    """The input already asks for aimUserToken: only the service output replaces it."""
    doc = _spec(
        security=[{"aimUserToken": []}],
        securityDefinitions={"aimUserToken": {"type": "basic"}},
    )
    lines = _clean(run_cli, tmp_path, doc, "--auth", "both", "--replace-security")
    assert lines == [
        "  security (service): replaced global requirement aimUserToken with aimServiceToken; "
        "dropped scheme aimUserToken"
    ]
    user, service = _report(tmp_path)["security"]["variants"]
    assert (user["global_security_replaced"], user["dropped_schemes"]) == (None, [])
    assert service["dropped_schemes"] == ["aimUserToken"]
    assert _markdown_security(tmp_path) == [
        "- The input's own security (`service`): replaced global requirement aimUserToken "
        "with aimServiceToken; dropped scheme aimUserToken"
    ]


def test_several_requirements_and_schemes(run_cli: RunCli, tmp_path: Path) -> None:
    doc = _spec(
        security=[{"apiKey": [], "basic": []}, {"oauth": ["read", "write"]}],
        securityDefinitions={
            "apiKey": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "basic": {"type": "basic"},
            "oauth": {
                "type": "oauth2",
                "flow": "application",
                "tokenUrl": "https://idp.example.test/token",
                "scopes": {"read": "r", "write": "w"},
            },
        },
    )
    assert _clean(run_cli, tmp_path, doc, "--auth", "user") == [
        "  security: replaced global requirement (apiKey and basic) or oauth (read, write) "
        "with aimUserToken; dropped schemes apiKey, basic, oauth"
    ]


def test_operation_level_requirements_kept_or_replaced(run_cli: RunCli, tmp_path: Path) -> None:
    doc = json.loads(json.dumps(BEARER))
    doc["paths"]["/items"]["get"]["security"] = [{"apiKey": []}]
    doc["securityDefinitions"]["apiKey"] = {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert _clean(run_cli, tmp_path, doc, "--auth", "service") == [
        "  security: replaced global requirement bearerAuth with aimServiceToken; kept the "
        "operation-level requirement of 1 operation (--replace-security replaces them); "
        "dropped scheme bearerAuth"
    ]
    assert _clean(run_cli, tmp_path, doc, "--auth", "service", "--replace-security") == [
        "  security: replaced global requirement bearerAuth with aimServiceToken; replaced the "
        "operation-level requirement of 1 operation; dropped schemes bearerAuth, apiKey"
    ]


def test_nothing_replaced_says_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """No global requirement in the input, or already the AIM one: no security line."""
    assert _clean(run_cli, tmp_path, _spec(), "--auth", "both") == []
    variants = _report(tmp_path)["security"]["variants"]
    assert [v["dropped_schemes"] for v in variants] == [[], []]
    assert _markdown_security(tmp_path) == []
    assert _clean(run_cli, tmp_path, BEARER, "--auth", "none") == []  # no security changes
    # an output cleaned again with its own mode already has the AIM requirement
    assert _clean(run_cli, tmp_path, BEARER, "--auth", "user") != []
    cleaned = json.loads((tmp_path / "out" / "api.user.json").read_text(encoding="utf-8"))
    again = tmp_path / "again"
    again.mkdir()
    assert _clean(run_cli, again, cleaned, "--auth", "user") == []


def test_control_characters_in_scheme_names_are_escaped(run_cli: RunCli, tmp_path: Path) -> None:
    name = "evil\x1b[31m\nforged"
    doc = _spec(
        security=[{name: []}],
        securityDefinitions={name: {"type": "basic"}},
    )
    [line] = _clean(run_cli, tmp_path, doc, "--auth", "user")
    escaped = "evil\\x1b[31m\\x0aforged"
    assert line == (
        f"  security: replaced global requirement {escaped} with aimUserToken; "
        f"dropped scheme {escaped}"
    )

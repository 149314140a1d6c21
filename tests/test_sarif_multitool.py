"""Microsoft's SARIF Multitool finds no error and no warning in `swaggertools lint` SARIF.

`Sarif.Multitool validate --rule-kind "Sarif;Gh"` checks a log against the SARIF schema,
Microsoft's authoring rules (SARIF1xxx errors, SARIF2xxx warnings and notes) and what
GitHub code scanning needs (GH1xxx). The tool is the npm package
`@microsoft/sarif-multitool-linux`, pinned in tests/node/package.json and installed by
`make nodetools` (which `make test` runs). Without it the test is skipped, except under CI
(`CI` set), where a missing tool fails the run.

The logs cover every kind of result: findings with line and column, findings about a
whole file (an unmatched rule), a file that cannot be parsed (load-error with a line), a
missing file (load-error without one), several files, a path that needs percent-encoding,
a file outside the repository, a passing run; and the rules carry help and links.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli_env, missing

ROOT = Path(__file__).resolve().parent.parent
MULTITOOL = ROOT / "tests/node/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"

ACCEPTED_NOTES = {
    "SARIF2002": "messages are per-result prose, not message ids with arguments",
    "SARIF2003": "no versionControlProvenance: upload-sarif records the commit itself",
    "SARIF2006": "URIs are not fetched here (no network), so each one is 'not reachable'",
    "SARIF2009": "rule ids are words (missing-security), public and configured by name",
    "SARIF2010": "no code snippets: they would copy the linted file into the log",
    "SARIF2011": "no context regions, for the same reason",
    "SARIF2013": "no embedded file contents, for the same reason",
    "SARIF2016": "a file outside the repository has no relative path: an absolute file: URI",
}
"""The Multitool's notes left on purpose (swaggertools/findings/sarif.py says why)."""

UNUSED = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}},
}
"""No security, no operationId, no tag, and none of the MES rules matches an operation."""

PASSING = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "ListItems",
                "tags": ["Items"],
                "security": [{"aimUserToken": []}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "securityDefinitions": {
        "aimUserToken": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://aim/identitymanager/connect/authorize",
            "tokenUrl": "https://aim/identitymanager/connect/token",
            "scopes": {},
        }
    },
}


@pytest.fixture(scope="module")
def multitool() -> Path:
    """The Multitool binary; skipped when not installed, except under CI."""
    if MULTITOOL.is_file() and os.access(MULTITOOL, os.X_OK):
        return MULTITOOL
    missing(str(MULTITOOL.relative_to(ROOT)), "`make nodetools`")


def _multitool_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    # .NET loads ICU (libicu) for culture data unless told not to; invariant mode needs no
    # system package and the validator's output does not depend on the locale.
    env["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"
    env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1"
    env["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = str(tmp_path / "dotnet")
    # SARIF2006 fetches every absolute URI in the log; the tests stay off the network, so
    # the requests go to a closed local port and fail at once (a note, see ACCEPTED_NOTES).
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env[name] = "http://127.0.0.1:9"
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    return env


def _validate(tool: Path, logs: list[Path], tmp_path: Path) -> dict[str, Any]:
    """Run `Sarif.Multitool validate` on `logs`; its own SARIF log of what it found."""
    out = tmp_path / "multitool.sarif"
    proc = subprocess.run(
        [
            str(tool),
            "validate",
            *(str(log) for log in logs),
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning;Note",
            "--output",
            str(out),
            "--log",
            "ForceOverwrite",
        ],
        env=_multitool_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8-sig"))
    return report


def _problems(report: dict[str, Any]) -> dict[str, list[str]]:
    """`level` -> readable `FILE: RULE Name: message` lines, from the Multitool's log."""
    [run] = report["runs"]
    rules = run["tool"]["driver"].get("rules", [])
    found: dict[str, list[str]] = {}
    for result in run.get("results", []):
        rule = rules[result["ruleIndex"]] if "ruleIndex" in result else {}
        level = result.get("level") or rule.get("defaultConfiguration", {}).get("level")
        message = result["message"]
        text = message.get("text")
        if text is None:
            template = rule.get("messageStrings", {}).get(message.get("id"), {}).get("text", "")
            text = template.format(*message.get("arguments", []))
        where = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        line = f"{Path(where).name}: {result['ruleId']} {rule.get('name', '')}: {text}"
        found.setdefault(level or "warning", []).append(line)
    for invocation in run.get("invocations", []):
        assert invocation.get("executionSuccessful", True), invocation
        for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
            for note in invocation.get(key, []):
                level = note.get("level", "warning")
                found.setdefault(level, []).append(f"{key}: {note['message'].get('text')}")
    return found


def _rule_ids(lines: list[str]) -> set[str]:
    return {line.split(": ", 1)[1].split(" ", 1)[0] for line in lines}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> dict[str, Path]:
    """SARIF of three lint runs in a throw-away repository: error, findings, pass."""
    base = tmp_path_factory.mktemp("sarif")
    repo = base / "repo"
    (repo / ".git").mkdir(parents=True)  # the root that SARIF paths are relative to
    (repo / "fixtures").mkdir()
    (repo / "api").mkdir()
    for name in ("mes-swagger.json", "mes-openapi.yaml"):
        shutil.copyfile(ROOT / "fixtures" / name, repo / "fixtures" / name)
    (repo / "api" / "unused ü.json").write_text(json.dumps(UNUSED, indent=2), encoding="utf-8")
    (repo / "api" / "broken.json").write_text('{\n  "swagger": "2.0",\n  "info": \n}\n')
    (repo / "api" / "passing.json").write_text(json.dumps(PASSING, indent=2), encoding="utf-8")
    outside = base / "outside.json"
    outside.write_text(json.dumps(UNUSED, indent=2), encoding="utf-8")

    def lint(name: str, code: int, *specs: str) -> Path:
        log = base / f"{name}.sarif"
        proc = subprocess.run(
            [swaggertools_cli, "lint", *specs, "--no-config", "-o", f"sarif:{log}"],
            cwd=repo,
            env=cli_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert proc.returncode == code, proc.stderr
        return log

    return {
        "error": lint(
            "error",
            2,
            "fixtures/mes-swagger.json",
            "fixtures/mes-openapi.yaml",
            "api/unused ü.json",
            "api/broken.json",
            "api/missing.json",
            str(outside),
        ),
        "findings": lint("findings", 1, "fixtures/mes-swagger.json"),
        "passing": lint("passing", 0, "api/passing.json", "--ignore", "unmatched-rule"),
    }


def test_the_logs_hold_every_kind_of_result(logs: dict[str, Path]) -> None:
    """Guards the next test: what it validates really has each kind of result."""
    run = json.loads(logs["error"].read_text(encoding="utf-8"))["runs"][0]
    results = run["results"]
    by_rule = {r["ruleId"] for r in results}
    assert {"load-error", "unmatched-rule", "excluded-operation", "missing-security"} <= by_rule
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert {"startLine": 1} in regions  # the whole-file findings
    assert any("startColumn" in region for region in regions)
    loads = [r for r in results if r["ruleId"] == "load-error"]
    assert len(loads) == 2
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert "api/unused%20%C3%BC.json" in uris
    assert any(uri.startswith("file:///") for uri in uris)
    driver = run["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    assert all(rule["helpUri"].startswith("https://") for rule in driver["rules"])
    passing = json.loads(logs["passing"].read_text(encoding="utf-8"))["runs"][0]
    assert passing["results"] == []


def test_multitool_finds_no_error_and_no_warning(
    multitool: Path, logs: dict[str, Path], tmp_path: Path
) -> None:
    problems = _problems(_validate(multitool, list(logs.values()), tmp_path))
    assert problems.get("error", []) == [], "\n".join(problems["error"])
    assert problems.get("warning", []) == [], "\n".join(problems["warning"])
    notes = problems.get("note", [])
    assert notes, "the Multitool always has notes on these logs: did it read them?"
    unexpected = [n for n in notes if _rule_ids([n]) - set(ACCEPTED_NOTES)]
    assert unexpected == [], "\n".join(unexpected)


def test_multitool_reports_what_the_logs_used_to_lack(
    multitool: Path, logs: dict[str, Path], tmp_path: Path
) -> None:
    """The check can fail: the log without informationUri and a region gets both warnings."""
    log = json.loads(logs["error"].read_text(encoding="utf-8"))
    run = log["runs"][0]
    del run["tool"]["driver"]["informationUri"]
    whole_file = next(r for r in run["results"] if r["ruleId"] == "unmatched-rule")
    del whole_file["locations"][0]["physicalLocation"]["region"]
    old = tmp_path / "old.sarif"
    old.write_text(json.dumps(log, indent=2), encoding="utf-8")
    problems = _problems(_validate(multitool, [old], tmp_path))
    assert _rule_ids(problems.get("warning", [])) == {"SARIF2005", "SARIF2017"}, problems

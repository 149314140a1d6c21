"""`swaggertools lint` as CI runs it: the installed command in a subprocess.

Golden files (tests/lint_golden/) hold every format's output on both bundled samples;
regenerate them with SWAGGERTOOLS_UPDATE_GOLDEN=1 after an intended change and review
the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "lint_golden"
SAMPLES = ("mes-swagger.json", "mes-openapi.yaml")
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
UPDATE = os.environ.get("SWAGGERTOOLS_UPDATE_GOLDEN") == "1"

SMALL = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "ListItems",
                "tags": ["Items"],
                "security": [{"aimUserToken": []}],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "tags": ["Items"],
                "security": [{"aimUserToken": []}],
                "responses": {"200": {"description": "ok"}},
            },
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
"""One warning (missing-operation-id on POST /items), nothing else."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throw-away repository with both samples under fixtures/."""
    root = tmp_path / "repo"
    (root / "fixtures").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in SAMPLES:
        shutil.copyfile(ROOT / "fixtures" / name, root / "fixtures" / name)
    return root


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_golden_output_per_format(run_cli: RunCli, repo: Path, sample: str, fmt: str) -> None:
    proc = run_cli("lint", f"fixtures/{sample}", "--format", fmt, "--no-config", cwd=repo)
    assert proc.returncode == 1, proc.stderr  # the samples still hold 42 excluded operations
    assert proc.stderr == ""
    golden = GOLDEN / f"{sample}.{fmt}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(proc.stdout, encoding="utf-8", newline="")
    assert proc.stdout == golden.read_text(encoding="utf-8"), f"differs from {golden}"


def test_every_format_says_the_same_thing(run_cli: RunCli, repo: Path) -> None:
    """The formats render the same records: same counts, same locations."""
    outputs = {fmt: repo / f"out.{fmt}" for fmt in FORMATS}
    args = [f"--output={fmt}:{path}" for fmt, path in outputs.items()]
    proc = run_cli("lint", "fixtures/mes-swagger.json", *args, "--no-config", cwd=repo)
    assert proc.returncode == 1
    report = json.loads(outputs["json"].read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "swaggertools/schemas/lint.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    findings = report["files"][0]["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert len(errors) == 42

    sarif = json.loads(outputs["sarif"].read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == len(findings)
    sarif_lines = sorted(
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in results
        if r["ruleId"] == "excluded-operation"
    )
    assert sarif_lines == sorted(f["line"] for f in errors)

    github = outputs["github"].read_text(encoding="utf-8")
    assert github.count("::error ") == 42
    junit = ET.parse(outputs["junit"]).getroot()
    case = [c for c in junit.iter("testcase") if c.get("name") == "excluded-operation"]
    assert case
    assert case[0].find("failure") is not None
    text = outputs["text"].read_text(encoding="utf-8")
    assert all(f"fixtures/mes-swagger.json:{f['line']}:{f['column']}" in text for f in errors)
    markdown = outputs["markdown"].read_text(encoding="utf-8")
    assert "excluded-operation" in markdown
    # stdout still shows the text report when files are written
    assert "42 errors" in proc.stdout


@pytest.mark.parametrize(
    ("fail_on", "findings", "code"),
    [
        ("error", "warning", 0),
        ("warning", "warning", 1),
        ("never", "warning", 0),
        ("error", "error", 1),
        ("never", "error", 0),
    ],
)
def test_exit_code_follows_fail_on(
    run_cli: RunCli, tmp_path: Path, fail_on: str, findings: str, code: int
) -> None:
    doc = json.loads(json.dumps(SMALL))
    if findings == "error":
        doc["paths"]["/items"]["get"]["responses"] = {}  # invalid-spec
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    proc = run_cli("lint", spec, "--fail-on", fail_on, "--rules", _no_rules(tmp_path))
    assert proc.returncode == code, proc.stdout
    assert "missing-operation-id" in proc.stdout


def _no_rules(tmp_path: Path) -> str:
    """A rule set whose one rule matches nothing here (and is ignored where it matters)."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "name: site\nversion: '1'\nexclude:\n  - operationId: NotHere\n    reason: site policy\n",
        encoding="utf-8",
    )
    return str(rules)


def test_several_files_are_all_reported_before_the_exit_code(
    run_cli: RunCli, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SMALL, indent=2), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("swagger: '2.0'\npaths: [\n", encoding="utf-8")
    proc = run_cli("lint", broken, good, "--ignore", "unmatched-rule")
    assert proc.returncode == 2
    assert "good.json" in proc.stdout
    assert "missing-operation-id" in proc.stdout  # the good file was linted after the bad
    assert "load-error" in proc.stdout
    errors = proc.stderr.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"swaggertools: error: {broken}:")


def test_line_and_column_for_crlf_bom_yaml(run_cli: RunCli, tmp_path: Path) -> None:
    text = (
        "swagger: '2.0'\r\n"
        "info: {title: t, version: '1'}\r\n"
        "paths:\r\n"
        "  /items:\r\n"
        "    get:\r\n"
        "      responses: {'200': {description: ok}}\r\n"
    )
    spec = tmp_path / "api.yaml"
    spec.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = run_cli("lint", spec, "--select", "missing-operation-id", "--format", "github")
    assert proc.returncode == 0
    assert f"::warning file={spec.name},line=5,col=5,title=missing-operation-id::" in proc.stdout


def test_select_ignore_and_unknown_ids(
    run_cli: RunCli, tmp_path: Path, assert_one_line_error: object
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(SMALL), encoding="utf-8")
    only = run_cli("lint", spec, "--select", "untagged-operation,missing-operation-id")
    assert "missing-operation-id" in only.stdout
    assert "unmatched-rule" not in only.stdout
    ignored = run_cli(
        "lint", spec, "--ignore", "missing-operation-id", "--ignore", "unmatched-rule"
    )
    assert "missing-operation-id" not in ignored.stdout
    bad = run_cli("lint", spec, "--select", "no-such-check")
    line = assert_one_line_error(bad)  # type: ignore[operator]
    assert "unknown check 'no-such-check'" in line


def test_list_and_explain(run_cli: RunCli) -> None:
    listed = run_cli("lint", "--list-checks")
    assert listed.returncode == 0
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert "excluded-operation" in ids
    assert "unresolved-mapping" in ids
    assert len(ids) == 12
    explained = run_cli("lint", "--explain", "excluded-operation")
    assert "Failing" in explained.stdout
    assert "Passing" in explained.stdout


def test_baseline_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(SMALL, indent=2), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    wrote = run_cli(
        "lint", spec, "--baseline", baseline, "--write-baseline", "--fail-on", "warning"
    )
    assert wrote.returncode == 0
    assert baseline.is_file()
    again = run_cli("lint", spec, "--baseline", baseline, "--fail-on", "warning")
    assert again.returncode == 0, again.stdout
    assert "missing-operation-id" not in again.stdout
    # a new problem still fails
    doc = json.loads(json.dumps(SMALL))
    doc["paths"]["/items"]["get"].pop("tags")
    spec.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    new = run_cli("lint", spec, "--baseline", baseline, "--fail-on", "warning")
    assert new.returncode == 1
    assert "untagged-operation" in new.stdout
    assert "missing-operation-id" not in new.stdout


def test_outputs_never_overwrite_an_input(
    run_cli: RunCli, tmp_path: Path, assert_one_line_error: object
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(SMALL), encoding="utf-8")
    before = spec.read_bytes()
    proc = run_cli("lint", spec, "--output", f"json:{spec}")
    assert_one_line_error(proc)  # type: ignore[operator]
    assert spec.read_bytes() == before


def test_lint_reads_the_project_config(run_cli: RunCli, repo: Path) -> None:
    (repo / "swaggertools.yaml").write_text(
        "specs: [fixtures/mes-swagger.json]\n"
        "lint:\n  ignore: [excluded-operation]\n  output: [reports/lint.sarif]\n",
        encoding="utf-8",
    )
    sub = repo / "fixtures"
    proc = run_cli("lint", cwd=sub)
    assert proc.returncode == 0, proc.stdout  # the only errors were ignored
    assert "excluded-operation" not in proc.stdout
    assert (repo / "reports" / "lint.sarif").is_file()
    # a command-line list replaces the config's list
    overridden = run_cli("lint", "--ignore", "unused-component", cwd=sub)
    assert overridden.returncode == 1
    assert "excluded-operation" in overridden.stdout

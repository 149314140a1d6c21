"""The CI examples in docs/ci/ and the pre-commit hooks run as written.

Each test takes the command lines out of the example file, runs them with the installed
console script in a throw-away repository holding the bundled MES sample, and checks what
the CI system would show: the failing exit code, the annotation at the exact line with the
replacement endpoint, a SARIF file valid against the official schema, a JUnit file.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import assert_no_traceback, cli_env, cli_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "mes-swagger.json"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
# A rule of the shipped set with a replacement endpoint, and the operation it matches.
REPLACED_OPERATION = '"/api/Core/Line/GetKpi"'
REPLACEMENT = "use api/kpi"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    (repo / ".git").mkdir()  # the repository root SARIF paths are relative to
    shutil.copyfile(SAMPLE, repo / "api" / "mes-swagger.json")
    return repo


def _run(
    line: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one example command line with our console script as `swaggertools`."""
    argv = shlex.split(line)
    assert argv[0] == "swaggertools", line
    proc = subprocess.run(
        [cli_path(), *argv[1:]],
        cwd=cwd,
        env=cli_env(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert_no_traceback(proc)
    return proc


def _commands(steps: list[dict[str, Any]], key: str) -> list[str]:
    lines = []
    for step in steps:
        command = step.get(key)
        if isinstance(command, str) and command.strip().startswith("swaggertools "):
            lines.append(command.strip())
    return lines


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _check_sarif(path: Path) -> dict[str, Any]:
    sarif: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(sarif)
    return sarif


def _excluded_line(repo: Path) -> int:
    text = (repo / "api" / "mes-swagger.json").read_text(encoding="utf-8")
    # the method key under the replaced path: the finding points at the operation
    path_line = _line_of(text, REPLACED_OPERATION)
    return path_line + 1


def test_github_actions_example_runs_as_written(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["lint"]["steps"]
    lint_line, clean_line = _commands(steps, "run")
    uploads = [s for s in steps if "upload-sarif" in str(s.get("uses", ""))]
    assert uploads
    assert uploads[0]["if"] == "always()"
    assert workflow["permissions"]["security-events"] == "write"

    repo = _repo(tmp_path)
    summary = tmp_path / "step-summary.md"
    summary.write_text("previous step\n", encoding="utf-8")
    proc = _run(lint_line, repo, {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"})
    assert proc.returncode == 1, proc.stderr  # the job fails on the excluded operations

    line = _excluded_line(repo)
    annotations = [a for a in proc.stdout.splitlines() if a.startswith("::error ")]
    hit = [a for a in annotations if f"file=api/mes-swagger.json,line={line}," in a]
    assert hit, "\n".join(annotations[:5])
    assert "title=excluded-operation" in hit[0]
    kpi = [a for a in annotations if "Core_Line_GetKpi" in a]
    assert kpi
    assert REPLACEMENT in kpi[0]
    assert summary.read_text(encoding="utf-8").startswith("previous step\n")  # appended
    assert "excluded-operation" in summary.read_text(encoding="utf-8")

    sarif = _check_sarif(repo / "swaggertools.sarif")
    results = sarif["runs"][0]["results"]
    located = [
        r
        for r in results
        if r["ruleId"] == "excluded-operation"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "api/mes-swagger.json"
        and r["locations"][0]["physicalLocation"].get("region", {}).get("startLine") == line
    ]
    assert located
    junit = ET.parse(repo / "swaggertools-junit.xml").getroot()
    assert int(junit.get("failures", "0")) >= 1

    # The clean --check step: fails while the cleaned files are missing, passes once written.
    assert _run(clean_line, repo).returncode == 1
    write_line = clean_line.replace(" --check", "")
    assert _run(write_line, repo).returncode == 0
    proc = _run(clean_line, repo)
    assert proc.returncode == 0, proc.stdout
    assert "up to date" in proc.stdout


def test_azure_pipelines_example_runs_as_written(tmp_path: Path) -> None:
    pipeline = yaml.safe_load((ROOT / "docs/ci/azure-pipelines.yml").read_text(encoding="utf-8"))
    steps = pipeline["steps"]
    (lint_line,) = _commands(steps, "script")
    publish = [s for s in steps if s.get("task") == "PublishTestResults@2"]
    assert publish
    assert publish[0]["inputs"]["testResultsFormat"] == "JUnit"

    repo = _repo(tmp_path)
    staging = tmp_path / "staging"
    line = lint_line.replace("$(Build.ArtifactStagingDirectory)", str(staging))
    proc = _run(line, repo)
    assert proc.returncode == 1, proc.stderr
    junit_file = Path(
        publish[0]["inputs"]["testResultsFiles"].replace(
            "$(Build.ArtifactStagingDirectory)", str(staging)
        )
    )
    suites = ET.parse(junit_file).getroot()
    suite = suites.find("testsuite")
    assert suite is not None
    assert suite.get("name") == "api/mes-swagger.json"
    failed = [
        case
        for case in suite.iter("testcase")
        if case.get("name") == "excluded-operation" and case.find("failure") is not None
    ]
    assert failed
    failure = failed[0].find("failure")
    assert failure is not None
    assert f"{_excluded_line(repo)}:" in (failure.text or "")
    _check_sarif(staging / "CodeAnalysisLogs" / "swaggertools.sarif")


@pytest.mark.parametrize("hook_id", ["swaggertools-lint", "swaggertools-clean-check"])
def test_pre_commit_hooks_run_as_pre_commit_would(tmp_path: Path, hook_id: str) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks[hook_id]
    assert hook["language"] == "python"
    repo = _repo(tmp_path)
    (repo / "swaggertools.yaml").write_text(
        "specs: [api/mes-swagger.json]\n"
        "authority: https://sms.plant.local/identitymanager\n"
        "clean:\n  output_dir: api/worktasks\n",
        encoding="utf-8",
    )
    # pre-commit appends the matching staged files unless pass_filenames is false
    files = ["api/mes-swagger.json"] if hook.get("pass_filenames", True) else []
    if files:
        assert re.search(hook["files"], files[0])
    entry = hook["entry"] + "".join(f" {shlex.quote(f)}" for f in files)
    proc = _run(entry, repo)
    assert proc.returncode == 1  # excluded operations present / cleaned files missing
    if hook_id == "swaggertools-clean-check":
        assert _run("swaggertools clean --quiet", repo).returncode == 0
        assert _run(entry, repo).returncode == 0
    else:
        assert "excluded-operation" in proc.stdout


def test_ci_examples_are_listed_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (
        "docs/ci/github-actions.yml",
        "docs/ci/azure-pipelines.yml",
        ".pre-commit-hooks.yaml",
    ):
        assert name in readme
    assert os.path.isfile(ROOT / "docs" / "checks.md")

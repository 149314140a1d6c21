"""The diff as a lint run, so the findings renderers (JUnit, GitHub, SARIF) serve it too.

Each change becomes a finding (rule = change id, severity = its level) located in NEW,
or in OLD when NEW no longer has what changed (a removed operation): SARIF results and
GitHub annotations then point at the NEW file's line and column, and at OLD's for
removals. The catalogue supplies the rule descriptors (summary, docstring, help link).
"""

from __future__ import annotations

from typing import Any

from swaggertools.diff.change import Change
from swaggertools.diff.kinds import HELP_BASE, KINDS
from swaggertools.diff.result import DiffResult
from swaggertools.findings import github, junit, sarif
from swaggertools.findings.model import CheckInfo, FileResult, LintRun
from swaggertools.model import Finding, Severity


def _finding(change: Change) -> Finding:
    pointer = change.new_pointer if change.new_pointer is not None else change.old_pointer
    message = change.message + (" [used]" if change.used else "")
    return Finding(
        change.id,
        Severity(change.level),
        message,
        change.file,
        pointer,
        change.line,
        change.column,
    )


def as_lint_run(result: DiffResult) -> LintRun:
    """One file result for NEW and one for OLD, each with the changes located in it."""
    new = FileResult(path=result.new.path, spec_version=result.new.spec_version)
    old = FileResult(path=result.old.path, spec_version=result.old.spec_version)
    new.operations, old.operations = result.new.operations, result.old.operations
    for change in result.changes:
        target = old if change.new_pointer is None else new
        target.findings.append(_finding(change))
    ids = tuple(KINDS)
    new.checks = old.checks = ids
    checks = [
        CheckInfo(k.id, Severity(k.level), k.summary, k.explain(), f"{HELP_BASE}#{k.id}")
        for k in KINDS.values()
    ]
    fail_on: Any = result.fail_on if result.fail_on != "info" else "warning"
    return LintRun(
        files=[new, old],
        checks=checks,
        fail_on=fail_on,
        exit_code=result.exit_code,
        tool_version=result.tool_version,
        root=result.root,
        command="diff",
    )


def render_sarif(result: DiffResult, *, color: bool = False) -> str:
    """SARIF 2.1.0 (the shared findings renderer, as lint's)."""
    return sarif.render(as_lint_run(result))


def render_junit(result: DiffResult, *, color: bool = False) -> str:
    """JUnit XML (the shared findings renderer): a testsuite per file, a testcase per kind."""
    return junit.render(as_lint_run(result))


def render_github(result: DiffResult, *, color: bool = False) -> str:
    """GitHub Actions annotations (the shared findings renderer, as lint's)."""
    return github.render(as_lint_run(result))

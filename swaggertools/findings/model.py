"""A run of findings: the one record set the SARIF, JUnit, GitHub and Markdown renderers take.

`lint` builds it from its checks, `diff` from its changes (`diff.formats.lintrun`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from swaggertools.model import Finding, Severity

FailOn = Literal["error", "warning", "never"]

LOAD_ERROR = "load-error"
"""Rule id of the finding that stands for a file that could not be linted at all."""
LOAD_ERROR_SUMMARY = "The file could not be linted."
LOAD_ERROR_EXPLAIN = (
    "It could not be read or parsed, or it is not a Swagger 2.0 / OpenAPI 3.x document: "
    "fix what the message names (encoding, syntax, duplicate keys, version field). No "
    "check ran on this file."
)
"""What `load-error` means (the check reference and SARIF's rule descriptor say it)."""

HELP_BASE = "docs/checks.md"
"""The check reference, generated from the checks' docstrings (relative to the repository
root); `HELP_BASE#ID` documents check (or `load-error`) ID."""


@dataclass(frozen=True)
class CheckInfo:
    """A check as the formats describe it: id, default severity, summary and help text."""

    id: str
    severity: Severity
    summary: str
    """One line (SARIF `shortDescription`, `--list-checks`)."""
    explain: str
    """The check's docstring: what it looks for, a failing and a passing example."""
    help_uri: str
    """Where the README documents the check."""


@dataclass
class FileResult:
    """One linted file: its findings after `--select`, `--ignore` and the baseline."""

    path: str
    """The file as given on the command line (or in the config file)."""
    findings: list[Finding] = field(default_factory=list)
    """Sorted by line, column, rule id. A finding's `file` is `path`, except for a `$ref`
    written in a file the spec bundles: that file, after the findings of `path`."""
    checks: tuple[str, ...] = ()
    """Ids of the checks that ran on this file (empty when the file could not be loaded)."""
    suppressed: int = 0
    """Findings hidden by the baseline."""
    error: Finding | None = None
    """Set when the file could not be linted (rule `load-error`); it is also in `findings`."""
    spec_version: str | None = None
    operations: int = 0


@dataclass
class LintRun:
    """Every file of one `swaggertools lint` run, the checks that ran, and the verdict."""

    files: list[FileResult]
    checks: list[CheckInfo]
    """The enabled checks, sorted by id."""
    fail_on: FailOn
    exit_code: int
    tool_version: str
    root: Path
    """Absolute folder that relative artifact URIs (SARIF) and paths are taken from."""
    command: str = "lint"
    """The command whose findings these are (`diff` renders its changes through these formats)."""

    def findings(self) -> list[Finding]:
        """All findings of all files, in file order."""
        return [f for result in self.files for f in result.findings]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (`error`, `warning`, `info`)."""
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings():
            counts[finding.severity.value] += 1
        return counts

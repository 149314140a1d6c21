"""SARIF 2.1.0 for GitHub code scanning (`upload-sarif`) and Azure DevOps.

One run; `tool.driver.rules` describes every enabled check, then a descriptor for each
other rule id that produced a finding (`load-error`, or a check's finding that survived a
configuration change), so every result has a `ruleId` and a `ruleIndex` that resolve.

Locations: GitHub needs at least one location per result, with a URI relative to the
repository root, so every result points at its file: `artifactLocation.uri` is the path
relative to `run.root` (forward slashes, percent-encoded per RFC 3986) against the base
`%SRCROOT%`; a file outside the root gets an absolute `file:` URI instead. `region` holds
startLine and, when known, startColumn (Unicode code points). A finding about the whole
file (an unmatched rule, a file that cannot be read) or whose line is unknown gets
`startLine: 1`, as Microsoft's SARIF validator asks (SARIF2017: every result location has
a region), and its message names the JSON pointer when there is one.

Links: `tool.driver.informationUri` is the project's home page and a rule's `helpUri` its
section of docs/checks.md on the project repository, both from the installed package's
metadata (`swaggertools.project`); without that metadata (an uninstalled source tree)
they are left out, and the help text still names the documentation.

Checked by Microsoft's SARIF Multitool (`validate --rule-kind "Sarif;Gh"`) in the tests:
no error, no warning. Its notes left on purpose: messages are per-result prose, not `id` +
`arguments` (SARIF2002); no version control provenance (SARIF2003: the log would differ
per commit, and upload-sarif records the commit itself); rule ids are words, not `ST1001`
(SARIF2009: they are public and configured by name); no code snippets, context regions or
embedded file contents (SARIF2010, 2011, 2013: they would copy the linted file into the
log, and GitHub reads it from the checkout); the absolute URI of a file outside the root
(SARIF2016: there is no relative path to give).

`partialFingerprints` hashes rule id, file, JSON pointer and message (not the line), plus
the occurrence number among identical findings, so an alert keeps its identity when lines
above it move, and two identical findings stay two alerts.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from swaggertools import project
from swaggertools.findings.model import (
    HELP_BASE,
    LOAD_ERROR,
    LOAD_ERROR_EXPLAIN,
    LOAD_ERROR_SUMMARY,
    CheckInfo,
    FileResult,
    LintRun,
)
from swaggertools.model import Finding, Severity

from .common import dump_json, finding_file, relative_path

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "swaggertools/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RST_LITERAL = re.compile(r"::$", re.MULTILINE)
_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+\Z")


def _rule_name(rule_id: str) -> str:
    """`unmatched-rule` → `UnmatchedRule` (SARIF wants an identifier-like name, not a sentence)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id))


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def _absolute_help(uri: str, home: str | None) -> str | None:
    """`uri` when absolute; a repository-relative one on the project repository; else None."""
    if _ABSOLUTE_URI.match(uri):
        return uri
    return project.source_url(uri, home)


def _descriptor(check: CheckInfo, home: str | None) -> dict[str, Any]:
    explain = check.explain.strip() or check.summary
    # The docstrings use reStructuredText's "Failing::" before an indented example; in
    # Markdown the indented block is already code, so only the colon pair has to go.
    markdown = _RST_LITERAL.sub(":", explain)
    absolute = _absolute_help(check.help_uri, home)
    uri = absolute or check.help_uri
    link = f"[Documentation]({uri})" if absolute else f"Documentation: `{uri}`"
    descriptor: dict[str, Any] = {
        "id": check.id,
        "name": _rule_name(check.id),
        "shortDescription": {"text": check.summary},
        "fullDescription": {"text": _first_paragraph(explain) or check.summary},
        "help": {
            "text": f"{explain}\n\nDocumentation: {uri}",
            "markdown": f"{markdown}\n\n{link}",
        },
        "defaultConfiguration": {"level": _LEVEL[check.severity]},
        "properties": {"tags": ["openapi", "swagger"]},
    }
    if absolute:
        # helpUri must be an absolute URI: upload-sarif rejects the whole log otherwise
        # ("does not conform to the uri format"), so a relative one stays in the text only.
        descriptor["helpUri"] = absolute
    return descriptor


_EXTRA_RULES = {LOAD_ERROR: (LOAD_ERROR_SUMMARY, LOAD_ERROR_EXPLAIN)}


def _extra_descriptor(rule_id: str, severity: Severity, home: str | None) -> dict[str, Any]:
    """A descriptor for a rule id that is not an enabled check (e.g. `load-error`)."""
    summary, explain = _EXTRA_RULES.get(
        rule_id, (f"swaggertools finding {rule_id}.", f"Reported by swaggertools as {rule_id}.")
    )
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explain},
        "help": {"text": explain, "markdown": explain},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"tags": ["openapi", "swagger"]},
    }
    # docs/checks.md has a section for load-error and for every check, and the other
    # ids that reach here are checks' ids (a finding of a check not enabled in this run).
    help_uri = project.source_url(f"{HELP_BASE}#{rule_id}", home)
    if help_uri is not None:
        descriptor["helpUri"] = help_uri
    return descriptor


def _rules(run: LintRun, home: str | None) -> tuple[list[dict[str, Any]], dict[str, int]]:
    descriptors = [_descriptor(c, home) for c in run.checks]
    extra: dict[str, Severity] = {}
    known = {c.id for c in run.checks}
    for finding in run.findings():
        if finding.rule not in known and finding.rule not in extra:
            extra[finding.rule] = finding.severity
    descriptors += [_extra_descriptor(rule, extra[rule], home) for rule in sorted(extra)]
    return descriptors, {d["id"]: i for i, d in enumerate(descriptors)}


def _artifact_location(run: LintRun, path: str) -> dict[str, Any]:
    relative = relative_path(run, path)
    if relative is None:
        # Outside the root there is no relative URI GitHub could map: say where it is.
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _identity(finding: Finding, uri: str) -> str:
    """What makes two findings the same alert: everything but the line and column."""
    return "\0".join((finding.rule, uri, finding.pointer or "", finding.message))


def _fingerprint(identity: str, occurrence: int) -> str:
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest}:{occurrence}"


def _message(finding: Finding) -> str:
    if finding.line is None and finding.pointer:
        return f"{finding.message} (at {finding.pointer})"
    return finding.message


class _Builder:
    """Collects artifacts and results in file order (indexes are positions, so order matters)."""

    def __init__(self, run: LintRun, rule_index: dict[str, int]) -> None:
        self.run = run
        self.rule_index = rule_index
        self.artifacts: list[dict[str, Any]] = []
        self.artifact_index: dict[str, int] = {}
        self.results: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}

    def location(self, path: str) -> dict[str, Any]:
        artifact = _artifact_location(self.run, path)
        uri = artifact["uri"]
        if uri not in self.artifact_index:
            self.artifact_index[uri] = len(self.artifacts)
            self.artifacts.append({"location": dict(artifact), "roles": ["analysisTarget"]})
        return {**artifact, "index": self.artifact_index[uri]}

    def add(self, result: FileResult, finding: Finding) -> None:
        artifact = self.location(finding_file(result, finding))
        # Line 1 stands for the whole file: a region without a line is not one (SARIF2017).
        region = {"startLine": finding.line if finding.line is not None else 1}
        if finding.line is not None and finding.column is not None:
            region["startColumn"] = finding.column
        physical: dict[str, Any] = {"artifactLocation": artifact, "region": region}
        identity = _identity(finding, artifact["uri"])
        occurrence = self.seen.get(identity, 0) + 1
        self.seen[identity] = occurrence
        entry: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": self.rule_index[finding.rule],
            "level": _LEVEL[finding.severity],
            "message": {"text": _message(finding)},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(identity, occurrence)},
        }
        if finding.pointer:
            entry["properties"] = {"jsonPointer": finding.pointer}
        self.results.append(entry)
        if finding.rule == LOAD_ERROR:
            # A file that could not be read is both an alert (GitHub shows results, and a
            # red check is what makes someone fix the file) and, per SARIF, a tool
            # execution notification: "this target was not analysed". The notification
            # alone would be easy to miss, since code scanning does not list it as an alert.
            self.notifications.append(
                {
                    "descriptor": {"id": LOAD_ERROR},
                    "level": "error",
                    "message": {"text": finding.message},
                    "locations": [{"physicalLocation": physical}],
                }
            )


def as_dict(run: LintRun) -> dict[str, Any]:
    """The SARIF log as a JSON-compatible dict."""
    home = project.homepage()
    rules, rule_index = _rules(run, home)
    builder = _Builder(run, rule_index)
    for result in run.files:
        builder.location(result.path)
        for finding in result.findings:
            builder.add(result, finding)
    invocation: dict[str, Any] = {
        "executionSuccessful": run.exit_code < 2,
        "exitCode": run.exit_code,
    }
    if builder.notifications:
        invocation["toolExecutionNotifications"] = builder.notifications
    driver: dict[str, Any] = {"name": "swaggertools", "version": run.tool_version}
    if home is not None:
        driver["informationUri"] = home
    driver["rules"] = rules
    sarif_run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        # The root is left unnamed on purpose: an absolute folder would make the log
        # differ between machines; consumers resolve %SRCROOT% to the checkout.
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": f"The folder swaggertools {run.command} took relative paths from "
                    "(the repository root)."
                }
            }
        },
        "artifacts": builder.artifacts,
        "results": builder.results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


def render(run: LintRun, *, color: bool = False) -> str:
    """Render the run as a SARIF 2.1.0 log (indented JSON); `color` is ignored."""
    return dump_json(as_dict(run))

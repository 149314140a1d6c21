"""SARIF 2.1.0 for GitHub code scanning (`upload-sarif`) and Azure DevOps.

One run; `tool.driver.rules` describes every enabled check, then a descriptor for each
other rule id that produced a finding (`load-error`, or a check's finding that survived a
configuration change), so every result has a `ruleId` and a `ruleIndex` that resolve.

Locations: GitHub needs at least one location per result, with a URI relative to the
repository root, so every result points at its file: `artifactLocation.uri` is the path
relative to `run.root` (forward slashes, percent-encoded per RFC 3986) against the base
`%SRCROOT%`; a file outside the root gets an absolute `file:` URI instead. `region`
(startLine, startColumn in Unicode code points) is there only when the line is known;
without it GitHub shows the alert at file level, and the message names the JSON pointer.

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

from swaggertools.lint.model import LOAD_ERROR, CheckInfo, FileResult, LintRun
from swaggertools.model import Finding, Severity

from ._common import dump_json, finding_file, relative_path

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


def _descriptor(check: CheckInfo) -> dict[str, Any]:
    explain = check.explain.strip() or check.summary
    # The docstrings use reStructuredText's "Failing::" before an indented example; in
    # Markdown the indented block is already code, so only the colon pair has to go.
    markdown = _RST_LITERAL.sub(":", explain)
    uri = check.help_uri
    absolute = _ABSOLUTE_URI.match(uri) is not None
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
        descriptor["helpUri"] = uri
    return descriptor


_EXTRA_RULES = {
    LOAD_ERROR: (
        "The file could not be linted.",
        "It could not be read or parsed, or it is not a Swagger 2.0 / OpenAPI 3.x document: "
        "fix what the message names (encoding, syntax, duplicate keys, version field). No "
        "check ran on this file.",
    ),
}


def _extra_descriptor(rule_id: str, severity: Severity) -> dict[str, Any]:
    """A descriptor for a rule id that is not an enabled check (e.g. `load-error`)."""
    summary, explain = _EXTRA_RULES.get(
        rule_id, (f"swaggertools finding {rule_id}.", f"Reported by swaggertools as {rule_id}.")
    )
    return {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explain},
        "help": {"text": explain, "markdown": explain},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"tags": ["openapi", "swagger"]},
    }


def _rules(run: LintRun) -> tuple[list[dict[str, Any]], dict[str, int]]:
    descriptors = [_descriptor(c) for c in run.checks]
    extra: dict[str, Severity] = {}
    known = {c.id for c in run.checks}
    for finding in run.findings():
        if finding.rule not in known and finding.rule not in extra:
            extra[finding.rule] = finding.severity
    descriptors += [_extra_descriptor(rule, extra[rule]) for rule in sorted(extra)]
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
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if finding.line is not None:
            region = {"startLine": finding.line}
            if finding.column is not None:
                region["startColumn"] = finding.column
            physical["region"] = region
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
    rules, rule_index = _rules(run)
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
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "swaggertools",
                "version": run.tool_version,
                # no informationUri: the project has no published home page to point at
                "rules": rules,
            }
        },
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

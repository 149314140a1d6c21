"""The report: one data model for every rendering.

Rendered as JSON (schema in `schemas/report.schema.json`) and Markdown (`report_md.py`),
and summarised on the terminal by the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import JSON, Finding, Operation, Severity
from .rules import RuleMatch, RuleSet

REPORT_FORMAT_VERSION = 1


@dataclass
class Report:
    """Everything a `clean` run did, in the order the report presents it.

    Every field is JSON-compatible; `as_dict` fixes the key order of the JSON report.
    Only `timings_ms` differs between two runs on the same input.
    """

    tool: dict[str, JSON]
    input: dict[str, JSON]
    options: dict[str, JSON]
    rule_sets: list[dict[str, JSON]]
    rules: list[dict[str, JSON]]
    removed_operations: list[dict[str, JSON]]
    removed_paths: list[str]
    unmatched_rules: list[dict[str, JSON]]
    ambiguous_rules: list[dict[str, JSON]]
    pruned: list[dict[str, JSON]]
    security: dict[str, JSON]
    validation: dict[str, JSON]
    outputs: list[dict[str, JSON]] = field(default_factory=list)
    findings: list[dict[str, JSON]] = field(default_factory=list)
    summary: dict[str, JSON] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, JSON]:
        """The JSON report (format version 1)."""
        return {
            "report_format": REPORT_FORMAT_VERSION,
            "tool": self.tool,
            "input": self.input,
            "options": self.options,
            "rule_sets": self.rule_sets,
            "rules": self.rules,
            "removed_operations": self.removed_operations,
            "removed_paths": self.removed_paths,
            "unmatched_rules": self.unmatched_rules,
            "ambiguous_rules": self.ambiguous_rules,
            "pruned": self.pruned,
            "security": self.security,
            "validation": self.validation,
            "outputs": self.outputs,
            "findings": self.findings,
            "summary": self.summary,
            "timings_ms": self.timings_ms,
        }


def op_record(op: Operation) -> dict[str, JSON]:
    """How an operation appears in the report."""
    return {
        "method": op.method.upper(),
        "path": op.path,
        "operationId": op.operation_id,
        "pointer": op.pointer,
    }


def ruleset_record(rs: RuleSet) -> dict[str, JSON]:
    """How a rule set appears in the report."""
    return {
        "name": rs.name,
        "version": rs.version,
        "mes_release": rs.mes_release,
        "source": rs.source,
        "complete": rs.complete,
        "identify": rs.identify,
        "file": rs.file,
        "sha256": rs.sha256,
        "rules": len(rs.rules),
    }


def rule_record(match: RuleMatch, *, removed: bool) -> dict[str, JSON]:
    """One rule's outcome: status, strategy and the operations it matched."""
    rule = match.rule
    return {
        "id": rule.id,
        "ruleset": rule.ruleset,
        "target": {"kind": rule.kind, "value": rule.target, "methods": list(rule.methods or [])},
        "reason": rule.reason,
        "replacement": rule.replacement,
        "status": match.status,
        "strategy": match.strategy,
        "removed": removed,
        "operations": [op_record(op) for op in match.operations],
        "file": rule.file,
        "line": rule.line,
    }


def finding_records(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings as records, most serious first, then by file position."""
    ordered = sorted(
        findings,
        key=lambda f: (-f.severity.rank, f.file or "", f.line or 0, f.pointer or "", f.message),
    )
    return [f.as_record() for f in ordered]


def count_errors(findings: list[Finding]) -> int:
    """Number of error-level findings."""
    return sum(1 for f in findings if f.severity is Severity.ERROR)

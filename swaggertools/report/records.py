"""The report's records: one TypedDict per section, whose fields are the report's keys.

Field order is the order of the keys in the JSON report (`schemas/report.schema.json`);
the builders in `build.py` fill them in that order. `JSON` marks values copied from the
input as they were written (a security requirement, an info title that may be a number).
"""

from __future__ import annotations

from typing import TypeAlias, TypedDict

from swaggertools.model import JSON, Finding, FindingRecord, Operation, Severity
from swaggertools.rules import RuleMatch, RuleSet


class ToolRecord(TypedDict):
    """The program that wrote the report."""

    name: str
    version: str


class InputRecord(TypedDict):
    """The input spec as read."""

    path: str
    sha256: str
    size: int
    format: str
    encoding: str
    line_endings: str
    spec_version: str
    title: JSON
    api_version: JSON
    operations: int
    paths: int
    components: int


class OptionsRecord(TypedDict):
    """The cleaning options in effect."""

    auth: str
    authority: str | None
    identify: str
    method_extension: str
    allow_ambiguous: bool
    replace_security: bool
    document_auth_errors: bool
    strict: bool
    format: str


class RuleSetRecord(TypedDict):
    """A rule set that was applied."""

    name: str
    version: str
    mes_release: str | None
    source: str | None
    complete: bool | None
    identify: str
    file: str
    sha256: str
    rules: int


class OperationRecord(TypedDict):
    """How an operation appears in the report."""

    method: str
    path: str
    operationId: str | None
    pointer: str


class TargetRecord(TypedDict):
    """What a rule aims at."""

    kind: str
    value: str
    methods: list[str]


class RuleRecord(TypedDict):
    """One rule's outcome: status, strategy and the operations it matched."""

    id: str
    ruleset: str
    target: TargetRecord
    reason: str
    replacement: str | None
    status: str
    strategy: str | None
    removed: bool
    operations: list[OperationRecord]
    file: str
    line: int | None


class RemovedOperationRecord(TypedDict):
    """An operation the rules removed, and the rule that did."""

    method: str
    path: str
    operationId: str | None
    pointer: str
    mes_method: str | None
    rule: str
    ruleset: str
    target: str
    strategy: str | None
    reason: str
    replacement: str | None


class UnmatchedRuleRecord(TypedDict):
    """A rule that matched no operation."""

    rule: str
    ruleset: str
    kind: str
    target: str
    reason: str
    file: str
    line: int | None


class AmbiguousRuleRecord(TypedDict):
    """A rule that matched more than one operation."""

    rule: str
    ruleset: str
    target: str
    strategy: str | None
    candidates: list[OperationRecord]
    removed: bool


class PrunedRecord(TypedDict):
    """Something pruned from the document, and why."""

    pointer: str
    kind: str
    name: str | None
    cause: str


class SecurityVariantRecord(TypedDict):
    """What the security stage did to one output."""

    variant: str
    schemes: list[str]
    file: str
    global_security_replaced: JSON
    operation_overrides: list[str]
    overrides_replaced: bool
    dropped_schemes: list[str | None]
    auth_error_responses_added: int


class SecurityRecord(TypedDict):
    """The security section: the mode, the authority, each output."""

    mode: str
    authority: str | None
    variants: list[SecurityVariantRecord]


ValidationErrorRecord: TypeAlias = FindingRecord
"""An error a validator reported: the finding record shape, as in `findings`."""


class InputValidationRecord(TypedDict):
    """Validation of the input (errors only: warnings are in `findings`)."""

    checked: bool
    valid: bool
    errors: list[ValidationErrorRecord]


class OutputValidationRecord(TypedDict):
    """Validation of one output."""

    variant: str
    valid: bool
    errors: list[ValidationErrorRecord]


class ValidationRecord(TypedDict):
    """The validation section."""

    validator: str
    input: InputValidationRecord
    outputs: list[OutputValidationRecord]


class OutputRecord(TypedDict):
    """A spec file written."""

    variant: str
    path: str
    format: str
    operations: int
    sha256: str


class SummaryRecord(TypedDict):
    """The run in numbers."""

    result: str
    exit_code: int
    operations_in: int
    operations_out: int
    removed_operations: int
    removed_paths: int
    pruned: int
    unmatched_rules: int
    ambiguous_rules: int
    input_valid: bool
    outputs_valid: bool
    errors: int
    warnings: int


def op_record(op: Operation) -> OperationRecord:
    """How an operation appears in the report."""
    return {
        "method": op.method.upper(),
        "path": op.path,
        "operationId": op.operation_id,
        "pointer": op.pointer,
    }


def ruleset_record(rs: RuleSet) -> RuleSetRecord:
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


def rule_record(match: RuleMatch, *, removed: bool) -> RuleRecord:
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


def finding_records(findings: list[Finding]) -> list[FindingRecord]:
    """Findings as records, most serious first, then by file position."""
    ordered = sorted(
        findings,
        key=lambda f: (-f.severity.rank, f.file or "", f.line or 0, f.pointer or "", f.message),
    )
    return [f.as_record() for f in ordered]


def count_errors(findings: list[Finding]) -> int:
    """Number of error-level findings."""
    return sum(1 for f in findings if f.severity is Severity.ERROR)

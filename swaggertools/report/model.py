"""The report of a `clean` run: its sections, in the order the JSON report presents them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from swaggertools.model import FindingRecord

from .records import (
    AmbiguousRuleRecord,
    InputRecord,
    OptionsRecord,
    OutputRecord,
    PrunedRecord,
    RemovedOperationRecord,
    RuleRecord,
    RuleSetRecord,
    SecurityRecord,
    SummaryRecord,
    ToolRecord,
    UnmatchedRuleRecord,
    ValidationRecord,
)

REPORT_FORMAT_VERSION = 1


@dataclass
class Report:
    """Everything a `clean` run did, in the order the report presents it.

    Every field is JSON-compatible; `as_dict` fixes the key order of the JSON report.
    Only `timings_ms` differs between two runs on the same input.
    """

    tool: ToolRecord
    input: InputRecord
    options: OptionsRecord
    rule_sets: list[RuleSetRecord]
    rules: list[RuleRecord]
    removed_operations: list[RemovedOperationRecord]
    removed_paths: list[str]
    unmatched_rules: list[UnmatchedRuleRecord]
    ambiguous_rules: list[AmbiguousRuleRecord]
    pruned: list[PrunedRecord]
    security: SecurityRecord
    validation: ValidationRecord
    outputs: list[OutputRecord]
    findings: list[FindingRecord]
    summary: SummaryRecord
    timings_ms: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
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

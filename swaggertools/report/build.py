"""The report built from the typed results of `clean`'s stages, in one call.

`pipeline.clean` runs the stages and hands their results over as `CleanStages`;
`build_report` turns them into the report's records (`records.py`), section by section.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swaggertools.errors import EXIT_OK
from swaggertools.load import Source
from swaggertools.model import CleanOptions, Finding, Operation, OutputFormat, Severity
from swaggertools.project import __version__
from swaggertools.prune import PruneResult
from swaggertools.rules import RuleMatch, RuleSet, mes_method_name
from swaggertools.security import SecurityOutcome
from swaggertools.versions import SpecVersion

from .model import Report
from .records import (
    AmbiguousRuleRecord,
    InputRecord,
    OptionsRecord,
    OutputRecord,
    RemovedOperationRecord,
    SecurityRecord,
    SummaryRecord,
    UnmatchedRuleRecord,
    ValidationRecord,
    count_errors,
    finding_records,
    op_record,
    rule_record,
    ruleset_record,
)


@dataclass
class CleanStages:
    """What `clean`'s stages produced, as the report needs it."""

    source: Source
    version: SpecVersion
    doc: dict[str, Any]
    """The input document (its `info` and `paths`)."""
    operations_in: int
    components_in: int
    options: CleanOptions
    authority: str | None
    format: OutputFormat
    rulesets: list[RuleSet]
    matches: list[RuleMatch]
    chosen: dict[str, tuple[Operation, RuleMatch]]
    """The operations removed (by pointer), each with the rule that selected it."""
    pruned: PruneResult
    outcomes: list[SecurityOutcome]
    paths: dict[str, Path]
    """Where each output variant goes."""
    validator: str
    input_findings: list[Finding]
    """The input's validation findings, located."""
    output_findings: dict[str, list[Finding]]
    output_counts: dict[str, int]
    """Operations per output variant."""
    spec_bytes: dict[str, bytes]
    """The outputs as written (empty when one did not validate)."""
    findings: list[Finding]
    """Every finding of the run."""
    exit_code: int


def build_report(stages: CleanStages, timings: dict[str, float]) -> Report:
    """The report of a `clean` run, from its stages' results and their timings."""
    s = stages
    matches = s.matches
    pruned = [
        {"pointer": p.pointer, "kind": p.kind, "name": p.name, "cause": p.cause}
        for p in [*s.pruned.pruned, *(p for o in s.outcomes for p in o.pruned)]
    ]
    unmatched = [_unmatched(m) for m in matches if m.status == "unmatched"]
    ambiguous = [
        _ambiguous(m, s.options.allow_ambiguous) for m in matches if m.status == "ambiguous"
    ]
    return Report(
        tool={"name": "swaggertools", "version": __version__},
        input=_input(s),
        options=_options(s),
        rule_sets=[ruleset_record(rs) for rs in s.rulesets],
        rules=[
            rule_record(
                m,
                removed=m.status == "matched"
                or (m.status == "ambiguous" and s.options.allow_ambiguous),
            )
            for m in matches
        ],
        removed_operations=[_removed(op, match) for op, match in s.chosen.values()],
        removed_paths=list(s.pruned.removed_paths),
        unmatched_rules=unmatched,
        ambiguous_rules=ambiguous,
        pruned=pruned,  # type: ignore[arg-type]  # PrunedRecord: the same keys
        security=_security(s),
        validation=_validation(s),
        outputs=_outputs(s),
        findings=finding_records(s.findings),
        summary=_summary(s, len(pruned), len(unmatched), len(ambiguous)),
        timings_ms=dict(timings),
    )


def _input(s: CleanStages) -> InputRecord:
    source, doc = s.source, s.doc
    return {
        "path": source.path,
        "sha256": source.sha256,
        "size": source.size,
        "format": source.format,
        "encoding": source.encoding,
        "line_endings": "crlf" if source.crlf else "lf",
        "spec_version": s.version.declared,
        "title": _info(doc, "title"),
        "api_version": _info(doc, "version"),
        "operations": s.operations_in,
        "paths": len(doc.get("paths") or {}) if isinstance(doc.get("paths"), dict) else 0,
        "components": s.components_in,
    }


def _options(s: CleanStages) -> OptionsRecord:
    opts = s.options
    return {
        "auth": opts.auth,
        "authority": s.authority,
        "identify": opts.identify or "from rule sets",
        "method_extension": opts.method_extension,
        "allow_ambiguous": opts.allow_ambiguous,
        "replace_security": opts.replace_security,
        "document_auth_errors": opts.document_auth_errors,
        "strict": opts.strict,
        "format": s.format,
    }


def _removed(op: Operation, match: RuleMatch) -> RemovedOperationRecord:
    return {
        **op_record(op),
        "mes_method": mes_method_name(op, match),
        "rule": match.rule.id,
        "ruleset": match.rule.ruleset,
        "target": match.rule.target,
        "strategy": match.strategy,
        "reason": match.rule.reason,
        "replacement": match.rule.replacement,
    }


def _unmatched(m: RuleMatch) -> UnmatchedRuleRecord:
    return {
        "rule": m.rule.id,
        "ruleset": m.rule.ruleset,
        "kind": m.rule.kind,
        "target": m.rule.target,
        "reason": m.rule.reason,
        "file": m.rule.file,
        "line": m.rule.line,
    }


def _ambiguous(m: RuleMatch, allow_ambiguous: bool) -> AmbiguousRuleRecord:
    return {
        "rule": m.rule.id,
        "ruleset": m.rule.ruleset,
        "target": m.rule.target,
        "strategy": m.strategy,
        "candidates": [op_record(op) for op in m.operations],
        "removed": allow_ambiguous,
    }


def _security(s: CleanStages) -> SecurityRecord:
    return {
        "mode": s.options.auth,
        "authority": s.authority,
        "variants": [
            {
                "variant": o.variant,
                "schemes": o.schemes,
                "file": str(s.paths[o.variant]),
                "global_security_replaced": o.previous_global,
                "operation_overrides": o.operation_overrides,
                "overrides_replaced": o.overrides_replaced,
                "dropped_schemes": [p.name for p in o.pruned],
                "auth_error_responses_added": o.auth_errors_added,
            }
            for o in s.outcomes
        ],
    }


def _validation(s: CleanStages) -> ValidationRecord:
    return {
        "validator": s.validator,
        "input": {
            "checked": s.options.validate_input,
            "valid": count_errors(s.input_findings) == 0,
            # warnings (discriminator mappings that point nowhere) are in `findings`
            "errors": finding_records(
                [f for f in s.input_findings if f.severity is Severity.ERROR]
            ),
        },
        "outputs": [
            {"variant": v, "valid": count_errors(f) == 0, "errors": finding_records(f)}
            for v, f in s.output_findings.items()
        ],
    }


def _outputs(s: CleanStages) -> list[OutputRecord]:
    return [
        {
            "variant": variant,
            "path": str(s.paths[variant]),
            "format": s.format,
            "operations": s.output_counts[variant],
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        for variant, data in s.spec_bytes.items()
    ]


def _summary(s: CleanStages, pruned: int, unmatched: int, ambiguous: int) -> SummaryRecord:
    findings = s.findings
    return {
        "result": "ok" if s.exit_code == EXIT_OK else "failed",
        "exit_code": s.exit_code,
        "operations_in": s.operations_in,
        "operations_out": min(s.output_counts.values()) if s.output_counts else 0,
        "removed_operations": len(s.chosen),
        "removed_paths": len(s.pruned.removed_paths),
        "pruned": pruned,
        "unmatched_rules": unmatched,
        "ambiguous_rules": ambiguous,
        "input_valid": count_errors(s.input_findings) == 0,
        "outputs_valid": all(count_errors(f) == 0 for f in s.output_findings.values()),
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
    }


def _info(doc: dict[str, Any], key: str) -> Any:
    info = doc.get("info")
    value = info.get(key) if isinstance(info, dict) else None
    return value if isinstance(value, (str, int, float)) else None

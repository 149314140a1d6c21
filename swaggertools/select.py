"""Selection: the operations the rules remove, and what the rules' outcomes say as findings."""

from __future__ import annotations

from .model import Finding, Operation, Severity
from .rules import RuleMatch


def select_operations(
    matches: list[RuleMatch], allow_ambiguous: bool
) -> dict[str, tuple[Operation, RuleMatch]]:
    """Operations to remove, each with the first rule that selected it."""
    chosen: dict[str, tuple[Operation, RuleMatch]] = {}
    for match in matches:
        if match.status == "matched" or (match.status == "ambiguous" and allow_ambiguous):
            for op in match.operations:
                chosen.setdefault(op.pointer, (op, match))
    return chosen


def rule_findings(matches: list[RuleMatch], strict: bool) -> list[Finding]:
    """Unmatched and ambiguous rules as findings (errors under --strict, else warnings)."""
    severity = Severity.ERROR if strict else Severity.WARNING
    result = []
    for m in matches:
        if m.status == "unmatched":
            result.append(
                Finding(
                    "unmatched-rule",
                    severity,
                    f"rule {m.rule.id} ({m.rule.describe()}) matched no operation",
                    m.rule.file,
                    m.rule.pointer,
                    m.rule.line,
                )
            )
        elif m.status == "ambiguous":
            where = "; ".join(f"{op.method.upper()} {op.path}" for op in m.operations)
            result.append(
                Finding(
                    "ambiguous-rule",
                    severity,
                    f"rule {m.rule.id} ({m.rule.describe()}) matched {len(m.operations)} "
                    f"operations by {m.strategy}: {where}",
                    m.rule.file,
                    m.rule.pointer,
                    m.rule.line,
                )
            )
    return result

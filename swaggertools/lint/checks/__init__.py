"""The lint checks: one small module each, registered here by id.

A check module has `ID`, `SEVERITY`, `SUMMARY`, a docstring with what it looks for and a
failing and a passing example (`swaggertools lint --explain ID` prints it), and a
`check(ctx)` function yielding `(pointer, message)` hits. The engine turns hits into
findings with file, line and column, so checks never deal with locations.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from swaggertools.lint.context import Hit, LintContext
from swaggertools.lint.model import CheckInfo
from swaggertools.model import Severity

from . import (
    ambiguous_rule,
    duplicate_operation_id,
    excluded_operation,
    input_note,
    invalid_spec,
    missing_operation_id,
    missing_security,
    unmatched_rule,
    unresolved_ref,
    untagged_operation,
    unused_component,
)

HELP_BASE = "https://github.com/swaggertools/swaggertools/blob/main/docs/checks.md"
"""Where `docs/checks.md` (generated from these docstrings) is published."""


@dataclass(frozen=True)
class Check:
    """A registered check."""

    id: str
    severity: Severity
    summary: str
    explain: str
    run: Callable[[LintContext], Iterable[Hit]]
    uses_rules: bool
    """True when the check needs the rule sets (so they are loaded only when needed)."""

    def info(self) -> CheckInfo:
        """The check as the output formats describe it."""
        return CheckInfo(
            self.id, self.severity, self.summary, self.explain, f"{HELP_BASE}#{self.id}"
        )


def _register(module: ModuleType) -> Check:
    return Check(
        id=module.ID,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        explain=inspect.cleandoc(module.__doc__ or ""),
        run=module.check,
        uses_rules=getattr(module, "USES_RULES", False),
    )


CHECKS: dict[str, Check] = {
    c.id: c
    for c in sorted(
        (
            _register(m)
            for m in (
                ambiguous_rule,
                duplicate_operation_id,
                excluded_operation,
                input_note,
                invalid_spec,
                missing_operation_id,
                missing_security,
                unmatched_rule,
                unresolved_ref,
                untagged_operation,
                unused_component,
            )
        ),
        key=lambda c: c.id,
    )
}
"""Every check by id, in id order."""

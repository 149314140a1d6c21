"""The lint checks: one small module each, registered here by id.

A check module has `ID`, `SEVERITY`, `SUMMARY`, a docstring with what it looks for and a
failing and a passing example (`swaggertools lint --explain ID` prints it), and a
`check(ctx)` function yielding `(pointer, message)` hits. The engine turns hits into
findings with file, line and column, so checks never deal with locations; the one
exception is a hit in a file the spec bundles (`context.Elsewhere`), located there.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from swaggertools.docstrings import literal_blocks_as_code
from swaggertools.findings.model import (
    HELP_BASE,
    LOAD_ERROR,
    LOAD_ERROR_EXPLAIN,
    LOAD_ERROR_SUMMARY,
    CheckInfo,
)
from swaggertools.lint.context import Hit, LintContext
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
    unresolved_mapping,
    unresolved_ref,
    untagged_operation,
    unused_component,
)


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
                unresolved_mapping,
                unresolved_ref,
                untagged_operation,
                unused_component,
            )
        ),
        key=lambda c: c.id,
    )
}
"""Every check by id, in id order."""


def reference_markdown() -> str:
    """`docs/checks.md`: every check with its id, severity and explanation (generated)."""
    lines = [
        "# swaggertools lint checks",
        "",
        "<!-- generated from the check modules' docstrings by `make docs`; do not edit -->",
        "",
        "| Check | Default severity | Summary |",
        "|---|---|---|",
    ]
    lines += [
        f"| [`{c.id}`](#{c.id}) | {c.severity.value} | {c.summary} |" for c in CHECKS.values()
    ]
    for check in CHECKS.values():
        lines += ["", f"## {check.id}", "", f"Default severity: **{check.severity.value}**.", ""]
        lines += [literal_blocks_as_code(check.explain)]
    # Not a check, but a rule id in every output format (and SARIF links here for it).
    lines += ["", f"## {LOAD_ERROR}", "", "Severity: **error** (not a check; always on).", ""]
    lines += [f"{LOAD_ERROR_SUMMARY} {LOAD_ERROR_EXPLAIN}"]
    return "\n".join(lines) + "\n"

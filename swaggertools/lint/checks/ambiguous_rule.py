"""A rule matched several operations by a non-glob target, so `clean` removes none of them.

Failing: a rule `method: FactMES.API.Core.Item.Get` in a file where two operations
normalise to that name (`Core_Item_Get` and `coreItemGet`), or a rule `operationId: GetItem`
in a file where two operations share that operationId.

Passing: the rule names one operation (use `path` + `methods`, or a glob on purpose).
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "ambiguous-rule"
SEVERITY = Severity.WARNING
SUMMARY = "A rule matched several operations; clean removes none of them without --allow-ambiguous."
USES_RULES = True


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per ambiguous rule, at its first candidate operation."""
    for match in ctx.matches:
        if match.status == "ambiguous" and match.operations:
            rule = match.rule
            where = "; ".join(f"{op.method.upper()} {op.path}" for op in match.operations)
            yield (
                match.operations[0].pointer,
                f"rule {rule.id} ({rule.describe()}) matched {len(match.operations)} operations "
                f"by {match.strategy}: {where}",
            )

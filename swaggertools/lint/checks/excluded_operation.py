"""An operation that a rule set excludes is still in the file.

MES documents "Web API exceptions": methods that cannot work from Work Tasks, and methods
a newer endpoint replaces. `swaggertools clean` removes them; this check fails a file that
still offers one, and names the rule, the reason and the replacement endpoint.

Failing (rule `method: FactMES.API.Core.AttrSet.Add`, reason no-web-endpoint)::

    paths:
      /FactMES.API.Core.AttrSet.Add:
        post: {operationId: FactMES_API_Core_AttrSet_Add, ...}

Passing: the operation is absent (run `swaggertools clean`), or no rule names it.
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "excluded-operation"
SEVERITY = Severity.ERROR
SUMMARY = "An operation that a rule set excludes (MES Web API exception) is present."
USES_RULES = True

_REASONS = {
    "no-web-endpoint": "the MES method has no usable Web API endpoint for Work Tasks",
    "replaced": "a newer Web API endpoint replaces it",
}


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per operation a rule matched unambiguously."""
    for match in ctx.matches:
        if match.status != "matched":
            continue
        rule = match.rule
        reason = _REASONS.get(rule.reason, rule.reason)
        instead = f"; use {rule.replacement} instead" if rule.replacement else ""
        for op in match.operations:
            op_id = f" ({op.operation_id})" if op.operation_id else ""
            yield (
                op.pointer,
                f"{op.method.upper()} {op.path}{op_id} is excluded by {rule.ruleset} rule "
                f"{rule.id} ({rule.describe()}): {reason}{instead}",
            )

"""A rule matched no operation in this file.

Usually a typo in a site rule file, or a file whose operation names differ from what the
rule set expects (check `identify` and `--method-extension`). Expected on files that
`swaggertools clean` already cleaned: ignore it there (`--ignore unmatched-rule`).

Failing: a rule `method: FactMES.API.Core.AttrSet.Ad` (typo) against any MES file.

Passing: every rule names an operation that exists in the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "unmatched-rule"
SEVERITY = Severity.WARNING
SUMMARY = "A rule of the rule sets matched no operation in this file."
USES_RULES = True


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per unmatched rule, at the document root; the message names the rule file."""
    for match in ctx.matches:
        if match.status == "unmatched":
            rule = match.rule
            where = f"{rule.file}:{rule.line}" if rule.line else rule.file
            yield None, f"rule {rule.id} ({rule.describe()}, {where}) matched no operation"

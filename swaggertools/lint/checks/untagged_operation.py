"""An operation has no tag.

Work Tasks groups the operations of a Web API definition by tag; an untagged operation
lands in a catch-all group that is hard to find among thousands of MES methods.

Failing::

    /items: {get: {operationId: ListItems, responses: {...}}}

Passing::

    /items: {get: {operationId: ListItems, tags: [Items], responses: {...}}}
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "untagged-operation"
SEVERITY = Severity.WARNING
SUMMARY = "An operation has no tag (Work Tasks groups operations by tag)."


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per operation without tags."""
    for op in ctx.index.operations:
        if not op.tags:
            name = op.operation_id or f"{op.method.upper()} {op.path}"
            yield op.pointer, f"{name} has no tag"

"""An operation has no operationId.

Work Tasks keys the operations of a Web API definition by operationId; without one the
operation gets a generated name that changes when the file changes.

Failing::

    /items: {get: {responses: {...}}}

Passing::

    /items: {get: {operationId: ListItems, responses: {...}}}
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "missing-operation-id"
SEVERITY = Severity.WARNING
SUMMARY = "An operation has no operationId (Work Tasks keys operations by operationId)."


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per operation without a non-empty operationId."""
    for op in ctx.index.operations:
        if not op.operation_id:
            yield op.pointer, f"{op.method.upper()} {op.path} has no operationId"

"""Two operations share an operationId.

Work Tasks keys imported operations by operationId, and rules that name an operationId
cannot tell the two apart.

Failing::

    /a: {get: {operationId: GetItem, ...}}
    /b: {get: {operationId: GetItem, ...}}

Passing: every operationId is unique.
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "duplicate-operation-id"
SEVERITY = Severity.ERROR
SUMMARY = "Two or more operations share an operationId."


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per duplicated operation (the index and the validator may both see it)."""
    seen: set[str | None] = set()
    for pointer, message in ctx.validation_hits("duplicate-operation-id"):
        if pointer not in seen:
            seen.add(pointer)
            yield pointer, message

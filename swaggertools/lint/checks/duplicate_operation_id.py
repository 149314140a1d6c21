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

_SUFFIX = "/operationId"


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit per duplicated operation (the index and the validator may both see it)."""
    # The index's hit names the operation that first used the id, so it goes first; the
    # validator's (at the operation or at its operationId) only adds operations it missed.
    own = [(f.pointer, f.message) for f in ctx.index.findings if f.rule == ID]
    seen: set[str | None] = set()
    theirs = [(f.pointer, f.message) for f in ctx.validation if f.rule == ID]
    for pointer, message in [*own, *theirs]:
        operation = pointer[: -len(_SUFFIX)] if pointer and pointer.endswith(_SUFFIX) else pointer
        if operation not in seen:
            seen.add(operation)
            yield pointer, message

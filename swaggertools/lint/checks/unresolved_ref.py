"""A `$ref` (or link `operationRef`) that points to nothing, or only to itself.

Failing::

    schema: {$ref: '#/definitions/Ordr'}     # no definition named Ordr

Passing::

    schema: {$ref: '#/definitions/Order'}
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "unresolved-ref"
SEVERITY = Severity.ERROR
SUMMARY = "A $ref points to nothing (or only to itself)."


def check(ctx: LintContext) -> Iterator[Hit]:
    """The reference findings of validation."""
    yield from ctx.validation_hits("unresolved-ref", "circular-ref")

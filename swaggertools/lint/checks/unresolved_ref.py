"""A `$ref` (or link `operationRef`) that points to nothing, or only to itself.

Nothing there: a local pointer that names nothing, a file inside the spec's folder that
does not exist, or a fragment that file lacks. A ref written in a file the spec bundles
is reported in that file, at its pointer and line. (Refs the `$ref` policy refuses — a
URL, an absolute path, a path outside the folder — stop the run instead: exit 2.)
Discriminator mapping values are `unresolved-mapping`.

Failing::

    order: {$ref: '#/definitions/Ordr'}      # no definition named Ordr
    error: {$ref: 'models/error.yaml'}       # there is no models/error.yaml

Passing::

    order: {$ref: '#/definitions/Order'}
    error: {$ref: 'models/error.yaml'}       # the file exists: bundled
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

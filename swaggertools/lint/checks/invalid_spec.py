"""The file does not validate as Swagger 2.0 / OpenAPI 3.x.

Every validation error is a finding with its JSON pointer and line (not just the first),
from the same validation `clean` and `validate` run. Structural problems found while
indexing (a path item that is not an object, …) are reported here too.

Failing::

    paths:
      /items:
        get:
          responses: {}      # responses must not be empty

Passing::

    paths:
      /items:
        get:
          responses: {"200": {description: OK}}
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "invalid-spec"
SEVERITY = Severity.ERROR
SUMMARY = "The document does not validate against the Swagger/OpenAPI specification."

# Findings the other validation checks own; everything else validation says is ours.
_OTHERS = frozenset(
    {"unresolved-ref", "circular-ref", "unresolved-mapping", "duplicate-operation-id"}
)


def check(ctx: LintContext) -> Iterator[Hit]:
    """Every validation and structure error not owned by a more specific check."""
    for finding in ctx.validation:
        if finding.rule not in _OTHERS and finding.severity is Severity.ERROR:
            yield finding.pointer, finding.message

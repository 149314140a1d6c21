"""A discriminator `mapping` value points to nothing.

A mapping value is a schema name (`Dog`: `#/components/schemas/Dog`) or a reference (it
has a `#` or a `/`: `#/components/schemas/Dog`, `dog.yaml#/Dog`, `models/dog.yaml`).
Reported when the schema, the pointer, the file or the file's fragment does not exist. A
warning, not an error: neither openapi-spec-validator nor swaggertools' validator follows
mappings, so the document still validates; `clean` keeps such a value exactly as written
(it bundles the mapping values whose file exists). Code generators and documentation
tools that do follow mappings will miss the subtype.

Failing::

    discriminator:
      propertyName: type
      mapping:
        dog: 'models/dog.yaml#/Dog'    # there is no models/dog.yaml
        cat: Kat                       # no schema named Kat

Passing::

    discriminator:
      propertyName: type
      mapping:
        dog: '#/components/schemas/Dog'
        cat: Cat
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "unresolved-mapping"
SEVERITY = Severity.WARNING
SUMMARY = "A discriminator mapping value names no schema, file or fragment that exists."


def check(ctx: LintContext) -> Iterator[Hit]:
    """The mapping findings of validation, at the mapping value (or in the file holding it)."""
    yield from ctx.validation_hits("unresolved-mapping")

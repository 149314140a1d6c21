"""A component (definition, schema, parameter, response, …) or security scheme is unused.

Nothing in the paths references it, directly or through other components. `clean`
prunes such components (reported as "already-unused"); on a hand-maintained file they
are usually leftovers.

Failing (Swagger 2.0)::

    definitions:
      Order: {type: object}        # no $ref names it

Passing: some operation references it, e.g. `schema: {$ref: '#/definitions/Order'}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity
from swaggertools.pointer import join
from swaggertools.prune import live_units, reachable

ID = "unused-component"
SEVERITY = Severity.INFO
SUMMARY = "A component or security scheme is not referenced from any path."


def check(ctx: LintContext) -> Iterator[Hit]:
    """Components unreachable from the paths and the document root, then unused schemes."""
    index = ctx.index
    used = reachable(index, live_units(index, (), ()))
    for pointer, kind in index.components.items():
        if pointer not in used:
            name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            yield pointer, f"{kind} component {name!r} is not referenced"
    named = {name for unit in index.units.values() for name in unit.security}
    container = index.version.facts.security_container
    for scheme in index.security_schemes:
        if scheme not in named:
            yield (
                join((*container, scheme)),
                f"security scheme {scheme!r} is not named by any security requirement",
            )

"""The loader had to interpret something the file wrote loosely.

For example an unquoted `swagger: 2.0` in YAML, which is a number: swaggertools reads it
as the string "2.0" the specification wants, and says so.

Failing::

    swagger: 2.0

Passing::

    swagger: "2.0"
"""

from __future__ import annotations

from collections.abc import Iterator

from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity

ID = "input-note"
SEVERITY = Severity.WARNING
SUMMARY = "The loader read a loosely written value in a specific way (e.g. swagger: 2.0)."


def check(ctx: LintContext) -> Iterator[Hit]:
    """The loader's notes, at the version key."""
    for note in ctx.loaded.notes:
        yield "#/swagger" if ctx.version.family == "2.0" else "#/openapi", note

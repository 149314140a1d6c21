"""The loader had to interpret something the file wrote loosely.

For example an unquoted `swagger: 2.0` in YAML, which is a number: swaggertools reads it
as the string "2.0" the specification wants, and says so. Likewise `version: 1.10` (the
YAML number 1.1) is kept as the string "1.10" where the specification needs a string, and
a YAML merge key (`<<: *base`) is expanded into its mapping, with a note at its line.

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
    default = "#/swagger" if ctx.version.family == "2.0" else "#/openapi"
    for note in ctx.loaded.notes:
        # loader notes carry the pointer of the value they are about (else the version key)
        yield getattr(note, "pointer", None) or default, str(note)

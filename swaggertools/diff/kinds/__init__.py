"""The catalogue of change kinds: one module per family, registered here by id.

A family module declares its kinds as classes turned into `ChangeKind`s by `@kind`
(stable `id`, default `level`, `direction`, one-line `summary`, and a docstring saying
what breaks for a caller, with a failing example) and the functions that find them.
`swaggertools diff --explain ID` prints a kind's docstring; `make docs` writes every kind
into `docs/diff-checks.md`.
"""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind
from swaggertools.docstrings import literal_blocks_as_code

from . import drift, operations, parameters, request, response, security, servers

FAMILIES = (operations, parameters, request, response, security, servers, drift)
"""The family modules, in report order."""

KINDS: dict[str, type[ChangeKind]] = {k.id: k for family in FAMILIES for k in family.KINDS}
"""Every change kind by id, in family order."""

HELP_BASE = "docs/diff-checks.md"


def reference_markdown() -> str:
    """`docs/diff-checks.md`: every change kind with id, level, direction and explanation."""
    lines = [
        "# swaggertools diff: change kinds",
        "",
        "<!-- generated from the change kinds' docstrings by `make docs`; do not edit -->",
        "",
        "Levels: `error` breaks a caller, `warning` may, `info` does not. Set other levels per",
        "id under `diff: levels:` in the configuration file (`off` hides a kind).",
        "",
        "| Change | Default level | Direction | Summary |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [`{k.id}`](#{k.id}) | {k.level} | {k.direction} | {k.summary} |" for k in KINDS.values()
    ]
    for k in KINDS.values():
        lines += [
            "",
            f"## {k.id}",
            "",
            f"Default level: **{k.level}**; direction: {k.direction}.",
            "",
        ]
        lines.append(literal_blocks_as_code(k.explain()))
    return "\n".join(lines) + "\n"

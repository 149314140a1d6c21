"""`swaggertools rules list|check`: the shipped rule sets, and checking rule files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from swaggertools.errors import EXIT_ERROR, EXIT_OK, SwaggertoolsError
from swaggertools.rules import check_file, load_ruleset, shipped_rulesets

from .common import fail, report_error, stdout

rules_app = typer.Typer(
    help="List and check rule sets.\n\n"
    "Examples:\n\n"
    "\b\n"
    "  swaggertools rules list\n"
    "  swaggertools rules check rules/site-extra.yaml",
    no_args_is_help=True,
)


@rules_app.command("list")
def rules_list() -> None:
    """List the shipped rule sets (usable by name with --rules).

    Example:

    \b
      swaggertools rules list
    """
    for path in shipped_rulesets():
        try:
            rs = load_ruleset(path)
        except SwaggertoolsError as error:
            fail(error)
        complete = {True: "complete", False: "known incomplete", None: "completeness unknown"}
        stdout.print(
            f"{rs.name}  version {rs.version}  {rs.mes_release or 'MES release not stated'}  "
            f"{len(rs.rules)} rules  {complete[rs.complete]}  {path}",
        )


@rules_app.command("check")
def rules_check(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Rule files to check.")],
) -> None:
    """Check rule files against the rule-set schema; every problem with file and line.

    Example:

    \b
      swaggertools rules check rules/site-extra.yaml
    """
    code = EXIT_OK
    for file in files:
        problems = check_file(file)
        for problem in problems:
            report_error(problem)
        if problems:
            code = EXIT_ERROR
        else:
            rs = load_ruleset(file)
            stdout.print(f"{file}: ok ({rs.name} {rs.version}, {len(rs.rules)} rules)")
    raise typer.Exit(code)

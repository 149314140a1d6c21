"""The command line: options → one library call → rendering → exit code.

This package is the only one that imports typer, prints or exits. The app and `main`
live here; each command is a module of its own (`clean`, `validate`, `lint`, `config`,
`rules`, `diff`, `docs`, `worktasks`), registered on the app in `COMMANDS` (or, for a
command with subcommands, `GROUPS`) below: a new command is a new module and one line
there. Shared options are in `options`, the consoles and
error reporting in `common`.
Exit codes: 0 success; 1 findings at or above the failing level; 2 usage, input,
rule-file or policy error; 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from swaggertools.errors import EXIT_OK, SwaggertoolsError
from swaggertools.gcpause import pause_for_process
from swaggertools.project import __version__

from . import clean, config, diff, docs, lint, rules, validate, worktasks
from .common import EXIT_INTERNAL, report_error, state, stderr, stdout

app = typer.Typer(
    name="swaggertools",
    help=(
        "Clean, secure and validate AVEVA MES Web API Swagger files for AVEVA Work Tasks.\n\n"
        "Exit codes: 0 success; 1 findings at or above the failing level; "
        "2 usage, input, rule-file or policy error; 3 internal error.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  swaggertools clean mes-swagger.json --authority https://sms.plant.local/identitymanager\n"
        "  swaggertools validate swaggertools-out/mes-swagger.user.json\n"
        "  swaggertools rules list"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        stdout.print(f"swaggertools {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors (for bug reports).")
    ] = False,
) -> None:
    state.debug = debug


COMMANDS = (
    ("clean", clean.clean_command),
    ("validate", validate.validate_command),
    ("lint", lint.lint_command),
    ("config", config.config_command),
    ("diff", diff.diff_command),
    ("docs", docs.docs_command),
    ("worktasks", worktasks.worktasks_command),
)
"""Every command, in the order `--help` lists them (command groups follow)."""
GROUPS = (("rules", rules.rules_app),)
"""Every command group (a command with subcommands: `rules list`, `rules check`)."""
for _name, _command in COMMANDS:
    app.command(_name)(_command)
for _name, _group in GROUPS:
    app.add_typer(_group, name=_name)


def main() -> None:
    """Console-script entry point."""
    pause_for_process()
    try:
        app()
    except SystemExit as done:  # every command ends here (typer exits)
        _hard_exit(done.code)
    except SwaggertoolsError as error:  # raised outside a command body
        report_error(error)
        _hard_exit(error.exit_code)
    except Exception as error:  # a bug: one line unless --debug
        if state.debug or os.environ.get("SWAGGERTOOLS_DEBUG"):
            raise
        stderr.print(
            f"swaggertools: internal error: {type(error).__name__}: {error} "
            "(run with --debug for the traceback and please report it)",
        )
        _hard_exit(EXIT_INTERNAL)


def _hard_exit(code: object) -> None:
    """Flush and leave without tearing down the interpreter.

    Freeing a large spec's million objects one by one at exit costs a noticeable share
    of a lint run; the process is ending, so the OS takes the memory back at once (mypy
    exits the same way). Every output file is already written and closed by then.
    """
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if not isinstance(code, (int, type(None))):
        sys.stderr.write(f"{code}\n")
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the descriptor was closed when Python started
                stream.flush()
    except OSError:  # a closed pipe: nothing more can be said
        status = status or EXIT_INTERNAL
    os._exit(status)

"""What every command shares at run time: the two consoles, error reporting, progress.

Only the `cli` package prints or exits; its commands print through these consoles.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from swaggertools.console import Console
from swaggertools.errors import SwaggertoolsError

EXIT_INTERNAL = 3
LARGE_INPUT = 2 * 1024 * 1024
"""Inputs above this size show the stages on a terminal while they run."""

stdout = Console()
stderr = Console(stderr=True)


class _State:
    debug = False
    """--debug: tracebacks for errors (set by the app's callback)."""


state = _State()


def report_error(error: SwaggertoolsError) -> None:
    """The one-line form of an error on stderr (with its traceback under --debug)."""
    if state.debug:
        import traceback

        traceback.print_exception(error)
    stderr.print(f"swaggertools: error: {error.one_line()}")


def fail(error: SwaggertoolsError) -> NoReturn:
    """Report the error and exit with its code."""
    report_error(error)
    raise typer.Exit(error.exit_code)


def file_size(path: Path) -> int:
    """The size of a file in bytes, 0 when it cannot be read (the command reports that)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def progress_line(stage: str) -> None:
    """One progress line on stderr as a stage starts."""
    stderr.print(f"swaggertools: {stage.replace('_', ' ')}…")

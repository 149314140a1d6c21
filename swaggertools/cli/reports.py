"""Report files for `lint` and `diff`: `--output FORMAT:PATH`, one stream each, job summary."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from swaggertools.destination import describe, destination_path, stream_fd
from swaggertools.errors import UsageError
from swaggertools.lint.model import LINT_FORMATS, LintFormat

F = TypeVar("F", bound=str)
R = TypeVar("R")

# A report file's format from its name, when `--output` has no `FORMAT:` prefix.
SUFFIX_FORMATS: tuple[tuple[str, LintFormat], ...] = (
    (".sarif.json", "sarif"),
    (".sarif", "sarif"),
    (".xml", "junit"),
    (".json", "json"),
    (".md", "markdown"),
    (".markdown", "markdown"),
    (".txt", "text"),
    (".log", "text"),
)


def parse_output(
    value: str,
    default: F,
    formats: tuple[str, ...] = LINT_FORMATS,
    suffixes: tuple[tuple[str, F], ...] = SUFFIX_FORMATS,  # type: ignore[assignment]
) -> tuple[F, Path]:
    """`sarif:out/lint.sarif`, `lint.sarif` or `json:-` (stdout) → (format, path).

    `diff` passes its own formats and suffixes.
    """
    prefix, sep, rest = value.partition(":")
    if sep and prefix in formats and rest:
        return prefix, destination_path(rest)  # type: ignore[return-value]  # one of `formats`
    lowered = value.lower()
    for suffix, fmt in suffixes:
        if lowered.endswith(suffix):
            return fmt, destination_path(value)
    return default, destination_path(value)


def check_streams(outputs: Sequence[tuple[str, Path]], format_given: bool) -> bool:
    """True when an `--output` takes stdout (the `--format` rendering is then not printed).

    One thing per stream: two outputs to stdout (or to stderr), or an output to stdout
    together with `--format` on the command line, are a usage error.
    """
    taken: dict[int, str] = {}
    for fmt, path in outputs:
        fd = stream_fd(path)
        if fd is None:
            continue
        if fd in taken:
            raise UsageError(
                f"--output {taken[fd]} and --output {fmt}:{path} both write to "
                f"{describe(path)}; give one"
            )
        taken[fd] = f"{fmt}:{path}"
    if 1 in taken and format_given:
        raise UsageError(
            f"--format and --output {taken[1]} both choose what stdout shows; give one"
        )
    return 1 in taken


def write_step_summary(
    run: R,
    stdout_format: str,
    file_formats: list[str],
    summary: Callable[[R], str],
) -> None:
    """Append the Markdown job summary when running the github format inside GitHub Actions."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target or "github" not in (stdout_format, *file_formats):
        return
    try:
        # Appending is GitHub's protocol for this file (other steps write to it too).
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(summary(run))
    except OSError as exc:
        raise UsageError(
            f"cannot append the job summary: {exc.strerror or exc}", file=target
        ) from None

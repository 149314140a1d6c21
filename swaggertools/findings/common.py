"""Helpers every findings format shares: verdict, counts line, paths relative to the root."""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path, PurePosixPath

import orjson

from swaggertools.findings.model import FileResult, LintRun
from swaggertools.model import Finding

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_NOT_WHITESPACE = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    return _NAMED.get(match.group(), f"\\x{ord(match.group()):02x}")


def verdict(run: LintRun) -> str:
    """`passed` (exit 0), `failed` (findings at or above fail-on, exit 1) or `error` (exit 2+)."""
    if run.exit_code == 0:
        return "passed"
    return "failed" if run.exit_code == 1 else "error"


def plural(count: int, word: str) -> str:
    """`1 error`, `2 errors`; `info` has no plural."""
    if count == 1 or word == "info":
        return f"{count} {word}"
    return f"{count} {word}s"


def suppressed(run: LintRun) -> int:
    """Findings hidden by the baseline, over all files."""
    return sum(result.suppressed for result in run.files)


def counts_text(run: LintRun) -> str:
    """`3 files, 2 errors, 5 warnings, 1 info`, plus `, N suppressed` when the baseline hid any."""
    counts = run.counts()
    parts = [
        plural(len(run.files), "file"),
        plural(counts["error"], "error"),
        plural(counts["warning"], "warning"),
        plural(counts["info"], "info"),
    ]
    hidden = suppressed(run)
    if hidden:
        parts.append(f"{hidden} suppressed")
    return ", ".join(parts)


def summary_line(run: LintRun) -> str:
    """The one-line verdict: `3 files, 2 errors, … (fail-on error: failed)`."""
    return f"{counts_text(run)} (fail-on {run.fail_on}: {verdict(run)})"


def relative_path(run: LintRun, path: str) -> str | None:
    """`path` relative to `run.root`, with forward slashes; None when it lies outside the root.

    Relative paths are as given on the command line, i.e. relative to the working folder.
    """
    return _relative(os.path.abspath(run.root), os.getcwd(), path)


@functools.lru_cache(maxsize=4096)
def _relative(root: str, cwd: str, path: str) -> str | None:
    # Cached because every finding asks, and a run has few files but many findings.
    # `abspath` rather than `resolve` so a symbolic link inside the repository keeps the
    # name the user sees (and code scanning shows) instead of its target's.
    absolute = Path(os.path.abspath(os.path.join(cwd, path)))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return None
    return PurePosixPath(*relative.parts).as_posix()


def dump_json(doc: object) -> str:
    """`doc` as two-space indented JSON text ending with a newline (UTF-8, not escaped)."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
    except orjson.JSONEncodeError:
        # A path that is not valid Unicode (undecodable bytes on the command line) holds
        # lone surrogates, which orjson refuses; the standard library escapes them.
        return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


def display_path(run: LintRun, result: FileResult) -> str:
    """The file relative to the root when inside it, else as given (forward slashes)."""
    relative = relative_path(run, result.path)
    return relative if relative is not None else result.path.replace("\\", "/")


def finding_file(result: FileResult, finding: Finding) -> str:
    """The finding's file, falling back to its file result's path."""
    return finding.file if finding.file else result.path


def one_line(text: str) -> str:
    """`text` with control characters shown as escapes, so a finding stays on one line.

    Messages quote names from the linted file; an escape sequence there must not reach a
    terminal or log viewer as a command, and a newline must not forge another finding.
    """
    return _CONTROL.sub(_escape, text)


def visible(text: str) -> str:
    r"""`text` with control characters other than tab, CR and LF shown as `\xNN` escapes."""
    return _CONTROL_NOT_WHITESPACE.sub(_escape, text)


def where(finding: Finding) -> str:
    """`line:col`, `line`, or "" when the line is unknown."""
    if finding.line is None:
        return ""
    if finding.column is None:
        return str(finding.line)
    return f"{finding.line}:{finding.column}"

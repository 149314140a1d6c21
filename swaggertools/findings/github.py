"""GitHub Actions workflow commands: one annotation per finding, then the verdict line.

    ::error file=api/mes.json,line=12,col=5,title=unmatched-rule::rule site#1 matched nothing

`::warning` for warnings, `::notice` for info; `line` and `col` are left out when unknown
(the annotation is then shown for the whole file, and the message names the JSON pointer).
Paths are relative to the run's root (the checkout, `GITHUB_WORKSPACE`) with forward
slashes. Values are escaped as the Actions toolkit does (`escapeData`, `escapeProperty`).
GitHub shows at most 10 annotations of each level per step and 50 per job; the job summary
(`step_summary`, written by the CLI to `$GITHUB_STEP_SUMMARY`) lists every finding.
"""

from __future__ import annotations

from swaggertools.findings.model import FileResult, LintRun
from swaggertools.model import Finding, Severity

from . import markdown
from .common import display_path, relative_path, summary_line, visible

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    r"""Escape a command's message: `%`, CR and LF.

    Other control characters become visible `\xNN` escapes first: the log viewer would
    act on an escape sequence quoted from the linted file.
    """
    return visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: as data, plus `:` and `,` (they delimit properties)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _file(run: LintRun, result: FileResult, finding: Finding) -> str:
    if not finding.file or finding.file == result.path:
        return display_path(run, result)
    relative = relative_path(run, finding.file)
    return relative if relative is not None else finding.file.replace("\\", "/")


def annotation(run: LintRun, result: FileResult, finding: Finding) -> str:
    """The workflow command for one finding."""
    props = [f"file={escape_property(_file(run, result, finding))}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    props.append(f"title={escape_property(finding.rule)}")
    message = finding.message
    if finding.line is None and finding.pointer:
        message = f"{message} (at {finding.pointer})"
    return f"::{_COMMAND[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(run: LintRun, *, color: bool = False) -> str:
    """Render the run as workflow commands plus a plain verdict line; `color` is ignored."""
    lines = [annotation(run, r, f) for r in run.files for f in r.findings]
    lines.append(f"swaggertools {run.command}: {summary_line(run)}")
    return "\n".join(lines) + "\n"


def step_summary(run: LintRun) -> str:
    """The Markdown job summary (the same text as `--format markdown`)."""
    return markdown.render(run)

"""Terminal output: one line per finding, grouped by file, then a one-line verdict.

    api/mes.json:12:5: error unmatched-rule: rule site#1 (...) matched no operation
    api/mes.json: #/paths/~1a/get: warning missing-security: ...
    api/other.yaml: no findings (11 checks)

    3 files, 2 errors, 5 warnings, 1 info (fail-on error: failed)

The location is `file:line:col` (`file:line` without a column); when the line is unknown the
JSON pointer stands in for it. Colour is plain ANSI escape codes, only when `color` is set
(the CLI decides: a terminal, and no `NO_COLOR`).
"""

from __future__ import annotations

from swaggertools.findings.common import counts_text, finding_file, one_line, plural, verdict, where
from swaggertools.findings.model import FileResult, LintRun
from swaggertools.model import Finding, Severity

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_VERDICT_STYLE = {"passed": "\x1b[1;32m", "failed": "\x1b[1;31m", "error": "\x1b[1;31m"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _location(result: FileResult, finding: Finding, color: bool) -> str:
    place = one_line(finding_file(result, finding))
    line_col = where(finding)
    if line_col:
        return _paint(f"{place}:{line_col}", _BOLD, color)
    location = _paint(place, _BOLD, color)
    if finding.pointer:
        return f"{location}: {one_line(finding.pointer)}"
    return location


def _finding_line(result: FileResult, finding: Finding, color: bool) -> str:
    severity = _paint(finding.severity.value, _SEVERITY_STYLE[finding.severity], color)
    rule = _paint(one_line(finding.rule), _DIM, color)
    location = _location(result, finding, color)
    return f"{location}: {severity} {rule}: {one_line(finding.message)}"


def _clean_line(result: FileResult, color: bool) -> str:
    details = [plural(len(result.checks), "check")]
    if result.suppressed:
        details.append(f"{result.suppressed} suppressed")
    status = _paint("no findings", _VERDICT_STYLE["passed"], color)
    return f"{_paint(one_line(result.path), _BOLD, color)}: {status} ({', '.join(details)})"


def render(run: LintRun, *, color: bool = False) -> str:
    """Render the run for a terminal or a log; `color` adds ANSI colours."""
    lines: list[str] = []
    for result in run.files:
        if result.findings:
            lines += [_finding_line(result, f, color) for f in result.findings]
        else:
            lines.append(_clean_line(result, color))
    if lines:
        lines.append("")
    state = verdict(run)
    painted = _paint(state, _VERDICT_STYLE[state], color)
    lines.append(f"{counts_text(run)} (fail-on {run.fail_on}: {painted})")
    return "\n".join(lines) + "\n"

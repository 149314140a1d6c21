"""Markdown for a pull-request comment or a GitHub job summary.

A heading with the verdict, the counts, then one table per file with findings (Severity |
Check | Location | Message), at most `max_rows` rows each (then "… and N more"), and one
line naming the files without findings. The whole stays under about `max_chars` (GitHub
refuses longer comments): tables are cut short, then whole files left out, each said so.

Paths are relative to the run's root when inside it. Text from the linted files is
escaped so it renders as written: Markdown and HTML punctuation, `|`, newlines (as
`<br>`), control characters, and `@name` (a zero-width space keeps it from notifying a
GitHub user).
"""

from __future__ import annotations

import re

from swaggertools.findings.model import FileResult, LintRun
from swaggertools.model import Finding

from .common import counts_text, display_path, one_line, plural, verdict, where

MAX_ROWS = 200
"""Rows per file table."""
MAX_CHARS = 60_000
"""Size budget: GitHub refuses comments over 65,536 characters (job summaries: 1 MiB)."""
_RESERVED = 1_000
"""Kept free for the closing lines (files left out, files without findings)."""

_VERDICT = {"passed": "✅ passed", "failed": "❌ failed", "error": "⛔ error"}
_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~&])")
_MENTION = re.compile(r"@(?=\w)")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BACKTICKS = re.compile(r"`+")


def escape(value: str) -> str:
    """`value` escaped for a table cell or a paragraph: rendered literally, on one row."""
    lines = [_PUNCTUATION.sub(r"\\\1", one_line(part)) for part in _NEWLINE.split(value)]
    return _MENTION.sub("@&#8203;", "<br>".join(lines))


def code(value: str, *, in_table: bool = True) -> str:
    """`value` as a code span, fenced with more backticks than it contains."""
    value = one_line(value)
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    if value.startswith("`") or value.endswith("`"):
        value = f" {value} "
    if in_table:
        # GFM splits table cells on `|` before it parses code spans; `\|` survives as `|`.
        value = value.replace("|", "\\|")
    return f"{fence}{value}{fence}"


def _location(finding: Finding) -> str:
    parts = [where(finding)] if finding.line is not None else []
    if finding.pointer:
        parts.append(code(finding.pointer))
    return " ".join(parts) or "—"


def _row(finding: Finding) -> str:
    cells = [
        finding.severity.value,
        code(finding.rule),
        _location(finding),
        escape(finding.message),
    ]
    return "| " + " | ".join(cells) + " |"


def _file_counts(result: FileResult) -> str:
    severities = [f.severity.value for f in result.findings]
    parts = [
        plural(severities.count(s), s) for s in ("error", "warning", "info") if severities.count(s)
    ]
    return ", ".join(parts)


def _file_section(run: LintRun, result: FileResult, max_rows: int, room: int) -> list[str]:
    """The file's heading and table of at most `max_rows` rows and `room` characters.

    Empty when not even one row fits.
    """
    out = [f"### {code(display_path(run, result), in_table=False)} — {_file_counts(result)}", ""]
    out += ["| Severity | Check | Location | Message |", "|---|---|---|---|"]
    used = sum(len(line) + 1 for line in out)
    shown = 0
    for finding in result.findings[:max_rows]:
        row = _row(finding)
        used += len(row) + 1
        if used > room:
            break
        out.append(row)
        shown += 1
    if shown == 0:
        return []
    hidden = len(result.findings) - shown
    if hidden > 0:
        out += ["", f"… and {hidden} more"]
    return [*out, ""]


def render(
    run: LintRun, *, color: bool = False, max_rows: int = MAX_ROWS, max_chars: int = MAX_CHARS
) -> str:
    """Render the run as Markdown of at most about `max_chars` characters; `color` is ignored."""
    out = [f"## swaggertools lint: {_VERDICT[verdict(run)]}", ""]
    summary = f"{counts_text(run)} · fail-on `{run.fail_on}` · exit code {run.exit_code}"
    out += [summary, ""]
    # What is left for tables once the closing lines are reserved.
    room = max_chars - sum(len(line) + 1 for line in out) - _RESERVED
    left_out = 0
    for result in run.files:
        if not result.findings:
            continue
        if room <= 0:
            left_out += 1
            continue
        section = _file_section(run, result, max_rows, room)
        if not section:
            left_out += 1
            room = 0
            continue
        room -= sum(len(line) + 1 for line in section)
        out += section
    if left_out:
        more = plural(left_out, "more file")
        out += [f"… and {more} with findings, not shown (size limit; `--format json` has all)", ""]
    clean = [code(display_path(run, r), in_table=False) for r in run.files if not r.findings]
    clean_line = f"No findings: {', '.join(clean)}"
    if len(clean_line) > max(room, 0) + _RESERVED // 2:
        clean_line = f"No findings in {plural(len(clean), 'other file')}."
    if clean:
        out += [clean_line, ""]
    return "\n".join(out).rstrip("\n") + "\n"

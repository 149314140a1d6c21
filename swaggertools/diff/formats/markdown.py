"""Markdown for a pull-request comment: within GitHub's 65,536-character limit.

A heading with the verdict, the operation counts, one table of changes (used first,
then by level; Level | Change | Operation | Message), rule drift and consumers. When the
whole would pass `MAX_CHARS`, the change table is cut and the comment says how many
rows it left out (the JSON report has them all). Text from the files is escaped with
the findings Markdown escaping (as lint's), so it renders as written and `@name`
mentions nobody.
"""

from __future__ import annotations

from swaggertools.diff.result import DiffResult
from swaggertools.findings.markdown import escape

from ._groups import headline, more, operations_line, verdict

MAX_CHARS = 65_536
"""GitHub refuses a comment longer than this."""
_ROOM_FOR_TAIL = 12_000
_ICON = {"passed": "✅", "failed": "❌"}


def render(result: DiffResult, *, color: bool = False, max_chars: int = MAX_CHARS) -> str:
    """The Markdown report (never longer than `max_chars`); `color` is ignored."""
    head = [
        f"## {_ICON[verdict(result)]} swaggertools diff: {escape(headline(result))}",
        "",
        f"OLD `{escape(result.old.path)}` ({escape(result.old.spec_version)}) → "
        f"NEW `{escape(result.new.path)}` ({escape(result.new.spec_version)}); "
        f"{escape(operations_line(result))}.",
        "",
    ]
    tail = _tail(result)
    budget = max_chars - len("\n".join(head + tail)) - 200
    rows: list[str] = []
    if result.changes:
        rows = ["| Level | Change | Operation | Message |", "|---|---|---|---|"]
        used = sum(len(r) + 1 for r in rows)
        for i, change in enumerate(result.changes):
            op = change.operation
            row = (
                f"| {change.level}{' (used)' if change.used else ''} | `{change.id}` | "
                f"{escape(op.label()) if op else '(document)'} | "
                f"{escape(change.message + more(change))} |"
            )
            if used + len(row) + 1 > budget:
                left = len(result.changes) - i
                rows.append("")
                rows.append(f"… and {left} more changes (see the JSON report).")
                break
            rows.append(row)
            used += len(row) + 1
    else:
        rows = ["No changes."]
    text = "\n".join([*head, *rows, *tail]) + "\n"
    return text[:max_chars]


def _tail(result: DiffResult) -> list[str]:
    lines: list[str] = []
    drift = [r for r in result.rules if r.status not in ("unchanged", "unmatched")]
    if drift:
        lines += ["", "### Rule drift", "", "| Rule | Status | OLD | NEW | Operations |"]
        lines.append("|---|---|---:|---:|---|")
        for entry in drift[:100]:
            about = [op for _, ops in entry.statuses for op in ops]
            names = ", ".join(escape(op.label()) for op in about[:5])
            lines.append(
                f"| {escape(entry.rule)} ({escape(entry.target)}) | {entry.status_label()} | "
                f"{len(entry.old_matches)} | {len(entry.new_matches)} | {names} |"
            )
    if result.consumers is not None:
        lines += ["", "### Consumers", "", "| Operation | Status | Errors | Warnings |"]
        lines.append("|---|---|---:|---:|")
        for impact in result.consumers[:200]:
            errors = sum(1 for c in impact.changes if c.level == "error")
            warnings = sum(1 for c in impact.changes if c.level == "warning")
            lines.append(
                f"| {escape(impact.consumer.operation)} | {impact.status} | {errors} | {warnings} |"
            )
    if result.stale_ignores:
        lines += ["", "### Stale ignore entries", ""]
        lines += [
            f"- `{escape(e.id)}` `{escape(e.operation)}` ({escape(e.file)}:{e.line}) "
            "matched nothing"
            for e in result.stale_ignores[:100]
        ]
    joined = "\n".join(lines)
    return lines if len(joined) < _ROOM_FOR_TAIL else [*lines[:40], "", "… (cut)"]

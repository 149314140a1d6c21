"""Terminal output: changes grouped by operation, then by level; drift; consumers; verdict.

    OLD mes-7.0.json (2.0) → NEW mes-7.1.json (3.0.3)
    320 → 318 operations: 2 added, 4 removed, 3 renamed or moved

    POST /api/Core/Shift/Add (Core_Shift_Add)  [used]
      error    request-property-required-added  ShiftAddRequest.site: new required property
    ...

Text quoted from the files is printed with control characters escaped (one change, one
line). Colour is plain ANSI, only when `color` is set (the CLI decides).
"""

from __future__ import annotations

from swaggertools.diff.result import DiffResult
from swaggertools.findings.common import one_line

from ._groups import groups, headline, more, operations_line

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_STYLE = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


def render(result: DiffResult, *, color: bool = False) -> str:
    """The text report."""

    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if color else text

    lines = [
        f"OLD {one_line(result.old.path)} ({result.old.spec_version}) → "
        f"NEW {one_line(result.new.path)} ({result.new.spec_version})",
        operations_line(result),
    ]
    for group in groups(result):
        lines.append("")
        tag = "  [used]" if group.used else ""
        lines.append(paint(one_line(group.label), _BOLD) + tag)
        for change in group.changes:
            level = paint(f"{change.level:<8}", _STYLE[change.level])
            used = " [used]" if change.used and not group.used else ""
            lines.append(f"  {level} {change.id}  {one_line(change.message)}{more(change)}{used}")
    drift = [r for r in result.rules if r.status not in ("unchanged", "unmatched")]
    if result.rules:
        lines += ["", f"Rules: {len(result.rules)} checked, {len(drift)} drifted"]
        for entry in drift:
            about = [op for _, ops in entry.statuses for op in ops]
            names = ", ".join(op.label() for op in about[:5])
            extra = f" (+{len(about) - 5})" if len(about) > 5 else ""
            lines.append(
                f"  {entry.status_label():<14} {one_line(entry.rule)} "
                f"({one_line(entry.target)}): "
                f"{len(entry.old_matches)} → {len(entry.new_matches)}"
                + (f"; {one_line(names)}{extra}" if names else "")
            )
    if result.consumers is not None:
        lines += ["", "Consumers:"]
        for impact in result.consumers:
            counts = {"error": 0, "warning": 0, "info": 0}
            for change in impact.changes:
                counts[change.level] += 1
            name = f" ({one_line(impact.consumer.name)})" if impact.consumer.name else ""
            renamed = (
                f" → {impact.new.label()}" if impact.status == "renamed" and impact.new else ""
            )
            lines.append(
                f"  {impact.status:<10} {one_line(impact.consumer.operation)}{name}{renamed}: "
                f"{counts['error']} error, {counts['warning']} warning, {counts['info']} info"
            )
    if result.ignored:
        lines += ["", f"Ignored: {len(result.ignored)} change(s) by the ignore file"]
    for stale in result.stale_ignores:
        lines.append(
            f"stale ignore entry {stale.file}:{stale.line or '?'}: "
            f"{one_line(stale.id)} {one_line(stale.operation)} matched no change"
        )
    lines += ["", headline(result)]
    return "\n".join(lines) + "\n"

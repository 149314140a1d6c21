"""What the human formats share: changes grouped by operation, headline and verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from swaggertools.diff.change import Change
from swaggertools.diff.model import LEVEL_RANK
from swaggertools.diff.result import DiffResult

DOCUMENT = "(document)"


@dataclass
class Group:
    """The changes whose first affected operation is one operation (or the document)."""

    label: str
    used: bool = False
    changes: list[Change] = field(default_factory=list)


def groups(result: DiffResult) -> list[Group]:
    """Used groups first, then the most serious first, then by label; changes by level."""
    by_label: dict[str, Group] = {}
    for change in result.changes:
        op = change.operation
        label = op.label() if op else DOCUMENT
        group = by_label.setdefault(label, Group(label))
        group.changes.append(change)
        group.used = group.used or change.used
    for group in by_label.values():
        group.changes.sort(key=lambda c: (not c.used, -LEVEL_RANK[c.level], c.id, c.message))
    return sorted(
        by_label.values(),
        key=lambda g: (not g.used, -max(LEVEL_RANK[c.level] for c in g.changes), g.label),
    )


def verdict(result: DiffResult) -> str:
    """`passed` (exit 0) or `failed` (exit 1)."""
    return "passed" if result.exit_code == 0 else "failed"


def headline(result: DiffResult) -> str:
    """`3 errors, 2 warnings, 1 info; 1 used (fail-on error: failed)`."""
    counts = result.counts()
    parts = [
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
        f"{counts['info']} info",
    ]
    if result.consumers is not None:
        parts.append(f"{sum(1 for c in result.changes if c.used)} used")
    if result.ignored:
        parts.append(f"{len(result.ignored)} ignored")
    scope = ", used only" if result.fail_scope == "used" else ""
    return f"{', '.join(parts)} (fail-on {result.fail_on}{scope}: {verdict(result)})"


def operations_line(result: DiffResult) -> str:
    """`OLD 320 → NEW 318 operations: 2 added, 4 removed, 3 renamed or moved`."""
    return (
        f"{result.old.operations} → {result.new.operations} operations: "
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.renamed)} renamed or moved"
    )


def more(change: Change) -> str:
    """` (+N more operations)` for a change that affects several."""
    extra = len(change.operations) - 1
    return f" (+{extra} more operation{'s' if extra != 1 else ''})" if extra > 0 else ""

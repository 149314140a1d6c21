"""The ignore file: change id + operation glob + reason; entries that match nothing are stale.

    ignore:
      - id: operation-tag-changed          # a change id, or a glob over ids
        operation: "POST /api/Core/Shift/*"  # METHOD /path or operationId glob [default: *]
        reason: tags regrouped in MES 7.1, Work Tasks groups updated

An entry hides every change whose id matches `id` and one of whose affected operations
matches `operation` (by `METHOD /path`, or by operationId). Document-level changes
(servers, security schemes) have no operation: only `*` (or no `operation`) hides them.
Globs are shell-style (`*`, `?`, `[...]`), never regular expressions.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from swaggertools.errors import ConfigError, LoadError
from swaggertools.load import MAX_INPUT_BYTES, load_path
from swaggertools.pointer import join
from swaggertools.rules import explain_schema_error
from swaggertools.schemacheck import schema_errors

from .change import Change
from .model import OpRef

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "diff-ignore.schema.json"


@dataclass(frozen=True)
class IgnoreEntry:
    """One entry of the ignore file."""

    id: str
    operation: str
    reason: str
    file: str
    line: int | None

    def as_record(self) -> dict[str, object]:
        """The JSON form (`stale_ignores`, `ignored[].by`)."""
        return {
            "id": self.id,
            "operation": self.operation,
            "reason": self.reason,
            "file": self.file,
            "line": self.line,
        }

    def matches(self, change: Change) -> bool:
        """True when this entry hides `change`."""
        if not fnmatch.fnmatchcase(change.id, self.id):
            return False
        if not change.operations:
            return self.operation == "*"
        return any(_op_matches(op, self.operation) for op in change.operations)


def _op_matches(op: OpRef, pattern: str) -> bool:
    if op.operation_id is not None and fnmatch.fnmatchcase(op.operation_id, pattern):
        return True
    method, sep, path = pattern.partition(" ")
    if sep:
        return fnmatch.fnmatchcase(op.method.upper(), method.upper()) and fnmatch.fnmatchcase(
            op.path.lower(), path.strip().lower()
        )
    return pattern == "*"


def load_ignore(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> list[IgnoreEntry]:
    """Read and check an ignore file (ConfigError naming file and line on any problem)."""
    try:
        loaded = load_path(path, max_bytes=max_bytes)
    except LoadError as error:
        raise ConfigError(
            error.message, file=error.file, line=error.line, column=error.column
        ) from None
    doc = loaded.doc
    problems = [
        (pointer, message)
        for error in schema_errors(SCHEMA, doc)
        for pointer, message in explain_schema_error(error)
    ]
    if problems:
        located = sorted(((loaded.locator.line_col(p)[0] or 0), p, m) for p, m in problems)
        line, pointer, message = located[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(
            f"ignore file: {message}{more}",
            file=loaded.source.path,
            line=line or None,
            pointer=pointer,
        )
    entries = []
    for i, entry in enumerate(doc["ignore"]):
        entry_line, _ = loaded.locator.line_col(join(["ignore", i]))
        entries.append(
            IgnoreEntry(
                id=entry["id"],
                operation=entry.get("operation", "*"),
                reason=entry["reason"],
                file=loaded.source.path,
                line=entry_line,
            )
        )
    return entries


def apply_ignores(
    changes: list[Change], entries: list[IgnoreEntry]
) -> tuple[list[Change], list[tuple[Change, IgnoreEntry]], list[IgnoreEntry]]:
    """(kept changes, (ignored change, entry) pairs, stale entries)."""
    kept: list[Change] = []
    ignored: list[tuple[Change, IgnoreEntry]] = []
    hits: set[int] = set()
    for change in changes:
        for i, entry in enumerate(entries):
            if entry.matches(change):
                ignored.append((change, entry))
                hits.add(i)
                break
        else:
            kept.append(change)
    stale = [e for i, e in enumerate(entries) if i not in hits]
    return kept, ignored, stale

"""JSON: the contract programs rely on (schema: `swaggertools/schemas/diff.schema.json`).

`format_version`; `old`/`new` (path, sha256, spec_version, operations); `operations`
(`added`, `removed`: `{method, path, operationId}`; `renamed`: `{old, new, by}`);
`changes` (`{id, level, direction, operation, old_pointer, new_pointer, message, used}`
plus `operations`, `fields`, `file`, `line`, `column`); `rules`; `ignored`;
`stale_ignores`; `consumers` (null without `--consumers`); `summary`.
"""

from __future__ import annotations

from typing import Any

from swaggertools.diff.change import Change
from swaggertools.diff.result import FORMAT_VERSION, DiffResult
from swaggertools.findings.common import dump_json


def change_record(change: Change) -> dict[str, Any]:
    """One change in the JSON contract's shape."""
    op = change.operation
    return {
        "id": change.id,
        "level": change.level,
        "direction": change.kind.direction,
        "operation": op.as_record() if op else None,
        "operations": [o.as_record() for o in change.operations],
        "old_pointer": change.old_pointer,
        "new_pointer": change.new_pointer,
        "message": change.message,
        "used": change.used,
        "fields": ".".join(change.fields).replace(".[]", "[]") if change.fields else None,
        "file": change.file,
        "line": change.line,
        "column": change.column,
    }


def as_dict(result: DiffResult) -> dict[str, Any]:
    """The JSON document as a dict."""
    counts = result.counts()
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "swaggertools", "version": result.tool_version},
        "old": result.old.as_record(),
        "new": result.new.as_record(),
        "operations": {
            "added": [op.as_record() for op in result.added],
            "removed": [op.as_record() for op in result.removed],
            "renamed": [
                {
                    "old": p.old.ref.as_record(),
                    "new": p.new.ref.as_record(),
                    "by": p.by,
                }
                for p in result.renamed
            ],
        },
        "changes": [change_record(c) for c in result.changes],
        "rules": [r.as_record() for r in result.rules],
        "ignored": [
            {**change_record(change), "reason": entry.reason, "ignore": entry.as_record()}
            for change, entry in result.ignored
        ],
        "stale_ignores": [entry.as_record() for entry in result.stale_ignores],
        "consumers": [i.as_record() for i in result.consumers]
        if result.consumers is not None
        else None,
        "summary": {
            **counts,
            "used": sum(1 for c in result.changes if c.used),
            "fail_on": result.fail_on,
            "fail_scope": result.fail_scope,
            "failing": len(result.failing()),
            "exit_code": result.exit_code,
        },
    }


def render(result: DiffResult, *, color: bool = False) -> str:
    """Indented JSON (UTF-8, not ASCII-escaped); `color` is ignored."""
    return dump_json(as_dict(result))

"""What a Work Tasks installation uses (`--consumers FILE`), and what a release does to it.

    consumers:
      - operation: Core_Shift_Add            # operationId, or METHOD /path
        name: Shift entry workflow           # optional, shown in the report
        request: [shiftName, site]           # optional: request fields the workflow maps
        response: [shiftId]                  # optional: response fields it reads
      - GET /api/Core/Shift/GetAll           # a plain string is an operation

Entries are looked up in OLD (the installation was built against it), then in NEW. A
change is `used` when it affects a used operation, or the whole document (basePath, host,
servers, a security scheme: every call goes through them); when the entry lists fields
for the change's direction, only a change on one of those fields (or above it) is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swaggertools.errors import ConfigError, LoadError
from swaggertools.load import MAX_INPUT_BYTES, load_path
from swaggertools.rules import explain_schema_error
from swaggertools.schemacheck import schema_errors

from .change import Change
from .match import Matching
from .model import Op, OpRef
from .read import normalise_path

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "diff-consumers.schema.json"


@dataclass(frozen=True)
class Consumer:
    """One entry of the consumers file."""

    operation: str
    name: str | None
    request: tuple[str, ...]
    response: tuple[str, ...]
    line: int | None


@dataclass
class Impact:
    """What the release does to one consumer entry."""

    consumer: Consumer
    old: OpRef | None
    new: OpRef | None
    status: str
    """`unchanged`, `changed`, `renamed`, `removed`, `added` (only in NEW) or `not-found`."""
    changes: list[Change] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        """The JSON form (`consumers[]`)."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for change in self.changes:
            counts[change.level] += 1
        return {
            "operation": self.consumer.operation,
            "name": self.consumer.name,
            "old": self.old.as_record() if self.old else None,
            "new": self.new.as_record() if self.new else None,
            "status": self.status,
            "counts": counts,
            "changes": [{"id": c.id, "level": c.level, "message": c.message} for c in self.changes],
        }


def load_consumers(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> list[Consumer]:
    """Read and check a consumers file (ConfigError naming file and line)."""
    try:
        loaded = load_path(path, max_bytes=max_bytes)
    except LoadError as error:
        raise ConfigError(
            error.message, file=error.file, line=error.line, column=error.column
        ) from None
    listed = isinstance(loaded.doc, list)
    doc = {"consumers": loaded.doc} if listed else loaded.doc
    prefix = "#" if listed else "#/consumers"
    problems = [
        (prefix + pointer.removeprefix("#/consumers") if listed else pointer, message)
        for error in schema_errors(SCHEMA, doc)
        for pointer, message in explain_schema_error(error)
    ]
    if problems:
        pointer, message = min(problems, key=lambda pm: loaded.locator.line_col(pm[0])[0] or 0)
        line, _ = loaded.locator.line_col(pointer)
        raise ConfigError(
            f"consumers file: {message}", file=loaded.source.path, line=line, pointer=pointer
        )
    entries = doc["consumers"]
    out = []
    for i, entry in enumerate(entries):
        line, _ = loaded.locator.line_col(f"{prefix}/{i}")
        if isinstance(entry, str):
            out.append(Consumer(entry, None, (), (), line))
        else:
            out.append(
                Consumer(
                    entry["operation"],
                    entry.get("name"),
                    tuple(entry.get("request", ())),
                    tuple(entry.get("response", ())),
                    line,
                )
            )
    return out


def _find(ops: list[Op], text: str) -> Op | None:
    method, sep, path = text.strip().partition(" ")
    if sep and path.strip().startswith("/"):
        key = (method.lower(), normalise_path(path.strip()))
        return next((op for op in ops if op.key == key), None)
    return next((op for op in ops if op.ref.operation_id == text.strip()), None)


def grade(
    consumers: list[Consumer],
    changes: list[Change],
    old_ops: list[Op],
    new_ops: list[Op],
    matching: Matching,
) -> list[Impact]:
    """Mark used changes and return the impact on each consumer entry."""
    counterpart = {p.old.pointer: p.new for p in matching.pairs}
    impacts = []
    for consumer in consumers:
        old = _find(old_ops, consumer.operation)
        new = (
            counterpart.get(old.pointer) if old is not None else _find(new_ops, consumer.operation)
        )
        refs = {op.ref for op in (old, new) if op is not None}
        hits = [c for c in changes if _hits(c, refs) and _field_used(consumer, c, refs)]
        for change in hits:
            change.used = True
        if old is None and new is None:
            status = "not-found"
        elif old is None:
            status = "added"
        elif new is None:
            status = "removed"
        elif old.ref != new.ref:
            status = "renamed"
        else:
            status = "changed" if hits else "unchanged"
        impacts.append(
            Impact(consumer, old.ref if old else None, new.ref if new else None, status, hits)
        )
    return impacts


def _hits(change: Change, refs: set[OpRef]) -> bool:
    """The change affects an operation of the entry, or the whole document.

    A document-level change (basePath, host or servers, a security scheme) names no
    operation but reaches every call: each entry found in either file is hit by it.
    """
    if not change.operations:
        return bool(refs) and change.kind.reaches_calls
    return not refs.isdisjoint(change.operations)


def _field_used(consumer: Consumer, change: Change, refs: set[OpRef]) -> bool:
    """A change on a field the consumer does not map is not used (when it lists fields).

    The field path is the one from the entry's own operation (a shared schema lies at
    another path from each operation). Array steps are left out on both sides:
    `lines.qty` and `lines[].qty` are one field.
    """
    listed = consumer.request if change.kind.direction == "request" else consumer.response
    if change.kind.direction == "operation" or not listed:
        return True
    paths = [change.fields_by_op[r] for r in refs if r in change.fields_by_op] or [change.fields]
    return any(_field_matches(fields, listed) for fields in paths)


def _field_matches(fields: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    if not fields:
        return True
    path = ".".join(f for f in fields if f != "[]")
    for wanted in (w.replace("[]", "") for w in listed):
        if path == wanted or path.startswith(wanted + ".") or wanted.startswith(path + "."):
            return True
        if path.split(".")[-1] == wanted:
            return True
    return False

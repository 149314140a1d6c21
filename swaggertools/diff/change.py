"""Change kinds (the catalogue's entries) and the changes found, deduplicated."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import ClassVar

from .model import Direction, Level, OpRef


class ChangeKind:
    """One entry of the catalogue; each kind is a subclass (never instantiated).

    A subclass sets a stable `id`, a default `level`, a `direction` and a one-line
    `summary`; its docstring says what breaks for a caller, with a failing example.
    """

    id: ClassVar[str]
    level: ClassVar[Level]
    direction: ClassVar[Direction]
    summary: ClassVar[str]
    reaches_calls: ClassVar[bool] = True
    """For a document-level change: whether every call feels it (a basePath change does;
    a security scheme added that no operation requires yet does not)."""

    @classmethod
    def explain(cls) -> str:
        """The kind's docstring, dedented (`--explain`, docs/diff-checks.md, SARIF help)."""
        return inspect.cleandoc(cls.__doc__ or "")


@dataclass
class Change:
    """One change between OLD and NEW, with every operation it affects."""

    kind: type[ChangeKind]
    message: str
    old_pointer: str | None
    new_pointer: str | None
    operations: list[OpRef] = field(default_factory=list)
    """Affected operations (NEW identity where there is one), in the order met."""
    fields: tuple[str, ...] = ()
    """The property path (`order.lines[].qty`) where a schema change lies, when known."""
    fields_by_op: dict[OpRef, tuple[str, ...]] = field(default_factory=dict)
    """The property path from each affected operation's own schema: a shared schema is
    reached along different paths (`v` from one operation, `node.v` from another)."""
    level: Level = "info"
    """The effective level: the kind's default, or the configured one."""
    used: bool = False
    """True when a consumer entry uses an affected operation (and field, when listed)."""
    file: str | None = None
    """NEW's path, or OLD's for what NEW no longer has (set once the changes are final)."""
    line: int | None = None
    column: int | None = None

    @property
    def id(self) -> str:
        """The kind's id."""
        return self.kind.id

    @property
    def operation(self) -> OpRef | None:
        """The first affected operation (None for document-level changes)."""
        return self.operations[0] if self.operations else None


class Changes:
    """Collects changes; the same change met through several operations is kept once."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str | None, str | None, str], Change] = {}
        self._seen_ops: dict[tuple[str, str | None, str | None, str], set[OpRef]] = {}

    def add(
        self,
        change_kind: type[ChangeKind],
        message: str,
        *,
        old: str | None,
        new: str | None,
        op: OpRef | None,
        fields: tuple[str, ...] = (),
    ) -> None:
        """Record a change; a repeat adds `op` to the affected operations."""
        key = (change_kind.id, old, new, message)
        change = self._by_key.get(key)
        if change is None:
            change = Change(change_kind, message, old, new, fields=fields, level=change_kind.level)
            self._by_key[key] = change
            self._seen_ops[key] = set()
        if op is not None and op not in self._seen_ops[key]:
            self._seen_ops[key].add(op)
            change.operations.append(op)
            change.fields_by_op[op] = fields

    def all(self) -> list[Change]:
        """Every change, in the order first met."""
        return list(self._by_key.values())

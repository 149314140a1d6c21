"""Pairing OLD's operations with NEW's, in layers; each pair says which layer found it.

1. `path`: method plus normalised path (`{id}` and `{key}` are the same, case and a
   trailing slash ignored);
2. `operationId`: the same operationId;
3. `mes-method`: the same MES method name, identified as rule matching identifies it
   (`rules.method_keys`: operationId shapes, the method-name extension, path segments),
   one strategy at a time in the matcher's order.

Each layer pairs only operations that the earlier layers left, and only keys that name
exactly one operation on each side. A key that names several operations on a side is
reported as a duplicate (never fatal); within it, operations with the same literal method,
path and operationId on both sides still pair, and the others may pair in a later layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from swaggertools.rules import STRATEGY_ORDER, method_keys

from .model import MatchLayer, Op


@dataclass(frozen=True)
class Pair:
    """One operation of OLD and its counterpart in NEW."""

    old: Op
    new: Op
    by: MatchLayer
    strategy: str | None = None
    """For `mes-method`: the rule strategy whose key matched (operationId, extension, path)."""

    @property
    def renamed(self) -> bool:
        """True when method, path or operationId differ (the operation was moved or renamed)."""
        return (self.old.ref.method, self.old.ref.path, self.old.ref.operation_id) != (
            self.new.ref.method,
            self.new.ref.path,
            self.new.ref.operation_id,
        )


@dataclass(frozen=True)
class Duplicate:
    """A matching key that names more than one operation on one side."""

    side: str
    """`old` or `new`."""
    layer: MatchLayer
    key: str
    ops: tuple[Op, ...]


@dataclass
class Matching:
    """The pairs, the operations left over on each side, and the duplicate keys met."""

    pairs: list[Pair] = field(default_factory=list)
    removed: list[Op] = field(default_factory=list)
    added: list[Op] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    def new_of(self) -> dict[int, Op]:
        """id(old op) → its NEW counterpart."""
        return {id(p.old): p.new for p in self.pairs}


def match_operations(old: Sequence[Op], new: Sequence[Op]) -> Matching:
    """Pair the operations of two releases (see the module docstring)."""
    result = Matching()
    left_old = list(old)
    left_new = list(new)

    def layer(
        name: MatchLayer, key: Callable[[Op], Hashable | None], strategy: str | None = None
    ) -> None:
        nonlocal left_old, left_new
        by_old = _group(left_old, key)
        by_new = _group(left_new, key)
        paired: set[int] = set()
        for k, olds in by_old.items():
            news = by_new.get(k)
            if not news:
                continue
            if len(olds) > 1 or len(news) > 1:
                if name == "mes-method":
                    continue
                twins = _exact(olds, news)
            else:
                twins = [(olds[0], news[0])]
            for o, n in twins:
                result.pairs.append(Pair(o, n, name, strategy))
                paired.update((id(o), id(n)))
        if name != "mes-method":  # shared method names are common; only exact keys count
            for side, groups in (("old", by_old), ("new", by_new)):
                for k, ops in groups.items():
                    if len(ops) > 1:
                        result.duplicates.append(Duplicate(side, name, _show(k), tuple(ops)))
        left_old = [op for op in left_old if id(op) not in paired]
        left_new = [op for op in left_new if id(op) not in paired]

    layer("path", lambda op: op.key)
    layer("operationId", lambda op: op.ref.operation_id)
    for strategy in STRATEGY_ORDER:
        layer("mes-method", _method_key(strategy), strategy)
    result.removed = left_old
    result.added = left_new
    order = {id(op): i for i, op in enumerate(old)}
    result.pairs.sort(key=lambda p: order[id(p.old)])
    return result


def _exact(olds: list[Op], news: list[Op]) -> list[tuple[Op, Op]]:
    """Pairs of a duplicated key whose literal method, path and operationId are the same.

    When NEW gains a second operation under a key, the one it had before still pairs
    with OLD's, so only the newcomer is added (and the duplicate key reported), not the
    unchanged operation removed and both added.
    """
    by_new: dict[tuple[str, str, str | None], list[Op]] = defaultdict(list)
    by_old: dict[tuple[str, str, str | None], list[Op]] = defaultdict(list)
    for op in news:
        by_new[_literal(op)].append(op)
    for op in olds:
        by_old[_literal(op)].append(op)
    return [
        (found[0], by_new[k][0])
        for k, found in by_old.items()
        if len(found) == 1 and len(by_new.get(k, ())) == 1
    ]


def _literal(op: Op) -> tuple[str, str, str | None]:
    return (op.ref.method, op.ref.path, op.ref.operation_id)


def _method_key(strategy: str) -> Callable[[Op], Hashable | None]:
    def key(op: Op) -> Hashable | None:
        for name, value in method_keys(op.operation):
            if name == strategy:
                return value  # the first key of the strategy: the matcher's primary form
        return None

    return key


def _group(ops: Sequence[Op], key: Callable[[Op], Hashable | None]) -> dict[Hashable, list[Op]]:
    groups: dict[Hashable, list[Op]] = defaultdict(list)
    for op in ops:
        k = key(op)
        if k is not None:
            groups[k].append(op)
    return groups


def _show(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " ".join(str(part).upper() if i == 0 else str(part) for i, part in enumerate(key))
    return str(key)

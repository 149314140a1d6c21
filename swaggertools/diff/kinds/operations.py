"""Operations: removed, deprecated, added, moved or renamed, operationId and tags."""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context
from swaggertools.diff.match import Duplicate, Pair
from swaggertools.diff.model import Op


class OperationRemoved(ChangeKind):
    """An operation of OLD is gone from NEW, and OLD had not deprecated it.

    Every Work Tasks workflow step that calls it fails after the upgrade, without warning.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
        # NEW: no such path, and no operation with that operationId or MES method
    """

    id = "operation-removed"
    level = "error"
    direction = "operation"
    summary = "An operation was removed without being deprecated first."


class OperationRemovedAfterDeprecation(ChangeKind):
    """An operation that OLD marked `deprecated: true` is gone from NEW.

    Callers were warned, but a workflow that still calls it fails.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add, deprecated: true}}
        # NEW: no such operation
    """

    id = "operation-removed-after-deprecation"
    level = "warning"
    direction = "operation"
    summary = "A deprecated operation was removed."


class OperationDeprecated(ChangeKind):
    """NEW marks an operation `deprecated: true` that OLD did not.

    It still works, but a later release may remove it: plan the replacement.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
        # NEW
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add, deprecated: true}}
    """

    id = "operation-deprecated"
    level = "warning"
    direction = "operation"
    summary = "An operation was deprecated."


class OperationAdded(ChangeKind):
    """NEW has an operation that matches nothing in OLD.

    Nothing breaks; it is listed so that reviewers see what the release offers.

    Failing::

        # NEW only
        /api/Core/Shift/Copy: {post: {operationId: Core_Shift_Copy}}
    """

    id = "operation-added"
    level = "info"
    direction = "operation"
    summary = "An operation was added."


class OperationMoved(ChangeKind):
    """The same operationId now has another path or HTTP method.

    Callers that build the URL from OLD's path (a Work Tasks Web API definition imported
    from OLD) call a path that no longer exists.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
        # NEW
        /api/v2/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
    """

    id = "operation-moved"
    level = "error"
    direction = "operation"
    summary = "An operation moved to another path or method (same operationId)."


class OperationRenamed(ChangeKind):
    """Path and operationId both changed, but it is the same MES method.

    Found by the MES method name (operationId shapes, the method-name extension, path
    segments; as rule matching identifies methods). Reported as one change with the old
    and the new identity, not as a removal and an addition.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
        # NEW
        /api/v2/FactMES.API.Core.Shift.Add: {post: {operationId: FactMES_API_Core_Shift_Add}}
    """

    id = "operation-renamed"
    level = "error"
    direction = "operation"
    summary = "An operation's path and operationId changed (same MES method)."


class OperationIdChanged(ChangeKind):
    """The operation at the same method and path has another operationId.

    Work Tasks keys operations by operationId plus path: a workflow step bound to the old
    operationId loses its operation. (oasdiff rates this lower; for Work Tasks it breaks.)

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {operationId: Core_Shift_Add}}
        # NEW
        /api/Core/Shift/Add: {post: {operationId: shiftAdd}}
    """

    id = "operation-id-changed"
    level = "error"
    direction = "operation"
    summary = "An operation's operationId changed (Work Tasks keys operations by it)."


class OperationTagChanged(ChangeKind):
    """An operation's tags changed.

    A tag is a Work Tasks "Operation Group": the operation moves to another group, and
    steps that find it through the group do not find it any more.

    Failing::

        # OLD
        /api/Core/Shift/Add: {post: {tags: [Shift]}}
        # NEW
        /api/Core/Shift/Add: {post: {tags: [Shifts]}}
    """

    id = "operation-tag-changed"
    level = "error"
    direction = "operation"
    summary = "An operation's tags changed (a tag is a Work Tasks Operation Group)."


class DuplicateOperationKey(ChangeKind):
    """Several operations of one file share a matching key (path or operationId).

    Those operations cannot be paired by that key; they are matched by a later layer or
    reported as removed and added. Never fatal.

    Failing::

        /api/items/{id}: {get: {operationId: GetItem}}
        /api/items/{key}: {get: {operationId: GetItemByKey}}   # same method + path shape
    """

    id = "duplicate-operation-key"
    level = "info"
    direction = "operation"
    summary = "Operations share a matching key (they could not be paired by it)."


KINDS: tuple[type[ChangeKind], ...] = (
    OperationRemoved,
    OperationRemovedAfterDeprecation,
    OperationDeprecated,
    OperationAdded,
    OperationMoved,
    OperationRenamed,
    OperationIdChanged,
    OperationTagChanged,
    DuplicateOperationKey,
)


def removed(ctx: Context, op: Op) -> None:
    """An OLD operation with no counterpart."""
    if op.deprecated:
        message = f"{op.ref.label()} was removed (it was deprecated)"
        ctx.changes.add(
            OperationRemovedAfterDeprecation, message, old=op.pointer, new=None, op=op.ref
        )
    else:
        message = f"{op.ref.label()} was removed without deprecation"
        ctx.changes.add(OperationRemoved, message, old=op.pointer, new=None, op=op.ref)


def added(ctx: Context, op: Op) -> None:
    """A NEW operation with no counterpart."""
    ctx.changes.add(
        OperationAdded, f"{op.ref.label()} was added", old=None, new=op.pointer, op=op.ref
    )


def duplicate(ctx: Context, dup: Duplicate) -> None:
    """A key that names several operations on one side."""
    names = ", ".join(op.ref.label() for op in dup.ops)
    count = len(dup.ops)
    message = f"{dup.side.upper()} has {count} operations with {dup.layer} key {dup.key!r}: {names}"
    first = dup.ops[0]
    old, new = (first.pointer, None) if dup.side == "old" else (None, first.pointer)
    ctx.changes.add(DuplicateOperationKey, message, old=old, new=new, op=first.ref)


def compare(ctx: Context, pair: Pair) -> None:
    """Identity, deprecation and tags of a matched pair."""
    o, n = pair.old, pair.new
    same_place = o.key == n.key  # `{id}` vs `{key}`, case, a trailing `/`: not a move
    same_id = o.ref.operation_id == n.ref.operation_id
    if pair.by == "mes-method" and not same_place and not same_id:
        message = f"{o.ref.label()} was renamed to {n.ref.label()} (same MES method)"
        ctx.changes.add(OperationRenamed, message, old=o.pointer, new=n.pointer, op=n.ref)
    elif not same_place:
        message = f"{o.ref.label()} moved to {n.ref.method.upper()} {n.ref.path}"
        ctx.changes.add(OperationMoved, message, old=o.pointer, new=n.pointer, op=n.ref)
    if not same_id and not (pair.by == "mes-method" and not same_place):
        message = (
            f"operationId of {n.ref.method.upper()} {n.ref.path} changed from "
            f"{o.ref.operation_id!r} to {n.ref.operation_id!r}"
        )
        ctx.changes.add(
            OperationIdChanged,
            message,
            old=f"{o.pointer}/operationId",
            new=f"{n.pointer}/operationId",
            op=n.ref,
        )
    if n.deprecated and not o.deprecated:
        ctx.changes.add(
            OperationDeprecated,
            f"{n.ref.label()} is deprecated",
            old=o.pointer,
            new=f"{n.pointer}/deprecated",
            op=n.ref,
        )
    if sorted(o.tags) != sorted(n.tags):
        message = f"tags of {n.ref.label()} changed from {list(o.tags)} to {list(n.tags)}"
        ctx.changes.add(
            OperationTagChanged, message, old=f"{o.pointer}/tags", new=f"{n.pointer}/tags", op=n.ref
        )

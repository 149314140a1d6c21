"""Request bodies: made required, media types, and what the body's schema now demands."""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context
from swaggertools.diff.match import Pair
from swaggertools.diff.model import OpRef
from swaggertools.diff.schema import Fact, describe


class RequestBodyMadeRequired(ChangeKind):
    """NEW requires a request body that OLD had optional or did not have.

    Calls without a body are refused.

    Failing::

        # OLD
        requestBody: {required: false, content: {application/json: {...}}}
        # NEW
        requestBody: {required: true, content: {application/json: {...}}}
    """

    id = "request-body-made-required"
    level = "error"
    direction = "request"
    summary = "The request body became required."


class RequestBodyRemoved(ChangeKind):
    """OLD took a request body and NEW takes none. Callers send a body that is ignored.

    Failing::

        # OLD
        parameters: [{name: body, in: body, schema: {$ref: '#/definitions/Shift'}}]
        # NEW
        parameters: []
    """

    id = "request-body-removed"
    level = "warning"
    direction = "request"
    summary = "The request body was removed."


class RequestContentTypeRemoved(ChangeKind):
    """NEW no longer accepts a request media type that OLD accepted.

    Callers sending that `Content-Type` get 415.

    Failing::

        # OLD
        consumes: [application/json, application/xml]
        # NEW
        consumes: [application/json]
    """

    id = "request-content-type-removed"
    level = "error"
    direction = "request"
    summary = "A request media type is no longer accepted."


class RequestPropertyRequiredAdded(ChangeKind):
    """The request schema requires a property that OLD did not require (new or optional).

    Existing callers do not send it and are refused.

    Failing::

        # OLD
        ShiftAddRequest: {type: object, properties: {name: {type: string}}}
        # NEW
        ShiftAddRequest: {type: object, required: [site],
                          properties: {name: {type: string}, site: {type: string}}}
    """

    id = "request-property-required-added"
    level = "error"
    direction = "request"
    summary = "A request property became required (new required property)."


class RequestPropertyTypeChanged(ChangeKind):
    """A property of a request schema has another type or format.

    Callers send values of the old type.

    Failing::

        # OLD
        qty: {type: integer}
        # NEW
        qty: {type: string}
    """

    id = "request-property-type-changed"
    level = "error"
    direction = "request"
    summary = "A request property's type or format changed."


class RequestEnumValueRemoved(ChangeKind):
    """A request value (property or parameter) no longer accepts an enum value.

    Callers that send it are refused.

    Failing::

        # OLD
        state: {type: string, enum: [New, Running, Done]}
        # NEW
        state: {type: string, enum: [New, Done]}
    """

    id = "request-enum-value-removed"
    level = "error"
    direction = "request"
    summary = "A request enum value was removed."


class RequestConstraintTightened(ChangeKind):
    """A request value accepts less than before.

    A smaller maxLength, maxItems, maxProperties or maximum, a larger minLength, minItems,
    minProperties or minimum, a bound made exclusive (`exclusiveMaximum`,
    `exclusiveMinimum`: 2.0/3.0 booleans and 3.1 numbers alike), a `multipleOf` that old
    values need not meet, a new or changed pattern, a new enum, or no longer nullable.

    Values valid for OLD may be refused.

    Failing::

        # OLD
        name: {type: string, maxLength: 80}
        # NEW
        name: {type: string, maxLength: 40}
    """

    id = "request-constraint-tightened"
    level = "error"
    direction = "request"
    summary = "A request value's constraints were tightened (maxLength, maximum, pattern, ...)."


class RequestPropertyRemoved(ChangeKind):
    """A property of a request schema is gone.

    Callers still send it; a server that refuses unknown properties fails, others ignore it.

    Failing::

        # OLD
        ShiftAddRequest: {properties: {name: {}, legacyCode: {}}}
        # NEW
        ShiftAddRequest: {properties: {name: {}}}
    """

    id = "request-property-removed"
    level = "warning"
    direction = "request"
    summary = "A request property was removed."


KINDS: tuple[type[ChangeKind], ...] = (
    RequestBodyMadeRequired,
    RequestBodyRemoved,
    RequestContentTypeRemoved,
    RequestPropertyRequiredAdded,
    RequestPropertyTypeChanged,
    RequestEnumValueRemoved,
    RequestConstraintTightened,
    RequestPropertyRemoved,
)

_FACT_KINDS = {
    "type": RequestPropertyTypeChanged,
    "enum-removed": RequestEnumValueRemoved,
    "required-added": RequestPropertyRequiredAdded,
    "tightened": RequestConstraintTightened,
    "property-removed": RequestPropertyRemoved,
}
_WORDS = {
    "type": "type changed",
    "enum-removed": "enum value removed",
    "required-added": "new required property",
    "tightened": "tightened",
    "property-removed": "property removed",
}


def report_fact(ctx: Context, fact: Fact, op: OpRef, where: str) -> None:
    """Report one request-side schema fact (facts that do not break a request are dropped)."""
    change_kind = _FACT_KINDS.get(fact.what)
    if change_kind is None:
        return
    pointer = fact.new_pointer if fact.what != "property-removed" else fact.old_pointer
    message = f"{describe(pointer, fact.fields, where)}: {_WORDS[fact.what]}: {fact.detail}"
    ctx.changes.add(
        change_kind, message, old=fact.old_pointer, new=fact.new_pointer, op=op, fields=fact.fields
    )


def compare(ctx: Context, pair: Pair) -> None:
    """The request bodies of a matched pair."""
    ob, nb = pair.old.body, pair.new.body
    op = pair.new.ref
    if nb is not None and nb.required and (ob is None or not ob.required):
        old_at = ob.pointer if ob is not None else pair.old.pointer
        ctx.changes.add(
            RequestBodyMadeRequired,
            "request body became required",
            old=old_at,
            new=nb.pointer,
            op=op,
        )
    if ob is None:
        return
    if nb is None:
        ctx.changes.add(
            RequestBodyRemoved,
            "request body was removed",
            old=ob.pointer,
            new=pair.new.pointer,
            op=op,
        )
        return
    for media, old_schema in ob.content.items():
        if media not in nb.content:
            message = f"request media type {media!r} is no longer accepted"
            ctx.changes.add(
                RequestContentTypeRemoved, message, old=ob.pointer, new=nb.pointer, op=op
            )
            continue
        new_schema = nb.content[media]
        if old_schema is None or new_schema is None:
            continue
        for fact in ctx.schemas.compare(old_schema, new_schema, "request"):
            report_fact(ctx, fact, op, "request body")

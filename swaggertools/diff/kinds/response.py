"""Responses: status codes, media types, and what the response schema no longer promises."""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context
from swaggertools.diff.match import Pair
from swaggertools.diff.schema import Fact, describe


class ResponseStatusRemoved(ChangeKind):
    """A response status code of OLD is not documented in NEW.

    A caller that handles that status (a Work Tasks step's output mapping) loses it.

    Failing::

        # OLD
        responses: {'200': {...}, '404': {...}}
        # NEW
        responses: {'200': {...}}
    """

    id = "response-status-removed"
    level = "error"
    direction = "response"
    summary = "A response status code was removed."


class ResponseContentTypeRemoved(ChangeKind):
    """A response media type of OLD is not produced any more.

    Callers asking for it (`Accept`) get another one, or 406.

    Failing::

        # OLD
        produces: [application/json, application/xml]
        # NEW
        produces: [application/json]
    """

    id = "response-content-type-removed"
    level = "error"
    direction = "response"
    summary = "A response media type was removed."


class ResponsePropertyRemoved(ChangeKind):
    """A property of a response schema is gone.

    Callers that read it (a mapped output field) get nothing.

    Failing::

        # OLD
        Shift: {properties: {name: {}, site: {}}}
        # NEW
        Shift: {properties: {name: {}}}
    """

    id = "response-property-removed"
    level = "error"
    direction = "response"
    summary = "A response property was removed."


class ResponsePropertyMadeOptional(ChangeKind):
    """A response property that OLD required is optional in NEW.

    Callers that rely on it being present may fail when it is missing.

    Failing::

        # OLD
        Shift: {required: [name], properties: {name: {type: string}}}
        # NEW
        Shift: {properties: {name: {type: string}}}
    """

    id = "response-property-made-optional"
    level = "error"
    direction = "response"
    summary = "A response property is no longer required."


class ResponsePropertyMadeNullable(ChangeKind):
    """A response value may now be null (`nullable`, `x-nullable`, or `null` in a 3.1 type).

    Callers that do not expect null fail on it.

    Failing::

        # OLD
        name: {type: string}
        # NEW
        name: {type: string, x-nullable: true}
    """

    id = "response-property-made-nullable"
    level = "error"
    direction = "response"
    summary = "A response value became nullable."


class ResponsePropertyTypeChanged(ChangeKind):
    """A response value has another type or format.

    Callers parse it as the old type.

    Failing::

        # OLD
        qty: {type: integer}
        # NEW
        qty: {type: number}
    """

    id = "response-property-type-changed"
    level = "error"
    direction = "response"
    summary = "A response value's type or format changed."


class ResponseEnumValueAdded(ChangeKind):
    """A response enum has a value OLD did not have.

    Callers may not handle the new value (a switch without a default branch).

    Failing::

        # OLD
        state: {type: string, enum: [New, Done]}
        # NEW
        state: {type: string, enum: [New, Running, Done]}
    """

    id = "response-enum-value-added"
    level = "warning"
    direction = "response"
    summary = "A response enum value was added (callers may not handle it)."


KINDS: tuple[type[ChangeKind], ...] = (
    ResponseStatusRemoved,
    ResponseContentTypeRemoved,
    ResponsePropertyRemoved,
    ResponsePropertyMadeOptional,
    ResponsePropertyMadeNullable,
    ResponsePropertyTypeChanged,
    ResponseEnumValueAdded,
)

_FACT_KINDS = {
    "type": ResponsePropertyTypeChanged,
    "enum-added": ResponseEnumValueAdded,
    "required-removed": ResponsePropertyMadeOptional,
    "nullable-added": ResponsePropertyMadeNullable,
    "property-removed": ResponsePropertyRemoved,
}
_WORDS = {
    "type": "type changed",
    "enum-added": "enum value added",
    "required-removed": "no longer required",
    "nullable-added": "may now be null",
    "property-removed": "property removed",
}


def compare(ctx: Context, pair: Pair) -> None:
    """The responses of a matched pair, status by status."""
    op = pair.new.ref
    old, new = pair.old.responses, pair.new.responses
    for status, o in old.items():
        n = new.get(status)
        if n is None:
            message = f"response {status} was removed"
            ctx.changes.add(
                ResponseStatusRemoved,
                message,
                old=o.pointer,
                new=f"{pair.new.pointer}/responses",
                op=op,
            )
            continue
        for media, old_schema in o.content.items():
            if media not in n.content:
                if n.content or old_schema is not None:
                    message = f"response {status} no longer offers {media!r}"
                    ctx.changes.add(
                        ResponseContentTypeRemoved, message, old=o.pointer, new=n.pointer, op=op
                    )
                continue
            new_schema = n.content[media]
            if old_schema is None or new_schema is None:
                continue
            for fact in ctx.schemas.compare(old_schema, new_schema, "response"):
                _report(ctx, fact, pair, status)


def _report(ctx: Context, fact: Fact, pair: Pair, status: str) -> None:
    change_kind = _FACT_KINDS.get(fact.what)
    if change_kind is None:
        return
    pointer = fact.new_pointer if fact.what != "property-removed" else fact.old_pointer
    where = describe(pointer, fact.fields, f"response {status}")
    message = f"{where}: {_WORDS[fact.what]}: {fact.detail}"
    ctx.changes.add(
        change_kind,
        message,
        old=fact.old_pointer,
        new=fact.new_pointer,
        op=pair.new.ref,
        fields=fact.fields,
    )

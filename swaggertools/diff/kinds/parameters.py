"""Parameters outside the body: added, removed, moved, renamed, retyped, made required."""

from __future__ import annotations

import re
from collections import defaultdict

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context
from swaggertools.diff.match import Pair
from swaggertools.diff.model import Param

from . import request


class ParameterAddedRequired(ChangeKind):
    """NEW requires a parameter that OLD did not have.

    Every existing call lacks it and is refused.

    Failing::

        # NEW adds
        parameters: [{name: site, in: query, required: true, type: string}]
    """

    id = "parameter-added-required"
    level = "error"
    direction = "request"
    summary = "A required parameter was added."


class ParameterAddedOptional(ChangeKind):
    """NEW has an optional parameter that OLD did not have. Nothing breaks.

    Failing::

        # NEW adds
        parameters: [{name: site, in: query, required: false, type: string}]
    """

    id = "parameter-added-optional"
    level = "info"
    direction = "request"
    summary = "An optional parameter was added."


class ParameterRemoved(ChangeKind):
    """A parameter of OLD is gone from NEW (and was not moved or renamed).

    Callers still send it; most servers ignore it, but the value no longer has an effect.

    Failing::

        # OLD
        parameters: [{name: site, in: query, type: string}]
        # NEW
        parameters: []
    """

    id = "parameter-removed"
    level = "warning"
    direction = "request"
    summary = "A parameter was removed."


class ParameterMoved(ChangeKind):
    """A parameter with the same name is now in another location (query → header, ...).

    Callers send it where the server no longer reads it.

    Failing::

        # OLD
        parameters: [{name: site, in: query, type: string}]
        # NEW
        parameters: [{name: site, in: header, type: string}]
    """

    id = "parameter-moved"
    level = "error"
    direction = "request"
    summary = "A parameter moved to another location."


class ParameterRenamed(ChangeKind):
    """The only parameter removed from a location and the only one added there look alike.

    Same location and schema, another name: callers send the old name. A path parameter
    renamed together with its path template (`/items/{id}` to `/items/{key}`) is no
    change: callers fill the URL's segments, never send the variable's name.

    Failing::

        # OLD
        parameters: [{name: siteId, in: query, type: string}]
        # NEW
        parameters: [{name: site_id, in: query, type: string}]
    """

    id = "parameter-renamed"
    level = "error"
    direction = "request"
    summary = "A parameter was renamed (same location and schema)."


class ParameterTypeChanged(ChangeKind):
    """A parameter's type or format changed.

    Callers send values the server may no longer accept.

    Failing::

        # OLD
        parameters: [{name: qty, in: query, type: integer, format: int32}]
        # NEW
        parameters: [{name: qty, in: query, type: string}]
    """

    id = "parameter-type-changed"
    level = "error"
    direction = "request"
    summary = "A parameter's type or format changed."


class ParameterMadeRequired(ChangeKind):
    """An optional parameter of OLD is required in NEW.

    Calls that left it out are refused.

    Failing::

        # OLD
        parameters: [{name: site, in: query, required: false, type: string}]
        # NEW
        parameters: [{name: site, in: query, required: true, type: string}]
    """

    id = "parameter-made-required"
    level = "error"
    direction = "request"
    summary = "An optional parameter became required."


_VARIABLE = re.compile(r"\{([^{}]*)\}")

KINDS: tuple[type[ChangeKind], ...] = (
    ParameterAddedRequired,
    ParameterAddedOptional,
    ParameterRemoved,
    ParameterMoved,
    ParameterRenamed,
    ParameterTypeChanged,
    ParameterMadeRequired,
)


def compare(ctx: Context, pair: Pair) -> None:
    """The parameters of a matched pair, by (location, name)."""
    old, new = _by_template(pair), pair.new.params
    op = pair.new.ref
    add = ctx.changes.add
    for key in old.keys() & new.keys():
        o, n = old[key], new[key]
        if n.required and not o.required:
            message = f"{_name(n)} became required"
            add(ParameterMadeRequired, message, old=o.pointer, new=n.pointer, op=op)
        _schema(ctx, pair, o, n)
    gone = [old[k] for k in old if k not in new]
    came = [new[k] for k in new if k not in old]
    by_name = {p.name.lower(): p for p in came}
    for o in list(gone):
        n_moved = by_name.get(o.name.lower())
        if n_moved is not None:
            message = f"{_name(o)} moved to {n_moved.location}"
            add(ParameterMoved, message, old=o.pointer, new=n_moved.pointer, op=op)
            gone.remove(o)
            came.remove(n_moved)
    _renamed(ctx, pair, gone, came)
    for o in gone:
        add(ParameterRemoved, f"{_name(o)} was removed", old=o.pointer, new=None, op=op)
    for n in came:
        if n.required:
            message = f"required {_name(n)} was added"
            add(ParameterAddedRequired, message, old=pair.old.pointer, new=n.pointer, op=op)
        else:
            message = f"optional {_name(n)} was added"
            add(ParameterAddedOptional, message, old=pair.old.pointer, new=n.pointer, op=op)


def _by_template(pair: Pair) -> dict[tuple[str, str], Param]:
    """OLD's parameters, a path parameter keyed by NEW's variable at the same place.

    Callers never send a path variable's name: they fill the URL's segments, and paths
    are matched with `{id}` equal to `{key}`. A path parameter renamed together with the
    template is the same parameter (its type and required flag are still compared).
    """
    olds = [v.lower() for v in _VARIABLE.findall(pair.old.ref.path)]
    news = [v.lower() for v in _VARIABLE.findall(pair.new.ref.path)]
    if olds == news or len(olds) != len(news) or len(set(news)) != len(news):
        return pair.old.params
    rename = {("path", o): ("path", n) for o, n in zip(olds, news, strict=True)}
    out = {rename.get(key, key): param for key, param in pair.old.params.items()}
    return out if len(out) == len(pair.old.params) else pair.old.params


def _renamed(ctx: Context, pair: Pair, gone: list[Param], came: list[Param]) -> None:
    """Pair the one removed and one added parameter of a location when their schemas match."""
    gone_at: dict[str, list[Param]] = defaultdict(list)
    came_at: dict[str, list[Param]] = defaultdict(list)
    for p in gone:
        gone_at[p.location].append(p)
    for p in came:
        came_at[p.location].append(p)
    for location, olds in gone_at.items():
        news = came_at.get(location, [])
        if len(olds) != 1 or len(news) != 1:
            continue
        o, n = olds[0], news[0]
        if ctx.schemas.compare(o.schema, n.schema, "request") or o.required != n.required:
            continue
        message = f"{_name(o)} was renamed to {n.name!r}"
        ctx.changes.add(ParameterRenamed, message, old=o.pointer, new=n.pointer, op=pair.new.ref)
        gone.remove(o)
        came.remove(n)


def _schema(ctx: Context, pair: Pair, o: Param, n: Param) -> None:
    for fact in ctx.schemas.compare(o.schema, n.schema, "request"):
        if fact.what == "type" and not fact.fields:
            message = f"type of {_name(n)} changed: {fact.detail}"
            ctx.changes.add(
                ParameterTypeChanged,
                message,
                old=fact.old_pointer,
                new=fact.new_pointer,
                op=pair.new.ref,
            )
        else:
            request.report_fact(ctx, fact, pair.new.ref, f"{_name(n)}")


def _name(p: Param) -> str:
    return f"{p.location} parameter {p.name!r}"

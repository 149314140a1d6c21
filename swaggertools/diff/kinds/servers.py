"""Where the API lives: 2.0 `host`, `basePath` and `schemes`, and 3.x `servers`, as URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context


class ServerBasePathChanged(ChangeKind):
    """The base path (2.0 `basePath`, the path of the first 3.x server URL) changed.

    Every operation's URL moves; the Work Tasks Base Address must change with it.

    Failing::

        # OLD
        basePath: /mesmw
        # NEW
        basePath: /mesmw/v2
    """

    id = "server-base-path-changed"
    level = "error"
    direction = "operation"
    summary = "The base path of every operation changed."


class ServerHostChanged(ChangeKind):
    """The host or scheme (2.0 `host`/`schemes`, 3.x server URLs) changed.

    Often a documentation detail (each site has its own host), but clients that take the
    address from the file go elsewhere.

    Failing::

        # OLD
        host: mes.example.local
        # NEW
        host: mes2.example.local
    """

    id = "server-host-changed"
    level = "warning"
    direction = "operation"
    summary = "The servers (host or scheme) changed."


KINDS: tuple[type[ChangeKind], ...] = (ServerBasePathChanged, ServerHostChanged)


def compare_document(ctx: Context) -> None:
    """The server URLs of both documents."""
    old, new = ctx.old.servers, ctx.new.servers
    old_base, new_base = _path(old[0]), _path(new[0])
    if old_base != new_base:
        message = f"base path changed from {old_base!r} to {new_base!r}"
        ctx.changes.add(
            ServerBasePathChanged,
            message,
            old=ctx.old.servers_pointer,
            new=ctx.new.servers_pointer,
            op=None,
        )
    old_hosts = sorted({_origin(u) for u in old} - {""})
    new_hosts = sorted({_origin(u) for u in new} - {""})
    if old_hosts != new_hosts:
        message = f"servers changed from {old_hosts or ['(none)']} to {new_hosts or ['(none)']}"
        ctx.changes.add(
            ServerHostChanged,
            message,
            old=ctx.old.servers_pointer,
            new=ctx.new.servers_pointer,
            op=None,
        )


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

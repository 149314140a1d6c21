"""Security: schemes and scopes defined by the document, and what each operation requires.

2.0 `securityDefinitions` and 3.x `components/securitySchemes` are compared as one:
2.0 `basic` is 3.x `http`/`basic`, and the 2.0 oauth2 flows `accessCode` and
`application` are 3.x `authorizationCode` and `clientCredentials`.
"""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind
from swaggertools.diff.context import Context
from swaggertools.diff.match import Pair
from swaggertools.diff.model import Requirement


class SecuritySchemeAdded(ChangeKind):
    """NEW defines a security scheme that OLD did not. Nothing breaks by itself.

    Failing::

        # NEW adds
        securityDefinitions: {aimServiceToken: {type: oauth2, flow: application, ...}}
    """

    id = "security-scheme-added"
    level = "info"
    direction = "operation"
    summary = "A security scheme was added."
    reaches_calls = False  # nothing requires it yet: no call is affected


class SecuritySchemeRemoved(ChangeKind):
    """A security scheme of OLD is gone from NEW.

    A Work Tasks Web API configured with it must be reconfigured.

    Failing::

        # OLD
        securityDefinitions: {aimUserToken: {...}, apiKey: {type: apiKey, in: header, name: X-Key}}
        # NEW
        securityDefinitions: {aimUserToken: {...}}
    """

    id = "security-scheme-removed"
    level = "error"
    direction = "operation"
    summary = "A security scheme was removed."


class SecuritySchemeChanged(ChangeKind):
    """A scheme with the same name has another type, flow, token URL or key location.

    Clients configured for OLD obtain or send credentials the wrong way.

    Failing::

        # OLD
        aimUserToken: {type: oauth2, flow: accessCode, tokenUrl: https://aim/connect/token}
        # NEW
        aimUserToken: {type: oauth2, flow: accessCode, tokenUrl: https://aim2/connect/token}
    """

    id = "security-scheme-changed"
    level = "error"
    direction = "operation"
    summary = "A security scheme's type, flow or URLs changed."


class SecurityScopeAdded(ChangeKind):
    """An oauth2 flow of a scheme offers a scope it did not offer before.

    Nothing breaks unless an operation starts requiring it (`operation-security-changed`).

    Failing::

        # OLD
        scopes: {mes.read: Read}
        # NEW
        scopes: {mes.read: Read, mes.write: Write}
    """

    id = "security-scope-added"
    level = "info"
    direction = "operation"
    summary = "An oauth2 scope was added to a scheme."
    reaches_calls = False  # nothing requires it yet: no call is affected


class SecurityScopeRemoved(ChangeKind):
    """An oauth2 flow of a scheme no longer offers a scope.

    Clients that request it may be refused a token.

    Failing::

        # OLD
        scopes: {mes.read: Read, mes.write: Write}
        # NEW
        scopes: {mes.read: Read}
    """

    id = "security-scope-removed"
    level = "warning"
    direction = "operation"
    summary = "An oauth2 scope was removed from a scheme."


class OperationSecurityChanged(ChangeKind):
    """What an operation requires (schemes and scopes, its own or the document's) changed.

    A caller with OLD's credentials may be refused (401/403).

    Failing::

        # OLD
        security: [{aimUserToken: []}]
        # NEW
        security: [{aimUserToken: [mes.write]}]
    """

    id = "operation-security-changed"
    level = "error"
    direction = "operation"
    summary = "An operation's security requirement changed."


KINDS: tuple[type[ChangeKind], ...] = (
    SecuritySchemeAdded,
    SecuritySchemeRemoved,
    SecuritySchemeChanged,
    SecurityScopeAdded,
    SecurityScopeRemoved,
    OperationSecurityChanged,
)


def compare_document(ctx: Context) -> None:
    """The schemes both documents define."""
    old, new = ctx.old.schemes, ctx.new.schemes
    add = ctx.changes.add
    for name, o in old.items():
        n = new.get(name)
        if n is None:
            add(
                SecuritySchemeRemoved,
                f"security scheme {name!r} was removed",
                old=o.pointer,
                new=None,
                op=None,
            )
            continue
        if (o.type, o.detail) != (n.type, n.detail):
            add(
                SecuritySchemeChanged,
                f"security scheme {name!r} changed",
                old=o.pointer,
                new=n.pointer,
                op=None,
            )
        for flow, scopes in o.scopes.items():
            now = n.scopes.get(flow, frozenset())
            for scope in sorted(scopes - now):
                message = f"scope {scope!r} was removed from {name!r} ({flow})"
                add(SecurityScopeRemoved, message, old=o.pointer, new=n.pointer, op=None)
        for flow, scopes in n.scopes.items():
            before = o.scopes.get(flow, frozenset())
            for scope in sorted(scopes - before):
                message = f"scope {scope!r} was added to {name!r} ({flow})"
                add(SecurityScopeAdded, message, old=o.pointer, new=n.pointer, op=None)
    for name, n in new.items():
        if name not in old:
            add(
                SecuritySchemeAdded,
                f"security scheme {name!r} was added",
                old=None,
                new=n.pointer,
                op=None,
            )


def compare(ctx: Context, pair: Pair) -> None:
    """The effective security requirement of a matched pair."""
    o, n = pair.old.security, pair.new.security
    if (o or frozenset()) == (n or frozenset()):
        return
    message = f"security changed from {_show(o)} to {_show(n)}"
    ctx.changes.add(
        OperationSecurityChanged,
        message,
        old=pair.old.security_pointer,
        new=pair.new.security_pointer,
        op=pair.new.ref,
    )


def _show(requirements: frozenset[Requirement] | None) -> str:
    if not requirements:
        return "none"
    alternatives = sorted(
        " + ".join(
            f"{name}[{', '.join(sorted(scopes))}]" if scopes else name
            for name, scopes in sorted(req, key=lambda item: item[0])
        )
        or "anonymous"
        for req in requirements
    )
    return " or ".join(alternatives)

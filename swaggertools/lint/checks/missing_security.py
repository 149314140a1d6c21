"""No AIM security scheme, or operations that no security requirement covers.

Work Tasks calls MES with an AVEVA Identity Manager (AIM) token: a user access token or
a service-to-service token. A Web API definition without an AIM scheme, or with
operations that allow anonymous calls (no requirement, `security: []`, or an empty
requirement `{}`), will not send one. `swaggertools clean --authority URL` adds both.
An AIM scheme is `aimUserToken` / `aimServiceToken`, or any OAuth2 scheme whose URLs
end in AIM's `/connect/authorize` or `/connect/token`.

Failing (Swagger 2.0)::

    paths: {/items: {get: {operationId: ListItems, ...}}}     # no securityDefinitions

Passing::

    securityDefinitions:
      aimUserToken: {type: oauth2, flow: accessCode, ...}
    security: [{aimUserToken: []}]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from swaggertools.index import requirement_names
from swaggertools.lint.context import Hit, LintContext
from swaggertools.model import Severity
from swaggertools.pointer import get, join, split
from swaggertools.security import SERVICE_SCHEME, USER_SCHEME

ID = "missing-security"
SEVERITY = Severity.WARNING
SUMMARY = "No AIM security scheme, or operations not covered by a security requirement."

_AIM_ENDPOINTS = ("/connect/authorize", "/connect/token")


def check(ctx: LintContext) -> Iterator[Hit]:
    """One hit for a missing AIM scheme; one per uncovered operation (or one for all)."""
    container = ctx.version.facts.security_container
    schemes = get(ctx.doc, list(container))
    aim = _aim_schemes(schemes if isinstance(schemes, dict) else {})
    if not aim:
        yield (
            join(container) if isinstance(schemes, dict) else "#",
            "no AIM security scheme (aimUserToken or aimServiceToken): Work Tasks will not "
            "send an AIM token; run `swaggertools clean --authority URL` to add them",
        )
        # Without an AIM scheme no operation can be AIM-secured: per-operation findings
        # (or the "none of N" summary) would only repeat this one.
        return
    global_security = ctx.doc.get("security")
    uncovered: list[Hit] = []
    for op in ctx.index.operations:
        node = get(ctx.doc, split(op.pointer))
        requirement = node.get("security", global_security) if isinstance(node, dict) else None
        name = op.operation_id or f"{op.method.upper()} {op.path}"
        if not _required(requirement):
            uncovered.append((op.pointer, f"{name} can be called without a token"))
        elif not requirement_names(requirement) & aim:
            uncovered.append((op.pointer, f"{name} is not secured by an AIM scheme"))
    if uncovered and len(uncovered) == len(ctx.index.operations) and len(uncovered) > 1:
        # The whole file is open: one finding says it better than thousands.
        yield (
            "#/security" if "security" in ctx.doc else "#",
            f"none of the {len(uncovered)} operations is covered by an AIM security "
            "requirement (set a global `security`)",
        )
    else:
        yield from uncovered


def _required(requirement: Any) -> bool:
    """True when every alternative of the requirement list demands some scheme."""
    if not isinstance(requirement, list) or not requirement:
        return False
    return all(isinstance(r, dict) and r for r in requirement)


def _aim_schemes(schemes: dict[str, Any]) -> set[str]:
    names = set()
    for name, scheme in schemes.items():
        if name in (USER_SCHEME, SERVICE_SCHEME) or (
            isinstance(scheme, dict)
            and scheme.get("type") == "oauth2"
            and any(url.rstrip("/").endswith(_AIM_ENDPOINTS) for url in _urls(scheme))
        ):
            names.add(name)
    return names


def _urls(scheme: dict[str, Any]) -> Iterator[str]:
    candidates = [scheme]
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        candidates += [f for f in flows.values() if isinstance(f, dict)]
    for holder in candidates:
        for key in ("authorizationUrl", "tokenUrl"):
            value = holder.get(key)
            if isinstance(value, str):
                yield value

"""AIM security: schemes and requirements for user and service tokens, per spec version.

Work Tasks needs one Web API definition per authentication mode, so `both` yields two
documents. Every change is copy-on-write on top of the pruned document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import SecurityConflictError, UsageError
from .model import HTTP_METHODS, AuthMode
from .pointer import get as get_in
from .pointer import join
from .prune import Pruned, drop_unreferenced_schemes
from .versions import SpecVersion

_METHODS = frozenset(HTTP_METHODS)

USER_SCHEME = "aimUserToken"
SERVICE_SCHEME = "aimServiceToken"
VARIANTS: dict[str, tuple[str, ...]] = {
    "user": ("user",),
    "service": ("service",),
    "both": ("user", "service"),
    "combined": ("clean",),
    "none": ("clean",),
}
"""Output variants per mode; each variant is one output file `<stem>.<variant>.<ext>`."""

UNAUTHORIZED = (
    "Unauthorized: the AIM access token is missing, invalid or expired. User tokens are "
    "not synchronized across redundant AIM nodes: after an AIM failover users must sign "
    "in again."
)
AIM_UNREACHABLE = (
    "Internal server error. MES also returns 500 when AVEVA Identity Manager (the System "
    "Management Server) is offline and a token cannot be obtained or verified."
)


@dataclass
class SecurityOutcome:
    """What the security stage did to one variant."""

    variant: str
    schemes: list[str]
    operation_overrides: list[str] = field(default_factory=list)
    overrides_replaced: bool = False
    previous_global: Any = None
    auth_errors_added: int = 0
    pruned: list[Pruned] = field(default_factory=list)


def normalize_authority(authority: str | None, auth: AuthMode) -> str | None:
    """Check the AIM authority URL; required unless auth is none."""
    if auth == "none":
        return authority.rstrip("/") if authority else None
    if not authority:
        raise UsageError(
            f"--authority is required with --auth {auth} "
            "(the AIM base URL, e.g. https://sms.plant.local/identitymanager)"
        )
    parts = urlsplit(authority)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise UsageError(f"--authority must be an http(s) URL, not {authority!r}")
    if parts.query or parts.fragment:
        raise UsageError("--authority must not have a query or fragment")
    return authority.rstrip("/")


def scheme_definitions(version: SpecVersion, authority: str) -> dict[str, dict[str, Any]]:
    """Return the two AIM schemes in the form the spec version wants."""
    token = f"{authority}/connect/token"
    authorize = f"{authority}/connect/authorize"
    user_text = "AVEVA Identity Manager (AIM) user access token (OAuth2 authorization code)."
    service_text = (
        "AVEVA Identity Manager (AIM) service-to-service token (OAuth2 client credentials); "
        "MES runs the call as its Default Background User."
    )
    if version.facts.is_v2:
        return {
            USER_SCHEME: {
                "type": "oauth2",
                "description": user_text,
                "flow": "accessCode",
                "authorizationUrl": authorize,
                "tokenUrl": token,
                "scopes": {},
            },
            SERVICE_SCHEME: {
                "type": "oauth2",
                "description": service_text,
                "flow": "application",
                "tokenUrl": token,
                "scopes": {},
            },
        }
    return {
        USER_SCHEME: {
            "type": "oauth2",
            "description": user_text,
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": authorize,
                    "tokenUrl": token,
                    "scopes": {},
                }
            },
        },
        SERVICE_SCHEME: {
            "type": "oauth2",
            "description": service_text,
            "flows": {"clientCredentials": {"tokenUrl": token, "scopes": {}}},
        },
    }


def _schemes_for(variant: str, auth: AuthMode) -> list[str]:
    if variant == "user":
        return [USER_SCHEME]
    if variant == "service":
        return [SERVICE_SCHEME]
    return [USER_SCHEME, SERVICE_SCHEME] if auth == "combined" else []


def check_conflicts(
    doc: dict[str, Any], version: SpecVersion, authority: str, auth: AuthMode, replace: bool
) -> None:
    """Refuse an existing scheme with one of our names but another definition."""
    if auth == "none" or replace:
        return
    container = version.facts.security_container
    existing = get_in(doc, container)
    if not isinstance(existing, dict):
        return
    ours = scheme_definitions(version, authority)
    wanted = {s for v in VARIANTS[auth] for s in _schemes_for(v, auth)}
    for name in sorted(wanted):
        if name in existing and existing[name] != ours[name]:
            raise SecurityConflictError(
                f"security scheme {name!r} already exists with a different definition; "
                "use --replace-security to replace it",
                pointer=join((*container, name)),
            )


def secure(
    doc: dict[str, Any],
    version: SpecVersion,
    variant: str,
    *,
    auth: AuthMode,
    authority: str | None,
    replace: bool,
    document_auth_errors: bool,
    memo: dict[Any, Any] | None = None,
) -> tuple[dict[str, Any], SecurityOutcome]:
    """Return a copy of doc with the variant's AIM schemes and requirements.

    Pass the same `memo` dict for every variant of one document: the variants then share
    every operation (and, usually, the whole `paths` object) whose change does not depend
    on the variant, instead of each copying all of them.
    """
    names = _schemes_for(variant, auth)
    outcome = SecurityOutcome(variant=variant, schemes=names)
    if not names or authority is None:
        return doc, outcome
    defs = scheme_definitions(version, authority)
    out = dict(doc)

    container = version.facts.security_container
    parent: dict[str, Any] = out
    for token in container[:-1]:
        child = parent.get(token)
        parent[token] = dict(child) if isinstance(child, dict) else {}
        parent = parent[token]
    existing = parent.get(container[-1])
    schemes = dict(existing) if isinstance(existing, dict) else {}
    for name in names:
        schemes[name] = defs[name]
    parent[container[-1]] = schemes

    requirement: list[dict[str, list[str]]] = [{name: []} for name in names]
    if "security" in doc and doc["security"] != requirement:
        outcome.previous_global = doc["security"]
    out["security"] = requirement

    memo = {} if memo is None else memo
    paths = out.get("paths")
    if isinstance(paths, dict):
        out["paths"] = _secure_paths(paths, names, outcome, replace, document_auth_errors, memo)

    outcome.pruned = drop_unreferenced_schemes(out, container, memo)
    return out, outcome


def _secure_paths(
    paths: dict[str, Any],
    names: list[str],
    outcome: SecurityOutcome,
    replace: bool,
    document_auth_errors: bool,
    memo: dict[Any, Any],
) -> dict[str, Any]:
    """The paths with operation-level changes: overrides dropped, AIM responses added.

    What happens to an operation depends on the variant only through one question: does
    its effective requirement name one of the variant's schemes? (Without its own
    `security`, or with it replaced, the answer is always yes.) So the answers for all
    operations decide the result: a variant with the same answers as an earlier one gets
    the earlier variant's `paths` object, and one with other answers still shares every
    operation whose own answer is the same.
    """
    found: list[tuple[str, str, dict[str, Any], bool]] = []
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if method in _METHODS and isinstance(op, dict):
                keeps_own = "security" in op and not replace
                uses_aim = _names_any(op["security"], names) if keeps_own else True
                found.append((path, method, op, uses_aim))

    key = ("paths", id(paths), tuple(f[3] for f in found))
    if key not in memo:
        memo[key] = _rebuild_paths(paths, found, replace, document_auth_errors, memo)
    new_paths, overrides, added = memo[key]
    outcome.operation_overrides = list(overrides)
    outcome.overrides_replaced = replace and bool(overrides)
    outcome.auth_errors_added = added
    return new_paths  # type: ignore[no-any-return]


def _rebuild_paths(
    paths: dict[str, Any],
    found: list[tuple[str, str, dict[str, Any], bool]],
    replace: bool,
    document_auth_errors: bool,
    memo: dict[Any, Any],
) -> tuple[dict[str, Any], list[str], int]:
    overrides: list[str] = []
    added = 0
    new_ops: dict[tuple[str, str], dict[str, Any]] = {}
    for path, method, op, uses_aim in found:
        if "security" in op:
            overrides.append(join(("paths", path, method, "security")))
        op_key = ("op", id(op), uses_aim)
        if op_key not in memo:
            new_op = {k: v for k, v in op.items() if k != "security"} if replace else op
            count = 0
            # An operation that keeps its own requirement without our schemes (e.g.
            # `security: []`, an API key) does not use AIM: no AIM responses for it.
            if document_auth_errors and uses_aim:
                new_op, count = _add_auth_errors(new_op)
            memo[op_key] = (new_op, count)
        new_op, count = memo[op_key]
        added += count
        new_ops[(path, method)] = new_op
    new_paths: dict[str, Any] = {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            new_paths[path] = item
            continue
        new_item = dict(item)
        for method in item:
            if (path, method) in new_ops:
                new_item[method] = new_ops[(path, method)]
        new_paths[path] = new_item
    return new_paths, overrides, added


def _names_any(requirement: Any, names: list[str]) -> bool:
    """True when a security requirement list names one of the given schemes."""
    return isinstance(requirement, list) and any(
        isinstance(alternative, dict) and any(n in alternative for n in names)
        for alternative in requirement
    )


def _add_auth_errors(op: dict[str, Any]) -> tuple[dict[str, Any], int]:
    responses = op.get("responses")
    if not isinstance(responses, dict):
        return op, 0
    missing = [code for code in ("401", "500") if code not in responses]
    if not missing:
        return op, 0
    new_responses = dict(responses)
    for code in missing:
        new_responses[code] = {"description": UNAUTHORIZED if code == "401" else AIM_UNREACHABLE}
    new_op = dict(op)
    new_op["responses"] = new_responses
    return new_op, len(missing)

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
) -> tuple[dict[str, Any], SecurityOutcome]:
    """Return a copy of doc with the variant's AIM schemes and requirements."""
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

    paths = out.get("paths")
    if isinstance(paths, dict):
        new_paths: dict[str, Any] = {}
        for path, item in paths.items():
            if not isinstance(item, dict):
                new_paths[path] = item
                continue
            new_item = dict(item)
            for method, op in item.items():
                if method not in HTTP_METHODS or not isinstance(op, dict):
                    continue
                new_op = op
                if "security" in op:
                    outcome.operation_overrides.append(join(("paths", path, method, "security")))
                    if replace:
                        new_op = {k: v for k, v in op.items() if k != "security"}
                        outcome.overrides_replaced = True
                # An operation that keeps its own requirement without our schemes (e.g.
                # `security: []`, an API key) does not use AIM: no AIM responses for it.
                effective = new_op.get("security", requirement)
                if document_auth_errors and _names_any(effective, names):
                    new_op, added = _add_auth_errors(new_op)
                    outcome.auth_errors_added += added
                new_item[method] = new_op
            new_paths[path] = new_item
        out["paths"] = new_paths

    outcome.pruned = drop_unreferenced_schemes(out, container)
    return out, outcome


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

"""Unit tests for swaggertools.security: AIM schemes, requirements and auth responses."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from swaggertools.errors import SecurityConflictError, UsageError
from swaggertools.model import AuthMode
from swaggertools.security import (
    AIM_UNREACHABLE,
    SERVICE_SCHEME,
    UNAUTHORIZED,
    USER_SCHEME,
    VARIANTS,
    SecurityOutcome,
    check_conflicts,
    normalize_authority,
    scheme_definitions,
    secure,
)
from swaggertools.versions import SpecVersion, detect

AUTHORITY = "https://sms.plant.local/identitymanager"
AUTHORIZE = f"{AUTHORITY}/connect/authorize"
TOKEN = f"{AUTHORITY}/connect/token"


def _version(doc: dict[str, Any]) -> SpecVersion:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    return version


def _doc(family: str) -> dict[str, Any]:
    head: dict[str, Any] = (
        {"swagger": "2.0"}
        if family == "2.0"
        else {"openapi": "3.0.3" if family == "3.0" else "3.1.0"}
    )
    return {
        **head,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {"operationId": "a_get", "responses": {"200": {"description": "ok"}}},
                "post": {
                    "operationId": "a_post",
                    "responses": {"401": {"description": "mine"}, "200": {"description": "ok"}},
                },
                "parameters": [],
            },
            "/b": {"delete": {"operationId": "b_delete"}},
        },
    }


def _secure(
    doc: dict[str, Any],
    variant: str,
    auth: AuthMode,
    *,
    replace: bool = False,
    errors: bool = True,
) -> tuple[dict[str, Any], SecurityOutcome]:
    before = copy.deepcopy(doc)
    out, outcome = secure(
        doc,
        _version(doc),
        variant,
        auth=auth,
        authority=AUTHORITY,
        replace=replace,
        document_auth_errors=errors,
    )
    assert doc == before, "the input document was mutated"
    return out, outcome


V2_USER = {
    "type": "oauth2",
    "description": "AVEVA Identity Manager (AIM) user access token (OAuth2 authorization code).",
    "flow": "accessCode",
    "authorizationUrl": AUTHORIZE,
    "tokenUrl": TOKEN,
    "scopes": {},
}
V2_SERVICE_FLOW = {"type": "oauth2", "flow": "application", "tokenUrl": TOKEN, "scopes": {}}
V3_USER_FLOWS = {
    "authorizationCode": {"authorizationUrl": AUTHORIZE, "tokenUrl": TOKEN, "scopes": {}}
}
V3_SERVICE_FLOWS = {"clientCredentials": {"tokenUrl": TOKEN, "scopes": {}}}


def test_variants_per_mode() -> None:
    assert VARIANTS == {
        "user": ("user",),
        "service": ("service",),
        "both": ("user", "service"),
        "combined": ("clean",),
        "none": ("clean",),
    }


def test_v2_scheme_definitions() -> None:
    defs = scheme_definitions(_version({"swagger": "2.0"}), AUTHORITY)
    assert list(defs) == [USER_SCHEME, SERVICE_SCHEME] == ["aimUserToken", "aimServiceToken"]
    assert defs[USER_SCHEME] == V2_USER
    service = dict(defs[SERVICE_SCHEME])
    assert "Default Background User" in service.pop("description")
    assert service == V2_SERVICE_FLOW


@pytest.mark.parametrize("declared", ["3.0.3", "3.1.0"])
def test_v3_scheme_definitions(declared: str) -> None:
    defs = scheme_definitions(_version({"openapi": declared}), AUTHORITY)
    assert defs[USER_SCHEME]["type"] == "oauth2"
    assert defs[USER_SCHEME]["flows"] == V3_USER_FLOWS
    assert defs[SERVICE_SCHEME]["type"] == "oauth2"
    assert defs[SERVICE_SCHEME]["flows"] == V3_SERVICE_FLOWS
    assert "flow" not in defs[USER_SCHEME]


def test_v2_user_mode() -> None:
    out, outcome = _secure(_doc("2.0"), "user", "user")
    assert out["securityDefinitions"] == {USER_SCHEME: V2_USER}
    assert out["security"] == [{USER_SCHEME: []}]
    assert outcome.schemes == [USER_SCHEME]
    assert outcome.variant == "user"
    assert outcome.previous_global is None
    assert outcome.operation_overrides == []
    assert outcome.pruned == []


def test_v2_service_mode() -> None:
    out, outcome = _secure(_doc("2.0"), "service", "service")
    assert list(out["securityDefinitions"]) == [SERVICE_SCHEME]
    assert out["securityDefinitions"][SERVICE_SCHEME]["flow"] == "application"
    assert out["securityDefinitions"][SERVICE_SCHEME]["tokenUrl"] == TOKEN
    assert out["security"] == [{SERVICE_SCHEME: []}]
    assert outcome.schemes == [SERVICE_SCHEME]


def test_both_mode_gives_one_scheme_per_variant() -> None:
    doc = _doc("3.0")
    user, _ = _secure(doc, "user", "both")
    service, _ = _secure(doc, "service", "both")
    assert list(user["components"]["securitySchemes"]) == [USER_SCHEME]
    assert user["security"] == [{USER_SCHEME: []}]
    assert list(service["components"]["securitySchemes"]) == [SERVICE_SCHEME]
    assert service["security"] == [{SERVICE_SCHEME: []}]


@pytest.mark.parametrize("family", ["3.0", "3.1"])
def test_v3_combined_mode(family: str) -> None:
    out, outcome = _secure(_doc(family), "clean", "combined")
    schemes = out["components"]["securitySchemes"]
    assert list(schemes) == [USER_SCHEME, SERVICE_SCHEME]
    assert schemes[USER_SCHEME]["flows"] == V3_USER_FLOWS
    assert schemes[SERVICE_SCHEME]["flows"] == V3_SERVICE_FLOWS
    # either token is accepted: two alternative requirements
    assert out["security"] == [{USER_SCHEME: []}, {SERVICE_SCHEME: []}]
    assert outcome.schemes == [USER_SCHEME, SERVICE_SCHEME]
    assert "securityDefinitions" not in out


def test_v3_keeps_existing_components() -> None:
    doc = _doc("3.0")
    doc["components"] = {"schemas": {"A": {"type": "string"}}}
    out, _ = _secure(doc, "user", "user")
    assert out["components"]["schemas"] is doc["components"]["schemas"]
    assert list(out["components"]) == ["schemas", "securitySchemes"]
    assert "securitySchemes" not in doc["components"]


def test_none_mode_changes_nothing() -> None:
    doc = _doc("2.0")
    out, outcome = _secure(doc, "clean", "none")
    assert out is doc
    assert outcome.schemes == []
    assert outcome.auth_errors_added == 0


def test_no_authority_changes_nothing() -> None:
    doc = _doc("2.0")
    out, outcome = secure(
        doc,
        _version(doc),
        "user",
        auth="user",
        authority=None,
        replace=False,
        document_auth_errors=True,
    )
    assert out is doc
    assert outcome.schemes == [USER_SCHEME]


def test_auth_errors_added_only_where_missing() -> None:
    out, outcome = _secure(_doc("2.0"), "user", "user")
    get = out["paths"]["/a"]["get"]["responses"]
    post = out["paths"]["/a"]["post"]["responses"]
    assert get == {
        "200": {"description": "ok"},
        "401": {"description": UNAUTHORIZED},
        "500": {"description": AIM_UNREACHABLE},
    }
    assert post == {
        "401": {"description": "mine"},
        "200": {"description": "ok"},
        "500": {"description": AIM_UNREACHABLE},
    }
    # an operation without responses is left as it is
    assert out["paths"]["/b"]["delete"] == {"operationId": "b_delete"}
    assert out["paths"]["/a"]["parameters"] == []
    assert outcome.auth_errors_added == 3
    assert "AIM" in UNAUTHORIZED
    assert "500" not in UNAUTHORIZED


def test_auth_errors_not_added_when_disabled() -> None:
    doc = _doc("3.0")
    out, outcome = _secure(doc, "user", "user", errors=False)
    assert out["paths"]["/a"]["get"] is doc["paths"]["/a"]["get"]
    assert outcome.auth_errors_added == 0


def test_already_complete_responses_untouched() -> None:
    doc = _doc("2.0")
    doc["paths"] = {
        "/x": {
            "get": {
                "responses": {
                    "200": {"description": "ok"},
                    "401": {"description": "a"},
                    "500": {"description": "b"},
                }
            }
        }
    }
    out, outcome = _secure(doc, "user", "user")
    assert out["paths"]["/x"]["get"] is doc["paths"]["/x"]["get"]
    assert outcome.auth_errors_added == 0


def test_conflicting_scheme_refused() -> None:
    doc = _doc("2.0")
    doc["securityDefinitions"] = {USER_SCHEME: {"type": "basic"}}
    with pytest.raises(SecurityConflictError) as info:
        check_conflicts(doc, _version(doc), AUTHORITY, "user", replace=False)
    assert info.value.pointer == "#/securityDefinitions/aimUserToken"
    assert info.value.one_line() == (
        "#/securityDefinitions/aimUserToken: security scheme 'aimUserToken' already exists "
        "with a different definition; use --replace-security to replace it"
    )


def test_conflict_v3_pointer_and_modes() -> None:
    doc = _doc("3.1")
    doc["components"] = {"securitySchemes": {SERVICE_SCHEME: {"type": "http", "scheme": "basic"}}}
    version = _version(doc)
    with pytest.raises(SecurityConflictError) as info:
        check_conflicts(doc, version, AUTHORITY, "both", replace=False)
    assert info.value.pointer == "#/components/securitySchemes/aimServiceToken"
    with pytest.raises(SecurityConflictError):
        check_conflicts(doc, version, AUTHORITY, "combined", replace=False)
    # modes that do not add the colliding scheme, replace=True and none are fine
    check_conflicts(doc, version, AUTHORITY, "user", replace=False)
    check_conflicts(doc, version, AUTHORITY, "service", replace=True)
    check_conflicts(doc, version, AUTHORITY, "none", replace=False)


def test_identical_existing_scheme_is_not_a_conflict() -> None:
    doc = _doc("2.0")
    doc["securityDefinitions"] = {USER_SCHEME: copy.deepcopy(V2_USER)}
    check_conflicts(doc, _version(doc), AUTHORITY, "user", replace=False)
    out, _ = _secure(doc, "user", "user")
    assert out["securityDefinitions"] == {USER_SCHEME: V2_USER}


def test_replace_overwrites_conflicting_scheme() -> None:
    doc = _doc("2.0")
    doc["securityDefinitions"] = {USER_SCHEME: {"type": "basic"}}
    out, _ = _secure(doc, "user", "user", replace=True)
    assert out["securityDefinitions"][USER_SCHEME] == V2_USER
    assert doc["securityDefinitions"][USER_SCHEME] == {"type": "basic"}


def test_operation_security_reported_and_left_alone() -> None:
    doc = _doc("3.0")
    doc["paths"]["/a"]["get"]["security"] = [{"legacy": []}]
    doc["components"] = {"securitySchemes": {"legacy": {"type": "http", "scheme": "basic"}}}
    out, outcome = _secure(doc, "user", "user")
    assert outcome.operation_overrides == ["#/paths/~1a/get/security"]
    assert outcome.overrides_replaced is False
    assert out["paths"]["/a"]["get"]["security"] == [{"legacy": []}]
    # still referenced by the operation, so the scheme stays
    assert list(out["components"]["securitySchemes"]) == ["legacy", USER_SCHEME]
    assert outcome.pruned == []


def test_operation_security_removed_with_replace() -> None:
    doc = _doc("3.0")
    doc["paths"]["/a"]["get"]["security"] = [{"legacy": []}]
    doc["components"] = {"securitySchemes": {"legacy": {"type": "http", "scheme": "basic"}}}
    out, outcome = _secure(doc, "user", "user", replace=True)
    assert outcome.operation_overrides == ["#/paths/~1a/get/security"]
    assert outcome.overrides_replaced is True
    assert "security" not in out["paths"]["/a"]["get"]
    assert doc["paths"]["/a"]["get"]["security"] == [{"legacy": []}]
    assert list(out["components"]["securitySchemes"]) == [USER_SCHEME]
    assert [(p.pointer, p.cause, p.name) for p in outcome.pruned] == [
        ("#/components/securitySchemes/legacy", "unreferenced-security-scheme", "legacy")
    ]


def test_previous_global_security_recorded_and_scheme_dropped() -> None:
    doc = _doc("2.0")
    doc["securityDefinitions"] = {"basicAuth": {"type": "basic"}}
    doc["security"] = [{"basicAuth": []}]
    out, outcome = _secure(doc, "service", "service")
    assert outcome.previous_global == [{"basicAuth": []}]
    assert out["security"] == [{SERVICE_SCHEME: []}]
    assert list(out["securityDefinitions"]) == [SERVICE_SCHEME]
    assert [(p.pointer, p.kind, p.name) for p in outcome.pruned] == [
        ("#/securityDefinitions/basicAuth", "securityDefinitions", "basicAuth")
    ]


def test_same_global_security_is_not_previous() -> None:
    doc = _doc("2.0")
    doc["security"] = [{USER_SCHEME: []}]
    _, outcome = _secure(doc, "user", "user")
    assert outcome.previous_global is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://sms.plant.local/identitymanager", "https://sms.plant.local/identitymanager"),
        ("https://sms.plant.local/identitymanager/", "https://sms.plant.local/identitymanager"),
        ("http://sms:8080//", "http://sms:8080"),
    ],
)
def test_normalize_authority_strips_trailing_slash(value: str, expected: str) -> None:
    assert normalize_authority(value, "user") == expected


def test_normalize_authority_missing() -> None:
    with pytest.raises(UsageError) as info:
        normalize_authority(None, "both")
    assert info.value.one_line() == (
        "--authority is required with --auth both "
        "(the AIM base URL, e.g. https://sms.plant.local/identitymanager)"
    )
    with pytest.raises(UsageError, match="--authority is required with --auth service"):
        normalize_authority("", "service")


@pytest.mark.parametrize("value", ["sms.plant.local", "ftp://sms/x", "https://", "/connect"])
def test_normalize_authority_not_a_url(value: str) -> None:
    with pytest.raises(UsageError) as info:
        normalize_authority(value, "user")
    assert info.value.one_line() == f"--authority must be an http(s) URL, not {value!r}"


def test_normalize_authority_query_or_fragment() -> None:
    with pytest.raises(UsageError, match="must not have a query or fragment"):
        normalize_authority("https://sms/x?a=1", "user")
    with pytest.raises(UsageError, match="must not have a query or fragment"):
        normalize_authority("https://sms/x#frag", "user")


def test_normalize_authority_optional_for_none() -> None:
    assert normalize_authority(None, "none") is None
    assert normalize_authority("https://x/", "none") == "https://x"


def test_auth_errors_only_on_operations_that_use_aim() -> None:
    doc = _doc("3.0")
    doc["paths"]["/a"]["get"]["security"] = [{"apiKey": []}]
    doc["paths"]["/a"]["post"]["security"] = []
    doc["paths"]["/c"] = {
        "put": {"security": [{USER_SCHEME: []}], "responses": {"200": {"description": "ok"}}}
    }
    out, outcome = _secure(doc, "user", "user")
    assert list(out["paths"]["/a"]["get"]["responses"]) == ["200"]
    assert list(out["paths"]["/a"]["post"]["responses"]) == ["401", "200"]
    assert list(out["paths"]["/c"]["put"]["responses"]) == ["200", "401", "500"]
    assert outcome.auth_errors_added == 2
    replaced, outcome = _secure(doc, "user", "user", replace=True)
    assert list(replaced["paths"]["/a"]["get"]["responses"]) == ["200", "401", "500"]
    assert list(replaced["paths"]["/a"]["post"]["responses"]) == ["401", "200", "500"]
    assert outcome.auth_errors_added == 5


def test_replacing_global_security_keeps_schemes_named_in_callbacks(
    callback_spec: dict[str, Any],
) -> None:
    from swaggertools.security import secure

    doc = callback_spec
    doc["security"] = [{"oldKey": []}]
    doc["components"]["securitySchemes"] = {
        "oldKey": {"type": "apiKey", "in": "header", "name": "X-Old"},
        **doc["components"]["securitySchemes"],
    }
    version = detect(doc)
    assert not isinstance(version, str)
    out, outcome = secure(
        doc,
        version,
        "user",
        auth="user",
        authority="https://aim/identitymanager",
        replace=False,
        document_auth_errors=False,
    )
    assert list(out["components"]["securitySchemes"]) == ["hookKey", "aimUserToken"]
    assert outcome.previous_global == [{"oldKey": []}]
    assert [p.name for p in outcome.pruned] == ["oldKey"]

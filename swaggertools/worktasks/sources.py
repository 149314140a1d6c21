"""The pages every fact of the import kit cites.

Each entry is a public documentation page, mostly AVEVA's (the facts are collected in the
project's DOMAIN notes). The import sheet cites these by key and lists them at its end, so a
reader can check each step against the vendor's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

_AVEVA = "https://docs.aveva.com/bundle/{bundle}/page/{page}"


@dataclass(frozen=True)
class Source:
    """One cited page: a short label, its URL and what the sheet takes from it."""

    label: str
    url: str
    about: str


def _aveva(bundle: str, page: str, about: str) -> Source:
    return Source(f"AVEVA {bundle} {page}", _AVEVA.format(bundle=bundle, page=page), about)


SOURCES: dict[str, Source] = {
    "mes-base": _aveva(
        "mes-web-api-v3",
        "topic3.html",
        "MES Web API base address https://<fqdn>/mesmw/, self-hosted, port 443 by default",
    ),
    "mes-status": _aveva(
        "mes-web-api-v3",
        "topic8.html",
        "status codes; 500 when the System Management Server running AIM is offline",
    ),
    "mes-aim-1": _aveva(
        "mes-web-api-v3",
        "topic11.html",
        "AIM authentication for the MES Web API (user and service-to-service tokens)",
    ),
    "mes-aim-2": _aveva(
        "mes-web-api-v3",
        "topic12.html",
        "AIM authentication for the MES Web API (user and service-to-service tokens)",
    ),
    "mes-tokens": _aveva(
        "mes-web-api-v3",
        "topic20.html",
        "service-to-service tokens for the MES Web API: client registration, token lifetime",
    ),
    "mes-list-item": _aveva(
        "mes-web-api-v3",
        "topic16.html",
        "Web API list item for MES: Base Address with trailing slash, Request URI api, "
        "Authentication Mode User Access Token or Service to Service Access Token",
    ),
    "mes-invoke": _aveva(
        "mes-web-api-v3",
        "topic17.html",
        "calling MES from a workflow's Invoke Web API activity",
    ),
    "mdmes-failover": _aveva(
        "model-driven-mes-7.0",
        "topic12.htm.html",
        "user tokens are not synchronized across redundant AIM nodes (sign in again after "
        "a failover); 500 when AIM is offline",
    ),
    "mdmes-no-endpoint": _aveva(
        "model-driven-mes-7.0",
        "1293795.html",
        "Stateless API methods without web endpoints, excluded from the model-driven Swagger file",
    ),
    "mdmes-replaced": _aveva(
        "model-driven-mes-7.0",
        "1293794.html",
        "Stateless API methods excluded because a newer Web API endpoint replaces them",
    ),
    "mdmes-s2s": _aveva(
        "model-driven-mes-7.0",
        "1259361.html",
        "service-to-service access from Work Tasks to MES (Authority, Audience, client "
        "registration)",
    ),
    "mdmes-s2s-2": _aveva(
        "model-driven-mes-7.0",
        "1259362.html",
        "service-to-service access from Work Tasks to MES (continued)",
    ),
    "mes-client-id": _aveva(
        "manufacturing-execution-system",
        "1057664.html",
        "MES 2023 R2: service-to-service settings of the Web API list item",
    ),
    "wt-list": _aveva(
        "work-tasks",
        "webapis.html",
        "Enterprise Console → Settings → Web API list",
    ),
    "wt-source": _aveva(
        "work-tasks",
        "738916.html",
        "Web API Source: Name, Description, Swagger Url, Base Address; its Authentication "
        "Mode options",
    ),
    "wt-types": _aveva(
        "work-tasks",
        "724528.html",
        "Web API Type files in <Install Folder>\\Resources\\WebAPI\\, their elements and "
        "Mode values",
    ),
    "wt-client-credentials": _aveva(
        "work-tasks",
        "765030.html",
        "Work Tasks' client-credential helper asks AIM for scope system",
    ),
    "wt-invoke": _aveva(
        "work-tasks",
        "InvokeWebAPIConfigureWebAPI.html",
        "Invoke Web API activity: Web API, Operation Group, Operation",
    ),
    "wt-aim": _aveva(
        "work-tasks",
        "WebAPIwithAIMAuthentication.html",
        "Web API with AIM authentication: the signed-in user's token as a bearer header",
    ),
    "iis-mimemap": Source(
        "Microsoft IIS mimeMap",
        "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/staticcontent/mimemap",
        "IIS serves only file extensions it has a MIME type for; <mimeMap> adds one",
    ),
    "rfc9512": Source(
        "RFC 9512",
        "https://www.rfc-editor.org/rfc/rfc9512.html",
        "the media type application/yaml",
    ),
    "oidc-discovery": Source(
        "OpenID Connect Discovery 1.0",
        "https://openid.net/specs/openid-connect-discovery-1_0.html",
        "the discovery document at <issuer>/.well-known/openid-configuration",
    ),
}
"""Every page the kit cites, by key."""

S2S: tuple[str, ...] = ("mdmes-s2s", "mdmes-s2s-2", "mes-tokens", "mes-client-id")
"""The pages that together describe service-to-service access (cited as a group, since the
facts are spread over them: Authority and Audience, the client id, the registration script,
the token lifetime)."""
AIM_AUTH: tuple[str, ...] = ("mes-aim-1", "mes-aim-2", "mes-tokens")
"""The MES Web API's AIM pages, cited as a group."""

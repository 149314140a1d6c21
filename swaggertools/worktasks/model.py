"""What a kit is made of, and the checks its inputs pass before anything is written.

The kit has one entry per AIM token mode (user, service): the cleaned spec's file name and
the URL it is published at, the Web API Type name, the values for the Work Tasks forms, and
what an integrator will see (operation groups) and not see (excluded operations).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from swaggertools.errors import UsageError
from swaggertools.model import HTTP_METHODS

Mode = Literal["user", "service"]
MODES: tuple[Mode, ...] = ("user", "service")

XmlAuthMode = Literal["No Authentication", "Windows", "Access Token", "Basic Authentication"]
XML_AUTH_MODES: tuple[XmlAuthMode, ...] = (
    "No Authentication",
    "Windows",
    "Access Token",
    "Basic Authentication",
)
"""The Mode values AVEVA documents for a Web API Type file (work-tasks/page/724528.html)."""

LIST_ITEM_AUTH: dict[Mode, str] = {
    "user": "User Access Token",
    "service": "Service to Service Access Token",
}
"""The list item's Authentication Mode per token mode (mes-web-api-v3/page/topic16.html)."""

NAME_SUFFIX: dict[Mode, str] = {"user": "User", "service": "Service"}
REQUEST_URI = "api"

# Characters a Web API Type name keeps; AVEVA documents no rule, so the set is the one that
# is safe in an XML attribute, a file name and a drop-down alike.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_REPEATED = re.compile(r"-{2,}")
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class KitOptions:
    """The worktasks values besides clean's options; filled once by the CLI or by callers."""

    base_address: str
    """The MES Web API base address, e.g. `https://mes.plant.local/mesmw/`."""
    publish_url: str
    """The folder URL the cleaned specs are served from, e.g. `https://web.plant.local/specs/`."""
    names: Mapping[str, str] | None = None
    """Web API Type name per mode (`user`, `service`); a missing mode gets `<title>-User`…"""
    xml_auth_mode: XmlAuthMode = "Access Token"
    client_id: str | None = None
    """The AIM client id for the service mode, when known (shown in the import sheet)."""
    allow_http: bool = False
    """Accept a plain-http base address (AIM tokens would then travel unencrypted)."""


def check_base_address(url: str, *, allow_http: bool) -> str:
    """The base address: absolute https (http with allow_http), ending with `/`."""
    parts = _url("--base-address", url)
    if parts.scheme == "http" and not allow_http:
        raise UsageError(
            f"--base-address must be https, not {url!r}: AIM tokens must not travel over "
            "plain http (use --allow-http for a test system)"
        )
    if parts.scheme not in ("https", "http"):
        raise UsageError(f"--base-address must be an absolute https URL, not {url!r}")
    if not url.endswith("/"):
        raise UsageError(
            f"--base-address must end with '/' (Work Tasks requires the trailing slash): {url!r}"
        )
    return url


def check_publish_url(url: str) -> str:
    """The publish URL: absolute http(s); returned with one trailing `/`."""
    parts = _url("--publish-url", url)
    if parts.scheme not in ("https", "http"):
        raise UsageError(f"--publish-url must be an absolute http(s) URL, not {url!r}")
    return url if url.endswith("/") else url + "/"


def check_authority(url: str | None) -> str:
    """The AIM authority: https with a path (e.g. `https://sms/identitymanager`), no slash."""
    if not url:
        raise UsageError(
            "--authority is required (the AIM URL, e.g. https://sms.plant.local/identitymanager)"
        )
    parts = _url("--authority", url)
    if parts.scheme != "https" or parts.path.strip("/") == "":
        raise UsageError(
            f"--authority does not look like an AIM URL (https with a path, e.g. "
            f"https://sms.plant.local/identitymanager): {url!r}"
        )
    return url.rstrip("/")


def _url(option: str, url: str) -> Any:
    if _BAD_URL_CHARS.search(url):
        raise UsageError(f"{option} must not contain spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise UsageError(f"{option} is not a valid URL ({exc}): {url!r}") from None
    if not parts.scheme or not parts.netloc:
        raise UsageError(f"{option} must be an absolute URL (scheme and host), not {url!r}")
    if parts.query or parts.fragment:
        raise UsageError(f"{option} must not have a query or fragment: {url!r}")
    return parts


def reduce_name(name: str) -> str:
    """A Web API Type name in safe characters: ASCII letters, digits, `.`, `_` and `-`.

    Accents are dropped (`Qualität` → `Qualitat`), every other run of characters becomes
    one `-`, and separators at either end are removed.
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _REPEATED.sub("-", _UNSAFE.sub("-", ascii_text)).strip("-._")


def parse_names(values: list[str] | None) -> dict[str, str]:
    """`--name user=MES-User --name service=MES-Service` → {mode: name}."""
    names: dict[str, str] = {}
    for value in values or []:
        mode, sep, name = value.partition("=")
        if not sep or mode not in MODES:
            raise UsageError(
                f"--name takes MODE=NAME with MODE user or service (e.g. --name user=MES-User), "
                f"not {value!r}"
            )
        if mode in names:
            raise UsageError(f"--name gives the {mode} name twice")
        names[mode] = name
    return names


def check_given_names(given: Mapping[str, str] | None) -> None:
    """The names given with --name: each non-empty once reduced, and different."""
    if not given:
        return
    reduced = {mode: reduce_name(name) for mode, name in given.items()}
    for mode, name in reduced.items():
        if not name:
            raise UsageError(
                f"--name {mode}={given[mode]!r} is empty once reduced to A-Z a-z 0-9 . _ -"
            )
    if len({n.casefold() for n in reduced.values()}) < len(reduced):
        raise UsageError(
            f"--name: the user and service names must differ, both are {reduced['user']!r}"
        )


def resolve_names(given: Mapping[str, str] | None, title: str | None) -> dict[Mode, str]:
    """The Web API Type name per mode, reduced; UsageError when empty or not unique."""
    check_given_names(given)
    names: dict[Mode, str] = {}
    for mode in MODES:
        if given and mode in given:
            names[mode] = reduce_name(given[mode])
        else:
            names[mode] = reduce_name(f"{title or ''}-{NAME_SUFFIX[mode]}")
    counts = Counter(n.casefold() for n in names.values())
    if any(c > 1 for c in counts.values()):
        raise UsageError(
            f"--name: the user and service names must differ, both are {names['user']!r}"
        )
    return names


def operation_groups(doc: Mapping[str, Any]) -> tuple[list[tuple[str, int]], int]:
    """The operation groups (tag, operations) and the number of operations without a tag.

    Groups come in the order the tags are declared, then first used.
    Work Tasks groups a Web API's operations by tag ("Operation Group"); an operation with
    two tags is counted in both.
    """
    counts: Counter[str] = Counter()
    order: list[str] = []
    declared = doc.get("tags")
    if isinstance(declared, list):
        order += [
            t["name"] for t in declared if isinstance(t, dict) and isinstance(t.get("name"), str)
        ]
    untagged = 0
    paths = doc.get("paths")
    for item in (paths or {}).values() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            tags = [t for t in op.get("tags") or () if isinstance(t, str)]
            if not tags:
                untagged += 1
            for tag in dict.fromkeys(tags):
                counts[tag] += 1
                if tag not in order:
                    order.append(tag)
    return [(tag, counts[tag]) for tag in dict.fromkeys(order) if counts[tag]], untagged


@dataclass(frozen=True)
class Excluded:
    """An operation `clean` removed: what it was, why, and what to call instead."""

    method: str
    path: str
    operation_id: str | None
    mes_method: str | None
    reason: str
    replacement: str | None


@dataclass(frozen=True)
class ModeEntry:
    """Everything the kit says about one token mode."""

    mode: Mode
    name: str
    spec_file: str
    spec_url: str
    spec_sha256: str
    operations: int
    groups: tuple[tuple[str, int], ...]
    untagged: int
    list_item_auth: str


@dataclass(frozen=True)
class KitModel:
    """The one model the XML, the import sheet (Markdown, later HTML) and kit.json render."""

    title: str | None
    input_path: str
    input_sha256: str
    spec_format: str
    base_address: str
    publish_url: str
    authority: str
    xml_auth_mode: XmlAuthMode
    client_id: str | None
    modes: tuple[ModeEntry, ...]
    excluded: tuple[Excluded, ...]
    report_files: tuple[str, ...]

    @property
    def token_endpoint(self) -> str:
        """The token URL swaggertools wrote into the specs (`<authority>/connect/token`)."""
        return f"{self.authority}/connect/token"

    @property
    def authorize_endpoint(self) -> str:
        """The authorization URL swaggertools wrote into the specs."""
        return f"{self.authority}/connect/authorize"

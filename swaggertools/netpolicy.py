"""The network policy: which hosts and addresses a `$ref` may reach (`--allow-remote`).

Used by `refs` (is this URL allowed at all, before anything is read) and by `fetch` (is
every address the host resolves to allowed, right before connecting). Both ask here, so
neither imports the other for its rules: refs imports fetch lazily, only to fetch.

- Nothing is reached unless `--allow-remote` names the host: `host`, `host:port` (https),
  or `http://host:port` (plain http only when spelled out).
- A URL with credentials in it is refused (they would be sent to the host).
- Every address a named host resolves to is checked: loopback, private, link-local,
  shared, reserved, multicast and cloud-metadata addresses are refused unless the address
  itself is listed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import UsageError

DEFAULT_PORTS = {"http": 80, "https": 443}
"""The schemes that may ever be fetched, and their default ports."""
# Cloud metadata endpoints; most are link-local or private anyway, 168.63.129.16 is not.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "168.63.129.16",
    )
)
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A target that may not (or cannot) be reached; `reason` completes "$ref 'x' ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AllowedHost:
    """One parsed `--allow-remote` entry."""

    scheme: str
    host: str
    port: int


def parse_allow_remote(entries: tuple[str, ...]) -> tuple[AllowedHost, ...]:
    """Parse `--allow-remote` entries (commas separate several); UsageError when malformed."""
    allowed: list[AllowedHost] = []
    for entry in (part.strip() for raw in entries for part in raw.split(",")):
        if not entry:
            continue
        # only an entry that spells out http:// ever allows plain http
        text = entry if "://" in entry else f"https://{entry}"
        problem = f"--allow-remote {entry!r}: expected HOST, HOST:PORT or http://HOST:PORT"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise UsageError(problem) from None
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        extra = parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
        if scheme not in DEFAULT_PORTS or not host or extra:
            raise UsageError(problem)
        allowed.append(AllowedHost(scheme, host, port or DEFAULT_PORTS[scheme]))
    return tuple(allowed)


def is_blocked_address(address: _IPAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved, multicast, metadata addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address in _METADATA or address.is_multicast or not address.is_global


def allowed_url(url: str, scheme: str, allowed: tuple[AllowedHost, ...], relative: str) -> str:
    """The URL to fetch (scheme lower-cased, no fragment) when `allowed` names its host.

    `scheme` is the URL's scheme as written; `relative` is the hint for refs that should
    have been file paths. Raises Refused (no address is resolved here).
    """
    scheme = scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Refused(
            f"is not a local reference: the {scheme + ':'!r} scheme is never followed ({relative})"
        )
    if not allowed:
        raise Refused(
            "is not a local reference: swaggertools fetches nothing unless "
            "--allow-remote names the host"
        )
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise Refused("is not a valid URL") from None
    host = (parts.hostname or "").rstrip(".")
    if parts.username is not None or parts.password is not None:
        raise Refused("carries credentials in its URL; they are never sent")
    if not any(a.scheme == scheme and a.host == host and a.port == port for a in allowed):
        plain_http = scheme == "http" and all(a.scheme != "http" for a in allowed)
        hint = (
            "plain http is allowed only by an explicit http://HOST:PORT entry"
            if plain_http
            else "--allow-remote does not name this host and port"
        )
        raise Refused(f"is not a local reference: {hint}")
    return parts._replace(scheme=scheme, fragment="").geturl()


def reachable_addresses(host: str, port: int, allowed: tuple[AllowedHost, ...]) -> list[str]:
    """Every address host resolves to, when each is allowed; Refused otherwise.

    An address that `is_blocked_address` is allowed only when it is itself listed.
    """
    import socket  # the network stack is imported only by runs that fetch (see fetch.py)

    listed = set()
    for entry in allowed:
        try:
            listed.add(ipaddress.ip_address(entry.host))
        except ValueError:
            continue
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(f"names a host that cannot be resolved: {host}") from None
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if is_blocked_address(address) and address not in listed:
            raise Refused(
                f"names a host that resolves to {address}, a loopback, private, link-local "
                "or metadata address (only an address listed itself in --allow-remote is "
                "allowed)"
            )
        addresses.append(str(address))
    if not addresses:
        raise Refused(f"names a host that cannot be resolved: {host}")
    return addresses

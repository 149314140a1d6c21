"""Fetching one `--allow-remote` document: checked address, no redirects, deadline, size cap.

Kept apart from `refs.py` so that the network stack (http.client, ssl, socket) is only
imported by runs that really fetch something; every other run starts faster.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from . import __version__
from .refs import _DEFAULT_PORTS, AllowedHost, _Refused, is_blocked_address


class _Response(http.client.HTTPResponse):
    def begin(self) -> None:
        # http.client leaves the response (and so the socket) open when reading the status
        # line times out; close it so that a failed fetch leaves nothing behind
        try:
            super().begin()
        except BaseException:
            self.close()
            raise


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to one address checked beforehand, whatever DNS answers next (no rebinding)."""

    response_class = _Response

    def __init__(
        self, host: str, port: int, address: str, timeout: float, tls: ssl.SSLContext | None
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._tls = tls

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def fetch(url: str, allowed: tuple[AllowedHost, ...], timeout: float, limit: int) -> bytes:
    """GET an allowed URL from a checked address: no redirects, a deadline, a size cap."""
    parts = urlsplit(url)
    scheme = parts.scheme
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or _DEFAULT_PORTS[scheme]
    listed = set()
    for entry in allowed:
        try:
            listed.add(ipaddress.ip_address(entry.host))
        except ValueError:
            continue
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _Refused(f"names a host that cannot be resolved: {host}") from None
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if is_blocked_address(address) and address not in listed:
            raise _Refused(
                f"names a host that resolves to {address}, a loopback, private, link-local "
                "or metadata address (only an address listed itself in --allow-remote is "
                "allowed)"
            )
        addresses.append(str(address))
    if not addresses:
        raise _Refused(f"names a host that cannot be resolved: {host}")
    tls = ssl.create_default_context() if scheme == "https" else None
    connection = _PinnedConnection(host, port, addresses[0], timeout, tls)
    deadline = time.monotonic() + timeout
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    response: http.client.HTTPResponse | None = None
    try:
        connection.request(
            "GET",
            target,
            headers={
                "Accept": "application/json, application/yaml;q=0.9, */*;q=0.1",
                "Accept-Encoding": "identity",
                "User-Agent": f"swaggertools/{__version__}",
            },
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise _Refused(f"got HTTP {response.status} (a redirect); redirects are not followed")
        if response.status != 200:
            raise _Refused(f"got HTTP {response.status} {response.reason}")
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise _Refused(f"is over the remaining size budget of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > limit:
                raise _Refused(f"is over the remaining size budget of {limit} bytes")
            if time.monotonic() > deadline:
                raise _Refused(f"took longer than {timeout:g} s to fetch")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        raise _Refused(f"cannot be fetched: {exc}") from None
    finally:
        if response is not None:  # an HTTP/1.0 answer is not closed with its connection
            response.close()
        connection.close()
    return b"".join(chunks)

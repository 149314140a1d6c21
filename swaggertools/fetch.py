"""Fetching one `--allow-remote` document: checked address, no redirects, deadline, size cap.

Kept apart from the `refs` package so that the network stack (http.client, ssl, socket) is only
imported by runs that really fetch something; every other run starts faster.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from urllib.parse import urlsplit

from .netpolicy import DEFAULT_PORTS, AllowedHost, Refused, reachable_addresses
from .project import __version__


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
    port = parts.port or DEFAULT_PORTS[scheme]
    addresses = reachable_addresses(host, port, allowed)
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
            raise Refused(f"got HTTP {response.status} (a redirect); redirects are not followed")
        if response.status != 200:
            raise Refused(f"got HTTP {response.status} {response.reason}")
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise Refused(f"is over the remaining size budget of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > limit:
                raise Refused(f"is over the remaining size budget of {limit} bytes")
            if time.monotonic() > deadline:
                raise Refused(f"took longer than {timeout:g} s to fetch")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        raise Refused(f"cannot be fetched: {exc}") from None
    finally:
        if response is not None:  # an HTTP/1.0 answer is not closed with its connection
            response.close()
        connection.close()
    return b"".join(chunks)

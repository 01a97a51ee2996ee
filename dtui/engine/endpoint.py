"""Where the engine lives: parse a Docker host address into an httpx transport.

Resolution order for now: explicit ``--host``, then ``DOCKER_HOST``, then the local socket.
TLS, ``ssh://`` and Docker contexts plug in here later: each is one more ``Endpoint`` kind
with its own ``make_transport``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_TCP_PORT = 2375


class EndpointError(ValueError):
    """The host address cannot be understood."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A parsed engine address.

    Attributes:
        host: The address as the user wrote it (normalised), e.g. ``unix:///x.sock``.
        kind: ``"unix"`` or ``"tcp"``.
        address: The socket path (unix) or ``host:port`` (tcp).
    """

    host: str
    kind: str
    address: str

    @property
    def base_url(self) -> str:
        """The URL httpx requests are made against."""
        if self.kind == "tcp":
            return f"http://{self.address}"
        return "http://docker"

    @property
    def is_remote_plaintext(self) -> bool:
        """True for plain tcp:// to a non-loopback address (anyone on the path is root)."""
        if self.kind != "tcp":
            return False
        hostname = self.address.rsplit(":", 1)[0].strip("[]")
        return hostname not in {"localhost", "127.0.0.1", "::1"} and not hostname.startswith("127.")

    @property
    def warnings(self) -> tuple[str, ...]:
        """Security warnings the UI keeps visible in the status line."""
        if self.is_remote_plaintext:
            return ("no TLS: anyone who can reach this port is root on this host",)
        return ()

    def make_transport(self, *, retries: int = 0) -> httpx.AsyncBaseTransport:
        """Build a fresh transport for this endpoint."""
        if self.kind == "unix":
            return httpx.AsyncHTTPTransport(uds=self.address, retries=retries)
        return httpx.AsyncHTTPTransport(retries=retries)


def parse_host(host: str) -> Endpoint:
    """Parse a Docker host string.

    Args:
        host: ``unix:///path``, ``tcp://host[:port]`` or a bare ``/path`` to a socket.

    Returns:
        The endpoint.

    Raises:
        EndpointError: For an unsupported scheme or a malformed address.
    """
    host = host.strip()
    if host.startswith("/"):
        host = f"unix://{host}"
    parts = urlsplit(host)
    if parts.scheme == "unix":
        path = parts.path or parts.netloc
        if not path:
            raise EndpointError(f"no socket path in {host!r}")
        return Endpoint(host=f"unix://{path}", kind="unix", address=path)
    if parts.scheme in {"tcp", "http"}:
        if not parts.hostname:
            raise EndpointError(f"no host name in {host!r}")
        try:
            port = parts.port or DEFAULT_TCP_PORT
        except ValueError as error:
            raise EndpointError(f"bad port in {host!r}") from error
        name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        address = f"{name}:{port}"
        return Endpoint(host=f"tcp://{address}", kind="tcp", address=address)
    if parts.scheme in {"ssh", "https"}:
        raise EndpointError(f"{parts.scheme}:// hosts are not supported yet: {host!r}")
    raise EndpointError(f"unsupported host address {host!r} (use unix:///path or tcp://host:port)")


def resolve_host(cli_host: str | None, environ: Mapping[str, str] | None = None) -> Endpoint:
    """Pick the engine address the way the docker CLI does (without contexts yet).

    Args:
        cli_host: The ``--host/-H`` value, if given.
        environ: Environment to read ``DOCKER_HOST`` from (default ``os.environ``).

    Returns:
        The endpoint to connect to.
    """
    env = os.environ if environ is None else environ
    return parse_host(cli_host or env.get("DOCKER_HOST") or DEFAULT_HOST)

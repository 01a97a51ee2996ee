"""Where the engine lives: resolve a Docker host or context into an httpx transport.

Resolution follows the docker CLI (``cli/command/cli.go``): ``--context`` > ``--host/-H`` >
``DOCKER_HOST`` > ``DOCKER_CONTEXT`` > ``currentContext`` in ``$DOCKER_CONFIG/config.json``
> the local socket. Addresses are ``unix://``, ``tcp://`` (plain or TLS, see
:mod:`dtui.engine.tls`) and ``ssh://`` (see :mod:`dtui.engine.ssh`); contexts are read by
:mod:`dtui.engine.contexts`.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from dtui.engine import contexts
from dtui.engine.ssh import SshAddressError, SshTarget, SshTransport, parse_ssh_url
from dtui.engine.tls import TlsError, TlsFlags, TlsSettings, tls_settings, tls_settings_from_dir

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_TLS_HOST = "tcp://localhost:2376"
DEFAULT_TCP_PORT = 2375
DEFAULT_TLS_PORT = 2376

NO_TLS_WARNING = "no TLS: anyone who can reach this port is root on this host"
NO_VERIFY_WARNING = "TLS without verification: the engine's identity is not checked"


class EndpointError(ValueError):
    """The host address, context or TLS settings cannot be used."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A parsed engine address.

    Attributes:
        host: The address, normalised, e.g. ``unix:///x.sock``, ``tcp://h:2376``, ``ssh://u@h``.
        kind: ``"unix"``, ``"tcp"`` or ``"ssh"``.
        address: The socket path (unix), ``host:port`` (tcp) or ``[user@]host[:port]`` (ssh).
        tls: TLS settings for a ``tcp`` engine; None for plain HTTP.
        ssh: The ssh target for an ``ssh`` engine.
        context: The Docker context this endpoint came from, if any.
    """

    host: str
    kind: str
    address: str
    tls: TlsSettings | None = None
    ssh: SshTarget | None = None
    context: str | None = None

    @property
    def base_url(self) -> str:
        """The URL httpx requests are made against."""
        if self.kind == "tcp":
            return f"{'https' if self.tls else 'http'}://{self.address}"
        return "http://docker"

    @property
    def is_loopback(self) -> bool:
        """True for a tcp engine on this machine (localhost, 127.0.0.0/8, ::1)."""
        if self.kind != "tcp":
            return False
        hostname = self.address.rsplit(":", 1)[0].strip("[]")
        if hostname == "localhost":
            return True
        try:
            return ipaddress.ip_address(hostname).is_loopback
        except ValueError:
            return False

    @property
    def is_remote_plaintext(self) -> bool:
        """True for plain tcp:// to a non-loopback address (anyone on the path is root)."""
        return self.kind == "tcp" and self.tls is None and not self.is_loopback

    @property
    def warnings(self) -> tuple[str, ...]:
        """Security warnings the UI keeps visible in the status line."""
        found: list[str] = []
        if self.is_remote_plaintext:
            found.append(NO_TLS_WARNING)
        if self.tls is not None and not self.tls.verify:
            found.append(NO_VERIFY_WARNING)
        return tuple(found)

    def make_transport(self, *, retries: int = 0) -> httpx.AsyncBaseTransport:
        """Build a fresh transport for this endpoint."""
        if self.kind == "unix":
            return httpx.AsyncHTTPTransport(uds=self.address, retries=retries, verify=_unused_tls_context())
        if self.kind == "ssh":
            assert self.ssh is not None
            return SshTransport(self.ssh, retries=retries)
        if self.tls is not None:
            return httpx.AsyncHTTPTransport(verify=self.tls.ssl_context(), retries=retries)
        return httpx.AsyncHTTPTransport(retries=retries, verify=_unused_tls_context())


def _unused_tls_context() -> ssl.SSLContext:
    """The TLS context of a transport that never speaks TLS (unix socket, plain http).

    httpx otherwise builds one with every system CA loaded for each transport, a cost paid
    at start-up for nothing. This one trusts no CA, so it could not verify anything either.
    """
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def parse_host(
    host: str,
    *,
    tls: TlsSettings | None = None,
    ssh_options: Sequence[str] = (),
    context: str | None = None,
) -> Endpoint:
    """Parse a Docker host string.

    Args:
        host: ``unix:///path``, ``tcp://host[:port]``, ``ssh://[user@]host[:port][/socket]``
            or a bare ``/path`` to a socket.
        tls: TLS for a ``tcp://`` host (ignored for the others, as by the docker CLI).
        ssh_options: Extra ssh arguments for an ``ssh://`` host.
        context: The context the host came from, kept for display.

    Returns:
        The endpoint.

    Raises:
        EndpointError: For an unsupported scheme, a malformed address or unusable TLS files.
    """
    host = host.strip()
    if host.startswith("/"):
        host = f"unix://{host}"
    parts = urlsplit(host)
    if parts.scheme == "unix":
        path = parts.path or parts.netloc
        if not path:
            raise EndpointError(f"no socket path in {host!r}")
        return Endpoint(host=f"unix://{path}", kind="unix", address=path, context=context)
    if parts.scheme in {"tcp", "http"}:
        return _tcp_endpoint(host, tls, context)
    if parts.scheme == "ssh":
        try:
            target = parse_ssh_url(host, ssh_options)
        except SshAddressError as error:
            raise EndpointError(str(error)) from error
        address = target.url.removeprefix("ssh://").removesuffix(target.socket_path or "")
        return Endpoint(host=target.url, kind="ssh", address=address, ssh=target, context=context)
    if parts.scheme == "https":
        raise EndpointError(f"use tcp:// with --tlsverify instead of {host!r}")
    raise EndpointError(
        f"unsupported host address {host!r} (use unix:///path, tcp://host:port or ssh://user@host)"
    )


def _tcp_endpoint(host: str, tls: TlsSettings | None, context: str | None) -> Endpoint:
    parts = urlsplit(host)
    if not parts.hostname:
        raise EndpointError(f"no host name in {host!r}")
    try:
        port = parts.port or (DEFAULT_TLS_PORT if tls else DEFAULT_TCP_PORT)
    except ValueError as error:
        raise EndpointError(f"bad port in {host!r}") from error
    if tls is not None:
        try:
            tls.ssl_context()  # fail now, with the file names, rather than at the first request
        except TlsError as error:
            raise EndpointError(str(error)) from error
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    address = f"{name}:{port}"
    return Endpoint(host=f"tcp://{address}", kind="tcp", address=address, tls=tls, context=context)


def resolve_host(
    cli_host: str | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    context: str | None = None,
    tls_flags: TlsFlags | None = None,
    ssh_options: Sequence[str] = (),
) -> Endpoint:
    """Pick the engine the way the docker CLI does.

    Args:
        cli_host: The ``--host/-H`` value, if given.
        environ: Environment (default ``os.environ``): ``DOCKER_HOST``, ``DOCKER_CONTEXT``,
            ``DOCKER_CONFIG``, ``HOME``, ``DOCKER_TLS_VERIFY``, ``DOCKER_TLS``, ``DOCKER_CERT_PATH``.
        context: The ``--context`` value, if given.
        tls_flags: The TLS command-line flags (they apply to hosts, not to stored contexts).
        ssh_options: Extra ssh arguments for an ``ssh://`` engine.

    Returns:
        The endpoint to connect to.

    Raises:
        EndpointError: For conflicting options, an unknown context or unusable settings.
    """
    env = os.environ if environ is None else environ
    flags = tls_flags or TlsFlags()
    if context and cli_host:
        raise EndpointError("conflicting options: cannot specify both --host and --context")
    try:
        config_dir = contexts.config_dir(env)
        name = _context_name(cli_host, context, env, config_dir)
        if name != contexts.DEFAULT_CONTEXT:
            if flags.given:
                raise EndpointError(
                    f"the --tls options apply to --host/DOCKER_HOST; context {name!r} has its own TLS settings"
                )
            return _context_endpoint(name, config_dir, ssh_options)
        tls = tls_settings(flags, env, config_dir)
        host = cli_host or env.get("DOCKER_HOST") or (DEFAULT_TLS_HOST if tls else DEFAULT_HOST)
        return parse_host(host, tls=tls, ssh_options=ssh_options)
    except (contexts.ContextError, TlsError) as error:
        raise EndpointError(str(error)) from error


def _context_name(
    cli_host: str | None, context: str | None, env: Mapping[str, str], config_dir: Path | None
) -> str:
    if context:
        return context
    if cli_host or env.get("DOCKER_HOST"):
        return contexts.DEFAULT_CONTEXT
    return env.get("DOCKER_CONTEXT") or contexts.current_context(config_dir) or contexts.DEFAULT_CONTEXT


def _context_endpoint(name: str, config_dir: Path | None, ssh_options: Sequence[str]) -> Endpoint:
    stored = contexts.load_context(name, config_dir)
    host = stored.host or DEFAULT_HOST
    tls = tls_settings_from_dir(stored.tls_dir, stored.skip_tls_verify)
    return parse_host(host, tls=tls, ssh_options=ssh_options, context=name)

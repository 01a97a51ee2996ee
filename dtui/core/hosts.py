"""The engines dtui shows at once: what the user names, how each is reached, and its state.

A *target* is what the user names: an address (``unix://``, ``tcp://``, ``ssh://``) or a
Docker context, spelled ``context:NAME``. A :class:`HostConnection` is a resolved target with
its engine client; the table keys rows by its ``host`` (the endpoint's normalised address).
Recently used targets are remembered one per line in ``$XDG_STATE_HOME/dtui/hosts``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from dtui.engine import contexts
from dtui.engine.endpoint import Endpoint, resolve_host
from dtui.engine.tls import TlsFlags

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

CONTEXT_PREFIX: Final = "context:"
RECENT_LIMIT: Final = 10
_MAX_FILE_BYTES: Final = 64 * 1024

CONNECTING: Final = "connecting"
UP: Final = "up"
DOWN: Final = "down"


def context_target(name: str) -> str:
    """The target naming a Docker context."""
    return f"{CONTEXT_PREFIX}{name}"


def target_context(target: str) -> str | None:
    """The context a target names, or None for an address."""
    return target[len(CONTEXT_PREFIX):] if target.startswith(CONTEXT_PREFIX) else None


def resolve_target(
    target: str,
    *,
    environ: Mapping[str, str] | None = None,
    tls_flags: TlsFlags | None = None,
    ssh_options: Sequence[str] = (),
) -> Endpoint:
    """The endpoint of a target, resolved as ``--context NAME`` or ``--host ADDRESS`` would be.

    Raises:
        EndpointError: For an unknown context or an unusable address.
    """
    name = target_context(target)
    if name is not None:
        return resolve_host(None, environ, context=name, ssh_options=ssh_options)
    return resolve_host(target.strip(), environ, tls_flags=tls_flags, ssh_options=ssh_options)


def list_contexts(environ: Mapping[str, str] | None = None) -> list[contexts.DockerContext]:
    """The Docker contexts in the store, by name (unreadable ones are left out)."""
    directory = contexts.config_dir(os.environ if environ is None else environ)
    if directory is None:
        return []
    found: list[contexts.DockerContext] = []
    for meta in sorted((directory / "contexts" / "meta").glob("*/meta.json")):
        try:
            name = _context_name(meta)
            if name:
                found.append(contexts.load_context(name, directory))
        except (contexts.ContextError, OSError, ValueError):
            continue
    return sorted(found, key=lambda context: context.name)


def _context_name(meta: Path) -> str | None:
    import json

    if meta.stat().st_size > _MAX_FILE_BYTES:
        return None
    data: Any = json.loads(meta.read_bytes())
    name = data.get("Name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def hosts_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where recently used hosts are remembered (``$XDG_STATE_HOME/dtui/hosts``)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local" / "state")
    return Path(base) / "dtui" / "hosts"


def load_recent(path: Path | None) -> list[str]:
    """The remembered targets, most recent first (nothing when unknown or unreadable)."""
    if path is None:
        return []
    try:
        with path.open("rb") as file:
            raw = file.read(_MAX_FILE_BYTES)
    except OSError:
        return []
    lines = raw.decode("utf-8", errors="replace").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))[:RECENT_LIMIT]


def remember_recent(path: Path | None, used: Iterable[str]) -> list[str]:
    """Put ``used`` first in the remembered targets (keeping the last :data:`RECENT_LIMIT`).

    Returns:
        The new list; writing is best effort (a read-only home keeps working).
    """
    recent = list(dict.fromkeys([*used, *load_recent(path)]))[:RECENT_LIMIT]
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(f"{target}\n" for target in recent), encoding="utf-8")
        except OSError:
            pass
    return recent


def host_label(endpoint: Endpoint) -> str:
    """A short name for a host: its context, else its address without the scheme."""
    if endpoint.context:
        return endpoint.context
    return endpoint.address or endpoint.host


@dataclass(eq=False)
class HostConnection:
    """One engine dtui shows: how it was named, its endpoint and client, and its state.

    Attributes:
        target: What the user named (address or ``context:NAME``).
        endpoint: The resolved endpoint; ``endpoint.host`` keys the table rows.
        client: The engine client.
        engine_version: What ``/version`` answered ("" until known).
        state: :data:`CONNECTING`, :data:`UP` or :data:`DOWN`.
        retry_in: Seconds before the next try while down (0: trying now).
    """

    target: str
    endpoint: Endpoint
    client: EngineClient
    engine_version: str = ""
    state: str = CONNECTING
    retry_in: int = 0

    @property
    def host(self) -> str:
        """The normalised address rows are keyed by."""
        return self.endpoint.host

    @property
    def label(self) -> str:
        """The short name shown in the host column and the status line."""
        return host_label(self.endpoint)


@dataclass(frozen=True, slots=True)
class HostStatus:
    """What the status line shows of one host."""

    host: str
    label: str
    state: str
    retry_in: int = 0


def client_for(app: object, host: str | None) -> EngineClient:
    """The engine client of ``host`` through ``DtuiApp.client_for`` (``app.client`` on test apps)."""
    route = getattr(app, "client_for", None)
    if route is not None:
        client: EngineClient = route(host)
        return client
    fallback: EngineClient = app.client  # type: ignore[attr-defined]
    return fallback

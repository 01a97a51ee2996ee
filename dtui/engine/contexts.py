"""Docker contexts: the docker CLI's named engines, read from its context store.

Layout (docker CLI ``cli/context/store``), under ``$DOCKER_CONFIG`` (default ``~/.docker``):

- ``config.json``: ``{"currentContext": "name"}`` picks the context in use;
- ``contexts/meta/<sha256(name)>/meta.json``:
  ``{"Name", "Metadata", "Endpoints": {"docker": {"Host", "SkipTLSVerify"}}}``;
- ``contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem``: the context's TLS files.

The context named ``default`` is not stored: it means "``-H``, ``DOCKER_HOST`` or the local
socket", which the caller resolves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONTEXT = "default"
_MAX_FILE_BYTES = 1 << 20


class ContextError(ValueError):
    """A context cannot be found or read."""


@dataclass(frozen=True, slots=True)
class DockerContext:
    """One stored context's docker endpoint.

    Attributes:
        name: The context's name.
        host: Its engine address (may be empty: the local socket).
        skip_tls_verify: ``SkipTLSVerify``: TLS without checking the engine's certificate.
        tls_dir: Where its TLS files would be (``contexts/tls/<hash>/docker``).
    """

    name: str
    host: str
    skip_tls_verify: bool
    tls_dir: Path


def config_dir(environ: Mapping[str, str]) -> Path | None:
    """``$DOCKER_CONFIG``, else ``$HOME/.docker``; None when neither is known."""
    if environ.get("DOCKER_CONFIG"):
        return Path(environ["DOCKER_CONFIG"]).expanduser()
    if environ.get("HOME"):
        return Path(environ["HOME"]) / ".docker"
    return None


def context_key(name: str) -> str:
    """The directory name of a context in the store: the hex SHA-256 of its name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def _read_json(path: Path, what: str) -> Any:
    try:
        with path.open("rb") as file:
            raw = file.read(_MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ContextError(f"cannot read {what} {path}: {error.strerror or error}") from error
    if len(raw) > _MAX_FILE_BYTES:
        raise ContextError(f"{what} {path} is too large")
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ContextError(f"{what} {path} is not valid JSON: {error}") from error


def current_context(directory: Path | None) -> str | None:
    """The ``currentContext`` of ``config.json`` in the docker config directory, if any.

    Raises:
        ContextError: When ``config.json`` exists but cannot be read or parsed.
    """
    if directory is None:
        return None
    path = directory / "config.json"
    if not path.exists():
        return None
    data = _read_json(path, "docker config")
    name = data.get("currentContext") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def load_context(name: str, directory: Path | None) -> DockerContext:
    """Read one context from the store.

    Args:
        name: The context's name (not ``default``).
        directory: The docker config directory.

    Raises:
        ContextError: When the context does not exist or its metadata is malformed.
    """
    if directory is None:
        raise ContextError(f"context {name!r} not found: no docker config directory (set DOCKER_CONFIG)")
    key = context_key(name)
    meta_path = directory / "contexts" / "meta" / key / "meta.json"
    if not meta_path.exists():
        raise ContextError(f"context {name!r} not found (no {meta_path})")
    data = _read_json(meta_path, f"context {name!r}")
    endpoints = data.get("Endpoints") if isinstance(data, dict) else None
    docker = endpoints.get("docker") if isinstance(endpoints, dict) else None
    if not isinstance(docker, dict):
        raise ContextError(f"context {name!r} has no docker endpoint ({meta_path})")
    host = docker.get("Host") or ""
    if not isinstance(host, str):
        raise ContextError(f"context {name!r} has a malformed Host ({meta_path})")
    return DockerContext(
        name=name,
        host=host,
        skip_tls_verify=docker.get("SkipTLSVerify") is True,
        tls_dir=directory / "contexts" / "tls" / key / "docker",
    )

"""What a new container should be: the create form's data, turned into an API body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

NAME_RULE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
_PORT_RULE = re.compile(
    r"^(?:(?P<ip>\[[0-9a-fA-F:.]+\]|[0-9.]+|[a-zA-Z0-9.-]+):)?(?:(?P<host>\d*):)?(?P<ctr>\d+)(?:/(?P<proto>tcp|udp|sctp))?$"
)


class SpecError(ValueError):
    """A field of the container spec is malformed."""


def valid_name(name: str) -> bool:
    """True when the engine would accept this container name."""
    return bool(NAME_RULE.match(name))


@dataclass(frozen=True, slots=True)
class PortSpec:
    """A published port: ``[ip:][host_port:]container_port[/proto]``."""

    container_port: int
    protocol: str = "tcp"
    host_port: str = ""
    host_ip: str = ""

    @classmethod
    def parse(cls, text: str) -> PortSpec:
        """Parse ``9001:80/tcp``, ``127.0.0.1:9001:80``, ``80`` or ``127.0.0.1::80``.

        Raises:
            SpecError: For anything else.
        """
        match = _PORT_RULE.match(text.strip())
        if not match:
            raise SpecError(f"bad port mapping {text!r} (use [ip:]host:container[/proto])")
        ip, host = match["ip"] or "", match["host"]
        if host is None and ip.isdigit():
            ip, host = "", ip
        container = int(match["ctr"])
        if not 0 < container < 65536 or (host and not 0 <= int(host) < 65536):
            raise SpecError(f"port out of range in {text!r}")
        return cls(container, match["proto"] or "tcp", host or "", ip.strip("[]"))

    @property
    def key(self) -> str:
        """The ``80/tcp`` key the API uses."""
        return f"{self.container_port}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class ContainerSpec:
    """Everything the create form can set.

    Attributes:
        volumes: Container paths for anonymous volumes (``/data``).
        binds: ``/host:/ctr[:ro]`` or ``name:/ctr`` strings, passed as HostConfig.Binds.
        restart_policy: ``no``, ``always``, ``unless-stopped`` or ``on-failure[:N]``.
    """

    image: str
    cmd: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    working_dir: str = ""
    ports: tuple[PortSpec, ...] = ()
    binds: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    restart_policy: str = ""
    tty: bool = False
    nano_cpus: int = 0

    def to_api(self) -> dict[str, Any]:
        """The JSON body of ``POST /containers/create``."""
        body: dict[str, Any] = {"Image": self.image, "Labels": dict(self.labels), "Tty": self.tty}
        if self.cmd:
            body["Cmd"] = list(self.cmd)
        if self.env:
            body["Env"] = list(self.env)
        if self.working_dir:
            body["WorkingDir"] = self.working_dir
        if self.volumes:
            body["Volumes"] = {path: {} for path in self.volumes}
        if self.ports:
            body["ExposedPorts"] = {port.key: {} for port in self.ports}
        body["HostConfig"] = self._host_config()
        return body

    def _host_config(self) -> dict[str, Any]:
        host: dict[str, Any] = {}
        if self.binds:
            host["Binds"] = list(self.binds)
        bindings: dict[str, list[dict[str, str]]] = {}
        for port in self.ports:
            if port.host_port or port.host_ip:
                bindings.setdefault(port.key, []).append({"HostIp": port.host_ip, "HostPort": port.host_port})
        if bindings:
            host["PortBindings"] = bindings
        if self.restart_policy:
            name, _, retries = self.restart_policy.partition(":")
            policy: dict[str, Any] = {"Name": name}
            if retries:
                policy["MaximumRetryCount"] = int(retries)
            host["RestartPolicy"] = policy
        if self.nano_cpus:
            host["NanoCpus"] = self.nano_cpus
        return host

"""What a new container should be: the create form's data, turned into an API body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dtui.engine.models import ContainerDetail

NAME_RULE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
_PORT_RULE = re.compile(
    r"^(?:(?P<ip>\[[0-9a-fA-F:.]+\]|[0-9.]+|[a-zA-Z0-9.-]+):)?(?:(?P<host>\d*):)?(?P<ctr>\d+)(?:/(?P<proto>tcp|udp|sctp))?$"
)


RESTART_POLICIES = ("no", "always", "unless-stopped", "on-failure")


class SpecError(ValueError):
    """A field of the container spec is malformed."""


def parse_restart_policy(text: str) -> dict[str, Any]:
    """Turn ``no``, ``always``, ``unless-stopped`` or ``on-failure[:N]`` into HostConfig's form.

    Raises:
        SpecError: For an unknown policy, or a retry count that is not a number >= 0 or
            is given to a policy other than ``on-failure``.
    """
    name, colon, retries = text.strip().partition(":")
    if name not in RESTART_POLICIES:
        raise SpecError(f"unknown restart policy {text!r} (use {', '.join(RESTART_POLICIES)}[:N])")
    policy: dict[str, Any] = {"Name": name}
    if colon:
        if name != "on-failure" or not retries.isdigit():
            raise SpecError(f"bad restart policy {text!r}: only on-failure takes a retry count N >= 0")
        policy["MaximumRetryCount"] = int(retries)
    return policy


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
        ports: Published ports, as ``docker run -p``: each is bound on the host, on the
            given host port or, when it has none, on one the engine picks.
        volumes: Container paths for anonymous volumes (``/data``).
        binds: ``/host:/ctr[:ro]`` or ``name:/ctr`` strings, passed as HostConfig.Binds.
        restart_policy: ``no``, ``always``, ``unless-stopped`` or ``on-failure[:N]``
            (checked at construction: SpecError).
        nano_cpus: CPU cap in billionths of a CPU (``500_000_000`` = half a CPU); 0 = none.
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

    def __post_init__(self) -> None:
        if self.restart_policy:
            parse_restart_policy(self.restart_policy)
        if self.nano_cpus < 0:
            raise SpecError("nano_cpus must not be negative")

    @classmethod
    def from_detail(cls, detail: ContainerDetail) -> ContainerSpec:
        """The spec that would recreate an inspected container (what "duplicate" copies).

        Copies image, cmd, env, labels, working dir, binds, anonymous volumes (those not
        covered by a bind), port bindings, restart policy, tty and CPU cap. The name is
        not part of a spec.
        """
        ports = tuple(
            PortSpec(int(number), protocol or "tcp", host_port, host_ip)
            for key, bindings in sorted(detail.port_bindings.items())
            for number, _, protocol in [key.partition("/")]
            if number.isdigit()
            for host_ip, host_port in bindings
        )
        bind_targets = {bind.split(":")[1] for bind in detail.binds if bind.count(":") >= 1}
        policy = detail.restart_policy
        if policy == "on-failure" and detail.restart_max_retries:
            policy = f"on-failure:{detail.restart_max_retries}"
        return cls(
            image=detail.image,
            cmd=detail.cmd,
            env=detail.env,
            labels=dict(detail.labels),
            working_dir=detail.working_dir,
            ports=ports,
            binds=detail.binds,
            volumes=tuple(path for path in detail.volumes if path not in bind_targets),
            restart_policy=policy if policy in RESTART_POLICIES or policy.startswith("on-failure:") else "",
            tty=detail.tty,
            nano_cpus=detail.nano_cpus,
        )

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
            bindings.setdefault(port.key, []).append({"HostIp": port.host_ip, "HostPort": port.host_port})
        if bindings:
            host["PortBindings"] = bindings
        if self.restart_policy:
            host["RestartPolicy"] = parse_restart_policy(self.restart_policy)
        if self.nano_cpus:
            host["NanoCpus"] = self.nano_cpus
        return host

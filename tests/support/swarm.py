"""A single-node swarm on its own private dockerd, for the swarm tests.

Never on the shared engine: a swarm changes what every other test sees there (ingress
network, gwbridge). The daemon gets its own socket and roots (see ``PrivateDaemon``); the
swarm listens on 127.0.0.1 with a free port, and its VXLAN data port is a free port too,
so it cannot clash with another swarm on the machine.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support import engine as support

SWARM_HOST_ENV = "DTUI_TEST_SWARM_HOST"
"""An existing swarm manager to use instead of starting one (its services are left alone)."""


def _free_port(kind: int = socket.SOCK_STREAM) -> int:
    for _ in range(200):
        port = random.randint(24000, 45000)
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise support.EngineUnavailable("no free port for the swarm")


@dataclass
class SwarmEngine:
    """A swarm manager engine for tests; ``daemon`` is None for a given one."""

    host: str
    daemon: support.PrivateDaemon | None

    def stop(self) -> None:
        """Leave the swarm, stop the private daemon and remove its directory."""
        if self.daemon is None:
            return
        with contextlib.suppress(httpx.HTTPError), support.sync_client(self.host, timeout=60.0) as client:
            client.post("/swarm/leave", params={"force": "1"})  # best effort: the daemon stops anyway
        self.daemon.stop()
        support.remove_daemon_dir(self.daemon)


def init_swarm(host: str) -> str:
    """``POST /swarm/init`` on 127.0.0.1; returns the node id."""
    port, data_port = _free_port(), _free_port(socket.SOCK_DGRAM)
    body: dict[str, Any] = {
        "ListenAddr": f"127.0.0.1:{port}",
        "AdvertiseAddr": f"127.0.0.1:{port}",
        "DataPathPort": data_port,
    }
    with support.sync_client(host, timeout=60.0) as client:
        response = client.post("/swarm/init", json=body)
        if response.status_code != 200:
            raise support.EngineUnavailable(f"swarm init failed: {response.text[-500:]}")
        node_id: str = response.json()
    _wait_manager(host)
    return node_id


def _wait_manager(host: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with support.sync_client(host) as client:
        while time.monotonic() < deadline:
            swarm = client.get("/info").json().get("Swarm") or {}
            manager = swarm.get("LocalNodeState") == "active" and swarm.get("ControlAvailable")
            if manager and client.get("/services").status_code == 200:
                return
            time.sleep(0.2)
    raise support.EngineUnavailable("the swarm never became ready")


def start_swarm() -> SwarmEngine:
    """A swarm manager with the test image: the given one, else a new private daemon."""
    given = os.environ.get(SWARM_HOST_ENV)
    if given:
        support.wait_for_engine(given, time.monotonic() + 10)
        support.ensure_test_image(given)
        return SwarmEngine(given, None)
    daemon = support.start_private_daemon()
    swarm = SwarmEngine(daemon.host, daemon)
    try:
        support.ensure_test_image(daemon.host)
        init_swarm(daemon.host)
    except BaseException:
        swarm.stop()
        raise
    return swarm


def remove_services(host: str, prefix: str) -> None:
    """Remove the services whose name starts with ``prefix`` (this session's)."""
    with support.sync_client(host) as client:
        for service in client.get("/services").json() or []:
            if str(service.get("Spec", {}).get("Name", "")).startswith(prefix):
                client.delete(f"/services/{service['ID']}")


def wait_until(predicate: Any, timeout: float = 60.0, interval: float = 0.3) -> Any:
    """Poll a synchronous ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last: {value!r})")
        time.sleep(interval)

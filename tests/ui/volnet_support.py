"""A fake engine with volumes and networks beside FakeDocker's containers (issue 22 views).

Volumes are joined to containers by each container's ``Mounts``, networks by
``NetworkSettings.Networks[].NetworkID``, as the engine answers. Removal and prune follow the
engine's rules and words: a volume in use and a network with endpoints refuse with a 409 /
403, the engine's own networks refuse removal, prune removes only unused ones.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.ui.table_support import FakeDocker

BUILTIN = ("bridge", "host", "none")


def network_id(name: str) -> str:
    return (name.encode().hex() * 8)[:64].ljust(64, "f")


class FakeResources(FakeDocker):
    """FakeDocker plus ``/volumes``, ``/networks`` and ``/system/df``.

    Attributes:
        volumes: Name -> volume JSON.
        networks: Id -> network JSON.
        sizes: Volume name -> bytes ``/system/df`` reports.
    """

    def __init__(self, api_version: str = "1.41") -> None:
        super().__init__()
        self.api_version = api_version
        if api_version != "1.41":
            self.engine.route("HEAD", "/_ping", headers={"Api-Version": api_version, "Ostype": "linux"})
            self.engine.route("GET", "/_ping", text="OK", headers={"Api-Version": api_version})
            self.engine.route("GET", "/version", json={"Version": "99.0.0-fake", "ApiVersion": api_version})
        self.volumes: dict[str, dict[str, Any]] = {}
        self.networks: dict[str, dict[str, Any]] = {}
        self.sizes: dict[str, int] = {}
        for name in BUILTIN:
            self.add_network(name, driver={"bridge": "bridge", "host": "host", "none": "null"}[name],
                             subnet="172.17.0.0/16" if name == "bridge" else "",
                             gateway="172.17.0.1" if name == "bridge" else "")
        route = self.engine.route
        route("GET", "/volumes", handler=lambda r: httpx.Response(200, json={"Volumes": list(self.volumes.values())}))
        route("GET", "/volumes/[^/]+", handler=self._volume)
        route("POST", "/volumes/create", handler=self._create_volume)
        route("DELETE", "/volumes/[^/]+", handler=self._remove_volume)
        route("POST", "/volumes/prune", handler=self._prune_volumes)
        route("GET", "/system/df", handler=self._df)
        route("GET", "/networks", handler=lambda r: httpx.Response(200, json=list(self.networks.values())))
        route("GET", "/networks/[^/]+", handler=self._network)
        route("POST", "/networks/create", handler=self._create_network)
        route("POST", "/networks/[^/]+/(connect|disconnect)", handler=self._connect)
        route("DELETE", "/networks/[^/]+", handler=self._remove_network)
        route("POST", "/networks/prune", handler=self._prune_networks)

    # -- making things -----------------------------------------------------------------

    def add_volume(self, name: str, *, size: int | None = None, driver: str = "local",
                   labels: dict[str, str] | None = None) -> dict[str, Any]:
        item = {"Name": name, "Driver": driver, "Mountpoint": f"/var/lib/docker/volumes/{name}/_data",
                "CreatedAt": "2026-05-01T10:00:00Z", "Scope": "local", "Labels": labels or {}, "Options": None}
        self.volumes[name] = item
        if size is not None:
            self.sizes[name] = size
        return item

    def add_network(self, name: str, *, driver: str = "bridge", subnet: str = "", gateway: str = "") -> str:
        config = [{"Subnet": subnet, **({"Gateway": gateway} if gateway else {})}] if subnet else []
        item = {"Name": name, "Id": network_id(name), "Created": "2026-05-01T10:00:00Z", "Scope": "local",
                "Driver": driver, "EnableIPv6": False, "IPAM": {"Driver": "default", "Config": config},
                "Internal": False, "Attachable": False, "Containers": {}, "Labels": {}}
        self.networks[item["Id"]] = item
        return item["Id"]

    def mount(self, container: str, volume: str) -> None:
        """Give a container (by name) a mount of a volume."""
        item = self._container(container)
        item.setdefault("Mounts", []).append(
            {"Type": "volume", "Name": volume, "Source": f"/var/lib/docker/volumes/{volume}/_data",
             "Destination": "/data", "Driver": "local"})

    def attach(self, container: str, network: str) -> None:
        """Connect a container (by name) to a network (by name)."""
        item = self._container(container)
        self._attach(item, self._network_by_name(network))

    def emit_everywhere(self, kind: str, action: str, actor: str, **attributes: str) -> None:
        """Send one event on every open subscription (each feed has its own)."""
        record = {"Type": kind, "Action": action, "Actor": {"ID": actor, "Attributes": attributes},
                  "time": 1, "timeNano": 1}
        for queue in self.subscriptions:
            queue.put_nowait(json.dumps(record).encode() + b"\n")

    # -- helpers -----------------------------------------------------------------------

    def _container(self, name_or_id: str) -> dict[str, Any]:
        return next(c for cid, c in self.containers.items() if name_or_id in (cid, c["Names"][0].lstrip("/")))

    def _network_by_name(self, name_or_id: str) -> dict[str, Any]:
        return next(n for nid, n in self.networks.items() if name_or_id in (nid, n["Name"]))

    @staticmethod
    def _attach(container: dict[str, Any], network: dict[str, Any]) -> None:
        networks = container.setdefault("NetworkSettings", {}).setdefault("Networks", {})
        if networks.get("bridge") == {}:  # container_json's placeholder, not a connection
            del networks["bridge"]
        networks[network["Name"]] = {"NetworkID": network["Id"], "IPAddress": "10.0.0.2"}

    def _users(self, volume: str) -> list[str]:
        return [cid for cid, c in self.containers.items() if any(m.get("Name") == volume for m in c.get("Mounts", []))]

    def _endpoints(self, network: dict[str, Any]) -> list[str]:
        return [cid for cid, c in self.containers.items()
                if any(n.get("NetworkID") == network["Id"] for n in c.get("NetworkSettings", {}).get("Networks", {}).values())]

    @staticmethod
    def _last(request: httpx.Request, back: int = 1) -> str:
        return request.url.path.split("/")[-back]

    # -- volume routes -----------------------------------------------------------------

    def _volume(self, request: httpx.Request) -> httpx.Response:
        name = self._last(request)
        if name not in self.volumes:
            return httpx.Response(404, json={"message": f"get {name}: no such volume"})
        return httpx.Response(200, json=self.volumes[name])

    def _create_volume(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        name = body["Name"] or "f" * 64
        item = self.volumes.get(name) or self.add_volume(name, driver=body["Driver"], labels=body["Labels"])
        self.emit_everywhere("volume", "create", name, driver=item["Driver"])
        return httpx.Response(201, json=item)

    def _remove_volume(self, request: httpx.Request) -> httpx.Response:
        name = self._last(request)
        if name not in self.volumes:
            return httpx.Response(404, json={"message": f"get {name}: no such volume"})
        users = self._users(name)
        if users:
            return httpx.Response(409, json={
                "message": f"remove {name}: volume is in use - [{', '.join(users)}]"})
        del self.volumes[name]
        self.emit_everywhere("volume", "destroy", name)
        return httpx.Response(204)

    def _prune_volumes(self, request: httpx.Request) -> httpx.Response:
        unused = [name for name in self.volumes if not self._users(name)]
        every = json.loads(request.url.params.get("filters") or "{}").get("all") == ["true"]
        if tuple(int(part) for part in self.api_version.split(".")) >= (1, 42) and not every:
            unused = [name for name in unused if len(name) == 64]  # only anonymous ones, as the engine
        reclaimed = sum(self.sizes.get(name, 0) for name in unused)
        for name in unused:
            del self.volumes[name]
            self.emit_everywhere("volume", "destroy", name)
        return httpx.Response(200, json={"VolumesDeleted": unused or None, "SpaceReclaimed": reclaimed})

    def _df(self, request: httpx.Request) -> httpx.Response:
        volumes = [{**item, "UsageData": {"Size": self.sizes.get(name, -1), "RefCount": len(self._users(name))}}
                   for name, item in self.volumes.items()]
        return httpx.Response(200, json={"LayersSize": 0, "Images": [], "Containers": [], "Volumes": volumes,
                                         "BuildCache": []})

    # -- network routes ----------------------------------------------------------------

    def _network(self, request: httpx.Request) -> httpx.Response:
        try:
            network = self._network_by_name(self._last(request))
        except StopIteration:
            return httpx.Response(404, json={"message": f"network {self._last(request)} not found"})
        containers = {cid: {"Name": self.containers[cid]["Names"][0].lstrip("/"), "IPv4Address": "10.0.0.2/24"}
                      for cid in self._endpoints(network)}
        return httpx.Response(200, json={**network, "Containers": containers})

    def _create_network(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if any(n["Name"] == body["Name"] for n in self.networks.values()):
            return httpx.Response(409, json={"message": f"network with name {body['Name']} already exists"})
        config = (body.get("IPAM") or {}).get("Config") or [{}]
        new_id = self.add_network(body["Name"], driver=body["Driver"], subnet=config[0].get("Subnet", ""),
                                  gateway=config[0].get("Gateway", ""))
        self.emit_everywhere("network", "create", new_id, name=body["Name"], type=body["Driver"])
        return httpx.Response(201, json={"Id": new_id, "Warning": ""})

    def _connect(self, request: httpx.Request) -> httpx.Response:
        network = self._network_by_name(self._last(request, 2))
        container = self._container(json.loads(request.content)["Container"])
        action = self._last(request)
        if action == "connect":
            self._attach(container, network)
        else:
            container["NetworkSettings"]["Networks"].pop(network["Name"], None)
        self.emit_everywhere("network", action, network["Id"], container=container["Id"], name=network["Name"])
        return httpx.Response(200)

    def _remove_network(self, request: httpx.Request) -> httpx.Response:
        network = self._network_by_name(self._last(request))
        if network["Name"] in BUILTIN:
            return httpx.Response(403, json={
                "message": f"{network['Name']} is a pre-defined network and cannot be removed"})
        if self._endpoints(network):
            return httpx.Response(403, json={
                "message": f"error while removing network: network {network['Name']} id {network['Id']} has active endpoints"})
        del self.networks[network["Id"]]
        self.emit_everywhere("network", "destroy", network["Id"], name=network["Name"])
        return httpx.Response(204)

    def _prune_networks(self, request: httpx.Request) -> httpx.Response:
        unused = [n for n in self.networks.values() if n["Name"] not in BUILTIN and not self._endpoints(n)]
        for network in unused:
            del self.networks[network["Id"]]
            self.emit_everywhere("network", "destroy", network["Id"], name=network["Name"])
        return httpx.Response(200, json={"NetworksDeleted": [n["Name"] for n in unused] or None})


def resource_fleet(api_version: str = "1.41") -> FakeResources:
    """Three containers, four volumes (two in use), two networks of ours plus the engine's three."""
    docker = FakeResources(api_version)
    docker.add("web", image="nginx:1.25", status="Up 5 minutes")
    docker.add("db", image="postgres:16", status="Up 3 hours")
    docker.add("job", image="busybox:latest", state="exited", status="Exited (0) 2 days ago")
    docker.add_volume("pgdata", size=512_000_000)
    docker.add_volume("webcache", size=1_200_000)
    docker.add_volume("scratch", size=0)
    docker.add_volume("f3a9" + "0" * 60)  # an anonymous one, not measured
    docker.mount("db", "pgdata")
    docker.mount("web", "webcache")
    docker.mount("job", "webcache")
    docker.add_network("frontend", subnet="10.10.0.0/24", gateway="10.10.0.1")
    docker.add_network("backend", subnet="10.20.0.0/24", gateway="10.20.0.1")
    docker.attach("web", "frontend")
    docker.attach("web", "backend")
    docker.attach("db", "backend")
    return docker

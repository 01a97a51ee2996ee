"""Fake image, disk usage and prune endpoints (route tables on a FakeDocker), deterministic.

Four images: nginx with two tags used by two containers, postgres used by one, busybox
unused, and a dangling one. Times are fixed against ``FROZEN_NOW`` of the snapshot tests
(2026-05-01 12:00 UTC). Removals, tags and prunes are recorded and change the listing.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.ui.table_support import FakeDocker

NOW = 1_777_636_800  # 2026-05-01 12:00:00 UTC
NGINX = "sha256:" + "a1" * 32
POSTGRES = "sha256:" + "b2" * 32
BUSYBOX = "sha256:" + "c3" * 32
DANGLING = "sha256:" + "d4" * 32
HOSTILE_TAG = "evil/\x1b[31mred\x1b]0;title\x07:[b]x[/b]"


def image_json(image_id: str, tags: list[str], created: int, size: int, **more: Any) -> dict[str, Any]:
    """An ``/images/json`` item as dockerd 20.10 sends it (no sharing figures: -1)."""
    return {"Id": image_id, "RepoTags": tags or ["<none>:<none>"], "RepoDigests": [], "Created": created,
            "Size": size, "SharedSize": -1, "Containers": -1, "Labels": None, "ParentId": "", **more}


class FakeImages:
    """The image endpoints on a FakeDocker (its containers say which image each uses).

    Attributes:
        docker: The container fake (``docker.engine`` is the route table).
        images: ``Id`` -> list item.
        removed: References or ids asked to be removed, with the force flag.
        tagged: ``(image, repo, tag)`` asked.
        pruned: Prune paths asked (``/images/prune?...``).
    """

    def __init__(self, *, hostile: bool = False) -> None:
        self.docker = FakeDocker()
        self.images: dict[str, dict[str, Any]] = {}
        self.removed: list[tuple[str, bool]] = []
        self.tagged: list[tuple[str, str, str]] = []
        self.pruned: list[str] = []
        self.add(NGINX, ["nginx:1.25", "nginx:latest"], NOW - 3 * 86400, 187_654_321)
        self.add(POSTGRES, ["postgres:16"], NOW - 5 * 3600, 431_000_000)
        self.add(BUSYBOX, ["busybox:latest", *([HOSTILE_TAG] if hostile else [])], NOW - 40 * 86400, 4_261_000)
        self.add(DANGLING, [], NOW - 600, 12_500_000)
        for name, image_id in (("web01", NGINX), ("web02", NGINX), ("db", POSTGRES)):
            item = self.docker.add(name, image=self.images[image_id]["RepoTags"][0], created=NOW - 300)
            item["ImageID"] = image_id
        engine = self.docker.engine
        engine.route("GET", "/images/json", handler=lambda r: httpx.Response(200, json=list(self.images.values())))
        engine.route("GET", "/images/.+/json", handler=self._inspect)
        engine.route("GET", "/images/.+/history", handler=self._history)
        engine.route("DELETE", "/images/.+", handler=self._remove)
        engine.route("POST", "/images/.+/tag", handler=self._tag)
        engine.route("POST", "/images/prune", handler=self._prune)
        engine.route("POST", "/containers/prune", json={"ContainersDeleted": ["x"], "SpaceReclaimed": 1000})
        engine.route("POST", "/volumes/prune", json={"VolumesDeleted": ["v"], "SpaceReclaimed": 2000})
        engine.route("POST", "/build/prune", json={"CachesDeleted": ["c"], "SpaceReclaimed": 3000})
        engine.route("GET", "/system/df", handler=lambda r: httpx.Response(200, json=self.df()))

    def add(self, image_id: str, tags: list[str], created: int, size: int) -> dict[str, Any]:
        item = image_json(image_id, tags, created, size)
        self.images[image_id] = item
        return item

    def app(self, **kwargs: Any) -> Any:
        return self.docker.app(show_all=True, **kwargs)

    def df(self) -> dict[str, Any]:
        """``/system/df`` over the same images and containers, plus two volumes and cache."""
        images = [{**item, "Containers": sum(c["ImageID"] == item["Id"] for c in self.docker.containers.values()),
                   "SharedSize": 0} for item in self.images.values()]
        containers = [{**c, "SizeRw": 1200, "SizeRootFs": 5_000_000} for c in self.docker.containers.values()]
        volumes = [
            {"Name": "pgdata", "Driver": "local", "Mountpoint": "/v/pgdata", "Scope": "local",
             "UsageData": {"Size": 52_000_000, "RefCount": 1}},
            {"Name": "old-cache", "Driver": "local", "Mountpoint": "/v/old", "Scope": "local",
             "UsageData": {"Size": 8_000_000, "RefCount": 0}},
        ]
        cache = [{"ID": "k1", "Type": "regular", "Size": 30_000_000, "InUse": False, "Shared": False}]
        layers = sum(item["Size"] for item in self.images.values())
        return {"LayersSize": layers, "Images": images, "Containers": containers, "Volumes": volumes,
                "BuildCache": cache}

    def _find(self, name: str) -> dict[str, Any] | None:
        for item in self.images.values():
            if name == item["Id"] or name in item["RepoTags"] or item["Id"].startswith(f"sha256:{name}"):
                return item
        return None

    @staticmethod
    def _name(request: httpx.Request, suffix: str = "") -> str:
        path = request.url.path.split("/images/", 1)[1]
        return path.removesuffix(suffix) if suffix else path

    def _inspect(self, request: httpx.Request) -> httpx.Response:
        item = self._find(self._name(request, "/json"))
        if item is None:
            return httpx.Response(404, json={"message": "No such image"})
        tags = [t for t in item["RepoTags"] if t != "<none>:<none>"]
        return httpx.Response(200, json={
            "Id": item["Id"], "RepoTags": tags, "RepoDigests": [], "Created": "2026-04-28T12:00:00Z",
            "Size": item["Size"], "Architecture": "amd64", "Os": "linux", "Author": "",
            "Config": {"Cmd": ["nginx", "-g", "daemon off;"], "Env": ["PATH=/usr/bin", "API_TOKEN=hunter2"],
                       "Labels": {"maintainer": "NGINX"}},
        })

    def _history(self, request: httpx.Request) -> httpx.Response:
        item = self._find(self._name(request, "/history"))
        if item is None:
            return httpx.Response(404, json={"message": "No such image"})
        return httpx.Response(200, json=[
            {"Id": item["Id"], "Created": NOW - 3 * 86400, "CreatedBy": '/bin/sh -c #(nop)  CMD ["nginx"]',
             "Tags": item["RepoTags"], "Size": 0, "Comment": ""},
            {"Id": "<missing>", "Created": NOW - 4 * 86400, "CreatedBy": "/bin/sh -c apt-get install \x1b[2Jnginx",
             "Tags": None, "Size": item["Size"], "Comment": "buildkit.dockerfile.v0"},
        ])

    def _remove(self, request: httpx.Request) -> httpx.Response:
        name = self._name(request)
        force = request.url.params.get("force") in {"1", "true"}
        self.removed.append((name, force))
        item = self._find(name)
        if item is None:
            return httpx.Response(404, json={"message": f"No such image: {name}"})
        users = [c for c in self.docker.containers.values() if c["ImageID"] == item["Id"]]
        if users and not force:
            message = (f'conflict: unable to remove repository reference "{name}" (must force) - container '
                       f'{users[0]["Id"][:12]} is using its referenced image {item["Id"][7:19]}')
            return httpx.Response(409, json={"message": message})
        if name in item["RepoTags"] and len(item["RepoTags"]) > 1:
            item["RepoTags"].remove(name)
            return httpx.Response(200, json=[{"Untagged": name}])
        del self.images[item["Id"]]
        return httpx.Response(200, json=[{"Untagged": name}, {"Deleted": item["Id"]}])

    def _tag(self, request: httpx.Request) -> httpx.Response:
        item = self._find(self._name(request, "/tag"))
        repo, tag = request.url.params.get("repo", ""), request.url.params.get("tag", "")
        self.tagged.append((self._name(request, "/tag"), repo, tag))
        if item is None:
            return httpx.Response(404, json={"message": "No such image"})
        item["RepoTags"] = [t for t in item["RepoTags"] if t != "<none>:<none>"] + [f"{repo}:{tag}"]
        return httpx.Response(201)

    def _prune(self, request: httpx.Request) -> httpx.Response:
        self.pruned.append(str(request.url))
        filters = json.loads(request.url.params.get("filters", "{}"))
        dangling_only = filters.get("dangling") == ["true"]
        users = {c["ImageID"] for c in self.docker.containers.values()}
        gone = [item for item in self.images.values()
                if item["Id"] not in users and (not dangling_only or item["RepoTags"] == ["<none>:<none>"])]
        for item in gone:
            del self.images[item["Id"]]
        return httpx.Response(200, json={"ImagesDeleted": [{"Deleted": item["Id"]} for item in gone],
                                         "SpaceReclaimed": sum(item["Size"] for item in gone)})

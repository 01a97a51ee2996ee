"""A fake engine holding two compose projects and two containers of no project."""

from __future__ import annotations

from typing import Any

from dtui.core.compose import CONFIG_HASH_LABEL, NUMBER_LABEL, PROJECT_LABEL, SERVICE_LABEL
from tests.ui.table_support import FakeDocker

BASE_STAMP = 1_777_636_800  # 2026-05-01 12:00 UTC, the snapshots' frozen clock


def compose_labels(project: str, service: str, number: int, config_hash: str = "h1") -> dict[str, str]:
    """The labels ``docker compose`` puts on a container."""
    return {PROJECT_LABEL: project, SERVICE_LABEL: service, NUMBER_LABEL: str(number), CONFIG_HASH_LABEL: config_hash}


def add_member(docker: FakeDocker, project: str, service: str, number: int, **kwargs: Any) -> dict[str, Any]:
    """Add one compose container named ``<project>-<service>-<number>``."""
    config_hash = kwargs.pop("config_hash", "h1")
    return docker.add(f"{project}-{service}-{number}", labels=compose_labels(project, service, number, config_hash),
                      **kwargs)


def compose_fleet() -> FakeDocker:
    """shop: web ×2 (one replica 10, a newer config), db; blog: app (exited); plus "cron" and "adhoc"."""
    docker = FakeDocker()
    add_member(docker, "shop", "web", 10, image="nginx:1.25", created=BASE_STAMP - 60, status="Up 1 minute",
               config_hash="h2")
    add_member(docker, "shop", "web", 2, image="nginx:1.25", created=BASE_STAMP - 300, status="Up 5 minutes")
    add_member(docker, "shop", "db", 1, image="postgres:16", created=BASE_STAMP - 3600, status="Up 1 hour")
    add_member(docker, "blog", "app", 1, image="ghost:5", state="exited", created=BASE_STAMP - 86400,
               status="Exited (0) 1 hour ago")
    docker.add("cron", image="busybox:latest", created=BASE_STAMP - 7200, status="Up 2 hours")
    docker.add("adhoc", image="busybox:latest", state="exited", created=BASE_STAMP - 600, status="Exited (1) 9 minutes ago")
    return docker

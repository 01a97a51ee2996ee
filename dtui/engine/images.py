"""Image calls of the Engine API, reached as ``client.images``.

Calling the object itself (``await client.images()``) lists images, as older callers do.
"""

from __future__ import annotations

import builtins
from typing import Any

from dtui.engine.models import ImageSummary
from dtui.engine.params import Filters, filters_param, quote_path
from dtui.engine.requester import Requester
from dtui.engine.resource_models import HistoryEntry, ImageDetail, PruneReport, Removal

PRUNE_TIMEOUT = 300.0
"""Pruning many images takes the engine a while: wait longer than for ordinary calls."""


class Images:
    """The ``/images`` family of calls for one client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    @staticmethod
    def _path(image: str, action: str = "") -> str:
        suffix = f"/{action}" if action else ""
        return f"/images/{quote_path(image)}{suffix}"

    async def __call__(self, *, all: bool = False) -> builtins.list[ImageSummary]:
        """Same as :meth:`list` with its defaults."""
        return await self.list(all=all)

    async def list(
        self,
        *,
        all: bool = False,
        digests: bool = True,
        shared_size: bool = False,
        filters: Filters | None = None,
    ) -> list[ImageSummary]:
        """``GET /images/json``.

        Args:
            all: Include intermediate images.
            digests: Ask for ``RepoDigests``.
            shared_size: Ask the engine to compute ``SharedSize`` and ``Containers`` (slower).
            filters: Engine filters, e.g. ``{"dangling": ["true"]}`` or ``{"label": ["a=b"]}``.
        """
        # podman 4.3 answers ``digests=1`` with an empty 200 body (it sends RepoDigests anyway)
        podman = bool(getattr(self._requester, "is_podman", False))
        params: dict[str, Any] = {
            "all": all or None,
            "digests": (digests and not podman) or None,
            "shared-size": shared_size or None,
            "filters": filters_param(filters),
        }
        data = await self._requester._json("GET", "/images/json", params=params)
        return [ImageSummary.from_api(item) for item in data or []]

    async def inspect(self, image: str) -> ImageDetail:
        """``GET /images/{name}/json``: 404 ``No such image``."""
        return ImageDetail.from_api(await self._requester._json("GET", self._path(image, "json")) or {})

    async def history(self, image: str) -> builtins.list[HistoryEntry]:
        """``GET /images/{name}/history``: layers, newest first."""
        data = await self._requester._json("GET", self._path(image, "history"))
        return [HistoryEntry.from_api(item) for item in data or []]

    async def tag(self, image: str, repository: str, tag: str = "latest") -> None:
        """``POST /images/{name}/tag?repo=&tag=``: 201; a bad reference is a 400."""
        await self._requester._request("POST", self._path(image, "tag"), params={"repo": repository, "tag": tag})

    async def remove(self, image: str, *, force: bool = False, prune_parents: bool = True) -> Removal:
        """``DELETE /images/{name}``.

        An image a container uses is refused with 409 (the engine's message names the
        container) unless ``force``; an image with several tags loses only the given one.

        Args:
            image: Id or reference.
            force: Remove even when containers use it (untags it from them).
            prune_parents: Also delete untagged parents (``noprune=0``, the CLI's default).
        """
        params = {"force": force or None, "noprune": None if prune_parents else True}
        return Removal.from_api(await self._requester._json("DELETE", self._path(image), params=params))

    async def prune(self, *, dangling_only: bool = True, filters: Filters | None = None) -> PruneReport:
        """``POST /images/prune``: remove dangling (or every unused) image.

        Args:
            dangling_only: Only untagged images (``docker image prune``); False also removes
                tagged images no container uses (``docker image prune -a``).
            filters: More filters (``label``, ``until``).
        """
        merged = {**(filters or {}), "dangling": ["true" if dangling_only else "false"]}
        data = await self._requester._json(
            "POST", "/images/prune", params={"filters": filters_param(merged)}, timeout=PRUNE_TIMEOUT
        )
        return PruneReport.from_api(data or {}, "ImagesDeleted")

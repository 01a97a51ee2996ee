"""The narrow request interface the engine's call families need from a client.

:class:`~dtui.engine.client.EngineClient` satisfies it; the families (images, volumes,
networks, system) take this protocol rather than the client class, so they never import
the client and tests can hand them any object with these two methods.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx


class Requester(Protocol):
    """One request path: every non-2xx answer raises the matching EngineError."""

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request (``params``, ``json_body``, ``content``, ``headers``, ``timeout``)."""
        ...

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and decode its JSON body (None for an empty body)."""
        ...

"""The web server of ``dtui serve``: textual-serve behind a secret URL prefix, nothing remote.

textual-serve's own page loads a font from Google; this one serves every asset from the
package (its ``static`` folder) and forbids anything else with a Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import signal
from collections.abc import Awaitable, Callable
from importlib.resources import files
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from dtui.serve.urls import url_of

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


class TokenServer(Server):
    """textual-serve with every route under ``/<token>/`` and no request without it."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="dtui")
        self.token = token
        self.page = files("dtui.serve").joinpath("index.html").read_text(encoding="utf-8")
        self.sessions: set[asyncio.Task[object]] = set()

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._require_token])
        prefix = f"/{self.token}"
        app.add_routes([
            web.get(f"{prefix}/", self._index),
            web.get(f"{prefix}/ws", self._websocket),
            web.static(f"{prefix}/static", Path(self.statics_path)),
        ])
        app.on_shutdown.append(self._end_sessions)
        return app

    @web.middleware
    async def _require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        first = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            raise web.HTTPNotFound(text="dtui serve: open the URL printed when the server started\n")
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    async def _index(self, request: web.Request) -> web.Response:
        font_size = request.query.get("fontsize", "16")
        websocket_url = f"ws://{request.host}/{self.token}/ws"
        page = self.page.replace("{websocket_url}", html.escape(websocket_url)).replace(
            "{font_size}", str(int(font_size)) if font_size.isdigit() else "16"
        )
        return web.Response(text=page, content_type="text/html")

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden(text="dtui serve: cross-site request\n")
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        try:
            return await self.handle_websocket(request)
        finally:
            self.sessions.discard(task)

    async def _end_sessions(self, app: web.Application) -> None:
        """Stop every browser session's dtui when the server stops."""
        for task in list(self.sessions):
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)


def serve(command: str, host: str, port: int, token: str) -> int:
    """Serve ``command`` (one process per browser session) until SIGINT/SIGTERM.

    Returns:
        The exit code.
    """
    return asyncio.run(_serve(TokenServer(command, host, port, token)))


async def _serve(server: TokenServer) -> int:
    runner = web.AppRunner(await server._make_app(), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, server.host, server.port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    port = runner.addresses[0][1]
    print(f"dtui serve: open {url_of(server.host, port, server.token)}", flush=True)
    print("dtui serve: Ctrl+C stops the server and every session", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    return 0

"""Command line: parse arguments, find the engine, check it answers, run the app."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from dtui import __version__
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint, EndpointError, resolve_host
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.models import EngineVersion


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every option for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="dtui",
        description="A keyboard-driven terminal UI for Docker.",
        epilog="The engine address comes from --host, then DOCKER_HOST, then "
        "unix:///var/run/docker.sock. DOCKER_API_VERSION pins the API version.",
    )
    parser.add_argument("-H", "--host", help="engine address: unix:///path or tcp://host:port")
    parser.add_argument("--read-only", action="store_true", help="disable every action that changes anything")
    parser.add_argument("-a", "--all", action="store_true", help="start with stopped containers shown")
    parser.add_argument("--version", action="version", version=f"dtui {__version__}")
    return parser


async def probe(endpoint: Endpoint) -> tuple[str, EngineVersion]:
    """Negotiate the API version and read the engine version, then close."""
    async with EngineClient.from_env(endpoint) as client:
        api_version = await client.connect()
        return api_version, await client.version()


def _fail(message: str) -> int:
    print(f"dtui: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dtui`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        endpoint = resolve_host(args.host)
    except EndpointError as error:
        return _fail(str(error))
    try:
        api_version, engine_version = asyncio.run(probe(endpoint))
    except EngineUnreachable as error:
        hint = "is dockerd running there? Point dtui elsewhere with --host or DOCKER_HOST."
        return _fail(f"{error}\n  {hint}")
    except EngineError as error:
        return _fail(f"{error.title}: {error.message}")
    from dtui.ui.app import DtuiApp

    app = DtuiApp(
        endpoint=endpoint,
        api_version=api_version,
        engine_version=engine_version,
        read_only=args.read_only,
        show_all=args.all,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(os.sys.argv[1:]))

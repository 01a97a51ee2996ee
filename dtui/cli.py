"""Command line: parse arguments, find the engine, check it answers, run the app.

Start-up is on the clock (the benchmark's first list), so this module imports only what
parsing needs: ``--help`` and ``--version`` load no engine client and no Textual. The app
and the engine layer are imported once the arguments are good. The engine is probed in the
app's own event loop, and the probe's client (its negotiated API version, its engine kind
and its open connection) becomes the app's: nothing is connected twice.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dtui import __version__

if TYPE_CHECKING:
    from dtui.config import Config
    from dtui.engine.client import EngineClient
    from dtui.engine.endpoint import Endpoint
    from dtui.engine.errors import EngineError
    from dtui.engine.models import EngineVersion
    from dtui.engine.tls import TlsFlags
    from dtui.live.state import LiveState
    from dtui.ui.app import DtuiApp


def _context_target(name: str) -> str:
    """``--context NAME`` as a target (argparse type; the hosts module loads on use)."""
    from dtui.core.hosts import context_target

    return context_target(name)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every option for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="dtui",
        description="A keyboard-driven terminal UI for Docker.",
        epilog="The engine comes from --context, then --host, then DOCKER_HOST, then "
        "DOCKER_CONTEXT, then currentContext in $DOCKER_CONFIG/config.json, then "
        "unix:///var/run/docker.sock. DOCKER_TLS_VERIFY and DOCKER_CERT_PATH work as for docker. "
        "DOCKER_API_VERSION pins the API version. `dtui serve --help`: dtui in a web browser.",
    )
    parser.add_argument(
        "-H", "--host", dest="targets", action="append", default=[], metavar="HOST",
        help="engine address: unix:///path, tcp://host:port or ssh://[user@]host[:port][/socket]; "
        "repeat (or mix with --context) to show several engines in one table",
    )
    parser.add_argument(
        "--context", dest="targets", action="append", type=_context_target, metavar="CONTEXT",
        help="use this Docker context (see `docker context ls`); repeatable",
    )
    _add_connection_arguments(parser)
    parser.add_argument("--read-only", action="store_true", help="disable every action that changes anything")
    parser.add_argument("-a", "--all", action="store_true", help="start with stopped containers shown")
    parser.add_argument("--config", type=Path, metavar="PATH", help="config file (default $XDG_CONFIG_HOME/dtui/config.toml)")
    parser.add_argument("--print-config", action="store_true", help="print the effective configuration and exit")
    parser.add_argument("--filter", default="", metavar="FILTERS", help="engine filter to start with, e.g. 'status=exited label=env=prod'")
    parser.add_argument("--version", action="version", version=f"dtui {__version__}")
    return parser


def _add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    tls = parser.add_argument_group("TLS (tcp:// engines)")
    tls.add_argument("--tls", action="store_true", help="use TLS (without checking the engine: warns)")
    tls.add_argument("--tlsverify", action="store_true", help="use TLS and check the engine's certificate")
    tls.add_argument("--tlscacert", metavar="FILE", help="CA certificate (default: $DOCKER_CERT_PATH/ca.pem)")
    tls.add_argument("--tlscert", metavar="FILE", help="client certificate (default: $DOCKER_CERT_PATH/cert.pem)")
    tls.add_argument("--tlskey", metavar="FILE", help="client key (default: $DOCKER_CERT_PATH/key.pem)")
    parser.add_argument(
        "--ssh-opt",
        metavar="OPT",
        action="append",
        default=[],
        help='extra ssh arguments for ssh:// engines, repeatable: "-F /path/config" or Key=Value',
    )


def tls_flags_of(args: argparse.Namespace) -> TlsFlags:
    """The TLS command-line flags."""
    from dtui.engine.tls import TlsFlags

    return TlsFlags(args.tls, args.tlsverify, args.tlscacert, args.tlscert, args.tlskey)


def resolve_endpoints(args: argparse.Namespace) -> list[tuple[str, Endpoint]]:
    """Every engine named by ``-H``/``--context`` (in order, each host once), else the default one.

    Returns:
        (target as the user spelled it, endpoint) pairs.
    """
    from dtui.core.hosts import resolve_target
    from dtui.engine.endpoint import resolve_host
    from dtui.engine.ssh import split_ssh_options

    flags = tls_flags_of(args)
    ssh_options = split_ssh_options(args.ssh_opt)
    if not args.targets:
        endpoint = resolve_host(None, tls_flags=flags, ssh_options=ssh_options)
        return [(endpoint.host, endpoint)]
    found: dict[str, tuple[str, Endpoint]] = {}
    for target in args.targets:
        endpoint = resolve_target(target, tls_flags=flags, ssh_options=ssh_options)
        found.setdefault(endpoint.host, (target, endpoint))
    return list(found.values())


FIRST_LISTING_HEAD_START = 0.1
"""Seconds the first listing may take before the app is imported anyway (a slow, remote engine)."""

Probed = tuple["EngineClient", "EngineVersion"]
"""A connected client (API version negotiated, engine kind known) and what ``/version`` said."""


async def connect(endpoint: Endpoint) -> Probed:
    """A client of ``endpoint`` that negotiated the API version, and the engine's version.

    The client's connection stays open for what follows (the app's first list).

    Raises:
        EngineError: When the engine does not answer (the client is closed).
    """
    from dtui.engine.client import EngineClient

    client = EngineClient.from_env(endpoint)
    try:
        await client.connect()
        return client, await client.version()
    except BaseException:
        await client.aclose()
        raise


async def connect_all(endpoints: list[Endpoint]) -> list[Probed | EngineError]:
    """Connect to every engine at once; each client and version, or the error it failed with."""
    import asyncio

    from dtui.engine.errors import EngineError

    async def one(endpoint: Endpoint) -> Probed | EngineError:
        try:
            return await connect(endpoint)
        except EngineError as error:
            return error

    return list(await asyncio.gather(*(one(endpoint) for endpoint in endpoints)))


async def probe_all(endpoints: list[Endpoint]) -> list[tuple[str, EngineVersion] | EngineError]:
    """Probe every engine at once, then close: (API version, engine version) or the error."""
    answers: list[tuple[str, EngineVersion] | EngineError] = []
    for answer in await connect_all(endpoints):
        if isinstance(answer, tuple):
            client, version = answer
            await client.aclose()
            answers.append((client.api_version or "", version))
        else:
            answers.append(answer)
    return answers


def _probe_failure(error: EngineError) -> str:
    from dtui.engine.errors import EngineUnreachable

    if isinstance(error, EngineUnreachable):
        hint = "is dockerd running there? Point dtui elsewhere with --host, --context or DOCKER_HOST."
        return f"{error}\n  {hint}"
    return f"{error.title}: {error.message}"


def _fail(message: str) -> int:
    print(f"dtui: {message}", file=sys.stderr)
    return 1


def theme_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where a theme picked in the palette is remembered (``$XDG_STATE_HOME/dtui/theme``)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local" / "state")
    return Path(base) / "dtui" / "theme"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dtui`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    from dtui.config import load_config, render_config

    config = load_config(args.config)
    if args.print_config:
        for problem in config.problems:
            print(f"dtui: {problem}", file=sys.stderr)
        print(render_config(config), end="")
        return 0
    try:
        targets = resolve_endpoints(args)
    except ValueError as error:  # EndpointError, or SshAddressError from --ssh-opt
        return _fail(str(error))
    import asyncio

    return asyncio.run(_probe_and_run(args, config, targets))


async def _probe_and_run(args: argparse.Namespace, config: Config, targets: list[tuple[str, Endpoint]]) -> int:
    """Probe the engines, then run the app in this same event loop with the probe's clients."""
    from dtui.engine.errors import EngineError

    answers = await connect_all([endpoint for _, endpoint in targets])
    failures = [answer for answer in answers if isinstance(answer, EngineError)]
    if len(failures) == len(answers):  # several hosts start even when some are down
        return _fail(_probe_failure(failures[0]))
    from dtui.engine.ssh import split_ssh_options

    live = None if failures else start_first_listing(args, config, targets, answers)
    if live is not None:
        await live.wait_listed(FIRST_LISTING_HEAD_START)
    app_class = load_app()
    (target, endpoint), first = targets[0], answers[0]
    client, version = first if isinstance(first, tuple) else (None, None)
    app = app_class(
        endpoint=endpoint,
        target=target,
        client=client,
        engine_version=version,
        more_hosts=[
            (spelled, answer[0] if isinstance(answer, tuple) else where)
            for (spelled, where), answer in zip(targets[1:], answers[1:], strict=True)
        ],
        read_only=args.read_only,
        show_all=args.all or config.defaults.show_all,
        filters=args.filter,
        config=config,
        theme_file=theme_file(),
        hosts_file=_hosts_file(),
        tls_flags=tls_flags_of(args),
        ssh_options=split_ssh_options(args.ssh_opt),
        live=live,
    )
    await app.run_async()
    return app.return_code or 0


def start_first_listing(
    args: argparse.Namespace, config: Config, targets: list[tuple[str, Endpoint]], answers: list[Probed | EngineError],
) -> LiveState | None:
    """Follow the containers the first screen shows, on every engine, before the app is loaded.

    The subscription and the listing go out now and the app is imported once the listing
    arrived (or after ``FIRST_LISTING_HEAD_START``): the table is filled before its first
    paint, and the container screen adopts these feeds (``LiveState.start_early``).
    None when the engine filter does not parse (the screen says why, then lists unfiltered).
    """
    from dtui.core.engine_filter import FilterSyntaxError, parse_engine_filter
    from dtui.live.kinds import containers_kind
    from dtui.live.state import LiveState

    try:
        engine_filter = parse_engine_filter(args.filter)
    except FilterSyntaxError:
        return None
    clients = {endpoint.host: answer[0] for (_, endpoint), answer in zip(targets, answers, strict=True)
               if isinstance(answer, tuple)}
    live = LiveState(clients.__getitem__)
    kind = containers_kind(
        show_all=args.all or config.defaults.show_all, filters=engine_filter.filters,
        limit=engine_filter.limit, size=engine_filter.size, query=engine_filter.text,
    )
    live.start_early(kind, list(clients))
    return live


def load_app() -> type[DtuiApp]:
    """The app class, its first screen imported too."""
    from dtui.ui.app import FIRST_SCREEN, DtuiApp, load_named

    load_named(FIRST_SCREEN)
    return DtuiApp


def _hosts_file() -> Path:
    from dtui.core.hosts import hosts_file

    return hosts_file()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

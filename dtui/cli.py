"""Command line: parse arguments, find the engine, check it answers, run the app."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from dtui import __version__
from dtui.config import load_config, render_config
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint, resolve_host
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.models import EngineVersion
from dtui.engine.ssh import split_ssh_options
from dtui.engine.tls import TlsFlags
from dtui.core.hosts import context_target, hosts_file, resolve_target


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
        "--context", dest="targets", action="append", type=context_target, metavar="CONTEXT",
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
    return TlsFlags(args.tls, args.tlsverify, args.tlscacert, args.tlscert, args.tlskey)


def resolve_endpoints(args: argparse.Namespace) -> list[tuple[str, Endpoint]]:
    """Every engine named by ``-H``/``--context`` (in order, each host once), else the default one.

    Returns:
        (target as the user spelled it, endpoint) pairs.
    """
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


async def probe(endpoint: Endpoint) -> tuple[str, EngineVersion]:
    """Negotiate the API version and read the engine version, then close."""
    async with EngineClient.from_env(endpoint) as client:
        api_version = await client.connect()
        return api_version, await client.version()


async def probe_all(endpoints: list[Endpoint]) -> list[tuple[str, EngineVersion] | EngineError]:
    """Probe every engine at once; each answer, or the error it failed with."""
    async def one(endpoint: Endpoint) -> tuple[str, EngineVersion] | EngineError:
        try:
            return await probe(endpoint)
        except EngineError as error:
            return error

    return list(await asyncio.gather(*(one(endpoint) for endpoint in endpoints)))


def _probe_failure(error: EngineError) -> str:
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
    answers = asyncio.run(probe_all([endpoint for _, endpoint in targets]))
    failures = [answer for answer in answers if isinstance(answer, EngineError)]
    if len(failures) == len(answers):  # several hosts start even when some are down
        return _fail(_probe_failure(failures[0]))
    from dtui.ui.app import DtuiApp

    (target, endpoint), first = targets[0], answers[0]
    api_version, engine_version = first if not isinstance(first, EngineError) else (None, None)
    app = DtuiApp(
        endpoint=endpoint,
        target=target,
        more_hosts=targets[1:],
        api_version=api_version,
        engine_version=engine_version,
        read_only=args.read_only,
        show_all=args.all or config.defaults.show_all,
        filters=args.filter,
        config=config,
        theme_file=theme_file(),
        hosts_file=hosts_file(),
        tls_flags=tls_flags_of(args),
        ssh_options=split_ssh_options(args.ssh_opt),
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

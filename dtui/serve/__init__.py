"""``dtui serve``: dtui in a web browser, one dtui process per browser session.

Only the command line lives here; the web server is :mod:`dtui.serve.server`, imported once
the options are known to be good (it needs the optional ``textual-serve`` package).
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import shlex
import sys
from collections.abc import Sequence


DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"
REFUSED_OPTIONS = ("--print-config", "--version", "-h", "--help")
"""dtui options that print and exit: they make no sense for a browser session."""


def build_serve_parser() -> argparse.ArgumentParser:
    """The parser of ``dtui serve``'s own options; everything else goes to each session."""
    parser = argparse.ArgumentParser(
        prog="dtui serve",
        allow_abbrev=False,
        description="Serve dtui to a web browser. Each browser tab runs its own dtui with the "
        "dtui options given here (e.g. --read-only, -H, --context, --all).",
        epilog="The URL printed at start carries a random token; a request without it is refused. "
        "The server listens on 127.0.0.1 only: from another machine use "
        "`ssh -L 8765:127.0.0.1:8765 THIS_HOST` and open the same URL there.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument(
        "--listen", default=LOOPBACK, metavar="ADDR",
        help="address to listen on (default 127.0.0.1); anything else is reachable by others over plain HTTP",
    )
    return parser


def is_loopback(address: str) -> bool:
    """True for ``localhost`` and loopback IP addresses."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def session_command(dtui_argv: Sequence[str]) -> str:
    """The shell command each browser session runs: this Python's dtui with the options."""
    return shlex.join([sys.executable, "-m", "dtui", *dtui_argv])


def main(argv: Sequence[str]) -> int:
    """Entry point of ``dtui serve``; returns the exit code."""
    args, dtui_argv = build_serve_parser().parse_known_args(argv)
    refused = [option for option in dtui_argv if option.split("=", 1)[0] in REFUSED_OPTIONS]
    if refused:
        return _fail(f"{refused[0]} cannot be served; run `dtui {refused[0]}` in a terminal")
    dtui_args = _parse_dtui_options(dtui_argv)
    if isinstance(dtui_args, str):
        return _fail(dtui_args)
    _warn_if_unreachable(dtui_args)
    try:
        from dtui.serve.server import serve
    except ImportError:
        return _fail("`dtui serve` needs textual-serve: pip install 'dtui[serve]'")
    if not is_loopback(args.listen):
        from dtui.engine.endpoint import NO_TLS_WARNING

        print(f"dtui serve: warning: {NO_TLS_WARNING}", file=sys.stderr)
    token = secrets.token_urlsafe(24)
    try:
        return serve(session_command(dtui_argv), args.listen, args.port, token)
    except OSError as error:
        return _fail(f"cannot listen on {args.listen}:{args.port}: {error.strerror or error}")


def _parse_dtui_options(dtui_argv: Sequence[str]) -> argparse.Namespace | str:
    """Parse the session options now, so a typo fails here and not in every browser tab.

    Returns:
        The parsed options, or what is wrong with them.
    """
    from dtui.cli import build_parser, resolve_endpoints

    try:
        dtui_args = build_parser().parse_args(dtui_argv)
    except SystemExit as leave:  # argparse has printed the usage and the error
        return f"bad dtui option (exit {leave.code})"
    try:
        resolve_endpoints(dtui_args)
    except ValueError as error:
        return str(error)
    return dtui_args


def _warn_if_unreachable(dtui_args: argparse.Namespace) -> None:
    """Say at once when no engine answers (each session would show only its error)."""
    import asyncio

    from dtui.cli import _probe_failure, probe_all, resolve_endpoints
    from dtui.engine.errors import EngineError

    answers = asyncio.run(probe_all([endpoint for _, endpoint in resolve_endpoints(dtui_args)]))
    failures = [answer for answer in answers if isinstance(answer, EngineError)]
    if len(failures) == len(answers):
        print(f"dtui serve: warning: {_probe_failure(failures[0])}", file=sys.stderr)


def _fail(message: str) -> int:
    print(f"dtui serve: {message}", file=sys.stderr)
    return 1

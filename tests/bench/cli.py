"""Command line of the benchmark: find or start an engine, run, print the table."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from tests.bench.fixture import DEFAULT_SPEC
from tests.bench.harness import Options, run
from tests.support import engine as support


def build_parser() -> argparse.ArgumentParser:
    """The options of ``python -m tests.bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Measure dtui against a real engine and print a markdown table. Uses "
        "DTUI_TEST_DOCKER_HOST when set, else starts a private dockerd (needs root).",
    )
    parser.add_argument("--containers", type=int, default=DEFAULT_SPEC.total, metavar="N",
                        help=f"also time the first list with N containers, e.g. 500 (default {DEFAULT_SPEC.total}: "
                        "only the default fixture)")
    parser.add_argument("--samples", type=int, default=5, help="timed start-ups per figure (default 5)")
    parser.add_argument("--idle", type=float, default=30.0, metavar="SECONDS",
                        help="length of each idle window (default 30)")
    parser.add_argument("--keys", type=int, default=40, help="keys pressed for the latency figure (default 40)")
    parser.add_argument("--size", default="120x40", metavar="COLSxROWS", help="terminal size (default 120x40)")
    parser.add_argument("--only", action="append", default=[], metavar="TITLE",
                        help="run only rows whose title contains TITLE (repeatable)")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    return parser


def options_from(args: argparse.Namespace) -> Options:
    """Options from parsed arguments."""
    columns, _, rows = args.size.partition("x")
    large = args.containers if args.containers > DEFAULT_SPEC.total else None
    return Options(
        large=large,
        samples=max(1, args.samples),
        idle_seconds=args.idle,
        keys=max(1, args.keys),
        columns=int(columns),
        rows=int(rows),
        only=tuple(args.only),
    )


def _exit_on_term(signum: int, frame: FrameType | None) -> None:
    """SIGTERM/SIGHUP: leave through ``finally`` blocks so the containers are removed."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when every row measured, 1 otherwise."""
    args = build_parser().parse_args(argv)
    options = options_from(args)
    signal.signal(signal.SIGTERM, _exit_on_term)
    signal.signal(signal.SIGHUP, _exit_on_term)
    given = os.environ.get("DTUI_TEST_DOCKER_HOST")
    daemon: support.PrivateDaemon | None = None
    try:
        if given:
            host, origin = given, "from DTUI_TEST_DOCKER_HOST"
            support.wait_for_engine(host, time.monotonic() + 10)
        else:
            print("starting a private dockerd ...", file=sys.stderr)
            daemon = support.start_private_daemon()
            host, origin = daemon.host, "private dockerd started for this run"
        report = run(host, options, origin)
    except support.EngineUnavailable as error:
        print(f"bench: no engine: {error}", file=sys.stderr)
        return 1
    finally:
        if daemon is not None:
            daemon.stop()
            support.remove_daemon_dir(daemon)
    print(report.markdown)
    if args.output:
        args.output.write_text(report.markdown)
    return 1 if report.errors else 0

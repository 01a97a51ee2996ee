"""The ``dtui`` command: version, help, and a clear failure for an unreachable engine."""

from __future__ import annotations

import subprocess
import sys

from dtui import __version__


def run_dtui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dtui", *args], capture_output=True, text=True, timeout=30)


def test_version() -> None:
    result = run_dtui("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"dtui {__version__}"


def test_help_names_host_option() -> None:
    result = run_dtui("--help")
    assert result.returncode == 0 and "--host" in result.stdout and "DOCKER_HOST" in result.stdout


def test_unreachable_engine_prints_one_clear_line_and_exits_1() -> None:
    result = run_dtui("--host", "unix:///nonexistent.sock")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first == "dtui: cannot reach the Docker engine at unix:///nonexistent.sock: no such socket"
    assert "--host" in result.stderr


def test_bad_host_scheme_is_reported() -> None:
    result = run_dtui("--host", "ftp://x")
    assert result.returncode == 1 and "unsupported host address" in result.stderr

"""Run the test suite on dockerd and the integration suite on Podman at the same time.

``python -m tests.both_engines [pytest args...]`` starts two pytest processes: the whole
suite on dockerd (its output streams to this terminal) and ``tests/integration`` with
``DTUI_TEST_ENGINE=podman`` on a private Podman service (its output goes to
``podman-tests.log`` and is printed, under a header, once both are done). The Docker run is
spread over ``DOCKER_WORKERS`` pytest-xdist workers, a test file per worker at a time
(``--dist loadgroup`` with a group per file, see tests/conftest.py: module fixtures stay
shared, and both swarm files share one swarm), each worker with a private dockerd of its own. Most of the suite waits (on the engine, on the app going idle), so the workers and the
Podman run beside them share two cores well. Extra arguments go to both runs and come last,
so ``-n 0`` runs the Docker suite in one process. The exit code is 0 only when both passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PODMAN_LOG = Path("podman-tests.log")
DOCKER_WORKERS = 3


def _docker_command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-n", str(DOCKER_WORKERS), "--dist", "loadgroup", *extra]


def _podman_command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfEs", *extra, "tests/integration"]


def _podman_environment() -> dict[str, str]:
    """This environment with the engine set to Podman (a given Docker host would override it)."""
    env = {key: value for key, value in os.environ.items() if key != "DTUI_TEST_DOCKER_HOST"}
    return {**env, "DTUI_TEST_ENGINE": "podman"}


def main(argv: list[str] | None = None) -> int:
    """Run both suites; returns 0 when both passed."""
    extra = list(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    with PODMAN_LOG.open("wb") as log:
        podman = subprocess.Popen(
            _podman_command(extra), stdout=log, stderr=subprocess.STDOUT,
            env=_podman_environment(),
        )
        try:
            docker_code = subprocess.call(_docker_command(extra))
            docker_seconds = time.monotonic() - started
            podman_code = podman.wait()
        finally:
            if podman.poll() is None:
                podman.terminate()
                podman.wait()
    podman_seconds = time.monotonic() - started
    print(f"\n===== Podman run (DTUI_TEST_ENGINE=podman pytest tests/integration), from {PODMAN_LOG} =====")
    sys.stdout.write(PODMAN_LOG.read_text(errors="replace"))
    print(f"===== docker run: exit {docker_code} after {docker_seconds:.0f} s; "
          f"podman run: exit {podman_code}, both done after {podman_seconds:.0f} s =====")
    return 0 if docker_code == 0 and podman_code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

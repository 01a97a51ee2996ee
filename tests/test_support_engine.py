"""The test harness's own clean-up: stray engine helpers of a private root are found and killed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.support import engine as support


def test_kill_strays_kills_only_the_programs_naming_that_root(tmp_path: Path) -> None:
    """Stands in for conmon: a sleeping Python whose command line names a path under the root,
    beside one naming another root; only the first is killed."""
    program, nap = Path(sys.executable).name, "import time; time.sleep(600)"
    root, other = tmp_path / "root", tmp_path / "other"
    ours = subprocess.Popen([sys.executable, "-c", nap, f"{root}/run/userdata"])
    theirs = subprocess.Popen([sys.executable, "-c", nap, f"{other}/run/userdata"])
    try:
        deadline = time.monotonic() + 10
        while support.stray_pids(program, root) != [ours.pid] and time.monotonic() < deadline:
            time.sleep(0.01)  # until the child has exec'd
        assert support.stray_pids(program, root) == [ours.pid]
        support.kill_strays(program, root)
        assert ours.wait(timeout=5) == -9
        assert theirs.poll() is None and support.stray_pids(program, other) == [theirs.pid]
    finally:
        for process in (ours, theirs):
            process.kill()
            process.wait()

"""NO_COLOR: the real dtui on a pty writes no colour codes at all (bold/reverse only)."""

from __future__ import annotations

import re
import sys

from tests.support import engine as support
from tests.support.pty_run import PtyProcess

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
COLOUR_CODES = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}


def colour_codes(output: bytes) -> list[bytes]:
    """Every SGR sequence in ``output`` that sets a foreground or background colour."""
    found = []
    for match in SGR.finditer(output):
        params = [p for p in re.split(rb"[;:]", match.group(1)) if p]
        if any(int(p) in COLOUR_CODES for p in params if p.isdigit()):
            found.append(match.group(0))
    return found


def run_dtui(engine_host: str, name: str, env: dict[str, str]) -> bytes:
    argv = [sys.executable, "-m", "dtui", "-H", engine_host, "-a",
            "--filter", f"label={support.TEST_LABEL}={support.SESSION_ID}"]
    terminal = PtyProcess(argv, env={"XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent", **env})
    try:
        terminal.wait_for(name.encode(), timeout=30)
        terminal.send("?", pause=0.5)
        terminal.send("\x1b", pause=0.3)
        terminal.send("q", pause=0.5)
        return terminal.output
    finally:
        terminal.close()


def test_no_color_output_has_no_colour_codes(engine_host: str, make_container) -> None:  # type: ignore[no-untyped-def]
    name = f"nocolour-{support.SESSION_ID}"
    make_container(["sleep", "600"], name=name)
    coloured = run_dtui(engine_host, name, {})
    assert colour_codes(coloured), "the check must see colours when NO_COLOR is unset"
    plain = run_dtui(engine_host, name, {"NO_COLOR": "1"})
    assert colour_codes(plain) == []
    assert any(b"7" in re.split(rb"[;:]", m.group(1)) for m in SGR.finditer(plain)), "the cursor row is in reverse video"

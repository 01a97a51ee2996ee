"""Hostile container text must never reach the real terminal (issue 13).

The real ``dtui`` runs on a pseudo-terminal against the real engine with one container whose
labels, env, command and log lines carry terminal attacks and markup. Every byte written to
the terminal is kept and searched for the payloads themselves. The canary runs the same
scenario with the sanitizer swapped for identity (tests/support/unsafe_sanitizer.py) and must
see the payloads leak, so the detection can never silently stop working.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import engine as support
from tests.support.pty_run import PtyProcess

ESC = "\x1b"
OSC_TITLE = f"{ESC}]0;PWNED\x07"
OSC_CLIPBOARD = f"{ESC}]52;c;ZXZpbA==\x07"
OSC_LINK = f"{ESC}]8;;http://evil.invalid/{ESC}\\"
CLEAR_SCREEN = f"{ESC}[2J"
CURSOR_REPORT = f"{ESC}[6n"
RESET = f"{ESC}c"
C1_CSI = "\x9b31m"
CLICK_MARKUP = "[@click=app.quit]x[/]"
PAYLOADS = [OSC_TITLE, OSC_CLIPBOARD, OSC_LINK, CLEAR_SCREEN, CURSOR_REPORT, RESET, C1_CSI, CLICK_MARKUP, "[/]", "[bold]"]
HOSTILE = "<" + "|".join(PAYLOADS) + ">"
"""Every payload in one string (for labels, env and the command)."""

VISIBLE_MARK = "SEEN-" + CLICK_MARKUP + "-[/]-[bold]-END"
"""A log line of markup alone: it must show literally."""

ONE_MB = 1_000_000

# Byte strings that only a leaked payload can put on the terminal. Textual writes its own
# escape sequences (alternate screen, OSC 22 pointer shape, synchronized output, ...), so each
# needle is the payload's own body, never a bare introducer.
LEAK_NEEDLES = {
    "OSC 0 title": b"]0;PWNED",
    "OSC 52 clipboard": b"]52;c;",
    "OSC 8 link": b"]8;;http://evil",
    "PWNED text of the title": b"PWNED",
    "clear screen": b"\x1b[2J",
    "cursor position report": b"\x1b[6n",
    "full reset": b"\x1bc",
    "C1 CSI (UTF-8)": b"\xc2\x9b",
}

# A printf script writing each payload to stdout and stderr, then a raw 0x9b byte, the 1 MB
# line and a visible marker, then sleeping. $1 is HOSTILE, passed as an argument so the
# command itself carries the payloads too.
SCRIPT = (
    'printf "%s\\n" "$1"; printf "%s\\n" "$1" >&2; '
    "printf 'raw \\233' ; printf '31m raw-c1\\n'; "
    'head -c 1000000 /dev/zero | tr "\\0" A; echo; '
    'printf "%s\\n" "$2"; sleep 600'
)


@dataclass(frozen=True)
class Run:
    """What one dtui session wrote to the terminal."""

    output: bytes
    alive_before_quit: bool
    exit_code: int | None


@pytest.fixture(scope="module")
def evil_container(engine_host: str) -> Iterator[str]:
    """The hostile container (running); removed afterwards."""
    name = f"evil-{support.SESSION_ID}"
    container_id = support.run_container(
        engine_host,
        ["sh", "-c", SCRIPT, "evil", HOSTILE, VISIBLE_MARK],
        name=name,
        labels={"evil.label": HOSTILE, "evil.big": "B" * ONE_MB},
        Env=[f"EVIL={HOSTILE}"],
    )
    try:
        yield name
    finally:
        with support.sync_client(engine_host) as client:
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})


def _drive(prefix: list[str], engine_host: str, name: str, env: dict[str, str] | None = None) -> Run:
    """Run dtui on a pty and visit the table, every detail tab and the log screen, then quit."""
    argv = [*prefix, "-H", engine_host, "-a", "--filter", f"label={support.TEST_LABEL}={support.SESSION_ID}"]
    terminal = PtyProcess(argv, columns=80, rows=24, env=env)
    try:
        terminal.wait_for(name.encode(), timeout=30)
        mark = len(terminal.output)
        terminal.send("\r", pause=1.0)  # detail pane (Inspect)
        terminal.wait_for(b"Inspect", timeout=15, start=mark)  # the pane is there before Tab moves into it
        terminal.send("\t", pause=0.5)  # focus into the pane, so 1..4 reach it
        terminal.send("1", pause=1.0)
        _inspect_hostile_fields(terminal)
        for tab, content in (("2", b"PID"), ("3", None), ("4", b"CPU")):
            mark = len(terminal.output)
            terminal.send(tab, pause=1.5)
            if content is not None:  # the tab really showed its data
                terminal.wait_for(content, timeout=15, start=mark)
        terminal.send("1", pause=0.5)
        terminal.send("\x1b", pause=0.5)  # close the pane
        mark = len(terminal.output)
        terminal.send("l", pause=0.5)
        terminal.wait_for(b"SEEN-", timeout=20, start=mark)
        terminal.send("G", pause=1.0)
        terminal.send("\x1b", pause=0.5)
        alive = terminal.alive()
        terminal.send("q", pause=0.5)
        exited = terminal.process.wait(timeout=10)
        return Run(terminal.output, alive, exited)
    finally:
        terminal.close()


def _inspect_hostile_fields(terminal: PtyProcess) -> None:
    """Bring the hostile label, the (revealed) env and the command into view on Inspect."""
    terminal.send("v", pause=0.5)  # reveal env values
    for term in ("evil.label", "EVIL=", "evil.big", "sleep 600"):
        terminal.send("/", pause=0.3)
        terminal.send(term, pause=0.3)
        terminal.send("\r", pause=0.8)
        terminal.send("\x1b", pause=0.3)


def _leaks(output: bytes) -> list[str]:
    found = [label for label, needle in LEAK_NEEDLES.items() if needle in output]
    decoded = output.decode("utf-8", errors="surrogateescape")
    if "\udc9b" in decoded:  # a raw 0x9b byte that is no part of a UTF-8 character
        found.append("C1 CSI (raw byte)")
    return found


def test_hostile_text_never_reaches_the_terminal(engine_host: str, evil_container: str) -> None:
    run = _drive([sys.executable, "-m", "dtui"], engine_host, evil_container)
    assert _leaks(run.output) == []
    assert run.alive_before_quit, "dtui died before q (a payload quit or crashed it)"
    assert run.exit_code == 0
    # The hostile fields were on screen (so the absence of payloads means something) ...
    # podman 4.3's logs?tail=N glues the 1 MB line's partial records onto the stderr line before
    # it (as stderr), so only the rest of that row shows A's there
    many_a = b"A" * (30 if support.on_podman() else 60)
    for shown in (b"evil.label", b"EVIL", b"evil.big", b"sleep 600", b"raw-c1", many_a):
        assert shown in run.output, shown
    # ... and markup is shown literally rather than parsed.
    assert CLICK_MARKUP.encode() in run.output
    assert VISIBLE_MARK.encode() in run.output


def test_canary_identity_sanitizer_leaks(engine_host: str, evil_container: str) -> None:
    wrapper = "import tests.support.unsafe_sanitizer; from dtui.cli import main; raise SystemExit(main())"
    repo_root = str(Path(__file__).resolve().parents[2])
    run = _drive([sys.executable, "-c", wrapper], engine_host, evil_container, env={"PYTHONPATH": repo_root})
    # Every needle must be able to fire: each payload leaks once nothing sanitizes it.
    assert _leaks(run.output) == list(LEAK_NEEDLES), _leaks(run.output)

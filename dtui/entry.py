"""The ``dtui`` command: ``dtui serve ...`` goes to the browser server, the rest to the TUI.

Kept apart from :mod:`dtui.cli` because ``dtui.serve`` reuses the command line's parser
(so ``cli`` must not import ``serve``: no import circle).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dtui`` command; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        from dtui.serve import main as serve_main

        return serve_main(args[1:])
    from dtui.cli import main as tui_main

    return tui_main(args)

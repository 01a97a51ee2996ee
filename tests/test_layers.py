"""The engine layer and the live state never import Textual or Rich (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import {package} as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, "{package}.")]
for name in names:
    importlib.import_module(name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in {"textual", "rich"})
print(len(names), ",".join(bad))
"""


def _imported_ui_libraries(package: str) -> tuple[int, str]:
    """How many modules of ``package`` were imported, and which UI modules came with them."""
    code = CHECK.replace("{package}", package)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, bad = result.stdout.strip().split(" ", 1) if " " in result.stdout.strip() else (result.stdout.strip(), "")
    return int(count), bad


def test_engine_imports_no_ui_library() -> None:
    count, bad = _imported_ui_libraries("dtui.engine")
    assert count >= 6, "every engine module must have been imported"
    assert bad == "", f"engine imported UI libraries: {bad}"


def test_live_state_imports_no_ui_library() -> None:
    count, bad = _imported_ui_libraries("dtui.live")
    assert count >= 5, "every live module must have been imported"
    assert bad == "", f"the live state imported UI libraries: {bad}"

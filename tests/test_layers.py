"""The engine layer never imports Textual or Rich (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import dtui.engine as engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "dtui.engine.")]
for name in names:
    importlib.import_module(name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in {"textual", "rich"})
print(len(names), ",".join(bad))
"""


def test_engine_imports_no_ui_library() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    count, bad = result.stdout.strip().split(" ", 1) if " " in result.stdout.strip() else (result.stdout.strip(), "")
    assert int(count) >= 6, "every engine module must have been imported"
    assert bad == "", f"engine imported UI libraries: {bad}"

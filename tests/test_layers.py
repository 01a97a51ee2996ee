"""The import contract, checked in fresh interpreters.

- ``dtui.engine`` imports no UI library and nothing of dtui outside the engine;
- ``dtui.core`` (headless logic) imports no UI library and nothing of ``dtui.ui``;
- ``dtui.cli`` and ``dtui.config`` load without ``dtui.ui`` (the app is imported when run).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CHECK = """
import importlib, json, pkgutil, sys
names = []
for package in {packages!r}:
    module = importlib.import_module(package)
    names.append(package)
    if hasattr(module, "__path__"):
        names += [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({{"imported": names, "loaded": sorted(sys.modules)}}))
"""

UI_LIBRARIES = ("textual", "rich")


def _load(*packages: str) -> tuple[list[str], list[str]]:
    code = CHECK.format(packages=list(packages))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    answer = json.loads(result.stdout)
    return answer["imported"], answer["loaded"]


def _under(loaded: list[str], *roots: str) -> list[str]:
    return sorted(name for name in loaded if any(name == root or name.startswith(root + ".") for root in roots))


def test_engine_imports_no_ui_library_and_no_other_dtui_layer() -> None:
    imported, loaded = _load("dtui.engine")
    assert len(imported) >= 6, "every engine module must have been imported"
    assert _under(loaded, *UI_LIBRARIES) == []
    assert _under(loaded, "dtui.ui", "dtui.core", "dtui.cli", "dtui.config") == []


def test_headless_core_imports_no_ui_library_and_no_ui_module() -> None:
    imported, loaded = _load("dtui.core")
    assert len(imported) >= 5, "every core module must have been imported"
    assert _under(loaded, *UI_LIBRARIES) == []
    assert _under(loaded, "dtui.ui") == []


@pytest.mark.parametrize("module", ["dtui.cli", "dtui.config"])
def test_entry_points_load_without_the_ui(module: str) -> None:
    _, loaded = _load(module)
    assert _under(loaded, "dtui.ui") == []


def test_containers_do_not_import_the_client() -> None:
    """``Containers`` takes a narrow request protocol: no client <-> containers circle."""
    _, loaded = _load("dtui.engine.containers")
    assert "dtui.engine.client" not in loaded


def test_live_state_imports_no_ui_library_and_no_ui_module() -> None:
    imported, loaded = _load("dtui.live")
    assert len(imported) >= 5, "every live module must have been imported"
    assert _under(loaded, *UI_LIBRARIES) == []
    assert _under(loaded, "dtui.ui") == []

"""Start-up: the probe's client becomes the app's, and `--help` loads neither Textual nor the engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dtui import cli
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint
from dtui.ui.app import DtuiApp
from tests.fakes import FakeEngine

PODMAN_VERSION = {"Version": "4.3.1", "ApiVersion": "1.41", "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]}


def test_app_runs_with_the_probed_client_in_the_same_loop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    engine = FakeEngine()
    engine.route("GET", "/version", json=PODMAN_VERSION)
    built: list[EngineClient] = []
    ran: list[DtuiApp] = []

    def from_env(endpoint: Endpoint, environ: Any = None) -> EngineClient:
        built.append(EngineClient(endpoint, transport=engine.transport()))
        return built[-1]

    async def run_async(self: DtuiApp, **kwargs: Any) -> None:
        ran.append(self)
        await self.client.aclose()

    monkeypatch.setattr(EngineClient, "from_env", staticmethod(from_env))
    monkeypatch.setattr(DtuiApp, "run_async", run_async)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    assert cli.main(["-H", "unix:///fake/docker.sock"]) == 0
    [app] = ran
    assert app.client is built[0] and len(built) == 1
    assert (app.client.api_version, app.client.is_podman) == ("1.41", True)  # negotiated, kind known
    assert app.engine_version is not None and app.engine_version.version == "4.3.1"
    assert engine.paths() == ["/_ping", "/version"]  # probed once, nothing asked twice


def test_help_loads_no_textual_and_no_engine_client() -> None:
    code = (
        "import sys\n"
        "from dtui.entry import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in ('textual', 'httpx', 'dtui.engine.client', 'dtui.ui.app', 'dtui.config') if m in sys.modules]\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert "LOADED []" in result.stderr, result.stderr
    assert "--host" in result.stdout


NOT_AT_START = (
    "trio",  # httpcore would import it when installed (dtui.engine hides it)
    "dtui.engine.swarm", "dtui.engine.images", "dtui.engine.volumes", "dtui.engine.networks",
    "dtui.engine.exec", "dtui.engine.resource_models", "dtui.engine.swarm_models",
    "dtui.ui.forms", "dtui.ui.logs", "dtui.serve",
    "dtui.ui.widgets.inspect_view", "dtui.ui.widgets.changes_view",  # detail tabs: on first Enter
)
"""What the first screen does not use, so start-up must not import it."""


def test_the_first_screen_imports_nothing_it_does_not_use() -> None:
    code = (
        "import sys\n"
        "import dtui.cli, dtui.ui.app, dtui.ui.views.containers.screen\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.startswith({NOT_AT_START!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr

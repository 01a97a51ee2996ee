"""Start-up: the probe's client becomes the app's, and `--help` loads neither Textual nor the engine."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dtui import cli
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint
from dtui.ui.app import DtuiApp
from dtui.live.changes import Change, Listed
from dtui.live.kinds import containers_kind
from dtui.live.state import LiveState
from tests.fakes import FakeEngine, container_json

PODMAN_VERSION = {"Version": "4.3.1", "ApiVersion": "1.41", "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]}


def test_app_runs_with_the_probed_client_in_the_same_loop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    engine = FakeEngine()
    engine.route("GET", "/version", json=PODMAN_VERSION)
    engine.route("GET", "/containers/json", json=[container_json("web")])
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
    # Probed once, then the first screen's listing went out before the app was built.
    assert engine.paths() == ["/_ping", "/version", "/events", "/containers/json"]
    feed = app.live.feed("containers", "unix:///fake/docker.sock")
    assert feed is not None and feed.listed and [c.name for c in feed.objects.values()] == ["web"]


def test_the_first_follow_of_an_equal_kind_adopts_the_early_feed() -> None:
    engine = FakeEngine()
    engine.route("GET", "/containers/json", json=[container_json("web")])
    host = "unix:///fake/docker.sock"

    async def scenario() -> list[Change]:
        client = engine.client(host)
        await client.connect()
        live = LiveState(lambda _: client)
        live.start_early(containers_kind(show_all=True, filters={"label": ["a=b"]}), [host])
        await live.wait_listed(5.0)
        changes: list[Change] = []
        live.subscribe("containers", changes.append)
        live.follow(containers_kind(show_all=True, filters={"label": ["a=b"]}), [host])  # the screen's follow
        assert engine.paths().count("/containers/json") == 1  # adopted: not listed again
        live.follow(containers_kind(show_all=False), [host])  # another kind: listed anew
        await asyncio.sleep(0.1)
        await live.aclose()
        await client.aclose()
        return changes

    changes = asyncio.run(scenario())
    listed = [change for change in changes if isinstance(change, Listed)]
    assert [c.name for c in listed[0].objects] == ["web"] and listed[0].complete  # replayed to the late listener
    assert engine.paths().count("/containers/json") == 2 and len(listed) == 2


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
    "dtui.ui.widgets.detail_pane", "dtui.ui.terminal.pane",  # mounted on first Enter / first shell
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

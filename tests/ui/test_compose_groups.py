"""The grouped-by-project table (``g``) and the project keys, on a fake engine."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from dtui.core.compose import DEPENDS_LABEL, PROJECT_LABEL
from dtui.ui.app import DtuiApp
from dtui.ui.logs.merged import MergedLogScreen
from dtui.ui.screens.modals import ConfirmScreen, RemoveScreen
from dtui.ui.views.containers.compose import GroupedContainerTable, is_group_key, project_of_key
from dtui.ui.views.containers.projects import ProjectPicker
from tests.ui.compose_support import add_member, compose_fleet
from tests.ui.table_support import FakeDocker

SIZE = (120, 30)


def _table(app: DtuiApp) -> GroupedContainerTable:
    return app.screen.query_one(GroupedContainerTable)


def _rows(app: DtuiApp) -> list[str]:
    """The rows top to bottom: ``[shop]`` for a group row, the name for a container."""
    table = _table(app)
    rows = []
    for key in table.visible_keys():
        if is_group_key(key):
            rows.append(f"[{project_of_key(key)[1]}]")
        else:
            container = table.get(key)
            rows.append(container.name if container is not None else "?")
    return rows


def _widths(app: DtuiApp) -> dict[str, int]:
    return {str(key.value): column.get_render_width(_table(app)) for key, column in _table(app).columns.items()}


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.2)
    await pilot.pause()


async def _cursor_to(pilot: Pilot[Any], app: DtuiApp, row: str) -> None:
    _table(app).move_cursor(row=_rows(app).index(row))
    await pilot.pause()


def _mutations(docker: FakeDocker) -> set[tuple[str, str]]:
    """(container name, what was done) of every POST/DELETE the engine received."""
    done = set()
    for method, path in docker.mutations():
        parts = path.split("?")[0].split("/")
        if method == "DELETE":
            done.add((_name_of(docker, parts[-1]), "remove"))
        else:
            done.add((_name_of(docker, parts[-2]), parts[-1]))
    return done


def _name_of(docker: FakeDocker, container_id: str) -> str:
    return str(docker.containers[container_id]["Names"][0]).lstrip("/")


async def test_grouped_rows_fold_and_go_back_flat() -> None:
    docker = compose_fleet()
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        flat = _rows(app)
        flat_widths = _widths(app)
        await pilot.press("g")
        await _settle(pilot)
        assert _rows(app) == [
            "[blog]", "blog-app-1",
            "[shop]", "shop-db-1", "shop-web-2", "shop-web-10",  # service, then replica number
            "[]", "adhoc", "cron",
        ]
        table = _table(app)
        shop = table.visible_keys()[2]
        cells = table.group_cells(table.groups()[shop])
        assert cells["name"].plain == "▾ shop" and cells["state"].plain == "3/3 running"
        assert cells["image"].plain == "2 services" and "config changed: web" in cells["status"].plain
        blog = table.group_cells(table.groups()[table.visible_keys()[0]])
        assert blog["state"].plain == "0/1 running"
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("enter")  # fold
        await _settle(pilot)
        assert _rows(app) == ["[blog]", "blog-app-1", "[shop]", "[]", "adhoc", "cron"]
        assert table.cursor_key == shop and table.group_cells(table.groups()[shop])["name"].plain == "▸ shop"
        assert not app.screen.has_class("-pane-open")  # Enter on a project row opens no pane
        docker.add("late", status="Up 1 second")  # a live change keeps the mode and the fold
        app.screen.action_reload()  # type: ignore[attr-defined]
        await _settle(pilot)
        assert _rows(app) == ["[blog]", "blog-app-1", "[shop]", "[]", "adhoc", "cron", "late"]
        await pilot.press("enter")  # unfold
        await _settle(pilot)
        assert "shop-web-10" in _rows(app)
        await _cursor_to(pilot, app, "shop-web-2")
        await pilot.press("g")  # flat again, the cursor stays on its container
        await _settle(pilot)
        assert _rows(app) == sorted([*flat, "late"])
        assert table.get(table.cursor_key or "").name == "shop-web-2"  # type: ignore[union-attr]
        assert _widths(app) == flat_widths  # the group rows' wider cells left no wide columns behind


async def test_sort_filter_and_marks_in_grouped_mode() -> None:
    docker = compose_fleet()
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("g")
        table = _table(app)
        table.set_sort("created", False)  # newest first, inside each project
        await _settle(pilot)
        assert _rows(app) == [
            "[blog]", "blog-app-1", "[shop]", "shop-web-10", "shop-web-2", "shop-db-1", "[]", "adhoc", "cron",
        ]
        table.set_sort("created", True)
        await _settle(pilot)
        assert _rows(app)[2:6] == ["[shop]", "shop-db-1", "shop-web-2", "shop-web-10"]  # groups keep their order
        table.set_sort("name", False)
        await pilot.resize_terminal(100, 30)  # the headers are made again: the arrow, not " by project"'s "t"
        await _settle(pilot)
        headers = {str(column.key.value): column.label.plain for column in table.columns.values()}
        assert headers["name"].endswith(" ▲") and headers["state"].endswith(" "), headers
        await pilot.resize_terminal(*SIZE)
        table.set_sort("name", False)
        await pilot.press("slash", *"db")
        await _settle(pilot)
        assert _rows(app) == ["[shop]", "shop-db-1"]
        app.screen.clear_quick_filter()  # type: ignore[attr-defined]
        await pilot.press("slash", *"blog", "enter")  # the project's name matches its containers
        await _settle(pilot)
        assert _rows(app) == ["[blog]", "blog-app-1"]
        app.screen.clear_quick_filter()  # type: ignore[attr-defined]
        await _settle(pilot)
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("space")  # marks every container of the project
        await _settle(pilot)
        assert {_name_of(docker, key.split("\x00")[1]) for key in table.marks} == {
            "shop-db-1", "shop-web-2", "shop-web-10"
        }
        assert table.group_cells(table.groups()[table.visible_keys()[2]])["mark"].plain == "●"
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("space")
        await _settle(pilot)
        assert table.marks == set()


async def test_project_row_actions_ask_once_and_act_on_the_project() -> None:
    docker = compose_fleet()
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("x")
        await _settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question.plain
        assert question.startswith("Stop project shop: 3 containers (") and "shop-web-10" in question
        await pilot.press("y")
        await _settle(pilot)
        assert _mutations(docker) == {("shop-db-1", "stop"), ("shop-web-2", "stop"), ("shop-web-10", "stop")}
        docker.engine.requests.clear()
        await _cursor_to(pilot, app, "[blog]")
        await pilot.press("s", "y")  # only the stopped container of blog is started
        await _settle(pilot)
        assert _mutations(docker) == {("blog-app-1", "start")}
        docker.engine.requests.clear()
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("D")
        await _settle(pilot)
        assert isinstance(app.screen, RemoveScreen) and app.screen.force  # some of them run
        assert app.screen.question.plain.startswith("Remove project shop: 3 containers")
        await pilot.press("enter")
        await _settle(pilot)
        assert _mutations(docker) == {("shop-db-1", "remove"), ("shop-web-2", "remove"), ("shop-web-10", "remove")}
        assert all("force=1" in path for _, path in docker.mutations())
        docker.engine.requests.clear()
        await _cursor_to(pilot, app, "[]")
        await pilot.press("x")  # the containers of no project are no project
        await _settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen) and _mutations(docker) == set()


async def test_merged_logs_of_a_project_or_a_service() -> None:
    docker = compose_fleet()
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=[b""], hang=True)
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("L")
        await _settle(pilot)
        assert isinstance(app.screen, MergedLogScreen)
        assert sorted(s.container.name for s in app.screen.sources) == ["shop-db-1", "shop-web-10", "shop-web-2"]
        await pilot.press("escape")
        await _settle(pilot)
        await pilot.press("l")  # a project has no single log: l merges too
        await _settle(pilot)
        assert isinstance(app.screen, MergedLogScreen) and len(app.screen.sources) == 3
        await pilot.press("escape")
        await _settle(pilot)
        await _cursor_to(pilot, app, "shop-web-2")
        await pilot.press("L")  # a container of a project: its service's replicas
        await _settle(pilot)
        assert isinstance(app.screen, MergedLogScreen)
        assert sorted(s.container.name for s in app.screen.sources) == ["shop-web-10", "shop-web-2"]


async def test_project_filter_picks_a_project_and_goes_back() -> None:
    docker = compose_fleet()
    app = docker.app(filters="name=s")  # running containers only; the fake ignores the name filter
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("P")
        await _settle(pilot)
        assert isinstance(app.screen, ProjectPicker)
        assert app.screen.projects == ["shop"]  # the projects seen (blog's only container is not running)
        await pilot.press("down", "enter")
        await _settle(pilot)
        assert docker.list_calls[-1]["filters"] == {"name": ["s"], "label": [f"{PROJECT_LABEL}=shop"]}
        await pilot.press("P")
        await _settle(pilot)
        await pilot.press("tab", *"blog", "enter")  # a typed name replaces the project
        await _settle(pilot)
        assert docker.list_calls[-1]["filters"] == {"name": ["s"], "label": [f"{PROJECT_LABEL}=blog"]}
        await pilot.press("P")
        await _settle(pilot)
        assert app.screen.projects == ["shop"]  # type: ignore[attr-defined]
        await pilot.press("enter")  # "every project": back to the filter before
        await _settle(pilot)
        assert docker.list_calls[-1]["filters"] == {"name": ["s"]}


async def test_hostile_project_names_are_shown_inert() -> None:
    docker = FakeDocker()
    add_member(docker, "evil\x1b]0;owned\x07\x1b[2J\nproject", "web", 1)
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        table = _table(app)
        cell = table.group_cells(next(iter(table.groups().values())))["name"].plain
        assert "\x1b" not in cell and "\x07" not in cell and "\n" not in cell and "evil" in cell
        await pilot.press("x")
        await _settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "\x1b" not in app.screen.question.plain


async def test_a_project_starts_in_dependency_order_and_stops_in_reverse() -> None:
    docker = FakeDocker()
    # db (first in the table) depends on web here, so web must be started first and stopped last.
    for item in (add_member(docker, "shop", "db", 1, state="exited"), add_member(docker, "shop", "web", 1, state="exited")):
        if item["Names"] == ["/shop-db-1"]:
            item["Labels"][DEPENDS_LABEL] = "web:service_started:false"
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        assert _rows(app) == ["[shop]", "shop-db-1", "shop-web-1"]
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("s", "y")
        await _settle(pilot)
        started = [_name_of(docker, path.split("/")[-2]) for _, path in docker.mutations()]
        assert started == ["shop-web-1", "shop-db-1"]
        for item in docker.containers.values():
            item["State"] = "running"
        app.screen.action_reload()  # type: ignore[attr-defined]
        await _settle(pilot)
        docker.engine.requests.clear()
        await _cursor_to(pilot, app, "[shop]")
        await pilot.press("x", "y")
        await _settle(pilot)
        stopped = [_name_of(docker, path.split("?")[0].split("/")[-2]) for _, path in docker.mutations()]
        assert stopped == ["shop-db-1", "shop-web-1"]

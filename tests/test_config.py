"""The config file: defaults, clear errors naming file and line, keymap checks."""

from __future__ import annotations

from pathlib import Path

from dtui.config import Config, Defaults, check_keymap, default_path, load_config, render_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_default_location_follows_xdg(tmp_path: Path) -> None:
    assert default_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "dtui" / "config.toml"
    assert default_path({"HOME": "/home/u"}) == Path("/home/u/.config/dtui/config.toml")


def test_missing_default_file_is_silent(tmp_path: Path) -> None:
    config = load_config(environ={"XDG_CONFIG_HOME": str(tmp_path)})
    assert config == Config()


def test_missing_explicit_file_is_reported(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config.problems == (f"{tmp_path / 'nope.toml'}: no such file; using defaults",)


def test_full_file(tmp_path: Path) -> None:
    path = write(tmp_path, """
theme = "nord"
[keys]
"main.stop" = "X"
[confirm]
remove = false
[defaults]
sort = "created"
show_all = true
log_buffer = 5000
stats_interval = 2
""")
    config = load_config(path)
    assert config.problems == ()
    assert config.theme == "nord" and config.keys == {"main.stop": "X"}
    assert config.confirms("remove") is False and config.confirms("stop") is True
    assert config.defaults == Defaults(sort="created", show_all=True, log_buffer=5000, stats_interval=2.0)


def test_malformed_file_names_its_line_and_keeps_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nord"\n[keys]\n"main.stop" = \n')
    config = load_config(path)
    assert config.defaults == Defaults() and config.theme is None
    assert len(config.problems) == 1
    assert str(path) in config.problems[0] and "line 3" in config.problems[0]


def test_bad_values_are_reported_with_line_and_rest_applies(tmp_path: Path) -> None:
    path = write(tmp_path, '[defaults]\nsort = "size"\nlog_tail = 50\nbogus = 1\n[confirm]\nremove = "no"\n')
    config = load_config(path)
    assert config.defaults.log_tail == 50 and config.defaults.sort == "name"
    assert config.problems == (
        f"{path}:2: [defaults] sort must be one of name, state, created, cpu, memory",
        f"{path}:4: [defaults] unknown setting 'bogus'",
        f"{path}:6: [confirm] remove: expected one of stop, restart, kill, remove, pause, scale_down = true/false",
    )


def test_keymap_unknown_id_and_collision() -> None:
    scopes = {"main": [("app.quit", "q"), ("main.stop", "x"), ("main.start", "s")]}
    keymap, problems = check_keymap({"main.stop": "s", "main.nope": "z", "main.start": "S"}, scopes)
    assert keymap == {"main.stop": "s", "main.start": "S"}
    assert problems == ["[keys] unknown binding id 'main.nope'"]
    keymap, problems = check_keymap({"main.stop": "q"}, scopes)
    assert keymap == {}
    assert problems == ["[keys] main.stop = 'q' collides with app.quit on main"]


def test_print_config_round_trips(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[keys]\n"main.stop" = "X"\n[defaults]\nps_args = "aux"\n'))
    again = load_config(write(tmp_path, render_config(config)))
    assert again.keys == config.keys and again.defaults == config.defaults and again.problems == ()


def test_columns_pick_and_order_a_table_and_unknown_names_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, '[columns]\ncontainers = ["ports", "name", "uptime", "name"]\nimages = ["x"]\n')
    config = load_config(path)
    assert config.columns == {"containers": ("ports", "name")}
    assert config.problems == (
        f"{path}:2: [columns] containers: unknown column 'uptime' (known: name, id, image, state, cpu, mem,"
        " status, ports, created)",
        f"{path}:3: [columns] unknown table 'images' (known: containers)",
    )
    assert 'containers = ["ports", "name"]' in render_config(config)


def test_container_table_columns_are_the_ones_the_config_knows() -> None:
    from dtui.config import TABLE_COLUMNS
    from dtui.ui.views.containers.table import ContainerTable

    assert tuple(column.key for column in ContainerTable.COLUMNS) == TABLE_COLUMNS["containers"]


def test_every_confirm_setting_is_listed_and_destructive_ones_ask_by_default() -> None:
    from dtui.config import CONFIRMABLE

    config = Config()
    assert [name for name in CONFIRMABLE if not config.confirms(name)] == ["pause"]
    assert all(f"\n{name} = " in render_config(config) for name in CONFIRMABLE)
    assert Config(confirm={"stop": False}).confirms("pause") is False


def test_scale_down_setting_decides_whether_the_scale_form_asks() -> None:
    from types import SimpleNamespace

    from dtui.ui.forms.scale import asks_before_removing

    assert asks_before_removing(SimpleNamespace(config=Config()))
    assert not asks_before_removing(SimpleNamespace(config=Config(confirm={"scale_down": False})))
    assert asks_before_removing(object())

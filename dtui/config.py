"""The TOML config file: key remaps, confirmations, theme and defaults.

Loading never raises: a broken file yields the defaults plus a problem naming the file and
line, so dtui always starts. Example file::

    theme = "textual-dark"

    [keys]
    "main.stop" = "X"          # binding id = key(s), comma-separated for several

    [confirm]
    remove = true              # destructive actions confirm unless turned off here

    [defaults]
    sort = "name"              # name, state, created, cpu, memory
    show_all = false
    log_buffer = 100000
    log_tail = 1000
    stats_interval = 5.0
    ps_args = "-ef"

    [columns]
    containers = ["name", "state", "cpu", "mem", "ports", "status", "image"]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SORT_KEYS = ("name", "state", "created", "cpu", "memory")
CONFIRMABLE = ("stop", "restart", "kill", "remove", "pause", "scale_down")
CONFIRM_DEFAULTS: Mapping[str, bool] = {**dict.fromkeys(CONFIRMABLE, True), "pause": False}
"""Whether each action asks first, by default: every destructive one does; pausing one container
(undone by unpausing it) does not. Several containers are always asked about once, whatever these say."""
TABLE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "containers": ("name", "id", "image", "state", "cpu", "mem", "status", "ports", "created"),
}
"""Per table, the columns ``[columns]`` may pick, in their default order."""


@dataclass(frozen=True, slots=True)
class Defaults:
    """Start-up defaults the user can change.

    Attributes:
        sort: Column the table is sorted by.
        show_all: List stopped containers too.
        log_buffer: Lines a log view keeps in memory.
        log_tail: Lines fetched when a log view opens (0 = all).
        stats_interval: Seconds between overview samples.
        ps_args: Arguments of the top tab's ``ps``.
    """

    sort: str = "name"
    show_all: bool = False
    log_buffer: int = 100_000
    log_tail: int = 1000
    stats_interval: float = 5.0
    ps_args: str = "-ef"


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration.

    Attributes:
        keys: Binding id -> key string (Textual keymap).
        confirm: Action -> whether it asks first for one container (:data:`CONFIRM_DEFAULTS`).
        theme: A Textual theme name, or None for the default.
        defaults: Start-up defaults.
        columns: Table name -> the columns it shows, in order (absent: the default ones).
        path: The file read, if any.
        problems: Human messages about what was ignored, each naming file and line.
    """

    keys: Mapping[str, str] = field(default_factory=dict)
    confirm: Mapping[str, bool] = field(default_factory=lambda: dict(CONFIRM_DEFAULTS))
    theme: str | None = None
    defaults: Defaults = field(default_factory=Defaults)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    path: Path | None = None
    problems: tuple[str, ...] = ()

    def confirms(self, action: str) -> bool:
        """True when ``action`` must ask before running."""
        return self.confirm.get(action, CONFIRM_DEFAULTS.get(action, True))


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/dtui/config.toml``, default ``~/.config/dtui/config.toml``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "dtui" / "config.toml"


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read the config file; never raises.

    Args:
        path: An explicit ``--config`` path (then a missing file is a problem), else the
            default location (where a missing file is fine).
        environ: Environment for the default location.
    """
    explicit = path is not None
    target = path if path is not None else default_path(environ)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems = (f"{target}: no such file; using defaults",) if explicit else ()
        return Config(path=None, problems=problems)
    except OSError as error:
        return Config(problems=(f"{target}: {error.strerror}; using defaults",))
    import tomllib  # only with a file to read: most starts have none (start-up is timed)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(path=target, problems=(f"{target}: {error}; using defaults",))
    return _from_data(data, target, text)


def _line_of(text: str, key: str) -> str:
    """The line number where ``key`` is set (best effort), as text for messages."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("[").strip('"').strip("'")
        if stripped.startswith(key):
            return str(number)
    return "?"


def _from_data(data: Mapping[str, Any], path: Path, text: str) -> Config:
    problems: list[str] = []

    def problem(key: str, message: str) -> None:
        problems.append(f"{path}:{_line_of(text, key)}: {message}")

    config = Config(path=path)
    for key, value in data.items():
        if key == "keys" and isinstance(value, dict):
            bad = [k for k, v in value.items() if not isinstance(v, str)]
            for name in bad:
                problem(name, f"[keys] {name} must be a string of keys")
            config = replace(config, keys={k: v for k, v in value.items() if isinstance(v, str)})
        elif key == "confirm" and isinstance(value, dict):
            confirm = dict(config.confirm)
            for name, flag in value.items():
                if name not in CONFIRMABLE or not isinstance(flag, bool):
                    problem(name, f"[confirm] {name}: expected one of {', '.join(CONFIRMABLE)} = true/false")
                else:
                    confirm[name] = flag
            config = replace(config, confirm=confirm)
        elif key == "theme" and isinstance(value, str):
            config = replace(config, theme=value)
        elif key == "defaults" and isinstance(value, dict):
            config = replace(config, defaults=_defaults(value, problem))
        elif key == "columns" and isinstance(value, dict):
            config = replace(config, columns=_columns(value, problem))
        else:
            problem(key, f"unknown or malformed setting {key!r}")
    return replace(config, problems=tuple(problems))


def _defaults(values: Mapping[str, Any], problem: Any) -> Defaults:
    known = {f.name: f for f in fields(Defaults)}
    chosen: dict[str, Any] = {}
    base = Defaults()
    for name, value in values.items():
        if name not in known:
            problem(name, f"[defaults] unknown setting {name!r}")
            continue
        expected = type(getattr(base, name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problem(name, f"[defaults] {name} must be a {expected.__name__}")
        elif name == "sort" and value not in SORT_KEYS:
            problem(name, f"[defaults] sort must be one of {', '.join(SORT_KEYS)}")
        elif expected in (int, float) and value < 0:
            problem(name, f"[defaults] {name} must not be negative")
        else:
            chosen[name] = value
    return replace(base, **chosen)


def _columns(values: Mapping[str, Any], problem: Any) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, tuple[str, ...]] = {}
    for table, names in values.items():
        known = TABLE_COLUMNS.get(table)
        if known is None:
            problem(table, f"[columns] unknown table {table!r} (known: {', '.join(TABLE_COLUMNS)})")
            continue
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            problem(table, f"[columns] {table} must be a list of column names, e.g. [\"name\", \"state\"]")
            continue
        unknown = [name for name in names if name not in known]
        if unknown:
            problem(table, f"[columns] {table}: unknown column {unknown[0]!r} (known: {', '.join(known)})")
        picked = tuple(dict.fromkeys(name for name in names if name in known))
        if picked:
            chosen[table] = picked
        else:
            problem(table, f"[columns] {table} names no known column; using the default ones")
    return chosen


def check_keymap(keys: Mapping[str, str], scopes: Mapping[str, Iterable[tuple[str, str]]]) -> tuple[dict[str, str], list[str]]:
    """Validate remaps against the known bindings.

    Args:
        keys: The ``[keys]`` table: binding id -> keys.
        scopes: Per screen (scope name), its bindings as (id, default keys) pairs; the
            app's global bindings should be included in every scope they apply to.

    Returns:
        The keymap to apply (unknown ids and colliding remaps left out) and the problems.
    """
    known = {binding_id for pairs in scopes.values() for binding_id, _ in pairs}
    problems = [f"[keys] unknown binding id {bid!r}" for bid in keys if bid not in known]
    keymap = {bid: value for bid, value in keys.items() if bid in known}
    for scope, pairs in scopes.items():
        owner: dict[str, str] = {}
        for binding_id, default in pairs:
            for key in _split_keys(keymap.get(binding_id, default)):
                other = owner.setdefault(key, binding_id)
                if other != binding_id and (binding_id in keymap or other in keymap):
                    culprit = binding_id if binding_id in keymap else other
                    problems.append(f"[keys] {culprit} = {key!r} collides with {other if culprit == binding_id else binding_id} on {scope}")
                    keymap.pop(culprit, None)
    return keymap, problems


def _split_keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def render_config(config: Config) -> str:
    """The effective configuration as TOML (for ``dtui --print-config``)."""
    lines = [f"# effective dtui configuration{f' (from {config.path})' if config.path else ' (defaults)'}"]
    if config.theme:
        lines.append(f"theme = {_toml(config.theme)}")
    lines.append("\n[keys]")
    lines += [f"{_toml(k)} = {_toml(v)}" for k, v in sorted(config.keys.items())]
    lines.append("\n[confirm]")
    lines += [f"{k} = {_toml(v)}" for k, v in sorted(config.confirm.items())]
    lines.append("\n[defaults]")
    lines += [f"{f.name} = {_toml(getattr(config.defaults, f.name))}" for f in fields(Defaults)]
    lines.append("\n[columns]")
    for table, default in TABLE_COLUMNS.items():
        names = config.columns.get(table, default)
        lines.append(f"{table} = [{', '.join(_toml(name) for name in names)}]")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'

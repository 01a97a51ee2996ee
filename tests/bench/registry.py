"""The registry of benchmark rows: later issues add rows here without touching the core.

A row is a function taking the run's ``BenchContext`` and returning the figures it measured::

    from tests.bench.registry import Figure, bench_row

    @bench_row("log flood", order=50)
    def log_flood(ctx: BenchContext) -> list[Figure]:
        ...
        return [Figure("log flood: lines/s shown", f"{rate:,.0f}", target="≥ 50 000")]

Put the module in ``tests/bench/rows/``: every module there is imported by ``load_rows()``.
Rows run in ``order`` (then title); the table lists their figures in the same order.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.bench.harness import BenchContext


@dataclass(frozen=True)
class Figure:
    """One line of the table.

    Attributes:
        name: What was measured ("first list, 60 containers (median / max of 5)").
        value: The dtui figure, formatted with its unit.
        target: The target it is held to ("≤ 0.6 s"), or empty.
        baseline: The comparison figure measured in the same run, formatted, or empty.
        ratio: dtui against the baseline, formatted ("7.5×"), or empty.
        met: True/False when there is a target, None otherwise.
        numbers: The raw numbers behind ``value`` (for tests and machine reading).
    """

    name: str
    value: str
    target: str = ""
    baseline: str = ""
    ratio: str = ""
    met: bool | None = None
    numbers: tuple[float, ...] = ()


RowFunction = Callable[["BenchContext"], list[Figure]]


@dataclass(frozen=True)
class BenchRow:
    """A registered measurement.

    Attributes:
        title: Short name, used by ``--only`` and in error lines.
        function: Measures and returns its figures.
        order: Run (and print) position; lower first.
        smoke: Whether the CI smoke test runs it.
    """

    title: str
    function: RowFunction = field(compare=False)
    order: int = 100
    smoke: bool = True


_ROWS: dict[str, BenchRow] = {}


def bench_row(title: str, *, order: int = 100, smoke: bool = True) -> Callable[[RowFunction], RowFunction]:
    """Register a row function under ``title``.

    Args:
        title: A unique short name.
        order: Run position; rows measuring the default fixture must stay below 1000 (the
            large-fixture row grows the engine's container count at 1000).
        smoke: Set False for rows too slow for the CI smoke run.

    Raises:
        ValueError: When the title is already registered by another function.
    """

    def register(function: RowFunction) -> RowFunction:
        existing = _ROWS.get(title)
        if existing is not None and existing.function.__qualname__ != function.__qualname__:
            raise ValueError(f"bench row {title!r} is already registered")
        _ROWS[title] = BenchRow(title, function, order, smoke)
        return function

    return register


def load_rows() -> list[BenchRow]:
    """Import every module of ``tests.bench.rows`` and return the rows in run order."""
    package = importlib.import_module("tests.bench.rows")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return sorted(_ROWS.values(), key=lambda row: (row.order, row.title))

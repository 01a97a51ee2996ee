"""The benchmark core: options, the context rows measure with, running rows, the table.

Rows live in ``tests/bench/rows/`` and register with ``tests.bench.registry.bench_row``; this
module knows none of them.
"""

from __future__ import annotations

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.bench import procstat
from tests.bench.fixture import DEFAULT_SPEC, Fixture, FixtureSpec
from tests.bench.registry import BenchRow, Figure, load_rows
from tests.bench.terminal import PtyProgram
from tests.support import engine as support

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_LOAD_THRESHOLD = 10.0  # % of a core used by others before the run is called shared
QUIET_BEFORE_IDLE = 0.5
T = TypeVar("T")


class BenchError(RuntimeError):
    """A measurement could not be taken (dtui never showed the list, no engine, ...)."""


@dataclass(frozen=True)
class Options:
    """What to measure and how long.

    Attributes:
        spec: The fixture.
        large: Total fixture size for the big first-list figure (500), or None to skip it.
        samples: Repetitions of each timed start-up.
        idle_seconds: Length of each idle window (the no-dtui baseline and dtui's).
        keys: Navigation keys pressed for the latency figure.
        columns: Terminal width dtui runs in.
        rows: Terminal height dtui runs in.
        only: Run only rows whose title contains one of these.
        smoke: Run only rows marked for the smoke test.
        list_timeout: Seconds to wait for the first fixture row before giving up.
    """

    spec: FixtureSpec = DEFAULT_SPEC
    large: int | None = None
    samples: int = 5
    idle_seconds: float = 30.0
    keys: int = 40
    columns: int = 120
    rows: int = 40
    only: tuple[str, ...] = ()
    smoke: bool = False
    list_timeout: float = 30.0


@dataclass(frozen=True)
class IdleReading:
    """CPU over one idle window, in percent of a core.

    Attributes:
        seconds: The window's wall time.
        engine: dockerd + containerd of the engine under test (None if not found).
        dtui: dtui's process tree (None when no dtui ran).
        machine: Everything on the machine.
    """

    seconds: float
    engine: float | None
    dtui: float | None
    machine: float

    @property
    def others(self) -> float:
        """What the machine spent outside the engine and dtui (other people, the fixture)."""
        return self.machine - (self.engine or 0.0) - (self.dtui or 0.0)


@dataclass
class Report:
    """The outcome of a run.

    Attributes:
        markdown: The printed table with its header and notes.
        figures: Every figure, in table order.
        errors: One line per row that failed.
        run_id: The ``dtui.bench`` label value of the run's containers.
    """

    markdown: str
    figures: list[Figure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    run_id: str = ""


def dtui_command() -> list[str]:
    """The installed ``dtui`` script next to this Python, else ``python -m dtui``."""
    script = Path(sys.executable).parent / "dtui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dtui"]


def seconds_text(seconds: float) -> str:
    """0.4567 -> "0.46 s"; under 0.1 s in milliseconds."""
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


def ratio_text(value: float | None, baseline: float | None, against: str = "") -> str:
    """value / baseline as "3.2×" (or "3.2× against"), empty when undefined."""
    if value is None or not baseline:
        return ""
    return f"{value / baseline:.1f}× {against}".rstrip()


class BenchContext:
    """What a row measures with: the engine, the fixture, dtui on a pty, shared baselines.

    Attributes:
        host: Engine address.
        options: The run's options.
        fixture: The run's containers (``fixture.run`` makes more, cleaned up at the end).
        notes: Lines printed under the table (methods, caveats); add with ``note``.
        idle_readings: Every idle window measured (for the shared-machine check).
    """

    def __init__(self, host: str, options: Options, fixture: Fixture) -> None:
        self.host = host
        self.options = options
        self.fixture = fixture
        self.notes: list[str] = []
        self.idle_readings: list[IdleReading] = []
        self._cache: dict[str, Any] = {}
        self._engine_pids: list[int] | None = None

    def note(self, text: str) -> None:
        """Add a line under the table (once)."""
        if text not in self.notes:
            self.notes.append(text)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per run under ``key`` (baselines shared by rows)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[no-any-return]

    @property
    def container_count(self) -> int:
        """Containers of this run present now."""
        return len(self.fixture.owned_ids())

    # --- dtui on a pty -----------------------------------------------------------------

    def dtui_argv(self) -> list[str]:
        """The command measured: dtui on the engine, stopped containers shown."""
        return [*dtui_command(), "-H", self.host, "-a"]

    @contextmanager
    def dtui(self) -> Iterator[PtyProgram]:
        """dtui running on a fresh pty; quit (ctrl+q) when the block ends."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEXTUAL", "DOCKER_"))
        }
        env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
        program = PtyProgram(self.dtui_argv(), columns=self.options.columns, rows=self.options.rows, env=env)
        try:
            yield program
        finally:
            program.close()

    def time_first_list(self, program: PtyProgram) -> float:
        """Seconds from exec until a fixture container's name is on the screen.

        Raises:
            BenchError: When no fixture row appears within ``options.list_timeout``.
        """
        shown_at = program.wait_for(self.fixture.name_pattern, self.options.list_timeout)
        if shown_at is None:
            tail = program.output_text()[-600:]
            raise BenchError(f"no {self.fixture.prefix}NNN row on screen within "
                             f"{self.options.list_timeout:.0f} s; output ends: {tail!r}")
        return shown_at - program.started_at

    def settle(self, program: PtyProgram) -> None:
        """Wait for the first paints to finish before measuring idleness or keys."""
        program.wait_quiet(QUIET_BEFORE_IDLE, timeout=5.0)

    # --- engine and CPU -----------------------------------------------------------------

    def engine_pids(self) -> list[int]:
        """dockerd and containerd of the engine under test (empty if not local)."""
        if self._engine_pids is None:
            self._engine_pids = procstat.engine_processes(self.host)
            if self._engine_pids:
                self.note(f"Engine CPU = dockerd + containerd of this engine (pids "
                          f"{', '.join(map(str, self._engine_pids))}); container shims are not counted.")
            else:
                self.note("Engine processes not found (remote engine?): engine CPU not measured.")
        return self._engine_pids

    def measure_idle(self, seconds: float, dtui_pid: int | None = None) -> IdleReading:
        """CPU of the engine, of dtui's tree (when given) and of the machine over ``seconds``."""
        engine_pids = self.engine_pids()
        engine = procstat.CpuMeter(lambda: engine_pids)
        dtui = procstat.CpuMeter(lambda: procstat.process_tree(dtui_pid)) if dtui_pid else None
        engine.start()
        if dtui:
            dtui.start()
        time.sleep(seconds)
        engine_window = engine.stop()
        dtui_window = dtui.stop() if dtui else None
        reading = IdleReading(
            seconds=engine_window.seconds,
            engine=engine_window.watched if engine_pids else None,
            dtui=dtui_window.watched if dtui_window else None,
            machine=engine_window.machine,
        )
        self.idle_readings.append(reading)
        return reading

    def engine_idle(self) -> IdleReading:
        """The engine's CPU with the fixture up and no dtui running (measured once per run).

        The idle row stores its bracketing baseline here first; rows running without it get
        a plain window.
        """
        return self.cached("engine idle", lambda: self.measure_idle(self.options.idle_seconds))

    def bracketed_engine_idle(self, before: IdleReading, after: IdleReading) -> IdleReading:
        """Combine no-dtui windows taken before and after a dtui window into the baseline."""
        seconds = before.seconds + after.seconds

        def mean(first: float | None, second: float | None) -> float | None:
            if first is None or second is None:
                return None
            return (first * before.seconds + second * after.seconds) / seconds

        combined = IdleReading(seconds, mean(before.engine, after.engine), None, mean(before.machine, after.machine) or 0.0)
        self._cache["engine idle"] = combined
        return combined

    # --- baselines ----------------------------------------------------------------------

    def docker_ps(self) -> list[float] | None:
        """Wall times of ``docker -H <host> ps -a``, one per sample, at the current size."""
        count = self.container_count
        return self.cached(f"docker ps {count}", self._time_docker_ps)

    def _time_docker_ps(self) -> list[float] | None:
        docker = shutil.which("docker")
        if docker is None:
            self.note("docker CLI not found: no `docker ps` baseline.")
            return None
        times = []
        for _ in range(self.options.samples):
            started = time.monotonic()
            subprocess.run([docker, "-H", self.host, "ps", "-a"], capture_output=True, check=True)
            times.append(time.monotonic() - started)
        return times

    def import_floor(self) -> tuple[float, int]:
        """Median wall time and peak RSS (bytes) of a Python that only imports textual + httpx."""
        return self.cached("import floor", self._measure_import_floor)

    def _measure_import_floor(self) -> tuple[float, int]:
        times, peak_kib = [], 0
        for _ in range(self.options.samples):
            seconds, peak_kib = self._run_import_floor()
            times.append(seconds)
        return statistics.median(times), peak_kib * 1024

    def time_import_floor(self) -> float:
        """Wall time of one Python that only imports textual + httpx (one more floor sample)."""
        return self._run_import_floor()[0]

    @staticmethod
    def _run_import_floor() -> tuple[float, int]:
        """(wall seconds, peak RSS in KiB) of one import-floor process."""
        code = "import resource, textual.app, httpx; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return time.monotonic() - started, int(result.stdout.split()[-1])


# --- running -----------------------------------------------------------------------------


def compile_bytecode(context: BenchContext) -> None:
    """Write dtui's bytecode, as an installed package has it, before anything is timed.

    An editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on the CI machines)
    otherwise compiles every dtui module from source at each start, a cost no installed
    dtui pays (pip writes the ``.pyc`` files) and one the import floor does not pay either.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO_ROOT / "dtui")], check=True, capture_output=True)
    context.note("dtui's bytecode is compiled first (`python -m compileall dtui`), as in an installed "
                 "package; textual and httpx, in the floor, come with theirs.")


def selected_rows(options: Options) -> list[BenchRow]:
    """The registered rows this run measures, in order."""
    rows = load_rows()
    if options.smoke:
        rows = [row for row in rows if row.smoke]
    if options.only:
        rows = [row for row in rows if any(part in row.title for part in options.only)]
    return rows


def run(host: str, options: Options, engine_origin: str) -> Report:
    """Build the fixture, run every selected row, clean up, and render the table.

    Args:
        host: The engine address.
        options: What to measure.
        engine_origin: How the engine was found (printed in the header).
    """
    support.ensure_test_image(host)
    fixture = Fixture(host)
    context = BenchContext(host, options, fixture)
    compile_bytecode(context)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_at_start = procstat.load_average()
    figures: list[Figure] = []
    errors: list[str] = []
    other_containers = 0
    try:
        fixture.build(options.spec)
        other_containers = fixture.other_containers()
        for row in selected_rows(options):
            try:
                figures += row.function(context)
            except Exception as error:  # noqa: BLE001 - one broken row must not hide the others
                errors.append(f"{row.title}: {type(error).__name__}: {error}")
                figures.append(Figure(row.title, f"ERROR: {type(error).__name__}"))
                traceback.print_exc(file=sys.stderr)
    finally:
        removed = fixture.cleanup()
    context.note(f"Removed the {removed} containers this run made (label dtui.bench={fixture.run_id}).")
    header = _header(context, started, engine_origin, load_at_start, other_containers)
    notes = _shared_notes(context, other_containers) + context.notes + errors
    return Report(render_markdown(header, figures, notes), figures, errors, fixture.run_id)


# --- the table ---------------------------------------------------------------------------


def commit_id() -> str:
    """Short HEAD commit, marked when the work tree has uncommitted changes."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} + uncommitted changes" if dirty else head


def engine_version(host: str) -> str:
    """E.g. "Docker 20.10.24 (API 1.41)"."""
    with support.sync_client(host, timeout=10.0) as client:
        version = client.get("/version").json()
    return f"{version.get('Platform', {}).get('Name') or 'Docker'} {version.get('Version', '?')} (API {version.get('ApiVersion', '?')})"


def _header(context: BenchContext, started: datetime.datetime, origin: str, load: str, others: int) -> list[str]:
    options = context.options
    return [
        f"commit `{commit_id()}` · {started:%Y-%m-%d %H:%M} UTC · {procstat.machine_description()} · "
        f"load average {load} at start",
        f"engine: {engine_version(context.host)} at `{context.host}` ({origin}); "
        f"{others} other containers on it",
        f"fixture: {options.spec.describe()} · dtui on a {options.columns}x{options.rows} pty: "
        f"`dtui -H <host> -a`",
    ]


def _shared_notes(context: BenchContext, other_containers: int) -> list[str]:
    notes = []
    if context.idle_readings:
        worst = max(reading.others for reading in context.idle_readings)
        if worst > SHARED_LOAD_THRESHOLD:
            notes.append(
                f"**Shared machine**: during the idle windows other processes used up to {worst:.0f}% "
                "of a core (the fixture's own containers included). CPU figures are differences "
                "taken in the same run, but expect noise."
            )
        else:
            notes.append(f"Other load during the idle windows: at most {worst:.1f}% of a core (fixture containers included).")
    if other_containers:
        notes.append(f"Shared engine: it holds {other_containers} containers this run did not make; "
                     "they are in every listing and in the engine's idle CPU.")
    return notes


def render_markdown(header: list[str], figures: list[Figure], notes: list[str]) -> str:
    """The report: a title, the header lines, the table, the notes."""
    lines = ["## dtui benchmark", "", *[f"{line}  " for line in header], ""]
    lines.append("| Figure | Measured | Target | Baseline (same run) | Ratio | Met |")
    lines.append("|---|---|---|---|---|---|")
    for figure in figures:
        met = {True: "yes", False: "**no**", None: ""}[figure.met]
        cells = [figure.name, figure.value, figure.target, figure.baseline, figure.ratio, met]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"

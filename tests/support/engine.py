"""A private dockerd or Podman service for the test suite, and the busybox test image.

Used by the pytest fixtures and by the benchmark harness. Never touches the user's default
socket: it uses ``DTUI_TEST_DOCKER_HOST`` when given, else starts its own daemon as root
(``DTUI_TEST_ENGINE=podman`` picks a private ``podman system service`` instead of dockerd).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx

TEST_IMAGE = "dtui-test/busybox:latest"
TEST_LABEL = "dtui.test"
SESSION_ID = uuid.uuid4().hex[:8]


class EngineUnavailable(RuntimeError):
    """No engine could be found or started."""


def _unix_path(host: str) -> str | None:
    return host[len("unix://"):] if host.startswith("unix://") else None


def sync_client(host: str, timeout: float = 60.0) -> httpx.Client:
    """A plain synchronous httpx client for fixture set-up (not dtui's client)."""
    path = _unix_path(host)
    if path:
        return httpx.Client(transport=httpx.HTTPTransport(uds=path), base_url="http://docker", timeout=timeout)
    return httpx.Client(base_url=host.replace("tcp://", "http://"), timeout=timeout)


def wait_for_engine(host: str, deadline: float) -> None:
    """Poll ``/_ping`` until it answers or the deadline passes."""
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with sync_client(host, timeout=2.0) as client:
                if client.get("/_ping").status_code == 200:
                    return
        except httpx.HTTPError as error:
            last = error
        time.sleep(0.1)
    raise EngineUnavailable(f"engine at {host} did not answer: {last}")


START_LOCK = Path("/tmp/dtui-engine-start.lock")
"""Private engines of every test process here start one at a time (dockerds share docker0)."""


def free_subnet(prefix: str) -> tuple[str, str]:
    """A random ``<prefix>.N.0/24`` and its ``.1`` gateway that no host interface uses yet.

    Random, not fixed: the Docker and Podman runs go side by side on one host, and Podman
    refuses a subnet that any bridge (another daemon's test network included) already holds.
    """
    taken = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True).stdout
    free = [n for n in range(1, 255) if f" {prefix}.{n}." not in taken]
    if not free:
        raise EngineUnavailable(f"no free {prefix}.x.0/24 subnet on this host")
    third = random.choice(free)
    return f"{prefix}.{third}.0/24", f"{prefix}.{third}.1"


@dataclass
class PrivateEngine:
    """An engine process with its own socket and directories under ``root``, started for tests.

    Subclasses name the program (``NAME``, also its log and socket file) and give its
    arguments and environment; starting, waiting for ``/_ping`` and stopping are the same.
    """

    NAME: ClassVar[str] = ""
    root: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.root / f"{self.NAME}.log"

    @property
    def host(self) -> str:
        return f"unix://{self.root / (self.NAME + '.sock')}"

    def _args(self) -> list[str]:
        raise NotImplementedError

    def _environment(self) -> dict[str, str] | None:
        return None

    def _prepare(self) -> None:
        """Make what the engine needs before it starts (called holding the start lock)."""

    def start(self, timeout: float = 60.0) -> None:
        """Start the engine and wait until it answers (holding the start lock meanwhile)."""
        with START_LOCK.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._prepare()
            log = self.log_path.open("ab")
            self.process = subprocess.Popen(
                self._args(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env=self._environment(),
            )
            try:
                wait_for_engine(self.host, time.monotonic() + timeout)
            except EngineUnavailable as error:
                self.stop()
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise EngineUnavailable(f"{error}\n--- {self.NAME} log ---\n{tail}") from error

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the engine (TERM, then KILL after ``timeout``) and leave its directory for removal."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
        self._wait_gone(timeout)

    def _wait_gone(self, timeout: float) -> None:
        """Wait for the process to exit, SIGKILL it after ``timeout`` seconds."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@dataclass
class PrivateDaemon(PrivateEngine):
    """A dockerd with its own socket, data-root, exec-root and pidfile."""

    NAME: ClassVar[str] = "docker"

    def _args(self) -> list[str]:
        return [
            "dockerd",
            "--host", self.host,
            "--data-root", str(self.root / "data"),
            "--exec-root", str(self.root / "exec"),
            "--pidfile", str(self.pidfile),
            "--bridge", self.bridge,
        ]

    @property
    def bridge(self) -> str:
        """This daemon's own bridge: dockerds sharing docker0 break each other (a dockerd
        started again on its data-root deletes and re-creates docker0, under the others)."""
        return "dt" + self.root.name.rsplit("-", 1)[-1][-12:]

    def _prepare(self) -> None:
        if Path("/sys/class/net", self.bridge).exists():
            return  # started again on the same root: same bridge, same subnet
        subnet, gateway = free_subnet("10.233")
        address = gateway + "/" + subnet.rsplit("/", 1)[1]
        for command in (["link", "add", "name", self.bridge, "type", "bridge"],
                        ["addr", "add", address, "dev", self.bridge], ["link", "set", self.bridge, "up"]):
            done = subprocess.run(["ip", *command], capture_output=True, text=True)
            if done.returncode != 0:
                raise EngineUnavailable(f"ip {' '.join(command)}: {done.stderr.strip()}")

    @property
    def pidfile(self) -> Path:
        return self.root / "docker.pid"

    def terminate(self, timeout: float = 60.0) -> None:
        """SIGTERM dockerd through its pidfile (as an operator would) and wait until it is gone.

        The socket path, data-root and exec-root stay: :meth:`start` brings the same engine
        back on the same socket, with its containers.
        """
        os.kill(int(self.pidfile.read_text().strip()), signal.SIGTERM)
        self._wait_gone(timeout)

    def kill(self) -> None:
        """Kill dockerd abruptly (a daemon that vanishes)."""
        if self.process is not None:
            self.process.kill()
        self._wait_gone(0)


def can_start_daemon() -> str | None:
    """None when a private daemon can be started here, else the reason it cannot."""
    if os.geteuid() != 0:
        return "not root: cannot start a private dockerd (set DTUI_TEST_DOCKER_HOST)"
    if not shutil.which("dockerd"):
        return "dockerd not installed (apt-get install docker.io) and DTUI_TEST_DOCKER_HOST unset"
    if not shutil.which("ip"):
        return "ip not installed (apt-get install iproute2): a private dockerd gets its own bridge"
    return None


def start_private_daemon() -> PrivateDaemon:
    """Start a private daemon in a new short temp dir (unix socket paths are limited)."""
    reason = can_start_daemon()
    if reason:
        raise EngineUnavailable(reason)
    daemon = PrivateDaemon(Path(tempfile.mkdtemp(prefix="dtui-e-", dir="/tmp")))
    daemon.start()
    return daemon


def remove_daemon_dir(daemon: PrivateDaemon) -> None:
    """Remove a stopped daemon's directory and bridge (best effort: overlay mounts may linger)."""
    subprocess.run(["umount", "-R", str(daemon.root / "data")], capture_output=True, check=False)
    subprocess.run(["ip", "link", "del", daemon.bridge], capture_output=True, check=False)
    shutil.rmtree(daemon.root, ignore_errors=True)


ENGINE_KINDS = ("docker", "podman")


def test_engine_kind(environ: dict[str, str] | None = None) -> str:
    """The engine the suite runs on: ``DTUI_TEST_ENGINE`` (``docker`` by default, or ``podman``)."""
    env = os.environ if environ is None else environ
    kind = env.get("DTUI_TEST_ENGINE", "").strip().lower() or "docker"
    if kind not in ENGINE_KINDS:
        raise EngineUnavailable(f"DTUI_TEST_ENGINE={kind!r}: expected one of {', '.join(ENGINE_KINDS)}")
    return kind


def _podman_conf(root: Path) -> str:
    """containers.conf for a private rootful service: its own dirs, no systemd, no journald.

    Podman sets RLIMIT_NOFILE/NPROC in containers above what a sandbox may grant (runc then
    fails with "error setting rlimit type 7"), so the defaults are this process's own limits;
    podman 4.3 runs itself with at most 32768 processes, so NPROC is capped there.
    """
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nproc_hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    nproc = 32768 if nproc_hard == resource.RLIM_INFINITY else min(nproc_hard, 32768)
    limits = [f"nofile={nofile}:{nofile}" if nofile > 0 else "", f"nproc={nproc}:{nproc}" if nproc > 0 else ""]
    ulimits = ", ".join(f'"{limit}"' for limit in limits if limit)
    return "\n".join([
        "[containers]",
        f"default_ulimits = [{ulimits}]",
        "[engine]",
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        f'events_logfile_path = "{root}/events.log"',
        f'tmp_dir = "{root}/tmp"',
        f'image_copy_tmp_dir = "{root}/tmp"',
        f'static_dir = "{root}/static"',
        f'volume_path = "{root}/volumes"',
        "[network]",
        'network_backend = "cni"',
        'cni_plugin_dirs = ["/usr/lib/cni", "/usr/libexec/cni"]',
        f'network_config_dir = "{root}/net"',
        "",
    ])


@dataclass
class PrivatePodman(PrivateEngine):
    """A rootful ``podman system service`` with its own socket, storage, config and events log."""

    NAME: ClassVar[str] = "podman"

    def _environment(self) -> dict[str, str]:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        conf, storage = self.root / "containers.conf", self.root / "storage.conf"
        conf.write_text(_podman_conf(self.root))
        storage.write_text(
            f'[storage]\ndriver = "overlay"\ngraphroot = "{self.root}/storage"\nrunroot = "{self.root}/run"\n'
        )
        return {
            **os.environ, "CONTAINERS_CONF": str(conf), "CONTAINERS_STORAGE_CONF": str(storage),
            "TMPDIR": str(self.root / "tmp"),
        }

    def podman_args(self) -> list[str]:
        """``podman`` with this service's storage, run and temp dirs (for commands beside it)."""
        return [
            "podman",
            "--root", str(self.root / "storage"),
            "--runroot", str(self.root / "run"),
            "--tmpdir", str(self.root / "tmp"),
        ]

    def _args(self) -> list[str]:
        return [
            *self.podman_args(),
            "--cgroup-manager", "cgroupfs",
            "--events-backend", "file",
            "system", "service", "--time=0", self.host,
        ]


def start_private_podman() -> PrivatePodman:
    """Start a private Podman service in a new short temp dir (needs root and podman)."""
    if os.geteuid() != 0:
        raise EngineUnavailable("not root: cannot start a private podman service (set DTUI_TEST_DOCKER_HOST)")
    if not shutil.which("podman"):
        raise EngineUnavailable("podman not installed (apt-get install podman) and DTUI_TEST_DOCKER_HOST unset")
    service = PrivatePodman(Path(tempfile.mkdtemp(prefix="dtui-p-", dir="/tmp")))
    service.start()
    return service


def remove_podman_dir(service: PrivatePodman) -> None:
    """Remove a stopped service's directory: ``podman system reset`` on it, the conmon
    processes its containers and exec sessions left behind, then the files."""
    subprocess.run(
        [*service.podman_args(), "system", "reset", "--force"],
        capture_output=True, check=False, env=service._environment(), timeout=120,
    )
    kill_strays("conmon", service.root)
    subprocess.run(["umount", "-R", str(service.root / "storage")], capture_output=True, check=False)
    shutil.rmtree(service.root, ignore_errors=True)


def stray_pids(program: str, root: Path) -> list[int]:
    """The processes running ``program`` whose command line names a path under ``root``."""
    inside = f"{root}/"
    pids: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # gone meanwhile
            continue
        if Path(argv[0]).name == program and any(inside in arg for arg in argv[1:]):
            pids.append(int(entry.name))
    return pids


def kill_strays(program: str, root: Path, timeout: float = 5.0) -> None:
    """SIGKILL the ``program`` processes of ``root`` (see :func:`stray_pids`) and wait until gone."""
    for pid in stray_pids(program, root):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while stray_pids(program, root) and time.monotonic() < deadline:
        time.sleep(0.05)


def busybox_rootfs_tar() -> bytes:
    """A tar of /bin/busybox plus a symlink per applet (sh, sleep, yes, ...)."""
    busybox = shutil.which("busybox") or "/bin/busybox"
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in ("bin", "tmp", "etc", "root"):
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if name == "tmp" else 0o755
            tar.addfile(info)
        tar.add(busybox, arcname="bin/busybox")
        for applet in applets:
            if applet == "busybox":
                continue
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return buffer.getvalue()


def ensure_test_image(host: str) -> str:
    """Import the busybox test image once (``POST /images/create?fromSrc=-``)."""
    with sync_client(host, timeout=120.0) as client:
        if client.get(f"/images/{TEST_IMAGE}/json").status_code == 200:
            return TEST_IMAGE
        repo, tag = TEST_IMAGE.rsplit(":", 1)
        response = client.post(
            "/images/create",
            params={"fromSrc": "-", "repo": repo, "tag": tag, "changes": 'CMD ["sh"]'},
            content=busybox_rootfs_tar(),
            headers={"Content-Type": "application/x-tar"},
        )
        response.raise_for_status()
        if client.get(f"/images/{TEST_IMAGE}/json").status_code != 200:
            raise EngineUnavailable(f"importing {TEST_IMAGE} failed: {response.text[-500:]}")
    return TEST_IMAGE


def test_labels(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Labels every test container carries (so cleanup removes only ours)."""
    return {TEST_LABEL: SESSION_ID, **(extra or {})}


def run_container(
    host: str,
    cmd: list[str] | None = None,
    *,
    name: str | None = None,
    start: bool = True,
    labels: dict[str, str] | None = None,
    **config: Any,
) -> str:
    """Create (and start) a labelled test container; returns its id."""
    body: dict[str, Any] = {"Image": TEST_IMAGE, "Labels": test_labels(labels), **config}
    if cmd is not None:
        body["Cmd"] = cmd
    with sync_client(host) as client:
        params = {"name": name} if name else {}
        response = client.post("/containers/create", params=params, json=body)
        response.raise_for_status()
        container_id: str = response.json()["Id"]
        if start:
            client.post(f"/containers/{container_id}/start").raise_for_status()
    return container_id


def remove_test_containers(host: str, session_only: bool = True) -> int:
    """Force-remove the containers labelled by this test session; returns the count."""
    label = f"{TEST_LABEL}={SESSION_ID}" if session_only else TEST_LABEL
    with sync_client(host) as client:
        listed = client.get("/containers/json", params={"all": "1", "filters": f'{{"label":["{label}"]}}'})
        listed.raise_for_status()
        for item in listed.json():
            client.delete(f"/containers/{item['Id']}", params={"force": "1", "v": "1"})
        return len(listed.json())


def session_repository() -> str:
    """The image repository this test session tags into (removed at the end of the session)."""
    return f"dtui-test/s{SESSION_ID}"


def remove_test_resources(host: str) -> None:
    """Remove the images, volumes and networks this test session made (by label or tag)."""
    label = json_filters({"label": [f"{TEST_LABEL}={SESSION_ID}"]})
    with sync_client(host) as client:
        for network in client.get("/networks", params={"filters": label}).json() or []:
            client.delete(f"/networks/{network['Id']}")
        for volume in (client.get("/volumes", params={"filters": label}).json() or {}).get("Volumes") or []:
            client.delete(f"/volumes/{volume['Name']}", params={"force": "1"})
        ours = json_filters({"reference": [f"{session_repository()}:*"]})
        for image in client.get("/images/json", params={"filters": ours}).json() or []:
            for tag in image.get("RepoTags") or []:
                client.delete(f"/images/{tag}", params={"force": "1"})
        for image in client.get("/images/json", params={"all": "1", "filters": label}).json() or []:
            client.delete(f"/images/{image['Id']}", params={"force": "1"})


def json_filters(filters: dict[str, list[str]]) -> str:
    """Engine filters as the query value."""
    return json.dumps(filters)


def commit_image(host: str, container_id: str, reference: str | None = None) -> str:
    """Commit a container into a session-labelled image (dangling unless ``reference``)."""
    params: dict[str, str] = {"container": container_id}
    if reference:
        params["repo"], params["tag"] = reference.rsplit(":", 1)
    with sync_client(host) as client:
        response = client.post("/commit", params=params, json={"Labels": test_labels(), "Cmd": ["sh"]})
        response.raise_for_status()
        image_id: str = response.json()["Id"]
    return image_id


def on_podman() -> bool:
    """True when this test run is on Podman (``DTUI_TEST_ENGINE=podman``)."""
    return test_engine_kind() == "podman"


def short_image(reference: str) -> str:
    """An image reference without the registry Podman adds (``docker.io/``, ``localhost/``)."""
    for prefix in ("docker.io/library/", "docker.io/", "localhost/"):
        if reference.startswith(prefix):
            return reference[len(prefix):]
    return reference

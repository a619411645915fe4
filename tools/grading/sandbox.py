"""One submission executed in a fresh kernel, in a throwaway folder, with the limits the system allows.

As root the kernel joins a cgroup v1 memory (and pids) group, gets a network namespace of its own
(`unshare --net`: no interface but a loopback that is down) and a mount namespace where the instructor's
checkout is hidden, and runs as `nobody`, so it cannot read the submissions' or the output folder (both
0700). Its `utils` is a copy without the written solutions (`classroom`). Without root only the wall-time limit and a watchdog
on the kernel's resident memory apply; `protections()` says which. The kernel reaches the grader over
Unix sockets, which cross network namespaces. Records are read the moment their cell finishes.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.grading.classroom import student_utils
from utils import config

NOBODY = 65534
CGROUP_V1 = Path("/sys/fs/cgroup")
REPO_ROOT = Path(__file__).resolve().parents[2]


def _can_unshare(*kinds: str) -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(
        ["unshare", *kinds, "true"], capture_output=True).returncode == 0


def _environment_view(root: Path) -> tuple[list[str], str] | None:
    """For a kernel run as `nobody`: a mount namespace in which this Python environment appears under
    `root/vista/entorno` (a bind mount: its own folder may be closed to other users, as a clone made with
    `mktemp -d` is 0700) and the instructor's checkout is covered by an empty file system. Returns the
    command prefix that mounts them and the interpreter's path in the view; None when the interpreter is
    not inside its environment (then the kernel uses the real paths)."""
    try:
        executable = Path(sys.executable).relative_to(sys.prefix)
    except ValueError:
        return None
    view = root / "vista" / "entorno"
    view.mkdir(parents=True)
    for folder in (view.parent, view):
        os.chmod(folder, 0o755)
    mounts = ('mount --make-rprivate / && mount --bind "$1" "$2" && mount -t tmpfs -o size=1m,mode=755 curso "$3" '
              '&& shift 3 && exec "$@"')
    return ["sh", "-c", mounts, "vista", sys.prefix, str(view), str(REPO_ROOT)], str(view / executable)


def protections() -> dict:
    """Which protections this machine allows: memory, pids, network, user (True/False each)."""
    root = os.geteuid() == 0
    memory = root and os.access(CGROUP_V1 / "memory", os.W_OK) and (CGROUP_V1 / "memory" / "cgroup.procs").exists()
    return {"memory": memory, "pids": root and (CGROUP_V1 / "pids" / "cgroup.procs").exists(),
            "network": root and _can_unshare("--net"),
            "user": root and bool(shutil.which("setpriv")) and _can_unshare("--mount")}


def describe(active: dict) -> str:
    """Spanish one-liner of the active protections."""
    parts = [("límite de memoria (cgroup)" if active["memory"] else "límite de memoria (vigilancia de RSS)"),
             ("sin red (espacio de red propio)" if active["network"] else "CON red (hace falta root para aislarla)"),
             ("usuario nobody sin acceso a las entregas ni a las notas" if active["user"]
              else "mismo usuario que el calificador (hace falta root para aislar los archivos)")]
    return "protecciones: tiempo límite, " + ", ".join(parts)


def parse_memory(text: str) -> int:
    """'4G', '512M', '3000000000' → bytes; ValueError in Spanish otherwise."""
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}
    value = str(text).strip().upper().removesuffix("B")
    unit = value[-1:] if value[-1:] in "KMG" else ""
    try:
        number = float(value[: len(value) - len(unit)])
    except ValueError:
        number = -1
    if number <= 0:
        raise ValueError(f"--memoria debe ser un tamaño como 4G o 512M; se recibió {text!r}")
    return int(number * units[unit])


@dataclass
class Run:
    """What happened: records by exercise, the student's cell errors, and why the kernel stopped early."""

    records: dict = field(default_factory=dict)  # exercise → raw bytes (or None: never written)
    cell_errors: dict = field(default_factory=dict)  # original cell index → "Tipo: mensaje"
    stopped: str | None = None  # Spanish reason, when the notebook did not reach its end
    stopped_at: int | None = None  # injected-copy index of the cell that was running then
    seconds: float = 0.0


class _Cgroup:
    """A cgroup v1 memory (+ pids) group for one kernel; `kill()` kills everything inside."""

    def __init__(self, name: str, memory: int, use_memory: bool, use_pids: bool):
        self.dirs = []
        if use_memory:
            path = CGROUP_V1 / "memory" / name
            path.mkdir()
            (path / "memory.limit_in_bytes").write_text(str(memory))
            swap = path / "memory.memsw.limit_in_bytes"
            if swap.exists():
                try:
                    swap.write_text(str(memory))
                except OSError:
                    pass
            self.memory = path
            self.dirs.append(path)
        else:
            self.memory = None
        if use_pids:
            path = CGROUP_V1 / "pids" / name
            path.mkdir()
            (path / "pids.max").write_text("512")
            self.dirs.append(path)

    def join_command(self) -> str:
        return " && ".join(f'echo $$ > "{d}/cgroup.procs"' for d in self.dirs) or "true"

    def pids(self) -> list[int]:
        found = set()
        for d in self.dirs:
            try:
                found.update(int(p) for p in (d / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(found)

    def oom_killed(self) -> bool:
        if self.memory is None:
            return False
        try:
            text = (self.memory / "memory.oom_control").read_text()
            kills = [int(line.split()[1]) for line in text.splitlines() if line.startswith("oom_kill ")]
            return bool(kills and kills[0]) or int((self.memory / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError, IndexError):
            return False

    def kill(self):
        for _ in range(20):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)

    def remove(self):
        self.kill()
        for d in self.dirs:
            for _ in range(40):
                try:
                    d.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)


def _rss(pid: int) -> int:
    """Resident bytes of `pid` and its descendants (from /proc; 0 when gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            pass
    return total


def _manager_class(spec_dir: Path, owner: int | None):
    import subprocess as sp

    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class SandboxKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs["kernel_spec_manager"] = KernelSpecManager(kernel_dirs=[str(spec_dir)])
            super().__init__(**kwargs)
            self.transport = "ipc"

        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("stderr", sp.DEVNULL)
            kw.setdefault("stdout", sp.DEVNULL)
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            if owner is not None:
                os.chown(self.connection_file, owner, owner)
            return cmd, kw

    return SandboxKernelManager


def _read_record(path: Path, limit: int) -> bytes | None:
    """The record file's bytes if it is a regular file within `limit` (never follows a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"{}"
        if info.st_size > limit:
            return b"demasiado grande"
        with os.fdopen(fd, "rb") as fh:
            fd = None
            return fh.read(limit + 1)
    finally:
        if fd is not None:
            os.close(fd)


def new_folder(workspace: Path) -> Path:
    """A throwaway folder for one submission: `trabajo/` (the kernel's), `grader/` (read-only specs)."""
    root = Path(tempfile.mkdtemp(prefix="entrega-", dir=workspace))
    os.chmod(root, 0o711)
    return root


def execute(copy_nb, plan: dict, specs: dict, *, root: Path, time_limit: float, memory: int, record_limit: int,
            active: dict) -> Run:
    """Run the injected copy of a submission in `root`; `specs` maps spec file names to their JSON content."""
    from nbclient import NotebookClient

    run, start = Run(), time.perf_counter()
    owner = NOBODY if active["user"] else None
    work, specs_dir, kernels = root / "trabajo", root / "grader", root / "kernels" / "calificador"
    for d in (work, specs_dir, kernels):
        d.mkdir(parents=True)
    os.chmod(specs_dir, 0o755)
    (root / "course.toml").write_text("# carpeta de una entrega en el calificador\n", encoding="utf-8")
    os.chmod(root / "course.toml", 0o644)
    for name, content in specs.items():
        (specs_dir / name).write_text(json.dumps(content), encoding="utf-8")
        os.chmod(specs_dir / name, 0o644)
    if owner is not None:
        os.chown(work, owner, owner)
    group = _Cgroup(f"calificador-{secrets.token_hex(6)}", memory, active["memory"], active["pids"])
    prefix = ["sh", "-c", f'{group.join_command()} && exec "$@"', "kernel"]
    view = _environment_view(root) if owner is not None else None
    namespaces = (["--net"] if active["network"] else []) + (["--mount"] if view else [])
    if namespaces:
        prefix += ["unshare", *namespaces, "--"]
    python, pythonpath = sys.executable, student_utils(REPO_ROOT / "utils", root / "vista" / "curso")
    if view:
        mounts, python = view
        prefix += mounts
    if owner is not None:
        prefix += ["setpriv", f"--reuid={owner}", f"--regid={owner}", "--clear-groups", "--no-new-privs", "--"]
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [*prefix, python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "calificador", "language": "python"}), encoding="utf-8")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "PYTHONPATH": str(pythonpath),
           "COURSE_OFFLINE": "1", **config.HEADLESS_ENV, "MPLBACKEND": "Agg", "IPYTHONDIR": str(work / ".ipython"),
           "MPLCONFIGDIR": str(work / ".matplotlib"), "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(work)}
    client = NotebookClient(copy_nb, timeout=int(time_limit) + 30, kernel_name="calificador", allow_errors=True,
                            startup_timeout=120, kernel_manager_class=_manager_class(root / "kernels", owner),
                            resources={"metadata": {"path": str(work)}})
    client.km = client.create_kernel_manager()
    client.km.connection_file = str(work / ".conexion.json")
    client.km.ip = str(work / ".conexion-ipc")
    reason = {}
    done = threading.Event()

    def watchdog():
        deadline = start + time_limit
        while not done.wait(0.25):
            pid = getattr(getattr(client.km, "provisioner", None), "process", None)
            pid = getattr(pid, "pid", None)
            if time.perf_counter() > deadline:
                reason["why"] = f"superó el límite de tiempo ({time_limit:g} s) y se detuvo"
            elif not active["memory"] and pid and _rss(pid) > memory:
                reason["why"] = _memory_exceeded(memory)
            else:
                continue
            group.kill()
            if pid:
                try:
                    os.killpg(os.getpgid(pid), signal.SIGKILL) if os.getpgid(pid) != os.getpgid(0) else os.kill(pid, 9)
                except OSError:
                    pass
            return

    guard = threading.Thread(target=watchdog, daemon=True)
    try:
        guard.start()
        with client.setup_kernel(cwd=str(work), env=env):
            for index, cell in enumerate(copy_nb.cells):
                try:
                    client.execute_cell(cell, index)
                except Exception as exc:  # noqa: BLE001 - DeadKernelError, CellTimeoutError, a broken channel
                    run.stopped_at = index
                    run.stopped = reason.get("why") or _death(group, exc, memory)
                    break
                original = cell.metadata.get("calificador_original")
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                if original is not None and errors:
                    lines = str(errors[0].get("evalue", "")).strip().splitlines() or [""]
                    run.cell_errors[original] = f"{errors[0].get('ename', 'Error')}: {lines[0][:200]}".rstrip(": ")
                cell.outputs = []  # what a cell printed is never read: memory stays bounded
                if index in plan:
                    rec = plan[index]
                    run.records[rec.number] = _read_record(work / rec.out_name, record_limit)
    except Exception as exc:  # noqa: BLE001 - the kernel did not even start
        if run.stopped is None:
            run.stopped = reason.get("why") or f"no pudo arrancar su kernel ({type(exc).__name__})"
    finally:
        done.set()
        group.remove()
        shutil.rmtree(root, ignore_errors=True)
    run.seconds = time.perf_counter() - start
    return run


def _memory_exceeded(memory: int) -> str:
    return f"superó el límite de memoria ({memory / 2**30:.1f} GiB) y se detuvo".replace(".", ",")


def _death(group: _Cgroup, exc: Exception, memory: int) -> str:
    if group.oom_killed():
        return _memory_exceeded(memory)
    name = type(exc).__name__
    if name == "CellTimeoutError":
        return "tuvo una celda que no terminó a tiempo"
    return "se detuvo porque su kernel terminó (¿`os._exit`, memoria agotada o un fallo de Python?)"

"""The course runner: notebooks executed headless with papermill, and the course report.

    python -m tools.course run [--only 05 ...] [-p NAME VALUE ...] [--inplace]

Every kernel gets `utils.config.HEADLESS_ENV`, talks to papermill over IPC (Unix sockets: ipykernel
warns about plain TCP on every start) and gets COURSE_SOURCES_LOG, a file of its own where the course's
data layer appends one JSON line `{"dataset": …, "source": …}` per load. The runner prints one line per
notebook (file, status, seconds, data sources) and writes build/report.md and build/report.json.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from tools.manifest import Course, load_manifest
from utils import config
from utils.figures import FIGURE_MIME

SOURCES_LOG = "COURSE_SOURCES_LOG"
NO_SOURCE = "—"


def ipc_kernel_manager():
    """papermill's kernel manager over IPC transport: no TCP port, and no warning about one.

    The kernel's own log lines (e.g. "KeyboardInterrupt caught in kernel" when it is stopped after a
    failing cell) go nowhere, as under nbval: a cell's errors reach the notebook as messages anyway.
    """
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            # Absolute socket paths: the kernel may start in another folder than this process, and a
            # relative "kernel-ipc" would then name two different sockets (the client waits forever).
            self.ip = os.path.join(tempfile.gettempdir(), f"kernel-ipc-{uuid.uuid4().hex[:12]}")

        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return IpcKernelManager


def published_figures(nb_json: dict) -> dict:
    """The figures an executed notebook published (`utils.publish`), in order."""
    figures = {}
    for cell in nb_json.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get(FIGURE_MIME)
            if data:
                figures[data["name"]] = data["value"]
    return figures


def data_sources(log: Path) -> list[dict]:
    """What a kernel wrote to its COURSE_SOURCES_LOG, each (dataset, source) once; [] if it wrote nothing."""
    try:
        lines = Path(log).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    seen = []
    for line in lines:
        try:
            record = json.loads(line)
            item = {"dataset": str(record["dataset"]), "source": str(record["source"])}
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short or written by something else
        if item not in seen:
            seen.append(item)
    return seen


def sources_text(sources: list[dict]) -> str:
    """'mnist: paquete offline, digits: scikit-learn', or '—' when the notebook loaded no data set."""
    return ", ".join(f"{s['dataset']}: {s['source']}" for s in sources) or NO_SOURCE


def _strip_run_metadata(path: Path):
    """Drop papermill's per-run metadata so committed notebooks only change when outputs do."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


@contextlib.contextmanager
def _environ(values: dict):
    """os.environ with `values` set (None: unset) for the kernels started inside; restored afterwards."""
    before = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _Collect(logging.Handler):
    """papermill's warnings ("Passed unknown parameter: …") kept for the notebook's line, not printed."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _papermill_warnings():
    logger, handler = logging.getLogger("papermill"), _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'ename', '')} {getattr(exc, 'evalue', exc)}".strip()


def line(entry: dict) -> str:
    """The one line `make run` prints for a notebook."""
    text = f"{entry['file']:<36} {entry['status']:<5} {entry['seconds']:6.1f} s  {sources_text(entry['sources'])}"
    notes = [*entry.get("warnings", []), *([entry["error"].splitlines()[0][:160]] if entry.get("error") else [])]
    return text + "".join(f" · {note}" for note in notes)


def run(only=None, parameters=None, *, inplace=False, course: Course | None = None, log=print) -> dict:
    """Execute notebooks headless with papermill into build/executed/; return (and write) the report."""
    import papermill

    course = course or load_manifest()
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    offline = config.offline()  # a COURSE_OFFLINE nobody can read stops the run before it starts
    out_dir = course.root / "build" / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="course-sources-") as logs, _environ(config.HEADLESS_ENV):
        for nb in selected:
            target = nb.path if inplace else out_dir / nb.file
            sources_log = Path(logs) / f"{nb.slug}.jsonl"
            entry = {"id": nb.id, "file": nb.file, "title": nb.title}
            start = time.perf_counter()
            with _environ({SOURCES_LOG: str(sources_log)}), _papermill_warnings() as warnings:
                try:
                    papermill.execute_notebook(
                        str(nb.path), str(target), parameters=parameters or {}, kernel_name="python3",
                        cwd=str(nb.path.parent), progress_bar=False, log_output=False,
                        kernel_manager_class=ipc_kernel_manager(),
                    )
                    entry["status"] = "ok"
                except Exception as exc:  # papermill raises PapermillExecutionError with the cell's error
                    entry["status"] = "error"
                    entry["error"] = _error_text(exc)
            entry["seconds"] = round(time.perf_counter() - start, 1)
            entry["sources"] = data_sources(sources_log)
            if warnings:
                entry["warnings"] = list(dict.fromkeys(warnings))
            if target.exists():
                if inplace:
                    _strip_run_metadata(target)
                entry["figures"] = published_figures(json.loads(target.read_text(encoding="utf-8")))
            log(line(entry))
            results.append(entry)
    report = {
        "course": course.title,
        "generated": time.strftime("%Y-%m-%d %H:%M:%S"),
        "offline": offline,
        "parameters": parameters or {},
        "notebooks": results,
    }
    write_report(report, course.root / "build")
    return report


def _figures_text(figures: dict) -> str:
    return ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}" for k, v in figures.items()) or NO_SOURCE


def write_report(report: dict, directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [
        f"# Course report — {report['course']}",
        "",
        f"Generated {report['generated']} · offline data: {'yes' if report['offline'] else 'no'}",
        "",
        "| notebook | status | seconds | data sources | key figures |",
        "|---|---|---:|---|---|",
    ]
    for e in report["notebooks"]:
        status = e["status"] if e["status"] == "ok" else f"**{e['status']}**: {e.get('error', '')}"
        sources = sources_text(e.get("sources", [])).replace("|", "\\|")
        lines.append(f"| {e['file']} | {status} | {e['seconds']} | {sources} | {_figures_text(e.get('figures', {}))} |")
    (directory / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

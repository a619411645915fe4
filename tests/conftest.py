"""Fixtures shared by the test files, and the `slow` marker.

- `keras`: the Keras module (the test is skipped where Keras is not installed).
- `fresh_import`: which top-level packages importing some modules loads, in a fresh interpreter.
- `local_server` (`local_server_module` for a whole module): a real HTTP server on 127.0.0.1 serving
  fixed bytes, or a response a callable writes, per path.
- `setup_cell`: the notebooks' setup cell run in a fresh interpreter that looks like Colab, Kaggle or a laptop.
- `run_solution`: an exercise's written solution executed in the names its notebook defines.

`@pytest.mark.slow` marks a test that takes more than a few seconds (it trains, or starts several
interpreters); `make test-fast` leaves those out. Nothing heavy is imported here: every xdist worker
and nbval run loads this file.
"""
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds; `make test-fast` skips it")


# ------------------------------------------------------------------ Keras and import weight

@pytest.fixture(scope="session")
def keras():
    return pytest.importorskip("keras")


@pytest.fixture(scope="session")
def fresh_import():
    """`fresh_import("utils.cnn", ...)` -> the set of top-level packages loaded after importing them."""
    def loaded(*modules) -> set:
        code = (f"import json, sys; import {', '.join(modules)}; "
                "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        return set(json.loads(out.stdout.strip().splitlines()[-1]))
    return loaded


# ------------------------------------------------------------------ the data layer's environment

@pytest.fixture
def env(monkeypatch, tmp_path):
    """Offline, an empty data cache in tmp_path and no Kaggle input folder; returns tmp_path."""
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(tmp_path / "no-kaggle"))
    return tmp_path


# ------------------------------------------------------------------ a local HTTP server

class LocalServer:
    """A running server: `url` (no trailing slash) and `requests`, the paths asked for, in order.

    `routes` maps a path (the query string is ignored) to the body (status 200, its true length), to
    (status, body, declared Content-Length), or to a callable `route(handler)` that writes the whole
    response itself (`handler.reply(status, body)` or its own writes; `handler.local` is this server).
    A key ending in "/" serves every path under it (the longest such key wins); any other path is a 404.
    """

    def __init__(self, routes):
        self.routes, self.requests = routes, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            local = server

            def do_GET(self):
                server.requests.append(self.path)
                route = server.route(self.path.split("?")[0])
                if callable(route):
                    route(self)
                    return
                status, body, length = (200, route, len(route)) if isinstance(route, bytes) else route
                self.reply(status, body, length)

            def reply(self, status, body, length=None):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(self, path):
        if path in self.routes:
            return self.routes[path]
        folders = [key for key in self.routes if key.endswith("/") and path.startswith(key)]
        return self.routes[max(folders, key=len)] if folders else (404, b"", 0)

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


def _serve(monkeypatch):
    """Sets no_proxy for 127.0.0.1; yields `serve(routes) -> LocalServer`, then closes what it started."""
    servers = []
    monkeypatch.setenv("no_proxy", "127.0.0.1")

    def serve(routes) -> LocalServer:
        servers.append(LocalServer(routes))
        return servers[-1]

    yield serve
    for server in servers:
        server.close()


@pytest.fixture
def local_server(monkeypatch):
    """`local_server({"/file.bin": payload, "/cut.bin": (200, payload[:10], len(payload))})` -> LocalServer.

    Routes as in LocalServer. Requests to 127.0.0.1 bypass any proxy while the test runs.
    """
    yield from _serve(monkeypatch)


@pytest.fixture(scope="module")
def local_server_module():
    """`local_server` for a module-scoped fixture: the server (and no_proxy) last until the module ends."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from _serve(monkeypatch)


# ------------------------------------------------------------------ the setup cell on each platform

_DRIVER = """
import contextlib, io, json, re, shutil, subprocess, sys, traceback, types
from importlib import metadata
from pathlib import Path

if {colab_module!r}:
    sys.modules["google.colab"] = types.ModuleType("google.colab")  # Colab has imported it
calls, real_run = [], subprocess.run


def run(cmd, *args, **kwargs):
    cmd = [str(c) for c in cmd]
    calls.append(cmd)
    assert kwargs.get("capture_output"), "git y pip se ejecutan sin llenar la salida"
    if cmd[0] == "git":
        if {git_error!r}:
            return subprocess.CompletedProcess(cmd, 128, "", {git_error!r})
        target = Path(cmd[-1])  # a throwaway clone: the files of this working tree
        shutil.copytree({root!r} + "/utils", target / "utils", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("course.toml", "requirements-data.txt"):
            shutil.copy(Path({root!r}) / name, target / name)
        return subprocess.CompletedProcess(cmd, 0, "", "")
    if {real_pip!r}:
        return real_run(cmd, *args, **kwargs)
    if {pip_error!r}:
        return subprocess.CompletedProcess(cmd, 1, "", {pip_error!r})
    return subprocess.CompletedProcess(cmd, 0, "", "")


subprocess.run = run
printed, namespace, error = io.StringIO(), {{}}, None
try:
    with contextlib.redirect_stdout(printed):
        for _ in range({runs}):  # the same notebook namespace, as when a student re-runs the cell
            exec(compile({source!r}, "preparacion", "exec"), namespace)
except Exception as exc:
    error = {{"type": type(exc).__name__, "message": str(exc), "traceback": traceback.format_exc()}}
utils = sys.modules.get("utils")
print(json.dumps({{"calls": calls, "printed": printed.getvalue(), "error": error, "python": sys.executable,
                  "utils": getattr(utils, "__file__", None), "path0": sys.path[0],
                  "installed": {{re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
                                for d in metadata.distributions()}},
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))}}))
"""


class SetupCell:
    """Runs the setup cell in a fresh interpreter; git and pip are recorded and faked (unless real_pip)."""

    # What a Kaggle kernel's environment has: its own variables, and Colab's tag (its image is built on Colab's).
    KAGGLE_ENV = {"KAGGLE_KERNEL_RUN_TYPE": "Interactive", "KAGGLE_URL_BASE": "https://www.kaggle.com",
                  "COLAB_RELEASE_TAG": "release-colab_20260101-060000_RC00"}
    PLATFORM_VARIABLES = ("KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_URL_BASE", "COLAB_RELEASE_TAG", "COURSE_KAGGLE_INPUT")
    GIT_OFFLINE = ("Cloning into 'x'...\nfatal: unable to access 'https://github.com/x.git/': "
                   "Could not resolve host: github.com\n")

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path

    def __call__(self, *, course=None, env=None, colab_module=False, git_error="", pip_error="", runs=2,
                 real_pip=False, python=sys.executable, cwd=None) -> dict:
        """Run the cell `runs` times in one namespace; return what it called, printed, raised and loaded.

        `course` defaults to course.toml's; `env` adds to the environment (a None value removes the
        variable) after Colab's and Kaggle's are removed; `cwd` defaults to a fresh working folder.
        """
        from tools import manifest, course as C

        course = course or manifest.load_manifest()
        workdir = cwd or self.tmp_path / "trabajo"  # Colab's /content, Kaggle's /kaggle/working
        workdir.mkdir(exist_ok=True)
        driver = self.tmp_path / "driver.py"
        driver.write_text(_DRIVER.format(colab_module=colab_module, git_error=git_error, pip_error=pip_error,
                                         runs=runs, real_pip=real_pip, root=str(ROOT),
                                         source=C.setup_source(course)), encoding="utf-8")
        variables = {k: v for k, v in os.environ.items() if k not in self.PLATFORM_VARIABLES}
        variables = {k: v for k, v in {**variables, **(env or {})}.items() if v is not None}
        done = subprocess.run([str(python), str(driver)], cwd=workdir, capture_output=True, text=True,
                              timeout=300, env=variables)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["workdir"] = workdir
        return result


@pytest.fixture
def setup_cell(tmp_path) -> SetupCell:
    return SetupCell(tmp_path)


# ------------------------------------------------------------------ exercise solutions

@pytest.fixture(scope="session")
def run_solution():
    """`run_solution(ej.ejercicio_3)["a_lote"]`: see exercise_checks.run_solution."""
    import exercise_checks  # imports every exercise module: only for the tests that ask

    return exercise_checks.run_solution

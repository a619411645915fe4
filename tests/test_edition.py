"""The student edition (`python -m tools.edition`): no written solution anywhere in the copy, checks unchanged.

The edition is built once into a temporary folder from this repository (nothing in it is changed);
the copy's `utils` is imported in a subprocess with PYTHONPATH=copy. `--branch` runs in a clone.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import nbformat
import pytest

from exercise_checks import MODULES, ROOT, exercises
from tools.edition import shipped_files
from tools.edition.leaks import normal, scrub_outputs
from tools.edition.strip import EditionError, strip_module
from utils.exercises import WITHHELD_HINTS, WITHHELD_SOLUTION, ModelExercise, ThoughtExercise

NAME = "curso-prueba"
HINTS_WITHHELD = {("06", 3), ("09", 5)}  # a checked exercise and a thought exercise
MIN_LINE = 12
QUOTES = re.compile(r"""^f?("{3}|'{3}|"|')|("{3}|'{3}|"|')$""")  # a source line's opening or closing quotes


def run_edition(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tools.edition", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edicion") / "copia"
    done = run_edition("--ref", NAME, "--sin-pistas", ",".join(f"{nb}:{n}" for nb, n in sorted(HINTS_WITHHELD)),
                       "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def strings_of(path):
    """Every text a file holds, for a notebook the strings of its JSON (sources, outputs, metadata)."""
    if path.suffix == ".ipynb":
        found = []

        def walk(value):
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                [walk(v) for v in value.values()]
            elif isinstance(value, list):
                found.append("".join(v for v in value if isinstance(v, str)))
                [walk(v) for v in value if not isinstance(v, str)]

        walk(json.loads(path.read_text(encoding="utf-8")))
        return normal("\n".join(found))
    try:
        return normal(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return ""


def written(module):
    """{n: [texts]} of a module's exercises: each written solution or model answer, as the object holds it
    and as its source writes it (an f-string's template)."""
    source = (ROOT / "utils" / "ejercicios" / f"{module.__name__[-4:]}.py").read_text(encoding="utf-8")
    texts = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "").startswith("ejercicio_"):
            call = node.value
            values = [k.value for k in call.keywords if k.arg in ("solution", "model_answer")]
            values += call.args[1:2] if getattr(call.func, "id", "") == "ThoughtExercise" else []
            texts[int(node.targets[0].id[10:])] = [ast.get_source_segment(source, v) for v in values]
    for n, exercise in enumerate(exercises(module), 1):
        texts[n].append(exercise.model_answer if isinstance(exercise, ThoughtExercise) else exercise._solution)
    return texts


def test_copy_holds_what_a_student_needs_and_no_machinery(edition):
    out, stdout = edition
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted(shipped_files(ROOT))
    assert not [f for f in files if f.startswith(("tests/", "tools/", ".ci/", ".github/", "build/")) or
                "__pycache__" in f or f in ("Makefile", "conftest.py")]
    needed = {"course.toml", "README.md", "utils/exercises.py", "requirements.txt", "notebooks/06_cnn.ipynb"}
    assert needed <= set(files)
    assert len([f for f in files if f.startswith("notebooks/")]) == 13
    assert len(stdout.strip().splitlines()) <= 8 and "Carpeta:" in stdout and str(ROOT) not in stdout


def test_no_written_solution_appears_anywhere_in_the_copy(edition):
    """Each solution whole and each of its lines the lessons do not already show (a `def` the starter
    cell also has, a hint kept on purpose), searched in every file of the copy and of the original."""
    out, _ = edition
    original = {f: strings_of(ROOT / f) for f in shipped_files(ROOT)}
    copy = {p.relative_to(out).as_posix(): strings_of(p) for p in out.rglob("*") if p.is_file()}
    checked, in_lesson = 0, []
    for module in MODULES:
        own = f"utils/ejercicios/{module.__name__[-4:]}.py"
        lesson = " ".join(t for f, t in original.items() if f != own)
        lesson += " ".join(normal(h) for e in exercises(module) for h in e.hints)
        for n, texts in written(module).items():
            pieces = {QUOTES.sub("", normal(p)).strip() for t in texts for p in [t, *t.splitlines()]}
            pieces = {p for p in pieces if len(p) >= MIN_LINE and p not in lesson}
            if not pieces:  # the lesson itself would show this solution: it could not be withheld
                in_lesson.append(f"{own} ejercicio_{n}")
                continue
            assert any(p in original[own] for p in pieces), f"{own} ejercicio_{n}: no se encuentra en el original"
            for piece in pieces:
                where = [f for f, text in copy.items() if piece in text]
                assert not where, f"{own} ejercicio_{n}: «{piece[:60]}» sigue en {where}"
                checked += 1
    assert checked > 200 and not in_lesson, in_lesson


CHILD = r"""
import contextlib, io, json, sys
from exercise_checks import MODULES, exercises, run_solution, solution_answer
from utils.exercises import ModelExercise, ThoughtExercise, PENDIENTE

given = json.load(open(sys.argv[1], encoding="utf-8"))
records = {}


def shown(call):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        call()
    return buffer.getvalue()


def verdict(exercise, answer):
    v = exercise.evaluate(answer)
    return [v.status, v.message]


for module in MODULES:
    for n, ex in enumerate(exercises(module), 1):
        key = f"{module.__name__[-2:]}:{n}"
        rec = records[key] = {"solution": shown(ex.solution), "hint": shown(ex.hint), "pending": verdict(ex, PENDIENTE)}
        solution = given.get(key)
        if isinstance(ex, ThoughtExercise):
            rec["thought"] = verdict(ex, "Porque los pesos se comparten.")
            continue
        if isinstance(ex, ModelExercise) or "keras" in solution or "layers." in solution:
            continue  # would import Keras: checked by test_ejercicios with the instructor's utils
        wrong = (lambda *args: 0) if hasattr(ex, "reference") else "no es esto"
        rec["wrong"] = verdict(ex, wrong)
        saved, ex._solution = ex._solution, solution  # the ORIGINAL written solution, run in the notebook's names
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                answer = solution_answer(ex, run_solution(ex))
        except Exception as error:
            rec["right"] = ["no se pudo ejecutar", repr(error)]
        else:
            rec["right"] = verdict(ex, answer)
        ex._solution = saved
print(json.dumps({"records": records, "keras": "keras" in sys.modules}))
"""


@pytest.fixture(scope="module")
def verdicts(edition, tmp_path_factory):
    """The same answers checked by the original's utils and by the copy's, each in its own interpreter."""
    out, _ = edition
    folder = tmp_path_factory.mktemp("veredictos")
    solutions = {f"{m.__name__[-2:]}:{n}": e._solution or "" for m in MODULES for n, e in enumerate(exercises(m), 1)}
    (folder / "soluciones.json").write_text(json.dumps(solutions), encoding="utf-8")
    (folder / "child.py").write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "COURSE_OFFLINE": "1"}
    runs = {}
    for which, root in (("original", ROOT), ("copia", out)):
        env_run = {**env, "PYTHONPATH": os.pathsep.join([str(root), str(ROOT / "tests")])}
        runs[which] = subprocess.Popen([sys.executable, str(folder / "child.py"), str(folder / "soluciones.json")],
                                       cwd=folder, env=env_run, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
    results = {}
    for which, proc in runs.items():
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stderr[-2000:]
        results[which] = json.loads(stdout.strip().splitlines()[-1])
    assert not results["copia"]["keras"]
    return results["original"]["records"], results["copia"]["records"]


def test_solution_shows_the_notice_for_every_exercise(verdicts):
    original, copy = verdicts
    assert original.keys() == copy.keys() and len(copy) > 60
    for key, rec in copy.items():
        assert WITHHELD_SOLUTION in rec["solution"], key
        assert WITHHELD_SOLUTION not in original[key]["solution"], key
        assert normal(original[key]["solution"]) != normal(rec["solution"]), key


def test_checks_give_the_same_verdicts_as_the_original(verdicts):
    """A right answer (the original's written solution run in the notebook's names) is still correct, a wrong
    one still incorrect with the same diagnosis, `____` still unanswered."""
    original, copy = verdicts
    rights = wrongs = 0
    for key, rec in copy.items():
        assert rec["pending"] == original[key]["pending"] and rec["pending"][0] == "sin responder", key
        if "right" in rec:
            assert rec["right"] == original[key]["right"], key
            rights += rec["right"][0] == "correcto"
        if "wrong" in rec:
            assert rec["wrong"] == original[key]["wrong"] and rec["wrong"][0] == "incorrecto", key
            wrongs += 1
    ran = [k for k, r in copy.items() if "right" in r]
    assert rights == len(ran) >= 45 and wrongs >= 45, [(k, copy[k]["right"]) for k in ran
                                                       if copy[k]["right"][0] != "correcto"]


def test_thought_exercises_echo_the_answer_but_not_the_model_answer(verdicts):
    original, copy = verdicts
    thoughts = [k for k, r in copy.items() if "thought" in r]
    assert len(thoughts) >= 3
    for key in thoughts:
        status, message = copy[key]["thought"]
        assert status == original[key]["thought"][0] and "Porque los pesos se comparten." in message
        assert WITHHELD_SOLUTION in message and "Respuesta modelo" in original[key]["thought"][1]
        assert "Respuesta modelo" not in message, key


def test_withheld_hints_answer_the_notice_and_the_others_are_kept(verdicts):
    original, copy = verdicts
    for key, rec in copy.items():
        nb, n = key.split(":")
        if (nb, int(n)) in HINTS_WITHHELD:
            assert WITHHELD_HINTS in rec["hint"] and normal(original[key]["hint"]) not in normal(rec["hint"]), key
        else:
            assert rec["hint"] == original[key]["hint"], key


def test_withheld_hint_texts_are_gone_from_the_copy(edition):
    out, _ = edition
    for module in MODULES:
        nb = module.__name__[-2:]
        tree = ast.parse((out / f"utils/ejercicios/nb{nb}.py").read_text(encoding="utf-8"))
        source = "\n".join(normal(c.value) for c in ast.walk(tree)
                           if isinstance(c, ast.Constant) and isinstance(c.value, str))
        for n, exercise in enumerate(exercises(module), 1):
            for hint in exercise.hints:
                withheld = (nb, n) in HINTS_WITHHELD
                assert (normal(hint) in source) != withheld or len(normal(hint)) < MIN_LINE, (nb, n)


def test_ref_in_the_manifest_and_in_the_notebooks(edition):
    out, _ = edition
    assert tomllib.loads((out / "course.toml").read_text(encoding="utf-8"))["course"]["ref"] == NAME
    before = tomllib.loads((ROOT / "course.toml").read_text(encoding="utf-8"))["course"]["ref"]
    assert before != NAME
    mine = nbformat.read(out / "notebooks/06_cnn.ipynb", as_version=4)
    theirs = nbformat.read(ROOT / "notebooks/06_cnn.ipynb", as_version=4)
    header = next(c for c in mine.cells if c.get("id") == "cabecera").source
    assert f"colab.research.google.com/github/" in header and f"/blob/{NAME}/notebooks/06_cnn.ipynb" in header
    assert f'"{NAME}"' in next(c for c in mine.cells if c.get("id") == "preparacion").source
    assert f"/blob/{NAME}/notebooks/" in (out / "README.md").read_text(encoding="utf-8")
    nbformat.validate(mine)
    assert [c.get("outputs") for c in mine.cells if c.get("id") not in ("cabecera", "preparacion")] == \
        [c.get("outputs") for c in theirs.cells if c.get("id") not in ("cabecera", "preparacion")]


def test_outputs_that_show_a_solution_are_cleared(tmp_path):
    notebook = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_output("stream", text="Solución:\ndef parametros_conv(k, canales_entrada, filtros):\n")
    leaked = nbformat.v4.new_output("display_data",
                                    data={"text/html": "<b>return (k * k * canales_entrada + 1) * filtros</b>"})
    kept = nbformat.v4.new_output("stream", text="(6, 6, 32)\n")
    notebook.cells = [nbformat.v4.new_code_cell("ej.ejercicio_1.solution()", outputs=[shown]),
                      nbformat.v4.new_code_cell("mostrar()", outputs=[leaked]),
                      nbformat.v4.new_code_cell("forma", outputs=[kept])]
    nbformat.write(notebook, tmp_path / "n.ipynb")
    assert scrub_outputs(tmp_path, {"return (k * k * canales_entrada + 1) * filtros"}) == 2
    cells = nbformat.read(tmp_path / "n.ipynb", as_version=4).cells
    assert [len(c.outputs) for c in cells] == [0, 0, 1] and cells[2].outputs[0].text == "(6, 6, 32)\n"
    nbformat.validate(nbformat.read(tmp_path / "n.ipynb", as_version=4))


def test_strip_module_edits_at_ast_positions():
    source = ('"""Módulo."""\nfrom utils.exercises import ThoughtExercise, ValueExercise\n\n'
              'ejercicio_1 = ValueExercise(3, title="Ñandú · ejercicio", hint=["pista ñ"], solution="""\n'
              '    respuesta = 1 + 2  # año\n""")\n'
              'ejercicio_2 = ThoughtExercise("¿Por qué?", "Porque sí, señor.", hint="piensa")\n')
    new, texts, count = strip_module(source, "nb99.py", {1})
    tree = ast.parse(new)
    assert count == 2 and "respuesta = 1 + 2" not in new and "Porque sí" not in new and "pista ñ" not in new
    assert 'title="Ñandú · ejercicio"' in new and 'hint="piensa"' in new
    assert "from utils.exercises import WITHHELD" in new
    assert any("respuesta = 1 + 2" in t for t in texts)
    assert sum(isinstance(n, ast.Name) and n.id == "WITHHELD" for n in ast.walk(tree)) == 3
    with pytest.raises(EditionError, match="ejercicio_1"):
        strip_module("from utils.exercises import ValueExercise\nS = 'x = 1'\n"
                     "ejercicio_1 = ValueExercise(1, solution=S)\n", "nb99.py")
    with pytest.raises(EditionError, match="pistas"):
        strip_module("from utils.exercises import ValueExercise\nH = ['x']\n"
                     "ejercicio_1 = ValueExercise(1, hint=H)\n", "nb99.py", True)


@pytest.mark.parametrize("args, fragment", [
    (["--ref", "mal nombre"], "no es un nombre de rama válido"),
    (["--ref", "a..b"], "no es un nombre de rama válido"),
    (["--ref", "-x"], "Error"),
    (["--ref", NAME, "--sin-pistas", "99:1"], "no hay ningún cuaderno 99"),
    (["--ref", NAME, "--sin-pistas", "06:9"], "no tiene ejercicio 9"),
    (["--ref", NAME, "--sin-pistas", "seis"], "no es cuaderno:ejercicio"),
    ([], "falta"),
    (["--ref", NAME, "--opcion-rara"], "opción desconocida"),
])
def test_bad_input_is_one_spanish_line_and_exit_2(tmp_path, args, fragment):
    done = run_edition(*args, "--out", str(tmp_path / "copia"))
    assert done.returncode == 2 and fragment in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "copia").exists() and not list(tmp_path.glob(".edicion-*"))


def test_a_folder_that_is_not_a_course_repository_is_refused(tmp_path):
    done = run_edition("--repo", str(tmp_path), "--ref", NAME, "--out", str(tmp_path / "copia"))
    assert done.returncode == 2 and "no es la carpeta de un curso" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "copia").exists()


def test_an_existing_non_empty_out_is_refused_and_left_alone(tmp_path):
    (tmp_path / "mio.txt").write_text("no tocar", encoding="utf-8")
    done = run_edition("--ref", NAME, "--out", str(tmp_path))
    assert done.returncode == 2 and "no es una carpeta vacía" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["mio.txt"]


@pytest.mark.slow
def test_branch_is_committed_in_a_clone_without_touching_its_work_tree(tmp_path):
    clone = tmp_path / "clon"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    for path in ("utils/exercises.py",):  # the working version, which knows WITHHELD even before it is committed
        shutil.copy2(ROOT / path, clone / path)

    def git(*args):
        return subprocess.run(["git", *args], cwd=clone, capture_output=True, text=True, check=True).stdout

    before = (git("rev-parse", "HEAD"), git("status", "--porcelain"), git("symbolic-ref", "HEAD"),
              (clone / ".git" / "index").read_bytes())
    done = run_edition("--repo", str(clone), "--ref", NAME, "--branch")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"Para publicarla: git push origin {NAME}"
    assert not (clone / "build").exists() and "Carpeta" not in done.stdout
    tree = git("ls-tree", "-r", "--name-only", NAME).split()
    assert "utils/ejercicios/nb06.py" in tree and "course.toml" in tree
    assert not [f for f in tree if f.startswith(("tests/", "tools/", ".ci/", ".github/"))]
    assert "WITHHELD" in git("show", f"{NAME}:utils/ejercicios/nb06.py")
    assert "def parametros_conv" not in git("show", f"{NAME}:utils/ejercicios/nb06.py")
    assert f'ref = "{NAME}"' in git("show", f"{NAME}:course.toml")
    assert git("rev-list", "--count", NAME).strip() == "1"  # no parent: the history would hold the solutions
    assert before == (git("rev-parse", "HEAD"), git("status", "--porcelain"), git("symbolic-ref", "HEAD"),
                      (clone / ".git" / "index").read_bytes())
    again = run_edition("--repo", str(clone), "--ref", NAME, "--branch")
    assert again.returncode == 2 and "ya existe" in again.stderr and "--force" in again.stderr
    forced = run_edition("--repo", str(clone), "--ref", NAME, "--branch", "--force")
    assert forced.returncode == 0, forced.stderr
    assert git("rev-list", "--count", NAME).strip() == "1"


@pytest.mark.slow
def test_default_folder_withholds_every_hint_and_is_replaced_on_a_new_run(tmp_path):
    """Without --out nor --branch: build/edicion-NAME of the repository, rebuilt in place; bare --sin-pistas."""
    clone = tmp_path / "clon"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    shutil.copy2(ROOT / "utils/exercises.py", clone / "utils/exercises.py")
    for _ in range(2):
        done = run_edition("--repo", str(clone), "--ref", "curso/2027", "--sin-pistas")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "Carpeta: build/edicion-curso-2027"
    out = clone / "build" / "edicion-curso-2027"
    assert not list((clone / "build").glob(".edicion-*"))
    for module in MODULES:
        tree = ast.parse((out / f"utils/ejercicios/{module.__name__[-4:]}.py").read_text(encoding="utf-8"))
        kept = " ".join(c.value for c in ast.walk(tree) if isinstance(c, ast.Constant) and isinstance(c.value, str))
        assert not [h for e in exercises(module) for h in e.hints if h in kept], module.__name__

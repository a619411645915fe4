"""The grader: records rebuilt without running student code, verdicts nobody can forge, and a folder
of real nb01 submissions (honest, partial, every cheat) graded end to end in sandboxed kernels."""
from __future__ import annotations

import csv
import json
import math
import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tools.grading import answers, gradebook, recorder, sandbox
from tools.grading.__main__ import _spec, _Notebook, grade_folder, main
from tools.grading.values import Replay, RecordError, decode, encode_cases
from utils.exercises import PENDIENTE

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _record(tmp_path, exercise, answer, *, kind=None, call_seconds=2.0, max_bytes=10**6, nonce="abc"):
    """Run the kernel-side recorder in this process and return the raw record bytes."""
    spec = {"nonce": nonce, "kind": kind or gradebook.kind_of(exercise), "max_bytes": max_bytes, "max_text": 4000,
            "weights": gradebook.needs_weights(exercise), "call_seconds": call_seconds}
    if spec["kind"] == "function":
        spec["cases"] = encode_cases(exercise.cases)
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    recorder.record(lambda: answer, {}, str(tmp_path / "spec.json"), str(tmp_path / "out.json"))
    return (tmp_path / "out.json").read_bytes()


def _judge(tmp_path, exercise, answer, **kw):
    return gradebook.judge(exercise, _record(tmp_path, exercise, answer, **kw), None, "abc")


# ------------------------------------------------------------------ pure parts, no kernel

@pytest.mark.parametrize("value", [
    3, -2.5, "texto", None, True, (1, 2.0), [1, [2, (3,)]], {"a": 1, 2: (3, 4)}, {1, 2},
    np.arange(6, dtype=np.int16).reshape(2, 3), np.array([[0.5, np.nan], [np.inf, -1.0]], dtype=np.float32),
    np.array([True, False]), np.float64(0.25), np.int64(7), np.bool_(True), 2**70, float("nan"),
])
def test_values_round_trip(value):
    data = json.loads(json.dumps(recorder._Encoder(10**6, False)(value)))
    back = decode(data)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back, value, equal_nan=True)
    elif isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value


def test_placeholder_and_unknown_objects_keep_what_the_checker_needs():
    class Raro:
        pass

    enc = recorder._Encoder(10**6, False)
    assert decode(enc(PENDIENTE)) is PENDIENTE
    stand_in = decode(enc(Raro()))
    assert type(stand_in).__name__ == "Raro" and not callable(stand_in)
    loop = []
    loop.append(loop)
    assert isinstance(decode(enc(loop))[0], object)  # a list that contains itself is cut, not followed
    with pytest.raises(recorder._TooBig):
        recorder._Encoder(1000, False)(np.zeros(10_000))
    with pytest.raises(RecordError):
        decode({"__t": "array", "dtype": "<U3", "shape": [1], "data": ["abc"]})
    with pytest.raises(RecordError):
        decode({"__t": "pickle", "data": "..."})


def test_replay_answers_recorded_calls_and_raises_recorded_errors():
    from utils.exercises import PlaceholderError

    cases = [(np.array([1, 2]),), ({"a": 1},)]
    replay = Replay("caja", cases, [{"ok": {"__t": "tuple", "items": [1, 2]}},
                                    {"raised": "ZeroDivisionError", "message": "division by zero", "exit": False}])
    assert replay.__name__ == "caja" and replay(np.array([1, 2])) == (1, 2)
    with pytest.raises(Exception) as info:
        replay({"a": 1})
    assert type(info.value).__name__ == "ZeroDivisionError"
    with pytest.raises(RuntimeError):
        replay(np.array([1, 3]))  # an input the kernel never saw
    placeholder = Replay("f", [(1,)], [{"raised": "PlaceholderError", "message": "", "exit": False}])
    with pytest.raises(PlaceholderError):
        placeholder(1)
    with pytest.raises(SystemExit):
        Replay("f", [(1,)], [{"raised": "SystemExit", "message": "0", "exit": True}])(1)


def test_function_answers_recorded_then_judged_by_the_instructors_checker(tmp_path):
    from utils.ejercicios import nb00, nb01

    def entorno(variables):
        return "kaggle" if "KAGGLE_KERNEL_RUN_TYPE" in variables else "colab" if "COLAB_RELEASE_TAG" in variables \
            else "local"

    def colab_primero(variables):
        return "colab" if "COLAB_RELEASE_TAG" in variables else "kaggle" if "KAGGLE_KERNEL_RUN_TYPE" in variables \
            else "local"

    def sale(variables):
        raise SystemExit(0)

    def eterna(variables):
        while True:
            pass

    assert _judge(tmp_path, nb00.ejercicio_1, entorno)[0].status == "correcto"
    verdict = _judge(tmp_path, nb00.ejercicio_1, colab_primero)[0]
    assert verdict.status == "incorrecto" and "Kaggle" in verdict.message  # the author's slip, named
    assert _judge(tmp_path, nb00.ejercicio_1, lambda v: PENDIENTE)[0].status == "sin responder"
    assert "sys.exit" in _judge(tmp_path, nb00.ejercicio_1, sale)[0].message
    slow = _judge(tmp_path, nb00.ejercicio_1, eterna, call_seconds=0.3)[0]
    assert slow.status == "incorrecto" and "TimeoutError" in slow.message
    assert _judge(tmp_path, nb01.ejercicio_4, nb01._box)[0].status == "correcto"
    assert _judge(tmp_path, nb01.ejercicio_4, nb01._corners)[0].status == "incorrecto"
    assert _judge(tmp_path, nb01.ejercicio_3, 42)[0].status == "incorrecto"  # not a function at all


def test_value_array_and_thought_answers(tmp_path):
    from utils.ejercicios import nb01, nb05

    assert _judge(tmp_path, nb01.ejercicio_1, nb01.CAMERA[nb01.CROP] / 255)[0].status == "correcto"
    wrong = _judge(tmp_path, nb01.ejercicio_1, nb01.CAMERA[nb01.CROP])[0]
    assert wrong.status == "incorrecto" and "255" in wrong.message
    assert _judge(tmp_path, nb01.ejercicio_5, nb01.BATCH_BYTES)[0].status == "correcto"
    assert _judge(tmp_path, nb01.ejercicio_5, str(nb01.BATCH_BYTES))[0].status == "incorrecto"
    thought = _judge(tmp_path, nb05.ejercicio_8, "porque el campo receptivo crece")
    assert thought[0].status == gradebook.MANUAL and "campo receptivo" in thought[0].message
    assert _judge(tmp_path, nb05.ejercicio_8, PENDIENTE)[0].status == "sin responder"


@pytest.mark.slow
def test_keras_answers_rebuilt_from_their_config_in_safe_mode(tmp_path, keras):
    from keras import layers

    from utils.ejercicios import nb07

    block = [layers.Dense(64, use_bias=False), layers.BatchNormalization(), layers.Activation("relu")]
    assert _judge(tmp_path, nb07.ejercicio_6, block)[0].status == "correcto"
    biased = _judge(tmp_path, nb07.ejercicio_6, [layers.Dense(64), layers.BatchNormalization(), layers.ReLU()])[0]
    assert biased.status == "incorrecto" and "use_bias" in biased.message
    assert "no es una capa" in _judge(tmp_path, nb07.ejercicio_6, [layers.Dense(64, use_bias=False), 3])[0].message
    lam = _judge(tmp_path, nb07.ejercicio_6, [layers.Lambda(lambda x: x * 2)])[0]
    assert lam.status in (gradebook.FAILED, "incorrecto")  # a Lambda's code is never deserialised
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
    data = json.loads(_record(tmp_path, nb07.ejercicio_6, model, kind="value"))
    spec = {"nonce": "w", "kind": "value", "max_bytes": 10**6, "max_text": 10, "weights": True, "call_seconds": 1}
    (tmp_path / "w.json").write_text(json.dumps(spec))
    recorder.record(lambda: model, {}, str(tmp_path / "w.json"), str(tmp_path / "w-out.json"))
    rebuilt = decode(json.loads((tmp_path / "w-out.json").read_text())["value"])
    assert all(np.array_equal(a, b) for a, b in zip(rebuilt.get_weights(), model.get_weights()))
    assert "weights" not in data["value"]  # ModelExercise needs only the architecture


def test_dict_tuple_and_distribution_answers_of_custom_exercise_classes(tmp_path):
    from scipy.stats import loguniform, uniform

    from utils.ejercicios import nb00, nb11, nb12

    space = {"learning_rate": loguniform(1e-3, 3e-2), "batch_size": [32, 64], "dropout": uniform(0.1, 0.3),
             "filters": [16, 32]}
    assert _judge(tmp_path, nb11.ejercicio_1, space)[0].status == "correcto"
    slip = _judge(tmp_path, nb11.ejercicio_1, {**space, "dropout": uniform(0.1, 0.4)})[0]
    assert slip.status == "incorrecto" and "loc + scale" in slip.message
    assert _judge(tmp_path, nb11.ejercicio_4, (0.0134, False))[0].status == "correcto"
    assert _judge(tmp_path, nb11.ejercicio_4, (0.0134, True))[0].status == "incorrecto"
    by_val = _judge(tmp_path, nb11.ejercicio_3, lambda r: max(r, key=lambda x: x["val_acc"])["trial"])[0]
    by_test = _judge(tmp_path, nb11.ejercicio_3, lambda r: max(r, key=lambda x: x["test_acc"])["trial"])[0]
    assert by_val.status == "correcto" and by_test.status == "incorrecto" and "test_acc" in by_test.message
    assert _judge(tmp_path, nb00.ejercicio_2, 0o600)[0].status == "correcto"
    assert "octal" in _judge(tmp_path, nb00.ejercicio_2, 600)[0].message
    decisions = {"volteo horizontal": True, "volteo vertical": False, "giro de 90°": False, "pequeño zoom": True,
                 "cambio de brillo": True}
    assert _judge(tmp_path, nb12.ejercicio_4, decisions)[0].status == "correcto"
    assert _judge(tmp_path, nb12.ejercicio_4, {**decisions, "giro de 90°": True})[0].status == "incorrecto"


def test_answers_that_lie_about_equality_are_judged_as_plain_data(tmp_path):
    from utils.ejercicios import nb01

    class SiempreIgual:
        def __eq__(self, other):
            return True

    class EnteroMentiroso(int):
        def __eq__(self, other):
            return True

    assert nb01.ejercicio_5.evaluate(SiempreIgual()).status == "incorrecto"
    assert _judge(tmp_path, nb01.ejercicio_5, SiempreIgual())[0].status == "incorrecto"
    assert _judge(tmp_path, nb01.ejercicio_5, EnteroMentiroso(7))[0].status == "incorrecto"
    assert _judge(tmp_path, nb01.ejercicio_5, EnteroMentiroso(nb01.BATCH_BYTES))[0].status == "correcto"


def test_forged_malformed_and_oversized_records_cannot_run(tmp_path):
    from utils.ejercicios import nb01

    good = _record(tmp_path, nb01.ejercicio_5, nb01.BATCH_BYTES)
    assert gradebook.judge(nb01.ejercicio_5, good, None, "otra")[0].status == gradebook.FAILED  # wrong nonce
    assert gradebook.judge(nb01.ejercicio_5, b"{no es json", None, "abc")[0].status == gradebook.FAILED
    assert gradebook.judge(nb01.ejercicio_5, None, None, "abc")[0].status == gradebook.FAILED
    big = _record(tmp_path, nb01.ejercicio_1, np.zeros(10_000), max_bytes=1000)
    assert gradebook.judge(nb01.ejercicio_1, big, None, "abc")[0].status == gradebook.FAILED
    failed = gradebook.judge(nb01.ejercicio_5, good, "NameError: name 'x' is not defined", "abc")[0]
    assert failed.status == gradebook.FAILED and "NameError" in failed.message


def test_every_exercise_of_the_course_has_an_expression_and_a_recording_kind():
    from tools.manifest import load_manifest

    for entry in load_manifest().notebooks:
        ref = _Notebook(entry.id)
        assert set(ref.exercises) <= set(ref.calls), entry.file
        for number, call in ref.calls.items():
            compile(call.expression, "<expr>", "eval")
            spec = _spec(ref, number, "n") if number in ref.exercises else None
            assert spec is None or spec["kind"] in ("value", "function", "text")
    nb04, nb12 = _Notebook("04"), _Notebook("12")
    assert gradebook.needs_weights(nb04.exercises[2]) and gradebook.needs_weights(nb12.exercises[5])
    assert not gradebook.needs_weights(nb04.exercises[1])
    assert set(nb12.calls[5].keywords) == {"conjunto", "validacion", "prueba"}


def test_answer_cells_found_when_reordered_or_without_check_calls():
    import nbformat

    import grading_fixtures as fx

    calls = answers.check_calls(fx.SOURCE)
    assert calls[3].expression == "a_lote" and calls[1].names == {"respuesta"}
    every = {n: fx.right(n) for n in range(1, 6)}
    nb = fx.notebook(every, check=False)
    places = answers.anchors(nb, calls)
    sources = {n: nb.cells[i].source for n, i in places.items()}
    assert all(every[n].strip() in sources[n] for n in range(1, 6)), sources
    assert answers.identify(nb) == "01" and answers.identify(nbformat.v4.new_notebook()) is None
    copy, plan = answers.inject(nb, calls, places, "/g", "/w")
    assert sorted(r.number for r in plan.values()) == [1, 2, 3, 4, 5]
    for index, rec in plan.items():  # each recording cell right after its answer cell
        assert copy.cells[index - 1].metadata["calificador_original"] == rec.anchor


# ------------------------------------------------------------------ the command line, bad input

def test_cli_bad_input_is_one_spanish_line_and_exit_code_2(tmp_path, capsys):
    assert main([str(tmp_path / "no-existe")]) == 2
    assert "no existe la carpeta" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2
    assert "ninguna entrega" in capsys.readouterr().err
    (tmp_path / "a.ipynb").write_text("{}")
    for option in (["--memoria", "mucha"], ["--tiempo", "0"], ["--cuaderno", "uno"], ["--nada"]):
        assert main([str(tmp_path), *option]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and len(err.splitlines()) == 1 and str(tmp_path) not in err
    assert sandbox.parse_memory("3G") == 3 * 2**30 and sandbox.parse_memory("512M") == 512 * 2**20


# ------------------------------------------------------------------ a folder of real submissions

def test_code_that_reads_a_checker_is_held_for_review_and_the_course_notebooks_are_not():
    from tools.grading import gradebook

    numbers = [1, 2, 3]
    assert gradebook.peeks(["respuesta = ej.ejercicio_3.expected\nej.ejercicio_1.check(r)\nej.ejercicio_2.hint(2)"],
                           numbers) == {3: "ejercicio_3.expected"}
    for cheat, seen in [("x = vars(ej)", "vars(ej"), ("ej.__dict__", "ej.__"), ("import utils.ejercicios.nb01 as m",
                        "import utils.ejercicios"), ("f = getattr(ej, 'ejercicio_1').reference", "getattr(ej"),
                        ("inspect.getsource(ej.ejercicio_2)", "inspect.getsource(ej")]:
        assert gradebook.peeks([cheat], numbers) == dict.fromkeys(numbers, seen), cheat
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):  # the lessons' own code is never suspect
        nb = nbformat.read(str(path), as_version=4)
        assert gradebook.peeks([c.source for c in nb.cells if c.cell_type == "code"], list(range(1, 10))) == {}, path.name
    right, wrong = gradebook.Verdict(gradebook.CORRECT, "bien"), gradebook.Verdict(gradebook.WRONG, "mal")
    assert gradebook.held_for_review(right, None, own_data=False) is right
    assert gradebook.held_for_review(wrong, "ejercicio_1.expected", own_data=True) is wrong
    held = gradebook.held_for_review(right, "ejercicio_1.expected", own_data=False)
    assert held.status == gradebook.MANUAL and "ejercicio_1.expected" in held.message
    assert "datos de tu propio cuaderno" in gradebook.held_for_review(right, None, own_data=True).message


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import grading_fixtures as fx

    base = tmp_path_factory.mktemp("calificar")
    folder, out = base / "entregas", base / "notas"
    expected = fx.build(folder)
    os.chmod(folder, 0o755)
    lines = []
    results = grade_folder(folder, out=out, time_limit=60, memory=3 * 2**30, log=lines.append)
    return folder, out, expected, {r.name: r for r in results}, lines


@pytest.mark.slow
def test_gradebook_rows_are_exactly_earned(graded):
    folder, out, expected, results, lines = graded
    assert len(expected) >= 12
    with open(out / "gradebook.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["entrega", *[f"ejercicio_{n}" for n in range(1, 6)], "correctos", "autocalificados"]
    got = {row[0]: row[1:] for row in rows[1:]}
    assert set(got) == set(expected)
    for name, row in expected.items():
        graded_automatically = 5 - row.count("respondido (revisión manual)")
        assert got[name] == [*row, str(row.count("correcto")), str(graded_automatically)], name
    assert got["honesto_con_salidas.ipynb"][-2] == "5"
    assert any("protecciones" in line for line in lines) and any("entregas calificadas en" in line for line in lines)
    table = next(line for line in lines if line.startswith("entrega"))
    assert "total" in table and str(folder) not in "\n".join(lines)
    assert folder.stat().st_mode & 0o777 == 0o755  # the folder's mode is restored after grading


@pytest.mark.slow
def test_feedback_files_say_why(graded):
    folder, out, expected, results, lines = graded
    for name in expected:
        assert (out / f"{os.path.splitext(name)[0]}.md").is_file(), name
    partial = (out / "parcial.md").read_text(encoding="utf-8")
    assert "Incorrecto" in partial and "Sin responder" in partial and "2 de 5" in partial
    loop = (out / "bucle_infinito.md").read_text(encoding="utf-8")
    assert "límite de tiempo" in loop
    assert "memoria" in (out / "memoria_sin_fin.md").read_text(encoding="utf-8")
    assert "no es un cuaderno" in (out / "no_es_un_cuaderno.md").read_text(encoding="utf-8")
    assert not list(out.glob(".*"))  # no temporary files left by the atomic writes


@pytest.mark.slow
def test_sandbox_blocked_the_network_and_the_other_submissions(graded):
    folder, out, expected, results, lines = graded
    active = sandbox.protections()
    seen_network = results["red.ipynb"].values[5]
    assert "conectado" not in seen_network if active["network"] else isinstance(seen_network, str)
    seen_files = results["lee_otra_entrega.ipynb"].values[5]
    if active["user"]:
        assert "leído" not in seen_files and "PermissionError" in seen_files


@pytest.mark.slow
def test_without_root_the_time_limit_and_a_memory_watchdog_still_apply(tmp_path, monkeypatch):
    import nbformat

    import grading_fixtures as fx

    monkeypatch.setattr(sandbox, "protections", lambda: dict.fromkeys(("memory", "pids", "network", "user"), False))
    every = {n: fx.right(n) for n in range(1, 6)}
    folder = tmp_path / "entregas"
    folder.mkdir()
    nbformat.write(fx.notebook(every), str(folder / "a.ipynb"))
    hog = "trozos = []\nwhile True:\n    trozos.append(b'x' * 10**8)"
    nbformat.write(fx.notebook(every, extra={4: hog}), str(folder / "b.ipynb"))
    lines = []
    results = {r.name: r for r in grade_folder(folder, out=tmp_path / "notas", time_limit=60,
                                               memory=int(1.5 * 2**30), log=lines.append)}
    assert "vigilancia de RSS" in lines[0] and "CON red" in lines[0]
    assert [v.status for _, v in sorted(results["a.ipynb"].verdicts.items())] == ["correcto"] * 5
    statuses = [v.status for _, v in sorted(results["b.ipynb"].verdicts.items())]
    assert statuses == ["correcto"] * 3 + [gradebook.FAILED] * 2
    assert "memoria" in results["b.ipynb"].note


COLAB_RUN = ROOT / "build" / "platforms" / "colab" / "01_imagenes_y_tensores.ipynb"


@pytest.mark.slow
def test_notebooks_from_the_colab_setup_path_are_graded(tmp_path):
    """What a Colab student downloads: notebook 01 as `make platforms` ran it in the reproduction of Colab's
    runtime (its setup cell cloned the course; Colab's metadata and outputs), handed in untouched and with the
    five answers written into it, renamed as Colab names copies. `.ci/run` runs `make platforms` first."""
    import grading_fixtures as fx

    if not COLAB_RUN.is_file():
        reason = "falta build/platforms/colab/01_imagenes_y_tensores.ipynb: ejecuta antes make platforms ONLY=01"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    colab = nbformat.read(str(COLAB_RUN), as_version=4)
    assert any(c.get("outputs") for c in colab.cells if c.cell_type == "code"), "la ejecución de Colab tiene salidas"
    answered = nbformat.from_dict(json.loads(json.dumps(colab)))
    filled = 0
    for cell in answered.cells:
        number = fx._exercise_cell(cell)
        if number is not None:
            cell.source = f"{fx.right(number)}\n{fx.CHECK[number]}"  # the outputs of Colab's run stay, stale
            filled += 1
    assert filled == 5
    folder = tmp_path / "entregas"
    folder.mkdir()
    nbformat.write(colab, str(folder / "01_imagenes_y_tensores.ipynb"))
    nbformat.write(answered, str(folder / "Copia de 01_imagenes_y_tensores.ipynb"))
    results = {r.name: r for r in grade_folder(folder, out=tmp_path / "notas", time_limit=300, memory=4 * 2**30,
                                               log=lambda line: None)}
    statuses = lambda name: [v.status for _, v in sorted(results[name].verdicts.items())]
    assert statuses("01_imagenes_y_tensores.ipynb") == [gradebook.EMPTY] * 5
    assert statuses("Copia de 01_imagenes_y_tensores.ipynb") == [gradebook.CORRECT] * 5


def _open_temporary_folder():
    """A new folder under the system's temporary folder that every user may traverse (0755)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="calificador-prueba-"))
    os.chmod(base, 0o755)
    return base


@pytest.mark.slow
def test_a_kernel_run_as_nobody_reaches_a_course_in_a_closed_folder(tmp_path, monkeypatch):
    """A clone made with `mktemp -d` is 0700: `nobody` reaches the Python environment through a bind mount in the
    kernel's own mount namespace, where the instructor's checkout is covered by an empty file system; the kernel
    imports a copy of utils without the written solutions, so there is none to copy."""
    import grading_fixtures as fx

    if not sandbox.protections()["user"]:
        pytest.skip("hace falta root (setpriv y unshare --mount) para ejecutar el kernel como nobody")
    base = _open_temporary_folder()  # pytest's own temporary folders are 0700 all the way up
    closed = base / "curso"
    shutil.copytree(ROOT / "utils", closed / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    (closed / "secreto.txt").write_text("soluciones", encoding="utf-8")
    os.chmod(closed, 0o700)
    monkeypatch.setattr(sandbox, "REPO_ROOT", closed)
    solution_line = fx.right(3).strip().splitlines()[-1].strip()
    folder = tmp_path / "entregas"
    folder.mkdir()
    peek = ("import pathlib, utils\nmine = pathlib.Path(utils.__file__).parent / 'ejercicios' / 'nb01.py'\n"
            f"visto = ['/vista/curso/utils/' in utils.__file__, 'WITHHELD' in mine.read_text(),\n"
            f"         {solution_line!r} in mine.read_text()]\n"
            f"for path in ({str(closed / 'secreto.txt')!r}, {str(closed / 'utils' / 'ejercicios' / 'nb01.py')!r}):\n"
            "    try:\n        visto.append(open(path).read(10))\n"
            "    except OSError as error:\n        visto.append(type(error).__name__)\nrespuesta = repr(visto)")
    nbformat.write(fx.notebook({**{n: fx.right(n) for n in range(1, 5)}, 5: peek}), str(folder / "a.ipynb"))
    [result] = grade_folder(folder, out=tmp_path / "notas", time_limit=120, memory=3 * 2**30, log=lambda line: None)
    assert [result.verdicts[n].status for n in range(1, 5)] == [gradebook.CORRECT] * 4
    shutil.rmtree(base)
    # the checkout is covered (not found), not merely closed (PermissionError): nobody may not even list it
    assert result.values[5] == "[True, True, False, 'FileNotFoundError', 'FileNotFoundError']"

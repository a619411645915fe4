"""Submissions of notebook 01 built at test time: honest, partial and every cheat the grader must resist.

Each builder returns (file name, notebook JSON text or other bytes, the gradebook row it must get).
The answers come from the exercises' written solutions (right) and typical mistakes (wrong).
"""
from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks" / "01_imagenes_y_tensores.ipynb"
C, W, E, F, M = "correcto", "incorrecto", "sin responder", "no se pudo ejecutar", "respondido (revisión manual)"

WRONG = {
    1: 'camara = utils.data.photo("camera")\nrespuesta = camara[176:180, 48:52]',
    2: "respuesta = np.zeros(8)",
    3: "def a_lote(imagenes):\n    return imagenes / 255",
    4: "def caja(mascara):\n    filas, columnas = np.nonzero(mascara)\n"
       "    return columnas.min(), filas.min(), columnas.max(), filas.max()",
    5: "respuesta = 32 * 224 * 224 * 3",
}
CHECK = {1: "ej.ejercicio_1.check(respuesta)", 2: "ej.ejercicio_2.check(respuesta)",
         3: "ej.ejercicio_3.check(a_lote)", 4: "ej.ejercicio_4.check(caja)", 5: "ej.ejercicio_5.check(respuesta)"}


def right(n: int) -> str:
    from utils.ejercicios import nb01

    return getattr(nb01, f"ejercicio_{n}")._solution


def _instructor():
    return nbformat.read(str(SOURCE), as_version=4)


def _exercise_cell(cell) -> int | None:
    match = re.search(r"ej\.ejercicio_(\d+)\.check", cell.source) if cell.cell_type == "code" else None
    return int(match.group(1)) if match else None


def notebook(answers: dict, *, full=False, setup=False, outputs=False, check=True, extra=None):
    """nb01 with `answers` (number → code) in its exercise cells; unless `full`, trimmed to the setup
    cell, the parameters, `import numpy` and the exercises (and `utils.setup()` if `setup`: it imports
    TensorFlow, seconds per kernel); `extra` maps a number to code put in a cell just before that exercise."""
    nb = _instructor()
    cells = []
    for index, cell in enumerate(nb.cells):
        number = _exercise_cell(cell)
        if not full and not (index in (2, 3, 8) or index >= 46 or (setup and index == 4)):
            continue
        cell = copy.deepcopy(cell)
        if not outputs and cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if number is not None:
            if extra and number in extra:
                cells.append(nbformat.v4.new_code_cell(extra[number]))
            cell.source = answers.get(number, "respuesta = ____") + ("\n" + CHECK[number] if check else "")
            if number in (3, 4) and number not in answers:
                cell.source = {3: "def a_lote(imagenes):\n    return ____", 4: "def caja(mascara):\n    return ____"}[
                    number] + ("\n" + CHECK[number] if check else "")
        cells.append(cell)
    if extra and "fin" in extra:
        cells.append(nbformat.v4.new_code_cell(extra["fin"]))
    nb.cells = cells
    return nb


def build(folder: Path) -> dict:
    """Write every submission into `folder`; return {file name: expected gradebook row}."""
    folder.mkdir(parents=True, exist_ok=True)
    every = {n: right(n) for n in range(1, 6)}
    wrong = dict(WRONG)
    expected = {}

    def save(name, nb, row):
        nbformat.write(nb, str(folder / name))
        expected[name] = row

    save("honesto_con_salidas.ipynb", notebook(every, full=True, outputs=True), [C, C, C, C, C])
    colab = notebook(every, setup=True)
    colab.metadata = {"colab": {"provenance": [], "name": "Copia de 01_imagenes_y_tensores.ipynb"},
                      "kernelspec": {"name": "python3", "display_name": "Python 3"}, "accelerator": "GPU"}
    exercises = [c for c in colab.cells if _exercise_cell(c)]
    first = colab.cells.index(exercises[0])
    others = [c for c in colab.cells if c not in exercises]
    reordered = [exercises[0], exercises[1], exercises[2], exercises[4], exercises[3]]  # 5 before 4
    notes = [nbformat.v4.new_markdown_cell("Mis notas"), nbformat.v4.new_code_cell("print('probando', 2 + 2)")]
    colab.cells = others[:first] + notes + reordered + others[first:]
    save("Copia de 01_imagenes_y_tensores.ipynb", colab, [C, C, C, C, C])
    save("parcial.ipynb", notebook({1: every[1], 2: wrong[2], 3: every[3], 4: wrong[4]}), [C, W, C, W, E])

    fake = notebook({n: wrong[n] + '\nprint("Correcto: tu respuesta es correcta.")' for n in wrong})
    for cell in fake.cells:
        if _exercise_cell(cell):
            cell.outputs = [nbformat.v4.new_output("display_data", data={
                "text/plain": f"Ejercicio {_exercise_cell(cell)} — Correcto: tu respuesta es correcta.",
                "text/html": '<strong style="color:#1a7f37">Correcto</strong>: tu respuesta es correcta.'})]
    save("falso_correcto.ipynb", fake, [W, W, W, W, W])

    patch = ("import utils.exercises as ex\n"
             "ex.Exercise.evaluate = lambda self, answer=None: ex.Verdict('correcto', 'perfecto')\n"
             "ex.FunctionExercise._diagnose = lambda self, fn: None\n")
    save("parchea_evaluate.ipynb", notebook(wrong, extra={1: patch}), [W, W, W, W, W])
    redefine = ("for _n in range(1, 6):\n    getattr(ej, f'ejercicio_{_n}').check = lambda *a, **k: print('Correcto')\n"
                "type(ej.ejercicio_1).check = lambda *a, **k: print('Correcto')\n")
    save("redefine_check.ipynb", notebook(wrong, extra={1: redefine}), [W, W, W, W, W])
    save("sin_checks.ipynb", notebook({1: every[1], 2: every[2], 3: wrong[3], 4: wrong[4], 5: wrong[5]}, check=False),
         [C, C, W, W, W])

    own = folder / "utils"  # the student's own copy of utils, beside the notebook, accepting the wrong ex. 5
    shutil.copytree(ROOT / "utils", own, ignore=shutil.ignore_patterns("__pycache__"))
    module = own / "ejercicios" / "nb01.py"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "BATCH_BYTES = N * SIDE * SIDE * CHANNELS * FLOAT32_BYTES", "BATCH_BYTES = 32 * 224 * 224 * 3"),
        encoding="utf-8")
    trick = (f"import sys\nsys.path.insert(0, {str(folder)!r})\nsys.path.insert(0, '.')\n"
             "for _m in [m for m in sys.modules if m == 'utils' or m.startswith('utils.')]:\n    del sys.modules[_m]\n"
             "import utils\nfrom utils.ejercicios import nb01 as ej\n")
    save("utils_propio.ipynb", notebook({**every, 5: wrong[5]}, extra={1: trick}), [C, C, C, C, W])

    save("bucle_infinito.ipynb", notebook(every, extra={3: "while True:\n    pass"}), [C, C, F, F, F])
    hog = "trozos = []\nwhile True:\n    trozos.append(b'x' * 10**8)"
    save("memoria_sin_fin.ipynb", notebook(every, extra={2: hog}), [C, F, F, F, F])
    network = ("import socket, urllib.request\nvisto = []\n"
               "for intento in (lambda: socket.create_connection(('1.1.1.1', 53), timeout=5),\n"
               "                lambda: urllib.request.urlopen('https://pypi.org/simple/', timeout=5)):\n"
               "    try:\n        intento()\n        visto.append('conectado')\n"
               "    except Exception as error:\n        visto.append(f'{type(error).__name__}: {error}')\n"
               "respuesta = ' | '.join(visto)")
    save("red.ipynb", notebook({**every, 5: network}, check=True), [C, C, C, C, W])
    peek = (f"import os\nvisto = []\nfor intento in (lambda: open({str(folder / 'parcial.ipynb')!r}).read(100),\n"
            f"                lambda: os.listdir({str(folder)!r})):\n"
            "    try:\n        visto.append(f'leído: {intento()!r:.60}')\n"
            "    except Exception as error:\n        visto.append(f'{type(error).__name__}: {error}')\n"
            "respuesta = ' | '.join(visto)")
    save("lee_otra_entrega.ipynb", notebook({**every, 5: peek}), [C, C, C, C, W])
    exits = {**every, 3: "import sys\ndef a_lote(imagenes):\n    sys.exit(0)"}
    quits = {1: "import sys\nsys.exit('adiós')", 4: "import os\nos._exit(0)"}
    save("sale_del_kernel.ipynb", notebook(exits, extra=quits),
         [C, C, W, F, F])
    copied = {**every, 1: "respuesta = ej.ejercicio_1.expected", 5: "respuesta = ej.ejercicio_5.expected"}
    save("copia_el_esperado.ipynb", notebook(copied), [M, C, C, C, M])  # the checker's own answer: for review
    (folder / "no_es_un_cuaderno.ipynb").write_text("esto no es JSON {", encoding="utf-8")
    expected["no_es_un_cuaderno.ipynb"] = [F, F, F, F, F]
    (folder / "otro.ipynb").write_text(json.dumps({"hola": 1}), encoding="utf-8")
    expected["otro.ipynb"] = [F, F, F, F, F]
    return expected

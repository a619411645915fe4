"""Exercises of notebook 11 · Hiperparámetros.

Every expected answer is computed here (products, formulas, the reference functions), never typed in.
"""
import itertools
import math

import numpy as np

from utils.exercises import FunctionExercise, ValueExercise


# ------------------------------------------------------------------ 1 · size of a grid

SPACE = {"learning_rate": [1e-4, 3e-4, 1e-3, 3e-3], "batch_size": [32, 64, 128],
         "dropout": [0.0, 0.25, 0.5], "filters": [8, 16, 32]}
ejercicio_1 = ValueExercise(
    len(list(itertools.product(*SPACE.values()))),
    slips=[(sum(len(v) for v in SPACE.values()),
            "has sumado los valores: la rejilla prueba cada combinación, así que se multiplican")],
    title="Ejercicio 1 · ¿Cuántos ensayos tiene una rejilla?",
    hint=["Cada valor de un hiperparámetro se combina con cada valor de todos los demás.",
          "Multiplica cuántos valores tiene cada hiperparámetro: `len(ParameterGrid(espacio))` te lo confirma."],
    solution="""
        espacio = {"learning_rate": [1e-4, 3e-4, 1e-3, 3e-3], "batch_size": [32, 64, 128],
                   "dropout": [0.0, 0.25, 0.5], "filters": [8, 16, 32]}
        respuesta = 4 * 3 * 3 * 3   # o len(ParameterGrid(espacio))
    """,
)

# ------------------------------------------------------------------ 2 · a log-uniform learning rate

LOW, HIGH = 1e-4, 1e-1


def _log_uniform(u):
    """Map u in [0, 1] to [LOW, HIGH] so that equal steps of u multiply the rate by the same factor."""
    return LOW * (HIGH / LOW) ** u


ejercicio_2 = FunctionExercise(
    _log_uniform,
    [0.0, 0.25, 0.5, 0.75, 1.0],
    title="Ejercicio 2 · Un learning rate en escala logarítmica",
    hint=["En escala logarítmica lo que se reparte uniformemente es el exponente: de −4 (1e-4) a −1 (1e-1).",
          "El exponente es −4 + 3·u; el learning rate, 10 elevado a ese exponente."],
    solution="""
        def tasa_log(u):
            return 10 ** (-4 + 3 * u)
    """,
)

# ------------------------------------------------------------------ 3 · pick the winner by validation

_CASES = [
    [{"trial": 1, "val_acc": 0.91, "test_acc": 0.93}, {"trial": 2, "val_acc": 0.62, "test_acc": 0.60},
     {"trial": 3, "val_acc": 0.95, "test_acc": 0.92}],
    [{"trial": 7, "val_acc": 0.80, "test_acc": 0.85}, {"trial": 4, "val_acc": 0.88, "test_acc": 0.83},
     {"trial": 9, "val_acc": 0.84, "test_acc": 0.81}],
]


def _pick(rows):
    """Trial number of the row with the best validation accuracy."""
    return max(rows, key=lambda r: r["val_acc"])["trial"]


class _PickExercise(FunctionExercise):
    """Names the two typical mistakes, when made in every case: choosing by test accuracy, returning
    the winner's position in the list instead of its trial number."""

    def _diagnose(self, fn):
        if callable(fn):
            try:
                got = [fn([dict(r) for r in rows]) for (rows,) in self.cases]
            except Exception:  # noqa: BLE001 - the generic diagnosis reports it
                got = None
            by_test = [max(rows, key=lambda r: r["test_acc"])["trial"] for (rows,) in self.cases]
            by_position = [max(range(len(rows)), key=lambda i: rows[i]["val_acc"]) for (rows,) in self.cases]
            if got == by_test:
                return ("tu función elige el ensayo de mejor `test_acc`: el conjunto de prueba no puede elegir, "
                        "solo medir al final; elige por `val_acc`")
            if got == by_position:
                return ("tu función devuelve la posición del ganador en la lista; devuelve su número de "
                        "ensayo, `r[\"trial\"]`")
        return super()._diagnose(fn)


ejercicio_3 = _PickExercise(
    _pick,
    [(rows,) for rows in _CASES],
    title="Ejercicio 3 · Elegir con validación",
    hint=["`max(resultados, key=...)` devuelve el elemento con la mayor clave.",
          "La clave es `lambda r: r[\"val_acc\"]`; del ganador, devuelve `[\"trial\"]`."],
    solution="""
        def elegir(resultados):
            return max(resultados, key=lambda r: r["val_acc"])["trial"]
    """,
)

# ------------------------------------------------------------------ 4 · how precise is a validation score

ACC, N_VAL = 0.9, 500
ejercicio_4 = ValueExercise(
    math.sqrt(ACC * (1 - ACC) / N_VAL),
    rtol=1e-2,
    slips=[(ACC * (1 - ACC) / N_VAL, "esa es la varianza: ¿falta la raíz cuadrada?"),
           (math.sqrt(ACC * (1 - ACC)), "falta dividir entre el número de imágenes, n = 500, dentro de la raíz")],
    title="Ejercicio 4 · ¿Cuánto se fía uno de una exactitud de validación?",
    hint=["Cada imagen se acierta o no: el número de aciertos es binomial y la exactitud medida tiene "
          "error típico $\\sqrt{p(1-p)/n}$.",
          "Con $p = 0{,}9$ y $n = 500$: `np.sqrt(0.9 * 0.1 / 500)`."],
    solution="""
        respuesta = np.sqrt(0.9 * (1 - 0.9) / 500)   # ≈ 0.013: ±1,3 puntos de exactitud
    """,
)

# ------------------------------------------------------------------ 5 · distinct values: grid vs random

BUDGET, GRID_SIDE = 9, 3
_grid_rates = [lr for lr, _ in itertools.product(np.logspace(-4, -2, GRID_SIDE), [32, 64, 128])]
_random_rates = 10 ** np.random.default_rng(0).uniform(-4, -2, size=BUDGET)
ejercicio_5 = ValueExercise(
    (len(set(_grid_rates)), len(set(_random_rates))),
    slips=[((BUDGET, BUDGET), "en la rejilla 3×3 cada learning rate se repite con los 3 tamaños de lote: "
                              "solo hay 3 distintos"),
           ((GRID_SIDE, GRID_SIDE), "en la búsqueda aleatoria cada ensayo sortea su propio learning rate: "
                                    "con una distribución continua, los 9 son distintos")],
    title="Ejercicio 5 · Rejilla o azar con el mismo presupuesto",
    hint=["Una rejilla 3×3 de (learning rate, tamaño de lote) tiene 9 ensayos, pero ¿cuántos learning rates distintos?",
          "En la búsqueda aleatoria cada ensayo sortea todos sus hiperparámetros de nuevo."],
    solution="""
        respuesta = (3, 9)   # la rejilla repite cada learning rate 3 veces; el azar prueba 9 distintos
    """,
)

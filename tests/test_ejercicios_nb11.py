"""Exercises of notebook 11: each checker with its own solution, typical wrong answers and the placeholder."""
import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.model_selection import ParameterGrid, ParameterSampler

from utils.ejercicios import nb11
from utils.exercises import ____
from exercise_checks import wrong

EXERCISES = [getattr(nb11, f"ejercicio_{n}") for n in range(1, 6)]


def solve(exercise, name="respuesta"):
    """Run the exercise's model solution with what the notebook has imported; return its answer."""
    namespace = {"np": np, "ParameterGrid": ParameterGrid}
    exec(exercise._solution, namespace)
    return namespace[name]


@pytest.mark.parametrize("n", range(1, 6))
def test_titles_hints_and_placeholder(n):
    exercise = EXERCISES[n - 1]
    assert exercise.title.startswith(f"Ejercicio {n} · ")
    assert exercise.hints
    assert exercise.evaluate(____).status == "sin responder"


def test_1_grid_size_agrees_with_scikit_learn():
    assert nb11.ejercicio_1.evaluate(len(ParameterGrid(nb11.SPACE))).status == "correcto"
    assert nb11.ejercicio_1.evaluate(solve(nb11.ejercicio_1)).status == "correcto"
    assert "se multiplican" in wrong(nb11.ejercicio_1, sum(len(v) for v in nb11.SPACE.values()))
    assert "menor que el esperado" in wrong(nb11.ejercicio_1, 36)


def test_2_log_uniform_rate():
    tasa_log = solve(nb11.ejercicio_2, "tasa_log")
    assert nb11.ejercicio_2.evaluate(tasa_log).status == "correcto"
    assert tasa_log(0) == pytest.approx(1e-4) and tasa_log(1) == pytest.approx(1e-1)
    # the same law as scipy's loguniform: its quantile function at u
    assert tasa_log(0.3) == pytest.approx(loguniform(1e-4, 1e-1).ppf(0.3))
    message = wrong(nb11.ejercicio_2, lambda u: 1e-4 + u * (1e-1 - 1e-4))
    assert "tasa_log" not in message and "con la entrada" in message and "se esperaba 0.000562341" in message


def test_3_pick_by_validation():
    elegir = solve(nb11.ejercicio_3, "elegir")
    assert nb11.ejercicio_3.evaluate(elegir).status == "correcto"
    by_test = wrong(nb11.ejercicio_3, lambda rows: max(rows, key=lambda r: r["test_acc"])["trial"])
    assert "ensayo de mejor `test_acc`" in by_test
    by_position = wrong(nb11.ejercicio_3, lambda rows: max(range(len(rows)), key=lambda i: rows[i]["val_acc"]))
    assert "posición del ganador" in by_position
    worst = wrong(nb11.ejercicio_3, lambda rows: min(rows, key=lambda r: r["val_acc"])["trial"])
    assert "se esperaba 3" in worst
    assert "se esperaba una función" in wrong(nb11.ejercicio_3, 3)


def test_4_standard_error():
    assert nb11.ejercicio_4.evaluate(solve(nb11.ejercicio_4)).status == "correcto"
    assert nb11.ejercicio_4.evaluate(0.0134).status == "correcto"
    simulated = np.random.default_rng(0).binomial(500, 0.9, size=20_000) / 500
    assert nb11.ejercicio_4.evaluate(float(simulated.std())).status == "correcto"
    assert "raíz cuadrada" in wrong(nb11.ejercicio_4, 0.9 * 0.1 / 500)
    assert "dividir entre el número de imágenes" in wrong(nb11.ejercicio_4, np.sqrt(0.9 * 0.1))


def test_5_distinct_rates_match_scikit_learn_searches():
    grid = ParameterGrid({"learning_rate": [1e-4, 1e-3, 1e-2], "batch_size": [32, 64, 128]})
    sampled = ParameterSampler({"learning_rate": loguniform(1e-4, 1e-2), "batch_size": [32, 64, 128]},
                               n_iter=9, random_state=0)
    answer = (len({c["learning_rate"] for c in grid}), len({c["learning_rate"] for c in sampled}))
    assert nb11.ejercicio_5.evaluate(answer).status == "correcto"
    assert nb11.ejercicio_5.evaluate(solve(nb11.ejercicio_5)).status == "correcto"
    assert "solo hay 3 distintos" in wrong(nb11.ejercicio_5, (9, 9))
    assert "los 9 son distintos" in wrong(nb11.ejercicio_5, (3, 3))

"""Exercises of notebook 11: typical wrong answers get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.model_selection import ParameterGrid, ParameterSampler

from utils.ejercicios import nb11
from exercise_checks import right, wrong


def test_1_grid_size_agrees_with_scikit_learn():
    right(nb11.ejercicio_1, len(ParameterGrid(nb11.SPACE)))
    assert "se multiplican" in wrong(nb11.ejercicio_1, sum(len(v) for v in nb11.SPACE.values()))
    assert "menor que el esperado" in wrong(nb11.ejercicio_1, 36)


def test_2_log_uniform_rate(run_solution):
    tasa_log = run_solution(nb11.ejercicio_2)["tasa_log"]
    assert tasa_log(0) == pytest.approx(1e-4) and tasa_log(1) == pytest.approx(1e-1)
    # the same law as scipy's loguniform: its quantile function at u
    assert tasa_log(0.3) == pytest.approx(loguniform(1e-4, 1e-1).ppf(0.3))
    message = wrong(nb11.ejercicio_2, lambda u: 1e-4 + u * (1e-1 - 1e-4))
    assert "tasa_log" not in message and "con la entrada" in message and "se esperaba 0.000562341" in message


def test_3_pick_by_validation():
    by_test = wrong(nb11.ejercicio_3, lambda rows: max(rows, key=lambda r: r["test_acc"])["trial"])
    assert "ensayo de mejor `test_acc`" in by_test
    by_position = wrong(nb11.ejercicio_3, lambda rows: max(range(len(rows)), key=lambda i: rows[i]["val_acc"]))
    assert "posición del ganador" in by_position
    worst = wrong(nb11.ejercicio_3, lambda rows: min(rows, key=lambda r: r["val_acc"])["trial"])
    assert "se esperaba 3" in worst
    assert "se esperaba una función" in wrong(nb11.ejercicio_3, 3)


def test_4_standard_error():
    right(nb11.ejercicio_4, 0.0134)
    simulated = np.random.default_rng(0).binomial(500, 0.9, size=20_000) / 500
    right(nb11.ejercicio_4, float(simulated.std()))
    assert "raíz cuadrada" in wrong(nb11.ejercicio_4, 0.9 * 0.1 / 500)
    assert "dividir entre el número de imágenes" in wrong(nb11.ejercicio_4, np.sqrt(0.9 * 0.1))


def test_5_distinct_rates_match_scikit_learn_searches():
    grid = ParameterGrid({"learning_rate": [1e-4, 1e-3, 1e-2], "batch_size": [32, 64, 128]})
    sampled = ParameterSampler({"learning_rate": loguniform(1e-4, 1e-2), "batch_size": [32, 64, 128]},
                               n_iter=9, random_state=0)
    right(nb11.ejercicio_5, (len({c["learning_rate"] for c in grid}), len({c["learning_rate"] for c in sampled})))
    assert "solo hay 3 distintos" in wrong(nb11.ejercicio_5, (9, 9))
    assert "los 9 son distintos" in wrong(nb11.ejercicio_5, (3, 3))

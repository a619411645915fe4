"""Exercises of notebook 11: typical wrong answers get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest
from scipy.stats import loguniform, reciprocal, uniform
from sklearn.model_selection import ParameterGrid, ParameterSampler

from utils.ejercicios import nb11
from exercise_checks import right, wrong


RIGHT_SPACE = {"learning_rate": loguniform(1e-3, 3e-2), "batch_size": [32, 64], "dropout": uniform(0.1, 0.3),
               "filters": [16, 32]}


def test_1_search_space_right_and_usable_by_scikit_learn():
    right(nb11.ejercicio_1, RIGHT_SPACE)
    right(nb11.ejercicio_1, {**RIGHT_SPACE, "batch_size": (64, 32), "learning_rate": reciprocal(1e-3, 3e-2)})
    praise = nb11.ejercicio_1.evaluate(RIGHT_SPACE).message
    first = next(iter(ParameterSampler(RIGHT_SPACE, n_iter=1, random_state=0)))
    assert f"learning_rate={first['learning_rate']:.3g}" in praise and f"batch_size={first['batch_size']}" in praise
    for config in ParameterSampler(RIGHT_SPACE, n_iter=50, random_state=1):  # what the checker asked for
        assert 1e-3 <= config["learning_rate"] <= 3e-2 and 0.1 <= config["dropout"] <= 0.4


def test_1_search_space_diagnoses():
    linear = wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "learning_rate": uniform(1e-3, 2.9e-2)})
    assert "escala logarítmica" in linear and "93%" in linear and "usa `loguniform`" in linear
    both = wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "learning_rate": uniform(1e-3, 3e-2)})
    assert "usa `loguniform`" in both and "`uniform(0.001, 0.029)`" in both
    assert "una lista solo probaría" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "learning_rate": [1e-3, 1e-2, 3e-2]})
    assert "va de 0.0001 a 0.1" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "learning_rate": loguniform(1e-4, 1e-1)})
    trap = wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "dropout": uniform(0.1, 0.4)})  # SciPy's loc, scale
    assert "va de 0.1 a 0.5" in trap and "`uniform(loc, scale)` va de `loc` a `loc + scale`" in trap
    assert "`uniform(0.1, 0.3)`" in trap
    assert "no con `loguniform`" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "dropout": loguniform(0.1, 0.4)})
    assert "no una lista" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "dropout": [0.1, 0.25, 0.4]})
    assert "batch_size debe sortearse entre 32 y 64" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "batch_size": [32, 128]})
    assert "filters se elige de una lista" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "filters": 16})
    assert "faltan filters" in wrong(nb11.ejercicio_1, {k: v for k, v in RIGHT_SPACE.items() if k != "filters"})
    assert "sobran lr" in wrong(nb11.ejercicio_1, {**RIGHT_SPACE, "lr": 0.01})
    assert "se esperaba un diccionario" in wrong(nb11.ejercicio_1, list(RIGHT_SPACE))


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


def test_4_standard_error_and_the_decision_both_checked():
    right(nb11.ejercicio_4, (0.0134, False))
    simulated = np.random.default_rng(0).binomial(500, 0.9, size=20_000) / 500
    right(nb11.ejercicio_4, (float(simulated.std()), np.bool_(0.93 - 0.92 > simulated.std())))
    assert "raíz cuadrada" in wrong(nb11.ejercicio_4, (0.9 * 0.1 / 500, False))
    assert "dividir entre el número de imágenes" in wrong(nb11.ejercicio_4, (np.sqrt(0.9 * 0.1), False))
    assert "no en porcentaje" in wrong(nb11.ejercicio_4, (1.34, False))
    decided = wrong(nb11.ejercicio_4, (0.0134, True))
    assert "el error típico es correcto" in decided and "menor que un error típico (0.013)" in decided
    assert "True o False" in wrong(nb11.ejercicio_4, (0.0134, "no"))
    assert "las dos preguntas" in wrong(nb11.ejercicio_4, 0.0134)  # only the first question answered


def test_5_distinct_rates_match_scikit_learn_searches():
    grid = ParameterGrid({"learning_rate": [1e-4, 1e-3, 1e-2], "batch_size": [32, 64, 128]})
    sampled = ParameterSampler({"learning_rate": loguniform(1e-4, 1e-2), "batch_size": [32, 64, 128]},
                               n_iter=9, random_state=0)
    right(nb11.ejercicio_5, (len({c["learning_rate"] for c in grid}), len({c["learning_rate"] for c in sampled})))
    assert "solo hay 3 distintas" in wrong(nb11.ejercicio_5, (9, 9))
    assert "las 9 son distintas" in wrong(nb11.ejercicio_5, (3, 3))

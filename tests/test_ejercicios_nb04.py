"""Exercises of notebook 04: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest

from utils.ejercicios import nb04 as ej
from exercise_checks import wrong


def seed_network(keras, head_activation, hidden=(15, 15)):
    from keras import layers

    return keras.Sequential([keras.Input(shape=(15,)), *[layers.Dense(n, activation="relu") for n in hidden],
                             layers.Dense(1, activation=head_activation)])


def test_dense_params_matches_keras(keras):
    from keras import layers

    for inputs, units in [(10, 20), (784, 128), (15, 1)]:
        model = keras.Sequential([keras.Input(shape=(inputs,)), layers.Dense(units)])
        assert ej.dense_params(inputs, units) == model.count_params()


def test_seed_network_wrong_head_or_sizes(keras):
    message = wrong(ej.ejercicio_1, seed_network(keras, None))
    assert "capa 3 (Dense): se esperaba activation='sigmoid' y tiene activation='linear'" in message
    message = wrong(ej.ejercicio_1, seed_network(keras, "sigmoid", hidden=(15,)))
    assert "se esperaban 3 capas y tu modelo tiene 2" in message
    message = wrong(ej.ejercicio_1, seed_network(keras, "sigmoid", hidden=(16, 15)))
    assert "capa 1 (Dense): se esperaba units=15 y tiene units=16" in message


def test_mlp_parameter_count_names_the_usual_slips(keras):
    from keras import layers

    mlp = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(128, activation="relu"),
                            layers.Dense(10, activation="softmax")])
    assert ej.ejercicio_2.evaluate(mlp.count_params()).status == "correcto"
    assert "te faltan los sesgos" in wrong(ej.ejercicio_2, 784 * 128 + 128 * 10)
    assert "falta la de salida" in wrong(ej.ejercicio_2, 784 * 128 + 128)
    assert "28 × 28" in wrong(ej.ejercicio_2, 28 * 128 + 128 + 128 * 10 + 10)
    assert "mayor que el esperado" in wrong(ej.ejercicio_2, 200_000)


def test_predicted_classes_wrong_axis_or_probabilities_instead_of_classes():
    probabilities = ej._PROBABILITY_CASES[0]
    assert np.allclose(probabilities.sum(axis=1), 1, atol=0.01)
    assert "máximo de cada columna (axis=0)" in wrong(ej.ejercicio_3, lambda p: np.argmax(p, axis=0))
    assert "no su posición" in wrong(ej.ejercicio_3, lambda p: np.max(p, axis=1))
    assert "valores no coinciden" in wrong(ej.ejercicio_3, lambda p: np.argmin(p, axis=1))


def test_accuracy_divides_by_all_examples():
    assert ej.ejercicio_4.reference(np.array([[50, 2, 3], [4, 40, 6], [1, 2, 42]])) == pytest.approx(132 / 150)
    assert "número de clases" in wrong(ej.ejercicio_4, lambda m: np.trace(m) / len(m))
    assert "número de aciertos" in wrong(ej.ejercicio_4, np.trace)
    assert "se esperaba 0.88" in wrong(ej.ejercicio_4, lambda m: np.mean(np.diag(m) / m.sum(axis=0)))


def test_regression_head_must_be_linear(keras):
    message = wrong(ej.ejercicio_5, seed_network(keras, "sigmoid"))
    assert "capa 3 (Dense): se esperaba activation='linear' y tiene activation='sigmoid'" in message
    message = wrong(ej.ejercicio_5, seed_network(keras, "relu"))
    assert "activation='relu'" in message

"""Exercises of notebook 04: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest

from utils.ejercicios import nb04 as ej
from exercise_checks import right, wrong


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


def mnist_mlp(keras, *hidden, input_shape=(28, 28), outputs=10):
    from keras import layers

    flatten = [layers.Flatten()] if len(input_shape) > 1 else []
    return keras.Sequential([keras.Input(shape=input_shape), *flatten,
                             *[layers.Dense(n, activation="relu") for n in hidden],
                             layers.Dense(outputs, activation="softmax")])


def graded_by(model, right_fraction, input_shape=(28, 28)):
    """Exercise 2's checker on 200 made-up images whose labels `model` gets right `right_fraction` of the time."""
    x = np.random.default_rng(0).uniform(0, 1, (200, 28, 28)).astype("float32")
    predicted = model.predict(x.reshape(len(x), *input_shape), verbose=0).argmax(axis=1)
    y = np.where(np.arange(len(x)) < right_fraction * len(x), predicted, (predicted + 1) % 10)
    return ej._BudgetMLPExercise(max_params=ej.MAX_PARAMS, min_accuracy=ej.MIN_ACCURACY, data=lambda: (x, y))


def test_budget_mlp_wrong_kind_shape_or_size(keras):
    from keras import layers

    assert "se esperaba un modelo de Keras" in wrong(ej.ejercicio_2, 19_885)
    assert "se esperaba un modelo de Keras" in wrong(ej.ejercicio_2, [layers.Flatten(), layers.Dense(10)])
    assert "no está construida" in wrong(ej.ejercicio_2, keras.Sequential([layers.Flatten(), layers.Dense(10)]))
    message = wrong(ej.ejercicio_2, mnist_mlp(keras, 8, input_shape=(32, 32, 3)))
    assert "entradas de forma (32, 32, 3) y las imágenes de MNIST miden (28, 28)" in message
    assert "debe dar 10 valores" in wrong(ej.ejercicio_2, mnist_mlp(keras, 8, outputs=1))
    assert "no tiene capa oculta" in wrong(ej.ejercicio_2, mnist_mlp(keras))
    message = wrong(ej.ejercicio_2, mnist_mlp(keras, 128))  # the notebook's own MLP
    assert "tu red tiene 101 770 parámetros y el límite es 20 000" in message and "784·m + m" in message
    assert "20 680 parámetros" in wrong(ej.ejercicio_2, mnist_mlp(keras, 26))  # one unit too many


def test_budget_mlp_graded_on_images_it_never_saw(keras):
    model = mnist_mlp(keras, 25)
    assert model.count_params() == ej.dense_params(784, 25) + ej.dense_params(25, 10) == 19_885
    assert "lo mismo que al azar" in wrong(graded_by(model, 0.0), model)
    message = wrong(graded_by(model, 0.5), model)
    assert "tu red acierta 0.500 de las imágenes de prueba y se pide al menos 0.88" in message
    assert "val_accuracy" in message
    exercise = graded_by(model, 0.9)
    right(exercise, model)
    assert "19 885 parámetros, acierta 0.900 de las 200 imágenes" in exercise.evaluate(model).message
    flat = mnist_mlp(keras, 20, input_shape=(784,))  # flattened input works too
    right(graded_by(flat, 1.0, input_shape=(784,)), flat)


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

"""Exercises of notebook 02: realistic mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest

from utils.ejercicios import nb02 as ej
from exercise_checks import right, wrong


def test_1_leaky_relu(keras, run_solution):
    leaky_relu = run_solution(ej.ejercicio_1)["leaky_relu"]
    right(ej.ejercicio_1, lambda x: np.maximum(x, 0.2 * x))  # the hint's variant
    x = np.linspace(-4, 4, 9)
    assert np.allclose(leaky_relu(x), keras.activations.leaky_relu(x))  # same slope as Keras's default
    assert "ReLU de siempre" in wrong(ej.ejercicio_1, lambda x: np.maximum(0, x))
    assert "no la constante 0.2" in wrong(ej.ejercicio_1, lambda x: np.where(x > 0, x, 0.2))
    assert "cambiado los tramos" in wrong(ej.ejercicio_1, lambda x: np.where(x > 0, 0.2 * x, x))
    assert "pendiente clásica" in wrong(ej.ejercicio_1, lambda x: np.where(x > 0, x, 0.01 * x))
    assert "tienes -0.6 y se esperaba -1.2" in wrong(ej.ejercicio_1, lambda x: np.where(x > 0, x, 0.1 * x))


def test_2_softplus_derivative_matches_autodiff(run_solution):
    tf = pytest.importorskip("tensorflow")
    derivative = run_solution(ej.ejercicio_2)["derivada_softplus"]
    x = tf.constant(np.linspace(-6, 6, 25))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.math.softplus(x)
    assert np.allclose(derivative(x.numpy()), tape.gradient(y, x).numpy())
    assert "signo del exponente" in wrong(ej.ejercicio_2, lambda x: 1 / (1 + np.exp(x)))
    assert "propia softplus" in wrong(ej.ejercicio_2, lambda x: np.log(1 + np.exp(x)))
    assert "derivada de ReLU" in wrong(ej.ejercicio_2, lambda x: (x > 0).astype(float))
    assert "lanzó una excepción" in wrong(ej.ejercicio_2, lambda x: x.nope)


def test_3_collapsed_linear_layers(run_solution):
    W, b = run_solution(ej.ejercicio_3)["respuesta"]
    x = np.random.default_rng(0).normal(size=(5, ej.W1.shape[0]))
    assert np.allclose((x @ ej.W1 + ej.b1) @ ej.W2 + ej.b2, x @ W + b)  # the collapse is real
    assert "b1·W2 + b2" in wrong(ej.ejercicio_3, (W, ej.b2))
    assert "falta sumar el sesgo b2" in wrong(ej.ejercicio_3, (W, ej.b1 @ ej.W2))
    assert "se esperaban 2 valores" in wrong(ej.ejercicio_3, W)
    assert "el elemento 0 no es correcto" in wrong(ej.ejercicio_3, (W + 1, b))


def test_4_multilabel_probabilities(run_solution):
    answer = run_solution(ej.ejercicio_4)["respuesta"]
    assert np.all((answer > 0) & (answer < 1)) and not np.isclose(answer.sum(), 1)
    softmax = np.exp(ej.LOGITS) / np.exp(ej.LOGITS).sum()
    assert "eso es softmax" in wrong(ej.ejercicio_4, softmax)
    assert "signo cambiado" in wrong(ej.ejercicio_4, 1 / (1 + np.exp(ej.LOGITS)))


def test_5_hidden_layer_model(keras, run_solution):
    layers = keras.layers
    model = run_solution(ej.ejercicio_5)["respuesta"]
    assert model.count_params() == 64 * 16 + 16 + 16 + 1
    sigmoid_out = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(16, activation="relu"),
                                    layers.Dense(1, activation="sigmoid")])
    assert "activation='linear'" in wrong(ej.ejercicio_5, sigmoid_out)
    no_hidden = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(1)])
    assert "se esperaban 2 capas" in wrong(ej.ejercicio_5, no_hidden)
    linear_hidden = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(16), layers.Dense(1)])
    assert "activation='relu'" in wrong(ej.ejercicio_5, linear_hidden)


def test_6_parameter_count(keras):
    layers = keras.layers
    seed_net = keras.Sequential([keras.Input(shape=(15,)), layers.Dense(15, activation="relu"),
                                 layers.Dense(15, activation="relu"), layers.Dense(1, activation="sigmoid")])
    right(ej.ejercicio_6, seed_net.count_params())
    assert "solo los pesos" in wrong(ej.ejercicio_6, 15 * 15 * 2 + 15)
    assert "sesgo de la neurona de salida" in wrong(ej.ejercicio_6, seed_net.count_params() - 1)
    assert "mayor que el esperado" in wrong(ej.ejercicio_6, 1000)

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
    assert "no la constante 0,2" in wrong(ej.ejercicio_1, lambda x: np.where(x > 0, x, 0.2))
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


def test_6_widest_network_on_a_budget(keras, run_solution):
    layers = keras.layers

    def seed_net(n, hidden_layers=2):
        return keras.Sequential([keras.Input(shape=(15,)),
                                 *[layers.Dense(n, activation="relu") for _ in range(hidden_layers)],
                                 layers.Dense(1, activation="sigmoid")])

    assert seed_net(15).count_params() == 496  # the seed's network, as the hint says
    assert seed_net(23).count_params() <= 1000 < seed_net(24).count_params() == 1009
    assert run_solution(ej.ejercicio_6)["respuesta"] == 23
    right(ej.ejercicio_6, 23)
    assert "1009 parámetros" in wrong(ej.ejercicio_6, 24)  # also the answer of counting weights only
    assert max(n for n in range(1, 200) if seed_net(n, hidden_layers=1).count_params() <= 1000) == 58
    assert "una sola capa oculta" in wrong(ej.ejercicio_6, 58)
    assert "ancho de la red de la diapositiva" in wrong(ej.ejercicio_6, 15)
    assert "te falta 1" in wrong(ej.ejercicio_6, 22)


def relu_net(w, b, v, c=0.0):
    """y = Σ v_i·relu(w_i·x + b_i) + c, written independently of the exercise module."""
    return lambda x: sum(vi * np.maximum(0, wi * x + bi) for wi, bi, vi in zip(w, b, v)) + c


def test_7_bump_from_three_relus(run_solution):
    ex = ej.ejercicio_7
    bulto = run_solution(ex)["bulto"]
    x = np.linspace(-3, 3, 601)
    assert np.allclose(bulto(x), np.maximum(0, 1 - np.abs(x)))
    right(ex, relu_net([2, 2, 2], [2, 0, -2], [0.5, -1, 0.5]))  # another right answer: steeper ramps, smaller v
    right(ex, relu_net([1, 1, 1], [-1, 0, 1], [1, -2, 1]))      # the units in another order
    assert "restar el doble" in wrong(ex, relu_net([1, 1, 1], [1, 0, -1], [1, -1, 1]))
    assert "sigue bajando sin parar" in wrong(ex, relu_net([1, 1], [1, 0], [1, -2]))
    assert "boca abajo" in wrong(ex, relu_net([1, 1, 1], [1, 0, -1], [-1, 2, -1]))
    assert "el sesgo de salida c debe ser 0" in wrong(ex, relu_net([1, 1, 1], [1, 0, -1], [1, -2, 1], 1.0))
    tanh_bump = lambda x: 0.5 * np.tanh(5 * (x + 1)) - 0.5 * np.tanh(5 * (x - 1))  # noqa: E731
    assert "valores no coinciden" in wrong(ex, tanh_bump)

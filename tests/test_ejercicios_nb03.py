"""Exercises of notebook 03: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import math

import numpy as np
import pytest

from utils.ejercicios import nb03 as ej
from exercise_checks import right, wrong
from utils.exercises import ____


def test_rmse_catches_mse_mae_root_before_mean_and_sum():
    assert "eso es el MSE" in wrong(ej.ejercicio_1, lambda y, y_pred: np.mean((y - y_pred) ** 2))
    assert "eso es el MAE" in wrong(ej.ejercicio_1, lambda y, y_pred: np.mean(np.abs(y - y_pred)))
    assert "después la raíz" in wrong(ej.ejercicio_1, lambda y, y_pred: np.mean(np.sqrt((y - y_pred) ** 2)))
    assert "dividir entre el número de ejemplos" in wrong(ej.ejercicio_1, lambda y, y_pred: np.sqrt(np.sum((y - y_pred) ** 2)))
    message = wrong(ej.ejercicio_1, lambda y, y_pred: np.sqrt(np.mean((y - y_pred) ** 2)) / 2)
    assert "con la entrada `<lambda>([151.,  75., 141., 206.]" in message and "se esperaba 16.6057" in message
    assert "excepción" in wrong(ej.ejercicio_1, lambda y: y)
    right(ej.ejercicio_1, lambda y, y_pred: np.sqrt(np.mean((y - y_pred) ** 2)))
    right(ej.ejercicio_1, lambda y, y_pred: np.mean((y - y_pred) ** 2) ** 0.5)


def test_batch_cross_entropy_reproduces_the_seed_and_catches_sum_mean_sign_and_log10():
    reference = ej.ejercicio_2.reference
    labels, probs = ej.ejercicio_2.cases[0]
    assert reference(labels, probs) == pytest.approx((-math.log(0.95) - math.log(0.05)) / 2)  # seed 001
    assert "has sumado las pérdidas de todo el lote" in wrong(ej.ejercicio_2, lambda l, p: -np.sum(l * np.log(p)))
    assert "divide también entre el número de clases" in wrong(ej.ejercicio_2, lambda l, p: -np.mean(l * np.log(p)))
    message = wrong(ej.ejercicio_2, lambda l, p: -np.mean(np.sum(l * np.log10(p), axis=1)))
    assert "logaritmo en base 10" in message
    message = wrong(ej.ejercicio_2, lambda l, p: np.mean(np.sum(l * np.log(p), axis=1)))
    assert "el valor absoluto es correcto pero el signo no" in message
    right(ej.ejercicio_2, lambda l, p: -np.mean(np.sum(l * np.log(p), axis=1)))
    right(ej.ejercicio_2, lambda l, p: -np.sum(l * np.log(p)) / len(l))


# ------------------------------------------------------------------ 3. one Dense layer's backward pass

def _layer(dZ_of=lambda Z, dA: dA * (1 - np.tanh(Z) ** 2), dW=lambda X, dZ: X.T @ dZ,
           db=lambda dZ: dZ.sum(axis=0), dX=lambda dZ, W: dZ @ W.T):
    """A student's `retro_densa`, written from scratch (not the checker's own helpers), with one step changed."""
    def retro_densa(X, W, Z, dA):
        dZ = dZ_of(Z, dA)
        return dW(X, dZ), db(dZ), dX(dZ, W)
    return retro_densa


def _numeric_backward(X, W, b, dA, h=1e-6):
    """(dW, db, dX) by centred finite differences of L = sum(dA * tanh(X @ W + b))."""
    def loss(X, W, b):
        return float(np.sum(dA * np.tanh(X @ W + b)))
    grads = []
    for k, array in enumerate((W, b, X)):
        grad = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            up, down = [a.copy() for a in (X, W, b)], [a.copy() for a in (X, W, b)]
            position = {0: 1, 1: 2, 2: 0}[k]
            up[position][i] += h
            down[position][i] -= h
            grad[i] = (loss(*up) - loss(*down)) / (2 * h)
        grads.append(grad)
    return tuple(grads)


def test_layer_backward_reference_matches_finite_differences():
    rng = np.random.default_rng(0)
    X, W, b, dA = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(5, 2))
    for got, numeric in zip(ej.dense_tanh_backward(X, W, X @ W + b, dA), _numeric_backward(X, W, b, dA)):
        np.testing.assert_allclose(got, numeric, atol=1e-7)


def test_layer_backward_right_answers():
    right(ej.ejercicio_3, _layer())
    right(ej.ejercicio_3, lambda X, W, Z, dA: (X.T @ (dA / np.cosh(Z) ** 2), (dA / np.cosh(Z) ** 2).sum(0),
                                               np.einsum("nk,ik->ni", dA * (1 - np.tanh(Z) ** 2), W)))


def test_layer_backward_diagnoses_each_typical_mistake():
    assert "te falta la derivada de la activación" in wrong(ej.ejercicio_3, _layer(dZ_of=lambda Z, dA: dA))
    assert "aplicada a la preactivación Z" in wrong(ej.ejercicio_3, _layer(dZ_of=lambda Z, dA: dA * (1 - Z ** 2)))
    assert "por la activación tanh(Z), no por su derivada" in wrong(ej.ejercicio_3,
                                                                   _layer(dZ_of=lambda Z, dA: dA * np.tanh(Z)))
    assert "dX = dZ @ W.T, no dZ @ W" in wrong(ej.ejercicio_3, _layer(dX=lambda dZ, W: dZ @ W))
    assert "es X.T @ dZ, no dZ.T @ X" in wrong(ej.ejercicio_3, _layer(dW=lambda X, dZ: dZ.T @ X))
    assert "el eje 0 (`dZ.sum(axis=0)`): un valor por neurona" in wrong(ej.ejercicio_3,
                                                                       _layer(db=lambda dZ: dZ.sum(axis=1)))
    assert "`np.sum(dZ)` lo suma todo" in wrong(ej.ejercicio_3, _layer(db=lambda dZ: np.sum(dZ)))
    message = wrong(ej.ejercicio_3, _layer(dW=lambda X, dZ: X.T @ dZ / len(X), db=lambda dZ: dZ.mean(axis=0)))
    assert "el 1/N de la pérdida media ya viene dentro de dA" in message


def test_layer_backward_other_mistakes_get_the_generic_diagnosis():
    message = wrong(ej.ejercicio_3, _layer(dX=lambda dZ, W: dZ @ W.T * 2))
    assert "el elemento 2 no es correcto: tu valor es exactamente el doble del esperado" in message
    assert "se esperaban 3 valores y has dado 2" in wrong(ej.ejercicio_3, lambda X, W, Z, dA: (X, W))
    assert "excepción" in wrong(ej.ejercicio_3, lambda X, W, Z, dA: X @ dA)
    half_done = _layer(db=lambda dZ: ____, dX=lambda dZ, W: dZ @ ____)
    assert ej.ejercicio_3.evaluate(half_done).status == "sin responder"


def test_layer_backward_cases_tell_the_mistakes_apart():
    """Every case has N ≠ units and a square W; the first has N > 1, so the 1/N slip shows at once."""
    for X, W, Z, dA in ej._LAYER_CASES:
        assert W.shape[0] == W.shape[1] == Z.shape[1] != len(X)
    assert len(ej._LAYER_CASES[0][0]) > 1


# ------------------------------------------------------------------ 4. two steps of gradient descent

def test_two_gradient_steps_and_their_typical_mistakes():
    assert ej.ejercicio_4.expected == pytest.approx((2.7648, -0.04))
    right(ej.ejercicio_4, (2.7648, -0.04))
    assert "has subido por el gradiente" in wrong(ej.ejercicio_4, (3.2448, -3.24))
    assert "te falta multiplicar el gradiente por la tasa" in wrong(ej.ejercicio_4, (1.92, -9.0))
    assert "ese es el punto tras un solo paso" in wrong(ej.ejercicio_4, (2.88, -0.2))
    assert "no reutilizar el del primero" in wrong(ej.ejercicio_4, (2.76, 0.6))
    assert "el elemento 1 no es correcto" in wrong(ej.ejercicio_4, (2.7648, 0.04))
    assert "se esperaba una tupla de 2 valores" in wrong(ej.ejercicio_4, 2.7648)


def test_one_step_rate_and_the_divergence_limit():
    assert ej.ejercicio_5.expected == 0.25
    assert "0,5 es el límite a partir del cual SGD diverge" in wrong(ej.ejercicio_5, 0.5)
    assert "exactamente la mitad del esperado" in wrong(ej.ejercicio_5, 0.125)
    assert "mayor que el esperado" in wrong(ej.ejercicio_5, 4)


def test_updates_need_rounding_up():
    assert ej.ejercicio_6.reference(1438, 64, 10) == 23 * 10
    assert "el último lote" in wrong(ej.ejercicio_6, lambda n, b, e: n // b * e)
    assert "`math.ceil`" in wrong(ej.ejercicio_6, lambda n, b, e: n / b * e)
    message = wrong(ej.ejercicio_6, lambda n, b, e: math.ceil(n / b))
    assert "`<lambda>(1438, 64, 10)` tu función devolvió 23 y se esperaba 230" in message
    assert ej.ejercicio_6.evaluate(lambda n, b, e: math.ceil(n / b) * e).status == "correcto"


# ------------------------------------------------------------------ 7. the loss of a multi-label classifier

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _softmax(z):
    return np.exp(z) / np.exp(z).sum()


def test_multilabel_loss_is_keras_binary_cross_entropy_from_the_last_layer(keras):
    for labels, z in ej._MULTILABEL_CASES:
        expected = float(keras.losses.BinaryCrossentropy(from_logits=True)(labels[None], z[None]))
        assert ej.multilabel_loss(labels, z) == pytest.approx(expected, rel=1e-5)


def test_multilabel_loss_right_answers():
    right(ej.ejercicio_7, lambda y, z: -np.mean(y * np.log(_sigmoid(z)) + (1 - y) * np.log(1 - _sigmoid(z))))
    right(ej.ejercicio_7, lambda y, z: np.mean(np.logaddexp(0, z) - y * z))  # the stable form Keras uses


def test_multilabel_loss_diagnoses_softmax_the_missing_term_and_the_sum():
    message = wrong(ej.ejercicio_7, lambda y, z: -np.sum(y * np.log(_softmax(z))))
    assert "softmax reparte una probabilidad que suma 1" in message
    message = wrong(ej.ejercicio_7, lambda y, z: -np.mean(y * np.log(_softmax(z)) + (1 - y) * np.log(1 - _softmax(z))))
    assert "usa una sigmoide por etiqueta" in message
    assert "falta el término" in wrong(ej.ejercicio_7, lambda y, z: -np.mean(y * np.log(_sigmoid(z))))
    message = wrong(ej.ejercicio_7, lambda y, z: -np.sum(y * np.log(_sigmoid(z)) + (1 - y) * np.log(1 - _sigmoid(z))))
    assert "has sumado las pérdidas de las K etiquetas" in message
    with np.errstate(invalid="ignore", divide="ignore"):  # z used as if it were a probability
        assert "tu valor es nan" in wrong(ej.ejercicio_7, lambda y, z: -np.mean(y * np.log(z) + (1 - y) * np.log(1 - z)))


def test_multilabel_table_row_is_still_sigmoid_with_binary_cross_entropy():
    assert ej.HEADS["multietiqueta"] == ("sigmoid", "binary_crossentropy")

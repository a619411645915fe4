"""Exercises of notebook 03: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import math

import numpy as np
import pytest

from utils.ejercicios import nb03 as ej
from exercise_checks import wrong


def test_mae_without_absolute_value_or_squared_is_wrong():
    assert "falta el valor absoluto" in wrong(ej.ejercicio_1, lambda y, y_pred: np.mean(y - y_pred))
    assert "eso es el MSE" in wrong(ej.ejercicio_1, lambda y, y_pred: np.mean((y - y_pred) ** 2))
    message = wrong(ej.ejercicio_1, lambda y, y_pred: np.mean(np.abs(y - y_pred)) / 2)
    assert "con la entrada `<lambda>([151.,  75., 141., 206.]" in message and "se esperaba 15.25" in message
    assert "excepción" in wrong(ej.ejercicio_1, lambda y: y)


def test_cross_entropy_reproduces_the_seed_and_catches_sign_and_log10():
    reference = ej.ejercicio_2.reference
    assert round(reference(np.array([1, 0, 0]), np.array([0.95, 0.03, 0.02])), 2) == 0.05  # seed 001
    assert round(reference(np.array([1, 0, 0]), np.array([0.05, 0.8, 0.15]))) == 3
    message = wrong(ej.ejercicio_2, lambda label, probs: np.sum(label * np.log(probs)))
    assert "el valor absoluto es correcto pero el signo no" in message
    message = wrong(ej.ejercicio_2, lambda label, probs: -np.sum(label * np.log10(probs)))
    assert "logaritmo en base 10" in message
    assert "se esperaba" in wrong(ej.ejercicio_2, lambda label, probs: -np.mean(label * np.log(probs)))


def test_gradient_step_wrong_sign_and_forgotten_rate():
    assert ej.ejercicio_3.expected == pytest.approx((-3.92, 1.2))
    assert "has subido por el gradiente" in wrong(ej.ejercicio_3, (-4.08, 2.8))
    assert "te falta multiplicar el gradiente por la tasa" in wrong(ej.ejercicio_3, (-3.2, -6.0))
    assert "el elemento 1 no es correcto" in wrong(ej.ejercicio_3, (-3.92, 2.0))
    assert "se esperaba una tupla de 2 valores" in wrong(ej.ejercicio_3, -3.92)


def test_one_step_rate_and_the_divergence_limit():
    assert ej.ejercicio_4.expected == 0.25
    assert "0,5 es el límite a partir del cual SGD diverge" in wrong(ej.ejercicio_4, 0.5)
    assert "exactamente la mitad del esperado" in wrong(ej.ejercicio_4, 0.125)
    assert "mayor que el esperado" in wrong(ej.ejercicio_4, 4)


def test_updates_need_rounding_up():
    assert ej.ejercicio_5.reference(1438, 64, 10) == 23 * 10
    assert "el último lote" in wrong(ej.ejercicio_5, lambda n, b, e: n // b * e)
    assert "`math.ceil`" in wrong(ej.ejercicio_5, lambda n, b, e: n / b * e)
    message = wrong(ej.ejercicio_5, lambda n, b, e: math.ceil(n / b))
    assert "`<lambda>(1438, 64, 10)` tu función devolvió 23 y se esperaba 230" in message
    assert ej.ejercicio_5.evaluate(lambda n, b, e: math.ceil(n / b) * e).status == "correcto"


def test_multilabel_head_is_sigmoid_with_binary_cross_entropy():
    assert "softmax reparte" in wrong(ej.ejercicio_6, ("softmax", "categorical_crossentropy"))
    message = wrong(ej.ejercicio_6, ("softmax", "binary_crossentropy"))
    assert "el elemento 0 no es correcto: el texto 'softmax' no es el esperado" in message
    assert "el elemento 1 no es correcto" in wrong(ej.ejercicio_6, ("sigmoid", "mse"))
    assert "mayúsculas" in wrong(ej.ejercicio_6, ("Sigmoid", "binary_crossentropy"))

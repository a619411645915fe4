"""Checkers of notebook 12: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np

from utils.ejercicios import nb12 as ej
from exercise_checks import right, wrong


def test_1_majority_accuracy():
    assert "divídelo entre el total" in wrong(ej.ejercicio_1, lambda y: np.bincount(y).max())
    assert "se esperaba" in wrong(ej.ejercicio_1, lambda y: 1 / len(np.unique(y)))


def test_2_per_class_accuracy():
    columns = wrong(ej.ejercicio_2, lambda m: m.diagonal() / m.sum(axis=0))  # precision instead of recall
    assert "suma de cada columna" in columns
    assert "forma" in wrong(ej.ejercicio_2, lambda m: m.trace() / m.sum())


def test_3_worst_mistakes():
    def least_sure(p, y, k):  # sorted the wrong way
        pred = p.argmax(axis=1)
        mistakes = np.flatnonzero(pred != y)
        return mistakes[np.argsort(p.max(axis=1)[mistakes], kind="stable")][:k]

    def all_examples(p, y, k):  # forgot to keep only the mistakes
        return np.argsort(-p.max(axis=1), kind="stable")[:k]

    right(ej.ejercicio_3, lambda p, y, k: ej._worst_mistakes(p, y, k))
    assert "de menos a más seguro" in wrong(ej.ejercicio_3, least_sure)
    assert "con la entrada `" in wrong(ej.ejercicio_3, all_examples)


def test_3_reference_on_a_case_worked_by_hand():
    # predictions 0, 1, 0, 1, 1 against 1, 1, 1, 0, 0: mistakes 0 (0.9), 2 (0.6), 3 (0.7), 4 (0.55)
    assert ej._worst_mistakes(ej._P2, ej._Y2, 3).tolist() == [0, 3, 2]


def test_4_conv_block(keras):
    layers = keras.layers
    valid = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2)]
    assert "padding='same'" in wrong(ej.ejercicio_4, valid)
    five = [layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2)]
    assert "kernel_size=(3, 3)" in wrong(ej.ejercicio_4, five)
    no_pool = [layers.Conv2D(32, 3, padding="same", activation="relu")]
    assert "faltan capas" in wrong(ej.ejercicio_4, no_pool)
    conv = layers.Conv2D(32, 3)
    conv.build((None, 64, 64, 3))  # RGB scenes
    assert ej.ejercicio_4.params == conv.count_params()


def test_5_thought():
    assert ej.ejercicio_5.evaluate("").status == "sin responder"
    verdict = ej.ejercicio_5.evaluate("horizontal y brillo sí; vertical no")
    assert verdict.status == "respuesta modelo" and "horizontal y brillo sí" in verdict.message
    assert "cielo" in verdict.message

"""Checkers of notebook 12: every solution passes, typical mistakes get their diagnosis, `____` is pending."""
import numpy as np
import pytest
from keras import layers

from utils.ejercicios import nb12 as ej
from utils.exercises import ____

EXERCISES = [ej.ejercicio_1, ej.ejercicio_2, ej.ejercicio_3, ej.ejercicio_4, ej.ejercicio_5]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title.split(" · ")[0])
def test_placeholder_is_not_answered(exercise):
    assert exercise.evaluate(____).status == "sin responder"


@pytest.mark.parametrize("exercise", EXERCISES[:4], ids=lambda e: e.title.split(" · ")[0])
def test_written_solution_passes(exercise):
    namespace = {"np": np, "layers": layers}
    exec(exercise._solution, namespace)
    answer = namespace.get("respuesta") or next(v for k, v in namespace.items() if callable(v) and k not in ("np", "layers"))
    assert exercise.evaluate(answer).status == "correcto"


def test_1_majority_accuracy():
    assert ej.ejercicio_1.evaluate(lambda y: np.bincount(y).max() / len(y)).status == "correcto"
    count = ej.ejercicio_1.evaluate(lambda y: np.bincount(y).max())
    assert count.status == "incorrecto" and "divídelo entre el total" in count.message
    chance = ej.ejercicio_1.evaluate(lambda y: 1 / len(np.unique(y)))
    assert chance.status == "incorrecto" and "se esperaba" in chance.message


def test_2_per_class_accuracy():
    assert ej.ejercicio_2.evaluate(lambda m: m.diagonal() / m.sum(axis=1)).status == "correcto"
    columns = ej.ejercicio_2.evaluate(lambda m: m.diagonal() / m.sum(axis=0))  # precision instead of recall
    assert columns.status == "incorrecto" and "suma de cada columna" in columns.message
    overall = ej.ejercicio_2.evaluate(lambda m: m.trace() / m.sum())
    assert overall.status == "incorrecto" and "forma" in overall.message


def test_3_worst_mistakes():
    def least_sure(p, y, k):  # sorted the wrong way
        pred = p.argmax(axis=1)
        wrong = np.flatnonzero(pred != y)
        return wrong[np.argsort(p.max(axis=1)[wrong], kind="stable")][:k]

    def all_examples(p, y, k):  # forgot to keep only the mistakes
        return np.argsort(-p.max(axis=1), kind="stable")[:k]

    right = ej.ejercicio_3.evaluate(lambda p, y, k: ej._worst_mistakes(p, y, k))
    assert right.status == "correcto"
    reversed_order = ej.ejercicio_3.evaluate(least_sure)
    assert reversed_order.status == "incorrecto" and "de menos a más seguro" in reversed_order.message
    not_only_mistakes = ej.ejercicio_3.evaluate(all_examples)
    assert not_only_mistakes.status == "incorrecto" and "con la entrada `" in not_only_mistakes.message


def test_3_reference_on_a_case_worked_by_hand():
    # predictions 0, 1, 0, 1, 1 against 1, 1, 1, 0, 0: mistakes 0 (0.9), 2 (0.6), 3 (0.7), 4 (0.55)
    assert ej._worst_mistakes(ej._P2, ej._Y2, 3).tolist() == [0, 3, 2]


def test_4_conv_block():
    right = [layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2)]
    assert ej.ejercicio_4.evaluate(right).status == "correcto"
    valid = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2)]
    assert "padding='same'" in ej.ejercicio_4.evaluate(valid).message
    five = [layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2)]
    assert "kernel_size=(3, 3)" in ej.ejercicio_4.evaluate(five).message
    no_pool = [layers.Conv2D(32, 3, padding="same", activation="relu")]
    assert "faltan capas" in ej.ejercicio_4.evaluate(no_pool).message
    assert ej.ejercicio_4.params == 896


def test_5_thought():
    assert ej.ejercicio_5.evaluate("").status == "sin responder"
    verdict = ej.ejercicio_5.evaluate("horizontal y brillo sí; vertical no")
    assert verdict.status == "respuesta modelo" and "horizontal y brillo sí" in verdict.message
    assert "cielo" in verdict.message

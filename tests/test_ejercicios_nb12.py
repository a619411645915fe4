"""Checkers of notebook 12: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import copy

import numpy as np
import pytest

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


RIGHT_AUGMENTATIONS = {"volteo horizontal": True, "volteo vertical": False, "giro de 90°": False,
                       "pequeño zoom": True, "cambio de brillo": True}


def test_4_augmentations_decided():
    right(ej.ejercicio_4, RIGHT_AUGMENTATIONS)
    right(ej.ejercicio_4, {k.upper().replace("°", "º"): v for k, v in RIGHT_AUGMENTATIONS.items()})
    assert "cielo" in ej.ejercicio_4.evaluate(RIGHT_AUGMENTATIONS).message  # the reasons come with the praise
    flipped = wrong(ej.ejercicio_4, {**RIGHT_AUGMENTATIONS, "volteo vertical": True})
    assert "1 de 5 decisiones" in flipped and "«volteo vertical»" in flipped and "prueba" in flipped
    two = wrong(ej.ejercicio_4, {**RIGHT_AUGMENTATIONS, "giro de 90°": True, "cambio de brillo": False})
    assert "2 de 5" in two and "«giro de 90°»" in two
    assert "falta decidir: «pequeño zoom»" in wrong(
        ej.ejercicio_4, {k: v for k, v in RIGHT_AUGMENTATIONS.items() if k != "pequeño zoom"})
    assert "sobran claves" in wrong(ej.ejercicio_4, {**RIGHT_AUGMENTATIONS, "recorte": True})
    assert "debe ser True" in wrong(ej.ejercicio_4, {**RIGHT_AUGMENTATIONS, "pequeño zoom": "sí"})
    assert "se esperaba un diccionario" in wrong(ej.ejercicio_4, [True, False, False, True, True])


# ------------------------------------------------------------------ 5 · the project's own CNN
# A tiny task the checker can measure without training: 4×4×3 images whose class k lights row k, and a
# Flatten + Dense model whose weights read that row. Fitting with a learning rate of 0 marks it trained
# (the optimizer has taken steps) without changing what it predicts.

def images(n=100, blank=0.0, scale=1.0):
    """n images of classes 0, 1, 2, 3, …; the first `blank` fraction of them all black (so predicted as class 0)."""
    y = np.arange(n) % 4
    x = np.zeros((n, 4, 4, 3), dtype="float32")
    x[np.arange(n), y] = scale
    x[:round(blank * n)] = 0
    return x, y


def tiny_model(keras, *, shape=(4, 4, 3), units=4, hidden=None):
    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=shape), layers.Flatten(),
                              *([layers.Dense(hidden)] if hidden else []),
                              layers.Dense(units, activation="softmax")])
    if shape == (4, 4, 3) and units == 4 and not hidden:
        weights = np.zeros((48, 4), dtype="float32")
        for k in range(4):
            weights[12 * k:12 * (k + 1), k] = 0.3  # a lit row gives its class a logit of 3.6
        model.layers[-1].set_weights([weights, np.zeros(4, dtype="float32")])
    return model


def trained(keras, model, validation=None):
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(*images(40), validation_data=validation, epochs=2, batch_size=20, verbose=0)
    return model


def project(validation=None, test=None, name="animals"):
    """A copy of exercise 5 holding its own data (the module's exercise keeps the notebook's)."""
    exercise = copy.copy(ej.ejercicio_5)
    exercise.use_data(name, images(100, scale=0.5) if validation is None else validation,
                      images(100) if test is None else test)
    return exercise


@pytest.mark.slow
def test_5_project_right_and_measured_once(keras, capsys):
    exercise = project()
    model = trained(keras, tiny_model(keras), validation=images(100, scale=0.5))
    verdict = exercise.evaluate(model)
    assert verdict.status == "correcto", verdict
    assert "196 parámetros" in verdict.message and "acierta 1.000 en validación" in verdict.message
    assert "esa es la cifra que publicarías" in verdict.message
    # check(...) with the data as keywords keeps them for later checks
    fresh = copy.copy(ej.ejercicio_5)
    fresh.data = None
    fresh.check(model, conjunto="animals", validacion=images(100, scale=0.5), prueba=images(100))
    assert "Correcto" in capsys.readouterr().out and fresh.evaluate(model).status == "correcto"


@pytest.mark.slow
def test_5_project_diagnoses(keras):
    good = trained(keras, tiny_model(keras))
    # shapes and size are checked before training: these need no fit
    assert "se esperaba tu modelo de Keras" in wrong(project(), 3)
    no_data = copy.copy(ej.ejercicio_5)
    no_data.data = None
    assert "necesita los datos" in wrong(no_data, good)
    assert "conjunto debe ser 'animals' o 'scenes'" in wrong(project(name="cifar"), good)
    assert "validacion debe ser una tupla (x, y)" in wrong(project(validation=images(10)[0]), good)
    assert "espera entradas de forma (None, 5, 5, 3)" in wrong(project(), tiny_model(keras, shape=(5, 5, 3)))
    assert "hay 4 clases: termina en `layers.Dense(4" in wrong(project(), tiny_model(keras, units=3))
    too_big = wrong(project(), tiny_model(keras, hidden=1000))
    assert "53004 parámetros y el máximo es 30000" in too_big
    assert "no está compilado ni entrenado" in wrong(project(), tiny_model(keras))
    untrained = tiny_model(keras)
    untrained.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert "compilado pero sin entrenar" in wrong(project(), untrained)


@pytest.mark.slow
def test_5_project_test_set_misuse_and_targets(keras):
    validated_on_test = trained(keras, tiny_model(keras), validation=images(100))
    assert "has validado con el conjunto de prueba" in wrong(project(), validated_on_test)
    good = trained(keras, tiny_model(keras))
    # much better on the test set than on validation, with a far smaller loss: trained on it
    assert "¿lo has entrenado con `x_test`?" in wrong(project(validation=images(100, blank=0.2)), good)
    # 20 blank images of 100, 5 of them class 0: 0.85 on both sets, 5 points short of 0.90
    short = wrong(project(validation=images(100, blank=0.2), test=images(100, blank=0.2)), good)
    assert "en validación aciertas 0.850: te faltan 5.0 puntos para el objetivo, 0.90" in short
    # the scenes' target is lower: the same model reaches it
    right(project(validation=images(100, blank=0.2), test=images(100, blank=0.2), name="scenes"), good)
    # right on validation, 0.70 on the test set: more than two standard errors below the target
    overfit = wrong(project(test=images(100, blank=0.4)), good)
    assert "en la prueba aciertas 0.700, menos que 0.840" in overfit and "ajustado tu diseño a la validación" in overfit


def test_5_margin_is_two_standard_errors():
    assert ej.ejercicio_5.margin(0.9, 100) == pytest.approx(2 * np.sqrt(0.9 * 0.1 / 100))
    assert set(ej.TARGETS) == {"animals", "scenes"} and ej.MAX_PARAMS == 30_000

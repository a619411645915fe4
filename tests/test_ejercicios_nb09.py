"""Checkers of notebook 09: every solution passes, typical mistakes get their diagnosis, `____` is pending."""
import numpy as np
import pytest
from keras import layers

from utils.ejercicios import nb09 as ej
from utils.exercises import ____


def verdict(exercise, answer):
    return exercise.evaluate(answer)


@pytest.mark.parametrize("exercise", [ej.ejercicio_1, ej.ejercicio_2, ej.ejercicio_3, ej.ejercicio_4, ej.ejercicio_5],
                         ids=lambda e: e.title.split(" · ")[0])
def test_placeholder_is_not_answered(exercise):
    assert verdict(exercise, ____).status == "sin responder"


def test_1_preprocessing():
    assert verdict(ej.ejercicio_1, lambda x: x / 127.5 - 1).status == "correcto"
    forgot_shift = verdict(ej.ejercicio_1, lambda x: x / 127.5)
    assert forgot_shift.status == "incorrecto" and "desplazados en +1" in forgot_shift.message
    zero_one = verdict(ej.ejercicio_1, lambda x: x / 255)
    assert zero_one.status == "incorrecto" and "[-1, 1]" in zero_one.message
    no_return = verdict(ej.ejercicio_1, lambda x: None)
    assert "¿falta un `return`?" in no_return.message


def test_1_solution_text_is_the_reference():
    namespace = {}
    exec(ej.ejercicio_1._solution, namespace)
    assert verdict(ej.ejercicio_1, namespace["preprocesar"]).status == "correcto"


def test_2_feature_map_shape():
    assert verdict(ej.ejercicio_2, (7, 7, 1280)).status == "correcto"
    assert verdict(ej.ejercicio_2, [7, 7, 1280]).status == "correcto"
    at_160 = verdict(ej.ejercicio_2, (5, 5, 1280))
    assert at_160.status == "incorrecto" and "160×160" in at_160.message
    rgb = verdict(ej.ejercicio_2, (7, 7, 3))
    assert "1 280 canales" in rgb.message
    half = verdict(ej.ejercicio_2, (14, 14, 1280))
    assert "el elemento 0 no es correcto" in half.message
    assert "se esperaban 3 valores" in verdict(ej.ejercicio_2, (7, 1280)).message


def test_3_head_layers():
    right = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(4, activation="softmax")]
    assert verdict(ej.ejercicio_3, right).status == "correcto"
    flatten = [layers.Flatten(), layers.Dropout(0.2), layers.Dense(4, activation="softmax")]
    assert "la capa 1 debería ser GlobalAveragePooling2D y es Flatten" in verdict(ej.ejercicio_3, flatten).message
    linear = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(4)]
    assert "activation='softmax'" in verdict(ej.ejercicio_3, linear).message
    ten = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(10, activation="softmax")]
    assert "units=4" in verdict(ej.ejercicio_3, ten).message
    rate = [layers.GlobalAveragePooling2D(), layers.Dropout(0.5), layers.Dense(4, activation="softmax")]
    assert "rate=0.2" in verdict(ej.ejercicio_3, rate).message


def test_3_solution_text_builds_the_right_head():
    namespace = {"layers": layers}
    exec(ej.ejercicio_3._solution, namespace)
    assert verdict(ej.ejercicio_3, namespace["respuesta"]).status == "correcto"


def test_4_trainable_parameters():
    assert verdict(ej.ejercicio_4, 1280 * 4 + 4).status == "correcto"
    assert "faltan los sesgos" in verdict(ej.ejercicio_4, 1280 * 4).message
    assert "aplanando" in verdict(ej.ejercicio_4, 3 * 3 * 1280 * 4 + 4).message
    total = verdict(ej.ejercicio_4, 2_257_984 + 5124)
    assert total.status == "incorrecto" and "mayor" in total.message
    assert "quita las comillas" in verdict(ej.ejercicio_4, "5124").message


def test_5_thought_shows_the_model_answer():
    assert verdict(ej.ejercicio_5, "").status == "sin responder"
    mine = ej.ejercicio_5.evaluate("solo la cabeza con 200; casi toda la red con 200 000")
    assert mine.status == "respuesta modelo" and "solo la cabeza con 200" in mine.message
    assert "tasa de aprendizaje baja" in mine.message
    assert ej.ejercicio_5.evaluate().status == "respuesta modelo"


def test_expected_values_follow_the_architecture():
    assert ej.ejercicio_2.expected == (224 // 32, 224 // 32, 1280)
    assert ej.ejercicio_4.expected == ej.ejercicio_3.params
    out = ej._preprocess(np.array([0, 255]))
    assert out.tolist() == [-1.0, 1.0]

"""Checkers of notebook 09: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np

from utils.ejercicios import nb09 as ej
from exercise_checks import right, wrong


def test_1_preprocessing():
    assert "desplazados en +1" in wrong(ej.ejercicio_1, lambda x: x / 127.5)
    assert "[-1, 1]" in wrong(ej.ejercicio_1, lambda x: x / 255)
    assert "¿falta un `return`?" in wrong(ej.ejercicio_1, lambda x: None)


def test_2_feature_map_shape():
    right(ej.ejercicio_2, [7, 7, 1280])
    assert "160×160" in wrong(ej.ejercicio_2, (5, 5, 1280))
    assert "1 280 canales" in wrong(ej.ejercicio_2, (7, 7, 3))
    assert "el elemento 0 no es correcto" in wrong(ej.ejercicio_2, (14, 14, 1280))
    assert "se esperaban 3 valores" in wrong(ej.ejercicio_2, (7, 1280))


def test_3_head_layers(keras):
    layers = keras.layers
    flatten = [layers.Flatten(), layers.Dropout(0.2), layers.Dense(4, activation="softmax")]
    assert "la capa 1 debería ser GlobalAveragePooling2D y es Flatten" in wrong(ej.ejercicio_3, flatten)
    linear = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(4)]
    assert "activation='softmax'" in wrong(ej.ejercicio_3, linear)
    ten = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(10, activation="softmax")]
    assert "units=4" in wrong(ej.ejercicio_3, ten)
    rate = [layers.GlobalAveragePooling2D(), layers.Dropout(0.5), layers.Dense(4, activation="softmax")]
    assert "rate=0.2" in wrong(ej.ejercicio_3, rate)


def test_4_trainable_parameters():
    assert "faltan los sesgos" in wrong(ej.ejercicio_4, 1280 * 4)
    assert "aplanando" in wrong(ej.ejercicio_4, 3 * 3 * 1280 * 4 + 4)
    assert "mayor" in wrong(ej.ejercicio_4, 2_257_984 + 5124)
    assert "quita las comillas" in wrong(ej.ejercicio_4, "5124")


def test_5_thought_shows_the_model_answer():
    assert ej.ejercicio_5.evaluate("").status == "sin responder"
    mine = ej.ejercicio_5.evaluate("solo la cabeza con 200; casi toda la red con 200 000")
    assert mine.status == "respuesta modelo" and "solo la cabeza con 200" in mine.message
    assert "tasa de aprendizaje baja" in mine.message
    assert ej.ejercicio_5.evaluate().status == "respuesta modelo"


def test_expected_values_follow_the_architecture():
    assert ej.ejercicio_2.expected == (224 // 32, 224 // 32, 1280)
    assert ej.ejercicio_4.expected == ej.ejercicio_3.params
    assert ej._preprocess(np.array([0, 255])).tolist() == [-1.0, 1.0]
